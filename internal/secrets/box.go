// Package secrets encrypts secrets at rest (TOTP secrets and the like) under a
// 32-byte key that is kept apart from the database, so a copy of the database
// alone does not let anyone sign in as a member.
package secrets

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length in bytes of a key for NewBox.
const KeySize = 32

// CheckPlaintext is sealed into a check value stored beside the encrypted data,
// so startup can tell a wrong key from damaged data before anything is decrypted.
const CheckPlaintext = "hearth secret key check v1"

// checkAssociatedData binds the check value to its purpose.
const checkAssociatedData = "key-check"

const (
	formatVersion = "v1"
	nonceSize     = 12
	keyIDLength   = 8
)

// ErrWrongKey means a sealed value was made under a different key than the Box holds.
var ErrWrongKey = errors.New("sealed under a different key")

// ErrCorrupt means a sealed value is malformed or failed authentication
// (tampered, truncated, or opened with the wrong associated data).
var ErrCorrupt = errors.New("sealed value is corrupt or was tampered with")

// Box seals and opens values with AES-256-GCM under one key.
// It is safe for concurrent use.
type Box struct {
	aead  cipher.AEAD
	keyID string
	// deriveRoot is a one-way function of the key from which purpose-bound
	// keys are derived (DeriveKey); the key itself is not kept.
	deriveRoot []byte
}

