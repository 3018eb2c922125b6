package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestHashPasswordFormat(t *testing.T) {
	h, err := HashPassword("correct horse battery staple", TestParams())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q lacks the PHC prefix", h)
	}
	parts := strings.Split(h, "$")
	if len(parts) != 6 || strings.Contains(parts[4]+parts[5], "=") {
		t.Errorf("hash %q: want 6 fields and unpadded base64", h)
	}
	h2, _ := HashPassword("correct horse battery staple", TestParams())
	if h == h2 {
		t.Error("two hashes of one password are equal: salt not random")
	}
}

func TestDefaultParamsRoundTrip(t *testing.T) {
	p := DefaultParams()
	if p.Memory != 19456 || p.Iterations != 2 || p.Parallelism != 1 || p.SaltLen != 16 || p.KeyLen != 32 {
		t.Fatalf("DefaultParams() = %+v", p)
	}
	h, err := HashPassword("a long enough passphrase", p)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	ok, rehash, err := VerifyPassword("a long enough passphrase", h, p)
	if !ok || rehash || err != nil {
		t.Errorf("VerifyPassword = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
}

func TestVerifyPassword(t *testing.T) {
	stored, err := HashPassword("Tr0ub4dour&3 and more", TestParams())
	if err != nil {
		t.Fatal(err)
	}
	stronger := TestParams()
	stronger.Iterations = 2
	tests := []struct {
		name       string
		password   string
		encoded    string
		current    Params
		wantOK     bool
		wantRehash bool
		wantErr    bool
	}{
		{name: "match", password: "Tr0ub4dour&3 and more", encoded: stored, current: TestParams(), wantOK: true},
		// ASVS 6.2.8: verified exactly as received; no case folding.
		{name: "case differs", password: "tr0ub4dour&3 and more", encoded: stored, current: TestParams()},
		{name: "truncated", password: "Tr0ub4dour&3 and mor", encoded: stored, current: TestParams()},
		{name: "match with old params", password: "Tr0ub4dour&3 and more", encoded: stored, current: stronger, wantOK: true, wantRehash: true},
		{name: "wrong password old params", password: "nope nope nope", encoded: stored, current: stronger},
		{name: "empty", encoded: "", current: TestParams(), wantErr: true},
		{name: "bcrypt", encoded: "$2a$10$abcdefghijklmnopqrstuu", current: TestParams(), wantErr: true},
		{name: "argon2i", encoded: strings.Replace(stored, "argon2id", "argon2i", 1), current: TestParams(), wantErr: true},
		{name: "wrong version", encoded: strings.Replace(stored, "v=19", "v=16", 1), current: TestParams(), wantErr: true},
		{name: "huge memory", encoded: strings.Replace(stored, "m=64", "m=99999999", 1), current: TestParams(), wantErr: true},
		{name: "zero parallelism", encoded: strings.Replace(stored, "p=1", "p=0", 1), current: TestParams(), wantErr: true},
		{name: "bad salt", encoded: strings.Replace(stored, "$argon2id$v=19$m=64,t=1,p=1$", "$argon2id$v=19$m=64,t=1,p=1$!", 1), current: TestParams(), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := VerifyPassword(tt.password, tt.encoded, tt.current)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrMalformedHash) {
				t.Errorf("err = %v, want ErrMalformedHash", err)
			}
			if ok != tt.wantOK || rehash != tt.wantRehash {
				t.Errorf("ok, rehash = %v, %v; want %v, %v", ok, rehash, tt.wantOK, tt.wantRehash)
			}
		})
	}
}

func TestHashPasswordRejectsBadParams(t *testing.T) {
	for _, p := range []Params{
		{},
		{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 4, KeyLen: 32},
		{Memory: 64, Iterations: 0, Parallelism: 1, SaltLen: 16, KeyLen: 32},
	} {
		if _, err := HashPassword("x", p); err == nil {
			t.Errorf("HashPassword with %+v: no error", p)
		}
	}
}

// ASVS 6.3.8: an unknown username is checked against a dummy hash of the same
// cost, so the work (and timing) matches a known one.
func TestDummyHash(t *testing.T) {
	d := DummyHash(TestParams())
	ok, _, err := VerifyPassword("any guess at all", d, TestParams())
	if ok || err != nil {
		t.Errorf("VerifyPassword(dummy) = %v, %v; want false, nil", ok, err)
	}
	real, _ := HashPassword("any guess at all", TestParams())
	if !strings.HasPrefix(d, "$argon2id$v=19$m=64,t=1,p=1$") || len(real) != len(d) {
		t.Errorf("dummy %q and real %q differ in shape", d, real)
	}
}
