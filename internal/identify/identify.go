// Package identify looks for details in a member's text that may identify the
// author or someone else: phone numbers, e-mail addresses, street addresses,
// links to social-media profiles, IBANs, licence plates, and the words and
// phrases administrators list. It serves the protective hold (issue 5, item 6):
// the stalker the members hide from reads what they post, so Hearth warns before
// such a detail is published.
//
// The detector is deliberately conservative: a warning that fires on dates,
// prices or ordinary counts teaches members to ignore it, so every finder
// prefers to miss an unusual format rather than flag ordinary writing.
package identify

import (
	"slices"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Kinds of finding.
const (
	KindPhone   = "phone"
	KindEmail   = "email"
	KindAddress = "address"
	KindSocial  = "social"
	KindIBAN    = "iban"
	KindPlate   = "plate"
	KindWord    = "word"
)

// Actions an administrator's word rule may carry.
const (
	ActionBlock = "block"
	ActionHold  = "hold"
)

// Finding is one detail that may identify someone. Text is the matched text as
// written; Start and End are byte offsets into the text given to Find, so
// Text == text[Start:End].
type Finding struct {
	Kind, Text string
	Start, End int
	// Action is the rule's action for KindWord ("block" or "hold"), else "".
	Action string
}

// WordRule is an administrator's word or phrase with its action, "block" or
// "hold". Any other action is treated as "hold": an unknown setting must never
// let a listed word through unnoticed.
type WordRule struct{ Phrase, Action string }

// Detector finds identifying details. It holds only read-only state, so it is
// safe for concurrent use; build it once at start.
type Detector struct {
	regions []string
}

// defaultRegions are tried when New receives no usable region: Hearth's first
// audience writes German, Austrian and Swiss numbers, and a detector that
// silently finds no phone numbers would be worse than a guess.
var defaultRegions = []string{"DE", "AT", "CH"}

// New builds a Detector that reads national phone numbers as belonging to each
// of regions in turn (ISO 3166 codes such as "DE", "AT", "CH"); numbers written
// with "+" or an international prefix are parsed internationally. Unknown
// region codes are ignored.
func New(regions []string) *Detector {
	supported := phonenumbers.GetSupportedRegions()
	var use []string
	for _, r := range regions {
		r = strings.ToUpper(strings.TrimSpace(r))
		if supported[r] && !slices.Contains(use, r) {
			use = append(use, r)
		}
	}
	if len(use) == 0 {
		use = slices.Clone(defaultRegions)
	}
	return &Detector{regions: use}
}

// Find returns the identifying details in text and the matches of words,
// ordered by Start and never overlapping. Where a word rule and a detail
// overlap, the word rule wins (its action decides what happens to the post);
// among details, the earlier and then the longer match wins.
func (d *Detector) Find(text string, words []WordRule) []Finding {
	found := findWords(text, words)
	lower := asciiLower(text)

	// Links are found first so that numbers and names inside an ordinary URL
	// (an article id, a path) are not mistaken for phone numbers or addresses.
	social, links := findLinks(text, lower)
	ibans, lookalikes := findIBANs(text)
	var details []Finding
	details = append(details, social...)
	details = append(details, findEmails(text, lower)...)
	details = append(details, ibans...)
	details = append(details, d.findPhones(text)...)
	details = append(details, findAddresses(text, lower)...)
	details = append(details, findPlates(text)...)
	details = slices.DeleteFunc(details, func(f Finding) bool {
		return f.Kind != KindSocial && f.Kind != KindEmail && insideAny(f, links) || insideAny(f, lookalikes)
	})

	found = append(found, pickNonOverlapping(details, found)...)
	slices.SortFunc(found, func(a, b Finding) int { return a.Start - b.Start })
	return found
}

// span is a byte range [start, end) in the text.
type span struct{ start, end int }

// insideAny reports whether f lies within one of spans.
func insideAny(f Finding, spans []span) bool {
	for _, s := range spans {
		if f.Start >= s.start && f.End <= s.end {
			return true
		}
	}
	return false
}

// pickNonOverlapping keeps the candidates that overlap nothing already taken,
// preferring the earlier and then the longer one.
func pickNonOverlapping(candidates, taken []Finding) []Finding {
	slices.SortStableFunc(candidates, func(a, b Finding) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return (b.End - b.Start) - (a.End - a.Start)
	})
	var kept []Finding
	for _, c := range candidates {
		if overlapsAny(c, taken) || overlapsAny(c, kept) {
			continue
		}
		kept = append(kept, c)
	}
	return kept
}

// overlapsAny reports whether f shares a byte with any of others.
func overlapsAny(f Finding, others []Finding) bool {
	for _, o := range others {
		if f.Start < o.End && o.Start < f.End {
			return true
		}
	}
	return false
}

// asciiLower lower-cases ASCII letters only, so byte offsets in the result
// are those of text; it serves the cheap checks that spare a regular
// expression a scan of text that cannot match.
func asciiLower(text string) string {
	b := []byte(text)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// containsAny reports whether s contains one of subs.
func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// finding builds a Finding of kind for text[start:end].
func finding(kind, text string, start, end int) Finding {
	return Finding{Kind: kind, Text: text[start:end], Start: start, End: end}
}
