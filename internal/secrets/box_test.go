package secrets

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func newTestBox(t *testing.T) *Box {
	t.Helper()
	key, err := NewKey()
	if err != nil {
		t.Fatalf("NewKey: %v", err)
	}
	box, err := NewBox(key)
	if err != nil {
		t.Fatalf("NewBox: %v", err)
	}
	return box
}

func TestNewBoxRejectsWrongKeySize(t *testing.T) {
	for _, size := range []int{0, 16, 24, 31, 33, 64} {
		if _, err := NewBox(make([]byte, size)); err == nil {
			t.Errorf("NewBox accepted a %d-byte key", size)
		}
	}
}

func TestKeyID(t *testing.T) {
	key := bytes.Repeat([]byte{7}, KeySize)
	a, _ := NewBox(key)
	b, _ := NewBox(bytes.Clone(key))
	other := newTestBox(t)
	if len(a.KeyID()) != 8 || !isKeyID(a.KeyID()) {
		t.Fatalf("KeyID = %q, want 8 lowercase hex characters", a.KeyID())
	}
	if a.KeyID() != b.KeyID() {
		t.Errorf("same key gave ids %q and %q", a.KeyID(), b.KeyID())
	}
	if a.KeyID() == other.KeyID() {
		t.Errorf("different keys share id %q", a.KeyID())
	}
	// Pinned so a change to the derivation (which would strand every stored value) is noticed.
	if got, want := a.KeyID(), keyID(key); got != want {
		t.Errorf("KeyID = %q, want %q", got, want)
	}
}

func TestSealOpenRoundTrip(t *testing.T) {
	box := newTestBox(t)
	tests := []struct {
		name      string
		plaintext []byte
		ad        []byte
	}{
		{"totp secret", []byte("JBSWY3DPEHPK3PXP"), []byte("totp:member:42")},
		{"empty plaintext", nil, []byte("x")},
		{"no associated data", []byte("secret"), nil},
		{"binary", []byte{0, 1, 2, 255, 254}, []byte{0}},
		{"large", bytes.Repeat([]byte("a"), 1<<16), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := box.Seal(tt.plaintext, tt.ad)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if want := "v1:" + box.KeyID() + ":"; !strings.HasPrefix(sealed, want) {
				t.Errorf("sealed = %q, want prefix %q", sealed, want)
			}
			payload := sealed[len("v1:")+8+1:]
			if _, err := base64.RawURLEncoding.Strict().DecodeString(payload); err != nil {
				t.Errorf("payload is not unpadded base64url: %v", err)
			}
			if len(tt.plaintext) > 0 && strings.Contains(sealed, string(tt.plaintext)) {
				t.Errorf("sealed value contains the plaintext")
			}
			got, err := box.Open(sealed, tt.ad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open = %q, want %q", got, tt.plaintext)
			}
		})
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	box := newTestBox(t)
	a, _ := box.Seal([]byte("same"), nil)
	b, _ := box.Seal([]byte("same"), nil)
	if a == b {
		t.Error("sealing the same plaintext twice gave the same value")
	}
}

func TestOpenErrors(t *testing.T) {
	box := newTestBox(t)
	otherBox := newTestBox(t)
	ad := []byte("totp:member:42")
	sealed, err := box.Seal([]byte("JBSWY3DPEHPK3PXP"), ad)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	header, payload := sealed[:len("v1:")+8+1], sealed[len("v1:")+8+1:]
	raw, _ := base64.RawURLEncoding.DecodeString(payload)
	flip := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return header + base64.RawURLEncoding.EncodeToString(b)
	}

	tests := []struct {
		name   string
		box    *Box
		sealed string
		ad     []byte
		want   error
	}{
		{"wrong key", otherBox, sealed, ad, ErrWrongKey},
		{"associated data mismatch", box, sealed, []byte("totp:member:43"), ErrCorrupt},
		{"associated data missing", box, sealed, nil, ErrCorrupt},
		{"nonce tampered", box, flip(0), ad, ErrCorrupt},
		{"ciphertext tampered", box, flip(nonceSize), ad, ErrCorrupt},
		{"tag tampered", box, flip(len(raw) - 1), ad, ErrCorrupt},
		{"truncated", box, header + base64.RawURLEncoding.EncodeToString(raw[:len(raw)-1]), ad, ErrCorrupt},
		{"too short", box, header + base64.RawURLEncoding.EncodeToString(raw[:nonceSize+15]), ad, ErrCorrupt},
		{"padded base64", box, sealed + "==", ad, ErrCorrupt},
		{"not base64", box, header + "!!!", ad, ErrCorrupt},
		{"unknown version", box, "v2" + sealed[2:], ad, ErrCorrupt},
		{"no version", box, sealed[3:], ad, ErrCorrupt},
		{"malformed key id", box, "v1:XYZ:" + payload, ad, ErrCorrupt},
		{"empty", box, "", ad, ErrCorrupt},
		{"plaintext", box, "JBSWY3DPEHPK3PXP", ad, ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.sealed, tt.ad)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Open error = %v, want %v", err, tt.want)
			}
			if got != nil {
				t.Errorf("Open returned %q with an error", got)
			}
			if strings.Contains(err.Error(), "JBSWY3DPEHPK3PXP") {
				t.Errorf("error leaks the plaintext: %v", err)
			}
		})
	}
}

