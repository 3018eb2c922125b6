package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckPassword(t *testing.T) {
	passphrase64 := "the kettle sings at dawn while seven herons cross the quiet lake"
	if n := len([]rune(passphrase64)); n != 64 {
		t.Fatalf("passphrase has %d runes", n)
	}
	tests := []struct {
		name       string
		raw        string
		want       string
		wantReason string
	}{
		// ASVS 6.2.1: at least 10 characters (9 refused, 10 accepted).
		{name: "9 runes", raw: "kq7#vmz2p", wantReason: PasswordTooShort},
		{name: "10 runes", raw: "kq7#vmz2pw", want: "kq7#vmz2pw"},
		{name: "10 runes non ascii", raw: "ключ-зимой", want: "ключ-зимой"},
		{name: "empty", raw: "", wantReason: PasswordTooShort},
		// ASVS 6.2.9: 64 characters and more are allowed (Hearth: 256).
		{name: "64 char passphrase", raw: passphrase64, want: passphrase64},
		{name: "256 runes", raw: strings.Repeat("ab", 128), want: strings.Repeat("ab", 128)},
		{name: "257 runes", raw: strings.Repeat("ab", 128) + "c", wantReason: PasswordTooLong},
		{name: "megabyte", raw: strings.Repeat("x", 1<<20), wantReason: PasswordTooLong},
		// ASVS 6.2.4: common passwords refused, case-insensitively.
		{name: "common", raw: "password123", wantReason: PasswordCommon},
		{name: "common upper", raw: "PASSWORD123", wantReason: PasswordCommon},
		{name: "common qwerty", raw: "qwertyuiop", wantReason: PasswordCommon},
		{name: "common digits", raw: "1234567890", wantReason: PasswordCommon},
		// ASVS 6.2.5: no composition rules: lower-case letters only is fine.
		{name: "no composition rules", raw: "purple otters nap", want: "purple otters nap"},
		// ASVS 6.2.8: verified as received: case and width kept, no truncation.
		{name: "case kept", raw: "Purple Otters NAP", want: "Purple Otters NAP"},
		{name: "fullwidth kept", raw: "ｐｕｒｐｌｅ ｏｔｔｅｒｓ", want: "ｐｕｒｐｌｅ ｏｔｔｅｒｓ"},
		{name: "leading and trailing spaces kept", raw: " purple otters ", want: " purple otters "},
		{name: "non-ascii space mapped", raw: "purple\u00a0otters nap", want: "purple otters nap"},
		{name: "nfc", raw: "cafe\u0301 au lait!", want: "caf\u00e9 au lait!"},
		{name: "control char", raw: "purple\x00otters nap", wantReason: PasswordInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckPassword(tt.raw)
			if tt.wantReason != "" {
				var pe *PasswordError
				if !errors.As(err, &pe) || pe.Reason != tt.wantReason {
					t.Fatalf("err = %v, want reason %q", err, tt.wantReason)
				}
				return
			}
			if err != nil {
				t.Fatalf("CheckPassword: %v", err)
			}
			if got != tt.want {
				t.Errorf("CheckPassword = %q, want %q", got, tt.want)
			}
		})
	}
}

// ASVS 6.2.4: the embedded list holds at least 10,000 common passwords.
func TestCommonPasswordListSize(t *testing.T) {
	set := commonPasswords()
	if len(set) < 10000 {
		t.Errorf("common-password list has %d entries, want at least 10000", len(set))
	}
	for _, w := range []string{"123456", "password", "iloveyou", "password123"} {
		if _, ok := set[w]; !ok {
			t.Errorf("%q missing from the common-password list", w)
		}
	}
}

// ASVS 6.2.8: sign-in prepares the attempt the same way sign-up did, so the
// password verifies exactly as it was received.
func TestPreparePasswordMatchesCheckPassword(t *testing.T) {
	raw := "Cafe\u0301 Ｗｉｄｅ\u2003night"
	signUp, err := CheckPassword(raw)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := HashPassword(signUp, TestParams())
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		attempt string
		wantOK  bool
	}{
		{name: "same input", attempt: raw, wantOK: true},
		{name: "precomposed", attempt: "Caf\u00e9 Ｗｉｄｅ night", wantOK: true},
		{name: "lower case", attempt: strings.ToLower(raw)},
		{name: "narrow width", attempt: "Cafe\u0301 Wide\u2003night"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prepared, err := PreparePassword(tt.attempt)
			if err != nil {
				t.Fatal(err)
			}
			ok, _, err := VerifyPassword(prepared, stored, TestParams())
			if err != nil || ok != tt.wantOK {
				t.Errorf("VerifyPassword = %v, %v; want %v", ok, err, tt.wantOK)
			}
		})
	}
}
