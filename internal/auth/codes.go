package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"
)

// Recovery codes are 12 characters of Crockford's base32 alphabet (no i, l,
// o, u), shown as "xxxx-xxxx-xxxx": 60 bits from the CSPRNG (ASVS 6.5.3).
const (
	recoveryAlphabet   = "0123456789abcdefghjkmnpqrstvwxyz"
	recoveryCodeLen    = 12
	recoveryGroupLen   = 4
	recoverySaltLen    = 16
	recoveryHashPrefix = "sha256"
	tokenLen           = 32 // bytes: 256 bits (ASVS 7.2.3)
)

// NewRecoveryCodes returns n fresh recovery codes such as "7k2m-q9xd-4hpt".
func NewRecoveryCodes(n int) ([]string, error) {
	if n < 1 {
		return nil, fmt.Errorf("auth: new recovery codes: count %d must be positive", n)
	}
	codes := make([]string, n)
	raw := make([]byte, recoveryCodeLen)
	for i := range codes {
		_, _ = rand.Read(raw) // never fails: crypto/rand crashes the program instead
		var b strings.Builder
		for j, v := range raw {
			if j > 0 && j%recoveryGroupLen == 0 {
				b.WriteByte('-')
			}
			// 256 is a multiple of 32, so the low five bits are uniform.
			b.WriteByte(recoveryAlphabet[v&31])
		}
		codes[i] = b.String()
	}
	return codes, nil
}

// NormalizeRecoveryCode lower-cases s and strips spaces and hyphens. It also
// folds the letters Crockford's alphabet leaves out onto the digits they look
// like (o → 0, i and l → 1), so a misread code still matches.
func NormalizeRecoveryCode(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case ' ', '-', '\t':
			return -1
		case 'o', 'O':
			return '0'
		case 'i', 'I', 'l', 'L':
			return '1'
		}
		if 'A' <= r && r <= 'Z' {
			return r + ('a' - 'A')
		}
		return r
	}, s)
}

// LooksLikeRecoveryCode reports whether s, once normalized, has the shape of a
// recovery code rather than a 6-digit TOTP code, so one sign-in field can take
// either.
func LooksLikeRecoveryCode(s string) bool {
	n := NormalizeRecoveryCode(s)
	if len(n) != recoveryCodeLen {
		return false
	}
	for _, c := range []byte(n) {
		if strings.IndexByte(recoveryAlphabet, c) < 0 {
			return false
		}
	}
	return true
}

// HashRecoveryCode returns "sha256$<b64salt>$<b64hash>", the SHA-256 of a
// random salt followed by the normalized code (ASVS 6.5.2). A fast hash is
// enough here, unlike for passwords: a code carries 60 bits from the CSPRNG,
// so even an offline search of one salted code costs ~2^59 hashes, and a
// memory-hard hash per stored code would make each recovery attempt cost ten
// argon2 runs for no real gain.
func HashRecoveryCode(code string) (string, error) {
	salt := make([]byte, recoverySaltLen)
	_, _ = rand.Read(salt) // never fails: crypto/rand crashes the program instead
	sum := recoveryDigest(salt, NormalizeRecoveryCode(code))
	return recoveryHashPrefix + "$" + base64.RawStdEncoding.EncodeToString(salt) +
		"$" + base64.RawStdEncoding.EncodeToString(sum), nil
}

// VerifyRecoveryCode reports whether code matches stored, a string from
// HashRecoveryCode, comparing in constant time. A malformed stored value never
// matches. The caller deletes or marks the code used in the same transaction
// so that it works once (ASVS 6.5.1).
func VerifyRecoveryCode(code, stored string) bool {
	parts := strings.Split(stored, "$")
	if len(parts) != 3 || parts[0] != recoveryHashPrefix {
		return false
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil || len(want) != sha256.Size {
		return false
	}
	got := recoveryDigest(salt, NormalizeRecoveryCode(code))
	return subtle.ConstantTimeCompare(got, want) == 1
}

func recoveryDigest(salt []byte, normalized string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(normalized))
	return h.Sum(nil)
}

// NewToken returns a session (or other bearer) token of 32 random bytes
// (256 bits, ASVS 7.2.3) as unpadded base64url, and its SHA-256 to store, so
// a leaked database holds no usable token.
func NewToken() (token string, hash []byte, err error) {
	raw := make([]byte, tokenLen)
	_, _ = rand.Read(raw) // never fails: crypto/rand crashes the program instead
	token = base64.RawURLEncoding.EncodeToString(raw)
	return token, HashToken(token), nil
}

// HashToken returns the SHA-256 of token, the value stored and looked up.
// A fast hash is right here: the token has 256 bits of entropy.
func HashToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}
