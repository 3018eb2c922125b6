package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeUsername(t *testing.T) {
	tests := []struct {
		name          string
		raw           string
		wantCanonical string
		wantSkeleton  string
		wantReason    string
	}{
		{name: "plain", raw: "anna", wantCanonical: "anna", wantSkeleton: "anna"},
		{name: "case mapped", raw: "Anna", wantCanonical: "anna", wantSkeleton: "anna"},
		{name: "cyrillic A looks like Anna", raw: "Аnna", wantCanonical: "аnna", wantSkeleton: "anna"},
		{name: "fullwidth mapped", raw: "ＡＢＣ", wantCanonical: "abc", wantSkeleton: "abc"},
		{name: "separators", raw: "night.owl_42-b", wantCanonical: "night.owl_42-b", wantSkeleton: "night.owl_42-b"},
		{name: "non latin", raw: "Ünal", wantCanonical: "ünal"},
		{name: "three runes", raw: "abc", wantCanonical: "abc", wantSkeleton: "abc"},
		{name: "32 runes", raw: strings.Repeat("a", 32), wantCanonical: strings.Repeat("a", 32), wantSkeleton: strings.Repeat("a", 32)},
		{name: "empty", raw: "", wantReason: UsernameTooShort},
		{name: "blank", raw: "   ", wantReason: UsernameTooShort},
		{name: "two runes", raw: "ab", wantReason: UsernameTooShort},
		{name: "33 runes", raw: strings.Repeat("a", 33), wantReason: UsernameTooLong},
		{name: "very long", raw: strings.Repeat("a", 10000), wantReason: UsernameTooLong},
		{name: "space", raw: "anna k", wantReason: UsernameInvalidCharacters},
		{name: "punctuation", raw: "anna!", wantReason: UsernameInvalidCharacters},
		{name: "at sign", raw: "anna@home", wantReason: UsernameInvalidCharacters},
		{name: "leading dot", raw: ".anna", wantReason: UsernameInvalidCharacters},
		{name: "trailing hyphen", raw: "anna-", wantReason: UsernameInvalidCharacters},
		{name: "control", raw: "an\x00na", wantReason: UsernameInvalidCharacters},
		{name: "zero width joiner", raw: "an\u200dna", wantReason: UsernameInvalidCharacters},
		{name: "emoji", raw: "anna🙂x", wantReason: UsernameInvalidCharacters},
		{name: "reserved", raw: "admin", wantReason: UsernameReserved},
		{name: "reserved upper", raw: "ADMIN", wantReason: UsernameReserved},
		{name: "reserved cyrillic", raw: "аdmin", wantReason: UsernameReserved},
		{name: "reserved l for i", raw: "ADMlN", wantReason: UsernameReserved},
		{name: "reserved 1 for i", raw: "adm1n", wantReason: UsernameReserved},
		{name: "reserved separators", raw: "ad.min", wantReason: UsernameReserved},
		{name: "reserved former member", raw: "former_member", wantReason: UsernameReserved},
		{name: "reserved rn for m", raw: "rnoderator", wantReason: UsernameReserved},
		{name: "reserved zero for o", raw: "r00t", wantReason: UsernameReserved},
		{name: "reserved hearth", raw: "Hearth", wantReason: UsernameReserved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			canonical, skeleton, err := NormalizeUsername(tt.raw)
			if tt.wantReason != "" {
				var ue *UsernameError
				if !errors.As(err, &ue) || ue.Reason != tt.wantReason {
					t.Fatalf("NormalizeUsername(%q) err = %v, want reason %q", tt.raw, err, tt.wantReason)
				}
				return
			}
			if err != nil {
				t.Fatalf("NormalizeUsername(%q): %v", tt.raw, err)
			}
			if canonical != tt.wantCanonical {
				t.Errorf("canonical = %q, want %q", canonical, tt.wantCanonical)
			}
			if tt.wantSkeleton != "" && skeleton != tt.wantSkeleton {
				t.Errorf("skeleton = %q, want %q", skeleton, tt.wantSkeleton)
			}
		})
	}
}

func TestUsernameSkeletonCollisions(t *testing.T) {
	pairs := [][2]string{{"Anna", "Аnna"}, {"paypal", "pаypаl"}, {"bill", "bi11"}, {"corn", "com"}}
	for _, pair := range pairs {
		_, a, errA := NormalizeUsername(pair[0])
		_, b, errB := NormalizeUsername(pair[1])
		if errA != nil || errB != nil {
			t.Fatalf("%q/%q: %v, %v", pair[0], pair[1], errA, errB)
		}
		if a != b {
			t.Errorf("skeletons of %q (%q) and %q (%q) differ", pair[0], a, pair[1], b)
		}
	}
}
