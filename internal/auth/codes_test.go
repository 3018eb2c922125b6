package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"testing"
)

// ASVS 6.5.3: recovery codes come from the CSPRNG, 60 bits each.
func TestNewRecoveryCodes(t *testing.T) {
	codes, err := NewRecoveryCodes(10)
	if err != nil {
		t.Fatal(err)
	}
	shape := regexp.MustCompile(`^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$`)
	seen := map[string]bool{}
	for _, c := range codes {
		if !shape.MatchString(c) {
			t.Errorf("code %q has the wrong shape", c)
		}
		if seen[c] {
			t.Errorf("duplicate code %q", c)
		}
		seen[c] = true
		if !LooksLikeRecoveryCode(c) {
			t.Errorf("LooksLikeRecoveryCode(%q) = false", c)
		}
	}
	if len(codes) != 10 {
		t.Errorf("got %d codes", len(codes))
	}
	if _, err := NewRecoveryCodes(0); err == nil {
		t.Error("NewRecoveryCodes(0): no error")
	}
}

func TestNormalizeRecoveryCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"7k2m-q9xd-4hpt", "7k2mq9xd4hpt"},
		{" 7K2M Q9XD 4HPT ", "7k2mq9xd4hpt"},
		{"7k2m-q9xd-4hpO", "7k2mq9xd4hp0"},
		{"Il1i", "1111"},
	}
	for _, tt := range tests {
		if got := NormalizeRecoveryCode(tt.in); got != tt.want {
			t.Errorf("NormalizeRecoveryCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLooksLikeRecoveryCode(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"7k2m-q9xd-4hpt", true},
		{"7K2M Q9XD 4HPT", true},
		{"123456", false},
		{"123 456", false},
		{"7k2m-q9xd-4hp", false},
		{"7k2m-q9xd-4hptt", false},
		{"7k2m-q9xd-4hp!", false},
		{"7k2m-q9xd-4hpu", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := LooksLikeRecoveryCode(tt.in); got != tt.want {
			t.Errorf("LooksLikeRecoveryCode(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

// ASVS 6.5.2: recovery codes are stored hashed with a per-code salt.
func TestHashRecoveryCode(t *testing.T) {
	code := "7k2m-q9xd-4hpt"
	a, err := HashRecoveryCode(code)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := HashRecoveryCode(code)
	if a == b {
		t.Error("two hashes of one code are equal: not salted")
	}
	if strings.Contains(a, code) || strings.Contains(a, "7k2mq9xd4hpt") {
		t.Errorf("stored %q contains the code", a)
	}
	parts := strings.Split(a, "$")
	if len(parts) != 3 || parts[0] != "sha256" {
		t.Fatalf("stored %q: want sha256$salt$hash", a)
	}
	salt, _ := base64.RawStdEncoding.DecodeString(parts[1])
	sum := sha256.Sum256(append(salt, "7k2mq9xd4hpt"...))
	if parts[2] != base64.RawStdEncoding.EncodeToString(sum[:]) {
		t.Error("hash is not SHA-256(salt || normalized code)")
	}
	tests := []struct {
		name   string
		code   string
		stored string
		want   bool
	}{
		{name: "exact", code: code, stored: a, want: true},
		{name: "other salt", code: code, stored: b, want: true},
		{name: "upper case and spaces", code: "7K2M Q9XD 4HPT", stored: a, want: true},
		{name: "wrong code", code: "7k2m-q9xd-4hpv", stored: a},
		{name: "empty stored", code: code, stored: ""},
		{name: "wrong prefix", code: code, stored: strings.Replace(a, "sha256", "md5", 1)},
		{name: "bad base64", code: code, stored: "sha256$!!$!!"},
		{name: "short hash", code: code, stored: parts[0] + "$" + parts[1] + "$" + parts[2][:10]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := VerifyRecoveryCode(tt.code, tt.stored); got != tt.want {
				t.Errorf("VerifyRecoveryCode = %v, want %v", got, tt.want)
			}
		})
	}
}

// ASVS 7.2.3: session tokens carry 256 bits from the CSPRNG; only their
// SHA-256 is stored.
func TestNewToken(t *testing.T) {
	tok, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) != 32 {
		t.Fatalf("token %q: %d bytes, %v; want 32 bytes of base64url", tok, len(raw), err)
	}
	want := sha256.Sum256([]byte(tok))
	if !bytes.Equal(hash, want[:]) || !bytes.Equal(HashToken(tok), want[:]) {
		t.Error("hash is not SHA-256(token)")
	}
	tok2, _, _ := NewToken()
	if tok == tok2 {
		t.Error("two tokens are equal")
	}
}