// NewBox returns a Box for a 32-byte key. The key itself is not kept (only the
// cipher state and a one-way derivation root), so the caller may clear its copy.
func NewBox(key []byte) (*Box, error) {
	if len(key) != KeySize {
		return nil, fmt.Errorf("secrets: new box: key is %d bytes, expected %d", len(key), KeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("secrets: new box: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("secrets: new box: %w", err)
	}
	root := hmac.New(sha256.New, key)
	root.Write([]byte("hearth derivation root v1"))
	return &Box{aead: aead, keyID: keyID(key), deriveRoot: root.Sum(nil)}, nil
}

// DeriveKey returns a 32-byte key for one purpose (an HMAC of the purpose
// under a root derived from the secret key), so that a key used for, say,
// anti-forgery tokens can never be confused with one used for encryption.
// Keys change when the secret key is rotated.
func (b *Box) DeriveKey(purpose string) []byte {
	mac := hmac.New(sha256.New, b.deriveRoot)
	mac.Write([]byte(purpose))
	return mac.Sum(nil)
}

// keyID names a key without revealing it: 32 bits of a domain-separated hash
// are enough to tell keys apart in an error message and useless to an attacker.
func keyID(key []byte) string {
	sum := sha256.Sum256(append([]byte("hearth key id"), key...))
	return hex.EncodeToString(sum[:])[:keyIDLength]
}

// KeyID is a short identifier of the key, stored in every sealed value so a
// wrong key is recognised as such instead of looking like corruption.
func (b *Box) KeyID() string { return b.keyID }

// Seal encrypts plaintext and authenticates it together with associatedData,
// which is not stored: pass something that ties the value to its place (for
// example "totp:member:42") so a sealed value copied to another row fails to open.
// The result is "v1:" + KeyID + ":" + base64url-nopad(nonce || ciphertext).
func (b *Box) Seal(plaintext, associatedData []byte) (string, error) {
	nonce := make([]byte, nonceSize, nonceSize+len(plaintext)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secrets: seal: read random nonce: %w", err)
	}
	header := b.header()
	sealed := b.aead.Seal(nonce, nonce, plaintext, additionalData(header, associatedData))
	return header + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Open decrypts a value made by Seal with the same associatedData. It returns
// an error wrapping ErrWrongKey when the value names another key, and one
// wrapping ErrCorrupt when it is malformed or fails authentication.
func (b *Box) Open(sealed string, associatedData []byte) ([]byte, error) {
	version, rest, ok := strings.Cut(sealed, ":")
	if !ok || version != formatVersion {
		return nil, fmt.Errorf("secrets: open: unknown format: %w", ErrCorrupt)
	}
	id, payload, ok := strings.Cut(rest, ":")
	if !ok || !isKeyID(id) {
		return nil, fmt.Errorf("secrets: open: malformed key id: %w", ErrCorrupt)
	}
	if id != b.keyID {
		return nil, fmt.Errorf("secrets: open: value has key id %s, this key is %s: %w", id, b.keyID, ErrWrongKey)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(payload)
	if err != nil {
		return nil, fmt.Errorf("secrets: open: malformed base64: %w", ErrCorrupt)
	}
	if len(raw) < nonceSize+b.aead.Overhead() {
		return nil, fmt.Errorf("secrets: open: value is too short: %w", ErrCorrupt)
	}
	nonce, ciphertext := raw[:nonceSize], raw[nonceSize:]
	plaintext, err := b.aead.Open(nil, nonce, ciphertext, additionalData(b.header(), associatedData))
	if err != nil {
		return nil, fmt.Errorf("secrets: open: authentication failed: %w", ErrCorrupt)
	}
	return plaintext, nil
}

// CheckValue seals CheckPlaintext; store it once when the key is first used and
// give it to VerifyCheckValue at every start.
func (b *Box) CheckValue() (string, error) {
	sealed, err := b.Seal([]byte(CheckPlaintext), []byte(checkAssociatedData))
	if err != nil {
		return "", fmt.Errorf("secrets: check value: %w", err)
	}
	return sealed, nil
}

// VerifyCheckValue returns nil when sealed opens to CheckPlaintext under this
// key, and otherwise an error wrapping ErrWrongKey or ErrCorrupt that tells an
// administrator what to do.
func (b *Box) VerifyCheckValue(sealed string) error {
	plaintext, err := b.Open(sealed, []byte(checkAssociatedData))
	switch {
	case errors.Is(err, ErrWrongKey):
		return fmt.Errorf("secrets: the configured secret key (id %s) is not the key this database was encrypted with; "+
			"restore the original key (HEARTH_SECRET_KEY, HEARTH_SECRET_KEY_FILE or secret.key in the data directory): %w", b.keyID, err)
	case err != nil:
		return fmt.Errorf("secrets: the stored key check value cannot be verified with key id %s; the key or the database may be damaged: %w", b.keyID, err)
	case !bytes.Equal(plaintext, []byte(CheckPlaintext)):
		return fmt.Errorf("secrets: the stored key check value holds unexpected content: %w", ErrCorrupt)
	}
	return nil
}

func (b *Box) header() string { return formatVersion + ":" + b.keyID + ":" }

// additionalData authenticates the header with the caller's data, so the
// version and key id of a sealed value cannot be altered either.
func additionalData(header string, associatedData []byte) []byte {
	ad := make([]byte, 0, len(header)+len(associatedData))
	ad = append(ad, header...)
	return append(ad, associatedData...)
}

func isKeyID(s string) bool {
	if len(s) != keyIDLength {
		return false
	}
	for _, c := range []byte(s) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// NewKey returns 32 random bytes from crypto/rand.
func NewKey() ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("secrets: new key: %w", err)
	}
	return key, nil
}

// EncodeKey returns key in standard base64, the form HEARTH_SECRET_KEY and key files use.
func EncodeKey(key []byte) string {
	return base64.StdEncoding.EncodeToString(key)
}

// DecodeKey parses a base64 key (standard or URL alphabet, padded or not,
// surrounding whitespace ignored) and checks that it is 32 bytes. Its errors
// never contain the input.
func DecodeKey(text string) ([]byte, error) {
	key, err := decodeKey(text)
	if err != nil {
		return nil, fmt.Errorf("secrets: decode key: %w", err)
	}
	return key, nil
}

// decodeKey returns errors without a prefix so callers can name the source.
func decodeKey(text string) ([]byte, error) {
	text = strings.TrimSpace(text)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		key, err := enc.DecodeString(text)
		if err != nil {
			continue
		}
		if len(key) != KeySize {
			return nil, fmt.Errorf("expected %d bytes, base64; got %d bytes", KeySize, len(key))
		}
		return key, nil
	}
	return nil, fmt.Errorf("expected %d bytes, base64; got text that is not base64", KeySize)
}
