package sso

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// A client secret lets whoever holds it act as buyright towards an
// organisation's identity provider, so it is not kept in clear: a copy of
// the database alone must not give it away. It is sealed with a key
// derived from the installation's complaint key, which lives outside the
// database and which every app server already has. The derivation keeps
// the two uses apart: a ciphertext of one cannot be opened as the other.

// sealedPrefix marks a sealed secret in the database; a value without it
// was stored in clear before secrets were sealed, and is sealed at the
// next start.
const sealedPrefix = "sealed:v1:"

// SecretBox seals and opens client secrets.
type SecretBox struct{ aead cipher.AEAD }

// NewSecretBox derives the secrets' key from the installation's 32-byte
// complaint key.
func NewSecretBox(installationKey []byte) (*SecretBox, error) {
	if len(installationKey) != 32 {
		return nil, errors.New("sso: the installation key must be 32 bytes")
	}
	k, err := hkdf.Key(sha256.New, installationKey, nil, "buyright sso client secret v1", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &SecretBox{aead}, nil
}

// secretRef binds a sealed secret to its organisation, so a value copied
// to another organisation's row does not open.
func secretRef(orgID int64) []byte { return []byte("sso_provider:" + strconv.FormatInt(orgID, 10)) }

// Seal returns the secret as stored.
func (b *SecretBox) Seal(secret string, orgID int64) string {
	nonce := make([]byte, b.aead.NonceSize())
	rand.Read(nonce) // never fails (crypto/rand since Go 1.24)
	return sealedPrefix + base64.RawStdEncoding.EncodeToString(b.aead.Seal(nonce, nonce, []byte(secret), secretRef(orgID)))
}

// ErrSecretUnreadable says a stored secret does not open with this
// server's key: the key changed, or the value was tampered with.
var ErrSecretUnreadable = errors.New("the stored client secret cannot be read with this server's key")

// Open returns a stored secret in clear; a value stored in clear before
// secrets were sealed is returned as it is.
func (b *SecretBox) Open(stored string, orgID int64) (string, error) {
	raw, ok := strings.CutPrefix(stored, sealedPrefix)
	if !ok {
		return stored, nil
	}
	ct, err := base64.RawStdEncoding.DecodeString(raw)
	n := b.aead.NonceSize()
	if err != nil || len(ct) < n {
		return "", ErrSecretUnreadable
	}
	plain, err := b.aead.Open(nil, ct[:n], ct[n:], secretRef(orgID))
	if err != nil {
		return "", ErrSecretUnreadable
	}
	return string(plain), nil
}

// IsSealed says whether a stored value is sealed.
func IsSealed(stored string) bool { return strings.HasPrefix(stored, sealedPrefix) }
