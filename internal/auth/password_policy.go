package auth

import (
	_ "embed" // the common-password list
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/secure/precis"
)

// Password limits, counted in runes after PRECIS OpaqueString (ASVS 6.2.1,
// 6.2.9).
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// Reasons carried by PasswordError, stable keys for translated messages.
const (
	PasswordTooShort = "too_short"
	PasswordTooLong  = "too_long"
	PasswordCommon   = "common"
	PasswordInvalid  = "invalid"
)

// PasswordError says why CheckPassword refused a password. Reason is one of
// the Password* reason constants.
type PasswordError struct{ Reason string }

// Error implements error.
func (e *PasswordError) Error() string { return "auth: password refused: " + e.Reason }

//go:embed commonpasswords/passwords.txt
var commonPasswordsText string

// commonPasswords is built on first use and never changed afterwards.
var commonPasswords = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 50000)
	for line := range strings.Lines(commonPasswordsText) {
		if w := strings.TrimRight(line, "\r\n"); w != "" {
			set[strings.ToLower(w)] = struct{}{}
		}
	}
	return set
})

// CheckPassword prepares raw with PRECIS OpaqueString (RFC 8265: non-ASCII
// spaces mapped to U+0020, NFC; case and width kept) and returns the prepared
// string, which is what gets hashed — at sign-in too, so prepare the attempt
// with PreparePassword before VerifyPassword. It requires 10–256 runes and
// refuses entries of the embedded common-password list (compared
// case-insensitively). There are no composition rules and nothing is ever
// truncated. Errors are *PasswordError.
func CheckPassword(raw string) (string, error) {
	if raw == "" {
		return "", &PasswordError{Reason: PasswordTooShort}
	}
	// Cheap bound before PRECIS work: 256 runes are at most 1024 bytes; the
	// slack allows decomposed input that NFC composes.
	if len(raw) > 16*MaxPasswordLen {
		return "", &PasswordError{Reason: PasswordTooLong}
	}
	prepared, err := precis.OpaqueString.String(raw)
	if err != nil {
		return "", &PasswordError{Reason: PasswordInvalid}
	}
	switch n := utf8.RuneCountInString(prepared); {
	case n < MinPasswordLen:
		return "", &PasswordError{Reason: PasswordTooShort}
	case n > MaxPasswordLen:
		return "", &PasswordError{Reason: PasswordTooLong}
	}
	if _, common := commonPasswords()[strings.ToLower(prepared)]; common {
		return "", &PasswordError{Reason: PasswordCommon}
	}
	return prepared, nil
}

// PreparePassword applies PRECIS OpaqueString to a sign-in attempt, the same
// preparation CheckPassword gave the password at sign-up, without length or
// common-list checks (a stored password must keep working if the list grows).
// On error the caller should still verify against DummyHash so that timing
// reveals nothing (ASVS 6.3.8).
func PreparePassword(raw string) (string, error) {
	if len(raw) > 16*MaxPasswordLen {
		return "", &PasswordError{Reason: PasswordTooLong}
	}
	prepared, err := precis.OpaqueString.String(raw)
	if err != nil {
		return "", &PasswordError{Reason: PasswordInvalid}
	}
	return prepared, nil
}
