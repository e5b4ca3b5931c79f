// Package auth holds the primitives of signing in: argon2id password
// hashes, random secrets whose hashes go to the database, and a limiter for
// sign-in attempts.
package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost settings.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultParams follow OWASP's first argon2id recommendation (19 MiB,
// 2 passes, 1 lane): slow for an attacker, a few tens of milliseconds here.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// Hasher hashes and checks passwords with fixed parameters. Tests use cheap
// ones; old hashes keep verifying after the defaults change, because each
// hash records its own parameters.
type Hasher struct{ P Params }

// Hash returns a PHC-style string: $argon2id$v=19$m=...,t=...,p=...$salt$key.
func (h Hasher) Hash(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.P.Time, h.P.Memory, h.P.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, h.P.Memory, h.P.Time, h.P.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

var errBadHash = errors.New("auth: not an argon2id hash")

// Verify reports whether password matches encoded, in constant time.
func (h Hasher) Verify(password, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var v int
	var p Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Memory > 1<<22 || p.Time > 100 || p.Threads == 0 {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Dummy is a valid hash of a random password. Checking a password against
// it for an unknown e-mail address takes as long as for a known one, so
// timing does not reveal who has an account.
func (h Hasher) Dummy() string {
	s, _ := h.Hash(NewSecret())
	return s
}

// NewSecret returns 32 random bytes, URL-safe encoded: a session cookie or
// an API token.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is what the database stores for a session or token: a fast
// hash is enough, because the secret itself has 256 random bits.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// NewPassword returns a random password of 20 characters from an alphabet
// without look-alikes, for demo accounts and new people.
func NewPassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
