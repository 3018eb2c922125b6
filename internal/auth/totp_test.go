package auth

import (
	"bytes"
	"encoding/base32"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// RFC 6238 appendix B test key for SHA-1.
var rfcSecret = []byte("12345678901234567890")

func TestTOTPCodeRFC6238(t *testing.T) {
	tests := []struct {
		unix int64
		want string
	}{
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"},
	}
	for _, tt := range tests {
		if got := TOTPCode(rfcSecret, time.Unix(tt.unix, 0)); got != tt.want {
			t.Errorf("TOTPCode(%d) = %q, want %q", tt.unix, got, tt.want)
		}
	}
}

// ASVS 6.5.3: secrets come from the CSPRNG and are 160 bits.
func TestNewTOTPSecret(t *testing.T) {
	a, err := NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewTOTPSecret()
	if len(a) != 20 || bytes.Equal(a, b) {
		t.Errorf("secrets %x and %x: want 20 distinct random bytes", a, b)
	}
}

// ASVS 6.5.5 and 6.5.8: a code is accepted only within one 30 s step either
// side of the server's clock.
func TestMatchTOTPWindow(t *testing.T) {
	const step = int64(1111111111 / 30) // 37037037
	stepStart := time.Unix(step*30, 0)
	code := TOTPCode(rfcSecret, stepStart)
	tests := []struct {
		name   string
		now    time.Time
		wantOK bool
	}{
		{name: "same step start", now: stepStart, wantOK: true},
		{name: "same step end", now: stepStart.Add(29 * time.Second), wantOK: true},
		{name: "next step end", now: stepStart.Add(59 * time.Second), wantOK: true},
		{name: "two steps later", now: stepStart.Add(60 * time.Second)},
		{name: "previous step start", now: stepStart.Add(-30 * time.Second), wantOK: true},
		{name: "two steps earlier", now: stepStart.Add(-31 * time.Second)},
		{name: "an hour later", now: stepStart.Add(time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := MatchTOTP(rfcSecret, code, tt.now)
			if ok != tt.wantOK {
				t.Fatalf("MatchTOTP ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && got != step {
				t.Errorf("step = %d, want the code's step %d", got, step)
			}
		})
	}
}

func TestMatchTOTPInput(t *testing.T) {
	now := time.Unix(1234567890, 0)
	code := TOTPCode(rfcSecret, now) // "005924"
	tests := []struct {
		name   string
		code   string
		wantOK bool
	}{
		{name: "plain", code: code, wantOK: true},
		{name: "spaces", code: " 005 924 ", wantOK: true},
		{name: "hyphen", code: "005-924", wantOK: true},
		{name: "wrong code", code: "005925"},
		{name: "five digits", code: "05924"},
		{name: "seven digits", code: "0059240"},
		{name: "letters", code: "00592a"},
		{name: "fullwidth digits", code: "００５９２４"},
		{name: "empty", code: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, ok := MatchTOTP(rfcSecret, tt.code, now); ok != tt.wantOK {
				t.Errorf("MatchTOTP(%q) ok = %v, want %v", tt.code, ok, tt.wantOK)
			}
		})
	}
	if _, ok := MatchTOTP(nil, code, now); ok {
		t.Error("MatchTOTP with an empty secret matched")
	}
}

// ASVS 6.5.1: replay is refused by the caller storing the returned step; a
// code used in step s yields s again, so "only a later step" refuses it.
func TestMatchTOTPReplayNeedsLaterStep(t *testing.T) {
	now := time.Unix(1234567890, 0)
	code := TOTPCode(rfcSecret, now)
	first, ok1 := MatchTOTP(rfcSecret, code, now)
	again, ok2 := MatchTOTP(rfcSecret, code, now.Add(30*time.Second))
	if !ok1 || !ok2 || again != first {
		t.Errorf("steps %d (%v), %d (%v): want equal, so the caller refuses the replay", first, ok1, again, ok2)
	}
}

func TestTOTPURI(t *testing.T) {
	uri := TOTPURI(rfcSecret, "Hearth Forum", "anna:k")
	u, err := url.Parse(uri)
	if err != nil {
		t.Fatal(err)
	}
	if u.Scheme != "otpauth" || u.Host != "totp" {
		t.Errorf("uri %q: scheme/host", uri)
	}
	if u.Path != "/Hearth Forum:anna:k" || !strings.Contains(uri, "/Hearth%20Forum:anna%3Ak?") {
		t.Errorf("uri %q: label", uri)
	}
	q := u.Query()
	want := map[string]string{
		"secret": "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "issuer": "Hearth Forum",
		"algorithm": "SHA1", "digits": "6", "period": "30",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
}

func TestFormatSecret(t *testing.T) {
	got := FormatSecret(rfcSecret)
	if got != "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ" {
		t.Errorf("FormatSecret = %q", got)
	}
	if !regexp.MustCompile(`^([A-Z2-7]{4} )*[A-Z2-7]{1,4}$`).MatchString(FormatSecret([]byte{1, 2, 3})) {
		t.Errorf("FormatSecret short = %q", FormatSecret([]byte{1, 2, 3}))
	}
	decoded, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ReplaceAll(got, " ", ""))
	if err != nil || !bytes.Equal(decoded, rfcSecret) {
		t.Errorf("round trip: %x, %v", decoded, err)
	}
}
