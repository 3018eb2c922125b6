package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
)

// TOTP settings: RFC 6238 defaults, which every authenticator app supports.
const (
	totpPeriod    = 30 // seconds per step
	totpDigits    = 6
	totpSecretLen = 20 // bytes, the RFC 4226 recommended 160 bits
)

var totpOpts = hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// NewTOTPSecret returns a fresh 20-byte TOTP secret from the CSPRNG
// (ASVS 6.5.3). Store it encrypted or at least never log it.
func NewTOTPSecret() ([]byte, error) {
	secret := make([]byte, totpSecretLen)
	_, _ = rand.Read(secret) // never fails: crypto/rand crashes the program instead
	return secret, nil
}

func encodeSecret(secret []byte) string {
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(secret)
}

// TOTPURI returns the otpauth:// key URI (for a QR code) for secret, as
// otpauth://totp/Issuer:account?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30.
func TOTPURI(secret []byte, issuer, account string) string {
	label := escapeLabel(issuer) + ":" + escapeLabel(account)
	return "otpauth://totp/" + label +
		"?secret=" + encodeSecret(secret) +
		"&issuer=" + strings.ReplaceAll(url.QueryEscape(issuer), "+", "%20") +
		"&algorithm=SHA1&digits=6&period=30"
}

// escapeLabel percent-encodes a label part, including ':' which separates
// issuer from account.
func escapeLabel(s string) string {
	return strings.ReplaceAll(url.PathEscape(s), ":", "%3A")
}

// FormatSecret returns secret as unpadded base32 in groups of four separated
// by spaces ("ABCD EFGH …"), for people who type it instead of scanning.
func FormatSecret(secret []byte) string {
	enc := encodeSecret(secret)
	var b strings.Builder
	for i := 0; i < len(enc); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(enc[i:min(i+4, len(enc))])
	}
	return b.String()
}

// TOTPCode returns the 6-digit code for secret at time t, for tests and the
// CLI. It returns "" only if secret is empty.
func TOTPCode(secret []byte, t time.Time) string {
	return codeForStep(secret, t.Unix()/totpPeriod)
}

func codeForStep(secret []byte, step int64) string {
	if len(secret) == 0 || step < 0 {
		return ""
	}
	code, err := hotp.GenerateCodeCustom(encodeSecret(secret), uint64(step), totpOpts)
	if err != nil { // unreachable: encodeSecret always yields valid base32
		return ""
	}
	return code
}

// MatchTOTP checks code (spaces and hyphens ignored) against the step of now
// (the server's clock, ASVS 6.5.8) and one step either side for clock drift,
// comparing in constant time. It returns the matched step (unix time / 30);
// if several steps match, the earliest wins. ok is false for a malformed code.
//
// MatchTOTP does NOT prevent replay: the caller must store the last matched
// step and accept only a later one, with an atomic conditional UPDATE
// (… SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?) (ASVS 6.5.1).
func MatchTOTP(secret []byte, code string, now time.Time) (step int64, ok bool) {
	code = strings.NewReplacer(" ", "", "-", "").Replace(code)
	if len(code) != totpDigits || len(secret) == 0 {
		return 0, false
	}
	for _, c := range []byte(code) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	current := now.Unix() / totpPeriod
	// Check every window without stopping early, so timing says nothing
	// about which step matched.
	for s := current + 1; s >= current-1; s-- {
		want := codeForStep(secret, s)
		if want != "" && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			step, ok = s, true
		}
	}
	return step, ok
}
