package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters of a password hash.
type Params struct {
	Memory      uint32 // memory in KiB
	Iterations  uint32 // passes over the memory
	Parallelism uint8  // lanes (threads)
	SaltLen     uint32 // salt length in bytes
	KeyLen      uint32 // derived key length in bytes
}

// Bounds accepted when parsing a stored hash, so that a corrupted or planted
// row cannot make one verification allocate gigabytes or spin for minutes.
const (
	maxMemoryKiB  = 1 << 20 // 1 GiB
	maxIterations = 64
	minSaltLen    = 8
	maxSaltLen    = 64
	minKeyLen     = 16
	maxKeyLen     = 128
)

// ErrMalformedHash is returned when a stored password hash cannot be parsed.
var ErrMalformedHash = errors.New("auth: malformed password hash")

// DefaultParams returns the production cost: m=19456 KiB (19 MiB), t=2, p=1,
// a 16-byte salt and a 32-byte key, the OWASP argon2id baseline.
func DefaultParams() Params {
	return Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}
}

// TestParams returns deliberately cheap parameters (m=64 KiB, t=1) so test
// suites run fast. FOR TESTS ONLY: never configure a server with them.
func TestParams() Params {
	return Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}
}

func (p Params) validate() error {
	switch {
	case p.Parallelism < 1:
		return fmt.Errorf("auth: argon2id parallelism %d: must be at least 1", p.Parallelism)
	case p.Iterations < 1 || p.Iterations > maxIterations:
		return fmt.Errorf("auth: argon2id iterations %d: must be 1..%d", p.Iterations, maxIterations)
	case p.Memory < 8*uint32(p.Parallelism) || p.Memory > maxMemoryKiB:
		return fmt.Errorf("auth: argon2id memory %d KiB: must be %d..%d", p.Memory, 8*uint32(p.Parallelism), maxMemoryKiB)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("auth: argon2id salt length %d: must be %d..%d", p.SaltLen, minSaltLen, maxSaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("auth: argon2id key length %d: must be %d..%d", p.KeyLen, minKeyLen, maxKeyLen)
	}
	return nil
}

// HashPassword hashes password with argon2id and a fresh random salt, and
// returns the PHC string "$argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>" with raw
// (unpadded) standard base64. The password should be the string returned by
// CheckPassword (sign-up) or OpaqueString-prepared input (sign-in).
func HashPassword(password string, p Params) (string, error) {
	if err := p.validate(); err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	salt := make([]byte, p.SaltLen)
	_, _ = rand.Read(salt) // never fails: crypto/rand crashes the program instead
	key := argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Iterations, p.Parallelism,
		base64.RawStdEncoding.EncodeToString(salt),
		base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the stored PHC string
// encoded, comparing in constant time. needsRehash is true when the password
// matched but encoded was made with parameters other than current, so the
// caller should store HashPassword(password, current). err is non-nil only
// for a malformed or out-of-bounds stored hash (wrapping ErrMalformedHash).
func VerifyPassword(password, encoded string, current Params) (ok, needsRehash bool, err error) {
	stored, salt, key, err := parseHash(encoded)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, stored.Iterations, stored.Memory, stored.Parallelism, stored.KeyLen)
	ok = subtle.ConstantTimeCompare(got, key) == 1
	return ok, ok && stored != current, nil
}

// DummyHash returns a valid hash of a random password made with p. Compute it
// once at start-up and verify against it when a username is unknown, so that
// sign-in costs the same time whether or not the account exists (ASVS 6.3.8).
// It panics if p is invalid, which is a programming error.
func DummyHash(p Params) string {
	h, err := HashPassword(rand.Text(), p)
	if err != nil {
		panic(fmt.Sprintf("auth: dummy hash: %v", err))
	}
	return h
}

// parseHash splits a PHC argon2id string into its parameters, salt and key.
func parseHash(encoded string) (Params, []byte, []byte, error) {
	fail := func(what string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrMalformedHash, what)
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return fail("not an argon2id PHC string")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return fail("unsupported version " + strconv.Quote(parts[2]))
	}
	var p Params
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return fail("parameters")
	}
	for i, name := range []string{"m=", "t=", "p="} {
		v, found := strings.CutPrefix(fields[i], name)
		if !found {
			return fail("parameter " + name)
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return fail("parameter " + name)
		}
		switch i {
		case 0:
			p.Memory = uint32(n)
		case 1:
			p.Iterations = uint32(n)
		case 2:
			if n > 255 {
				return fail("parallelism")
			}
			p.Parallelism = uint8(n)
		}
	}
	salt, err := base64.RawStdEncoding.Strict().DecodeString(parts[4])
	if err != nil {
		return fail("salt encoding")
	}
	key, err := base64.RawStdEncoding.Strict().DecodeString(parts[5])
	if err != nil {
		return fail("hash encoding")
	}
	// The PHC string is bounded by the column; lengths beyond uint32 cannot
	// occur, and validate() refuses anything outside the sane range.
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key)) // #nosec G115 -- bounded above
	if err := p.validate(); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: %w", ErrMalformedHash, err)
	}
	return p, salt, key, nil
}
