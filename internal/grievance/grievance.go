// Package grievance holds what makes the complaints channel trustworthy for
// the person complaining: receipt codes that only they hold, encryption of
// their name and contact, and the case workflow with its time limits, in
// the spirit of UN Guiding Principle 31 (predictable, transparent,
// rights-compatible).
package grievance

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
)

// A receipt code has 24 digits: the first 6 find the complaint, the other
// 18 (about 60 bits) prove the holder. Only an argon2id hash of the whole
// code is stored.
const (
	CodeDigits   = 24
	LookupDigits = 6
)

// NewCode returns a random receipt code, digits only.
func NewCode() string {
	var b strings.Builder
	ten := big.NewInt(10)
	for i := 0; i < CodeDigits; i++ {
		d, err := rand.Int(rand.Reader, ten)
		if err != nil {
			panic(err)
		}
		b.WriteByte(byte('0' + d.Int64()))
	}
	return b.String()
}

// FormatCode groups a code in fours so it can be copied by hand.
func FormatCode(code string) string {
	var parts []string
	for i := 0; i < len(code); i += 4 {
		parts = append(parts, code[i:min(i+4, len(code))])
	}
	return strings.Join(parts, " ")
}

// ParseCode accepts a code as typed (spaces, dashes) and returns its
// digits, or false if it cannot be a code.
func ParseCode(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '\t':
		default:
			return "", false
		}
	}
	if b.Len() != CodeDigits {
		return "", false
	}
	return b.String(), true
}

// Lookup is the part of a code stored in clear to find its complaint.
func Lookup(code string) string { return code[:LookupDigits] }

// Box encrypts identities with AES-256-GCM. The key comes from the
// installation's configuration; without it, identities cannot be read.
type Box struct{ aead cipher.AEAD }

// NewBox makes a Box from a 32-byte key.
func NewBox(key []byte) (*Box, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("the complaint key must be 32 bytes, got %d", len(key))
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead}, nil
}

// ParseKey reads a key written as base64 (44 characters).
func ParseKey(s string) ([]byte, error) {
	k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil || len(k) != 32 {
		return nil, errors.New("the complaint key must be 32 random bytes in base64 (try: head -c 32 /dev/urandom | base64)")
	}
	return k, nil
}

// NewKey returns a fresh key in base64.
func NewKey() string {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return base64.StdEncoding.EncodeToString(k)
}

// Seal encrypts plaintext; the complaint id is bound as associated data so
// a ciphertext cannot be moved to another complaint.
func (b *Box) Seal(plaintext []byte, complaintRef string) []byte {
	nonce := make([]byte, b.aead.NonceSize())
	if _, err := io.ReadFull(rand.Reader, nonce); err != nil {
		panic(err)
	}
	return b.aead.Seal(nonce, nonce, plaintext, []byte(complaintRef))
}

// Open decrypts what Seal produced.
func (b *Box) Open(sealed []byte, complaintRef string) ([]byte, error) {
	n := b.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("grievance: sealed identity too short")
	}
	return b.aead.Open(nil, sealed[:n], sealed[n:], []byte(complaintRef))
}
