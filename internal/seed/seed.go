// Package seed fills a database with a realistic, deterministic forum for
// benchmarks: members, groups, topics with a skewed number of replies (one
// with thousands), Markdown posts and reactions. Seeded data is for
// benchmarks only: every seeded member shares one known password and has a
// TOTP secret anyone can derive from the seed number.
package seed

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// Password is every seeded member's password. It is public on purpose: the
// load benchmark signs members in with it.
const Password = "hearth benchmark password, never for real accounts"

// UsernamePrefix marks seeded accounts; the seeder refuses to run beside any
// account without it unless forced.
const UsernamePrefix = "seed-"

// AuditAction is the audit-log entry that records a seeding and its options,
// so the benchmark knows the seed number and sizes.
const AuditAction = "seed.created"

// Options are the sizes and the seed number of a seeded forum.
type Options struct {
	Seed    int64
	Members int
	Groups  int
	Topics  int
	Posts   int
}

// Defaults returns the default sizes: the forum on PostgreSQL, a
// twentieth of it on SQLite (whose single writer and FTS triggers make the
// full size take far longer than a benchmark run is worth).
func Defaults(postgres bool) Options {
	o := Options{Seed: 1, Members: 1000, Groups: 30, Topics: 20000, Posts: 500000}
	if !postgres {
		o.Members, o.Topics, o.Posts = 200, 1000, 25000
	}
	return o
}

// LongTopicPosts is the length of the longest seeded topic (5,000 replies
// after the opening post), when Posts allows it.
const LongTopicPosts = 5001

// FiftyReplyPosts is the length of the topic the benchmark reads as "a topic
// page with 50 replies".
const FiftyReplyPosts = 51

// Check reports options that cannot make a forum.
func (o Options) Check() error {
	switch {
	case o.Members < 1 || o.Members > 1_000_000:
		return errors.New("--members must be between 1 and 1000000")
	case o.Groups < 1 || o.Groups > 10_000:
		return errors.New("--groups must be between 1 and 10000")
	case o.Topics < 1:
		return errors.New("--topics must be at least 1")
	case o.Posts < o.Topics:
		return errors.New("--posts must be at least --topics (every topic has an opening post)")
	case o.Posts > 50_000_000:
		return errors.New("--posts must be at most 50000000")
	}
	return nil
}

// String is the form recorded in the audit log and parsed by Parse.
func (o Options) String() string {
	return fmt.Sprintf("seed=%d members=%d groups=%d topics=%d posts=%d", o.Seed, o.Members, o.Groups, o.Topics, o.Posts)
}

// Parse reads what String wrote.
func Parse(s string) (Options, error) {
	var o Options
	fields := map[string]*int64{}
	var members, groups, topics, posts int64
	fields["seed"], fields["members"], fields["groups"], fields["topics"], fields["posts"] = &o.Seed, &members, &groups, &topics, &posts
	for _, part := range strings.Fields(s) {
		k, v, ok := strings.Cut(part, "=")
		p, known := fields[k]
		if !ok || !known {
			return o, fmt.Errorf("seed: bad record %q", s)
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return o, fmt.Errorf("seed: bad record %q", s)
		}
		*p = n
	}
	o.Members, o.Groups, o.Topics, o.Posts = int(members), int(groups), int(topics), int(posts)
	return o, o.Check()
}

// Username is the name of seeded member i (1-based).
func Username(i int) string { return fmt.Sprintf("%s%05d", UsernamePrefix, i) }

// GroupSlug is the address of seeded group i (1-based). Group 1 holds every
// member, so that the benchmark's readers can all read it.
func GroupSlug(i int) string { return fmt.Sprintf("seed-group-%02d", i) }

// TOTPSecret is the TOTP secret of a seeded member: derived from the seed
// number, so the benchmark can compute codes without reading the database.
func TOTPSecret(seed int64, username string) []byte {
	mac := hmac.New(sha256.New, []byte("hearth seed totp "+strconv.FormatInt(seed, 10)))
	mac.Write([]byte(username))
	return mac.Sum(nil)[:20]
}

// Epoch is when the seeded forum's history begins and End when it ends,
// fixed so that two runs with one seed number write the same rows. End is
// in the past: a post dated in the future would count against its author's
// posting limit (posts of the last minute) for months.
var (
	Epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	End   = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
)

// Rand returns the generator for one purpose, so that changing one part of
// the generator does not reshuffle the rest. Seeded data must be the same
// for the same seed number, so this is math/rand on purpose: nothing seeded
// is a secret (the benchmark's accounts are documented as such).
func Rand(seed int64, purpose uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), purpose)) // #nosec G404 G115 -- deterministic test data, not secrets; any int64 seed is fine
}

// TopicSizes returns the number of posts of each topic: the long topic
// first (5,001 posts when the total allows), then a few of thousands and
// the 51-post topic, then a skewed spread where most topics are short.
// The sizes sum to o.Posts and each is at least 1.
func TopicSizes(o Options) []int {
	sizes := make([]int, o.Topics)
	for i := range sizes {
		sizes[i] = 1
	}
	left := o.Posts - o.Topics
	special := []int{LongTopicPosts, FiftyReplyPosts, 3000, 2000, 1500, 1000}
	if o.Topics <= len(special) {
		sizes[0] += left
		return sizes
	}
	for i, want := range special {
		add := min(want-1, left)
		sizes[i] += add
		left -= add
	}
	rest := o.Topics - len(special)
	r := Rand(o.Seed, 1)
	weights := make([]float64, rest)
	var sum float64
	for i := range weights {
		// A heavy tail: most topics get a handful of replies, a few get
		// hundreds.
		e := r.ExpFloat64()
		weights[i] = e*e*e + 0.02
		sum += weights[i]
	}
	given := 0
	for i, w := range weights {
		n := int(float64(left) * w / sum)
		sizes[len(special)+i] += n
		given += n
	}
	for i := 0; given < left; i++ {
		sizes[len(special)+i%rest]++
		given++
	}
	return sizes
}
