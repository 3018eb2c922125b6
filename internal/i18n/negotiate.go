package i18n

import (
	"slices"
	"strings"

	"golang.org/x/text/language"
)

// Limits on what Negotiate reads, so that a huge header costs next to nothing.
const (
	maxCandidateLength = 4096
	maxCandidateTags   = 32
)

// Negotiate picks the language to show. Candidates are tried in order (for example the member's saved
// choice, a ?lang= value, a cookie, then the Accept-Language header), and the first one that matches a
// supported language wins. Each candidate may be a plain tag ("de") or a whole Accept-Language value
// with weights ("fr-CH, de-AT;q=0.8, en;q=0.5"), whose tags are tried from the highest weight down.
// A regional variant matches its base language (de-AT and de-CH give de). Empty, unparsable and
// unsupported candidates are skipped; when nothing matches, the result is the default language.
func (c *Catalog) Negotiate(candidates ...string) language.Tag {
	for _, candidate := range candidates {
		for _, tag := range parseCandidate(candidate) {
			if supported, ok := c.match(tag); ok {
				return supported
			}
		}
	}
	return c.defaultTag
}

// match returns the supported language that a reader of tag understands, if there is one.
func (c *Catalog) match(tag language.Tag) (language.Tag, bool) {
	if tag == language.Und {
		return language.Und, false
	}
	_, index, confidence := c.matcher.Match(tag)
	// High accepts regional variants (de-AT → de, en-GB → en) and rejects guesses such as a
	// related language, which Low and No would let through as the matcher's default.
	if confidence < language.High {
		return language.Und, false
	}
	return c.tags[index], true
}

// weightedTag is one language from an Accept-Language value with its quality weight.
type weightedTag struct {
	tag    language.Tag
	weight float32
}

// parseCandidate returns the tags of one candidate, highest weight first. Each comma-separated part
// is parsed on its own so that one bad part does not throw away the good ones.
func parseCandidate(candidate string) []language.Tag {
	if len(candidate) > maxCandidateLength {
		return nil
	}
	var parsed []weightedTag
	for part := range strings.SplitSeq(candidate, ",") {
		if len(parsed) >= maxCandidateTags {
			break
		}
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		tags, weights, err := language.ParseAcceptLanguage(part)
		if err != nil {
			continue
		}
		for i, tag := range tags {
			parsed = append(parsed, weightedTag{tag: tag, weight: weights[i]})
		}
	}
	// Stable: equal weights keep the order the person gave.
	slices.SortStableFunc(parsed, func(a, b weightedTag) int {
		switch {
		case a.weight > b.weight:
			return -1
		case a.weight < b.weight:
			return 1
		}
		return 0
	})
	tags := make([]language.Tag, len(parsed))
	for i, p := range parsed {
		tags[i] = p.tag
	}
	return tags
}
