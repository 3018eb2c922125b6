package auth

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mtibben/confusables"
	"golang.org/x/text/secure/precis"
)

// Username limits, counted in runes after PRECIS enforcement.
const (
	MinUsernameLen = 3
	MaxUsernameLen = 32
)

// Reasons carried by UsernameError, stable keys for translated messages.
const (
	UsernameTooShort          = "too_short"
	UsernameTooLong           = "too_long"
	UsernameInvalidCharacters = "invalid_characters"
	UsernameReserved          = "reserved"
)

// UsernameError says why NormalizeUsername refused a username. Reason is one
// of the Username* reason constants.
type UsernameError struct{ Reason string }

// Error implements error.
func (e *UsernameError) Error() string { return "auth: username refused: " + e.Reason }

// reservedUsernameList names are refused by skeleton, so look-alikes ("аdmin"
// with a Cyrillic а, "adm1n", "admln") and separator variants ("ad.min",
// "former_member") are refused too.
func reservedUsernameList() []string {
	return []string{
		"admin", "administrator", "moderator", "mod", "mods", "hearth", "system", "support",
		"root", "staff", "help", "security", "official", "team", "null", "undefined",
		"anonymous", "former-member", "deleted", "removed", "nobody", "everyone", "here",
		"owner", "sysop", "webmaster", "postmaster", "abuse", "noreply", "no-reply",
		"info", "contact", "me", "you", "guest", "user", "member", "api", "www",
	}
}

// reservedUsernameKeys is built on first use and never changed afterwards.
var reservedUsernameKeys = sync.OnceValue(func() map[string]struct{} {
	keys := make(map[string]struct{})
	for _, name := range reservedUsernameList() {
		keys[reservedKey(usernameSkeleton(name))] = struct{}{}
	}
	return keys
})

// NormalizeUsername enforces the PRECIS UsernameCaseMapped profile (RFC 8265:
// width-mapped, lower-cased, NFC) on raw and returns the canonical form to
// store and display, plus its UTS #39 confusables skeleton (lower-cased) to
// keep unique, so "Anna" and "Аnna" (Cyrillic А) cannot both exist.
//
// Rules: 3–32 runes after enforcement; only letters, combining marks after a
// letter, decimal digits and the separators '.', '_' and '-'; the first and
// last rune must be a letter or digit; no spaces. Names whose skeleton,
// ignoring separators, matches a reserved name are refused. Errors are
// *UsernameError.
func NormalizeUsername(raw string) (canonical string, skeleton string, err error) {
	if strings.TrimSpace(raw) == "" {
		return "", "", &UsernameError{Reason: UsernameTooShort}
	}
	// Cheap bound before PRECIS work, generous enough for fullwidth input
	// and decomposed marks that NFC will compose.
	if len(raw) > 16*MaxUsernameLen {
		return "", "", &UsernameError{Reason: UsernameTooLong}
	}
	canonical, err = precis.UsernameCaseMapped.String(raw)
	if err != nil {
		return "", "", &UsernameError{Reason: UsernameInvalidCharacters}
	}
	switch n := utf8.RuneCountInString(canonical); {
	case n < MinUsernameLen:
		return "", "", &UsernameError{Reason: UsernameTooShort}
	case n > MaxUsernameLen:
		return "", "", &UsernameError{Reason: UsernameTooLong}
	}
	if !usernameRunesAllowed(canonical) {
		return "", "", &UsernameError{Reason: UsernameInvalidCharacters}
	}
	skeleton = usernameSkeleton(canonical)
	if _, reserved := reservedUsernameKeys()[reservedKey(skeleton)]; reserved {
		return "", "", &UsernameError{Reason: UsernameReserved}
	}
	return canonical, skeleton, nil
}

// usernameSkeleton is the lower-cased UTS #39 skeleton; lower-casing folds
// the upper-case targets some mappings produce (e.g. '0' → 'O').
func usernameSkeleton(s string) string {
	return strings.ToLower(confusables.Skeleton(s))
}

// reservedKey drops '.', '_' and '-' from a skeleton and folds 'i'
// onto 'l' (the skeleton already maps '1' and 'I' there), giving the key that
// reserved names are compared by: stricter than the uniqueness skeleton.
func reservedKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '.', '_', '-':
			return -1
		case 'i':
			return 'l'
		}
		return r
	}, s)
}

func usernameRunesAllowed(s string) bool {
	runes := []rune(s)
	alnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	if !alnum(runes[0]) || !alnum(runes[len(runes)-1]) {
		return false
	}
	for i, r := range runes {
		switch {
		case alnum(r), r == '.', r == '_', r == '-':
		case unicode.Is(unicode.M, r) && i > 0 && (unicode.IsLetter(runes[i-1]) || unicode.Is(unicode.M, runes[i-1])):
		default:
			return false
		}
	}
	return true
}