func TestCheckValue(t *testing.T) {
	box := newTestBox(t)
	check, err := box.CheckValue()
	if err != nil {
		t.Fatalf("CheckValue: %v", err)
	}
	if err := box.VerifyCheckValue(check); err != nil {
		t.Errorf("VerifyCheckValue with the right key: %v", err)
	}
	if plaintext, err := box.Open(check, []byte("key-check")); err != nil || string(plaintext) != CheckPlaintext {
		t.Errorf("check value opens to %q, %v; want %q", plaintext, err, CheckPlaintext)
	}

	err = newTestBox(t).VerifyCheckValue(check)
	if !errors.Is(err, ErrWrongKey) {
		t.Errorf("VerifyCheckValue with another key = %v, want ErrWrongKey", err)
	}
	if err != nil && !strings.Contains(err.Error(), "not the key this database was encrypted with") {
		t.Errorf("wrong-key message is not clear: %v", err)
	}

	damaged := check[:len(check)-2] + "AA"
	if damaged == check {
		damaged = check[:len(check)-2] + "BB"
	}
	if err := box.VerifyCheckValue(damaged); !errors.Is(err, ErrCorrupt) {
		t.Errorf("VerifyCheckValue with a damaged value = %v, want ErrCorrupt", err)
	}

	other, _ := box.Seal([]byte("something else"), []byte("key-check"))
	if err := box.VerifyCheckValue(other); !errors.Is(err, ErrCorrupt) {
		t.Errorf("VerifyCheckValue with other content = %v, want ErrCorrupt", err)
	}
	sameTextOtherPurpose, _ := box.Seal([]byte(CheckPlaintext), []byte("totp"))
	if err := box.VerifyCheckValue(sameTextOtherPurpose); !errors.Is(err, ErrCorrupt) {
		t.Errorf("VerifyCheckValue with other associated data = %v, want ErrCorrupt", err)
	}
}

func TestNewKeyAndEncoding(t *testing.T) {
	a, err := NewKey()
	if err != nil {
		t.Fatalf("NewKey: %v", err)
	}
	b, _ := NewKey()
	if len(a) != KeySize || bytes.Equal(a, b) {
		t.Fatalf("NewKey gave %d bytes, repeated: %v", len(a), bytes.Equal(a, b))
	}
	encoded := EncodeKey(a)
	if want := base64.StdEncoding.EncodeToString(a); encoded != want {
		t.Errorf("EncodeKey = %q, want %q", encoded, want)
	}
	for _, text := range []string{
		encoded,
		" " + encoded + "\n",
		base64.RawStdEncoding.EncodeToString(a),
		base64.URLEncoding.EncodeToString(a),
		base64.RawURLEncoding.EncodeToString(a),
	} {
		got, err := DecodeKey(text)
		if err != nil || !bytes.Equal(got, a) {
			t.Errorf("DecodeKey(%q) = %x, %v; want %x", text, got, err, a)
		}
	}
	for _, text := range []string{"", "abc", base64.StdEncoding.EncodeToString(a[:16]), "%%%%"} {
		if _, err := DecodeKey(text); err == nil || !strings.Contains(err.Error(), "expected 32 bytes, base64") {
			t.Errorf("DecodeKey(%q) error = %v, want one saying what is expected", text, err)
		}
	}
}
