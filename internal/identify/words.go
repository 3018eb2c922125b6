package identify

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// word is one run of letters, marks and digits in the text, with its folded
// form for comparison.
type word struct {
	start, end int
	folded     string
}

// isWordRune reports whether r belongs inside a word. Marks count, so a
// decomposed "u" + combining diaeresis stays one word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// fold makes the comparison form of a word: composed (NFC), case-folded, and
// with "ß" spelled "ss", so "Straße", "STRASSE" and "strasse" compare equal as
// Swiss and capitalised German writing expect.
func fold(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch r {
		case 'ß', 'ẞ':
			b.WriteString("ss")
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// splitWords cuts text into words with their byte offsets.
func splitWords(text string) []word {
	var words []word
	start := -1
	for i, r := range text {
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			words = append(words, word{start: start, end: i, folded: fold(text[start:i])})
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, word{start: start, end: len(text), folded: fold(text[start:])})
	}
	return words
}

// compiledRule is a word rule cut into folded words, with the characters its
// phrase uses between words (so "e.V." may match "e.V." but a phrase of two
// words never matches across a full stop).
type compiledRule struct {
	words  []string
	gaps   []string
	action string
}

// compileRule prepares one rule; ok is false when the phrase has no word at all.
func compileRule(rule WordRule) (compiledRule, bool) {
	parts := splitWords(rule.Phrase)
	if len(parts) == 0 {
		return compiledRule{}, false
	}
	c := compiledRule{action: ActionHold}
	if strings.EqualFold(strings.TrimSpace(rule.Action), ActionBlock) {
		c.action = ActionBlock
	}
	for i, p := range parts {
		c.words = append(c.words, p.folded)
		if i > 0 {
			c.gaps = append(c.gaps, rule.Phrase[parts[i-1].end:p.start])
		}
	}
	return c, true
}

// gapMatches reports whether the text between two matched words fits the
// phrase's gap: whitespace and hyphens always do ("Max Mustermann" matches
// "Max-Mustermann" and a line break), other characters only if the phrase has
// them too.
func gapMatches(textGap, ruleGap string) bool {
	for _, r := range textGap {
		if unicode.IsSpace(r) || r == '-' || strings.ContainsRune(ruleGap, r) {
			continue
		}
		return false
	}
	return utf8.RuneCountInString(textGap) > 0
}

// findWords reports every whole-word, case-insensitive match of the rules.
// Overlapping matches are resolved so that "block" beats "hold" and, within an
// action, the earlier and then the longer phrase wins.
func findWords(text string, rules []WordRule) []Finding {
	if len(rules) == 0 {
		return nil
	}
	byFirst := map[string][]compiledRule{}
	for _, r := range rules {
		if c, ok := compileRule(r); ok {
			byFirst[c.words[0]] = append(byFirst[c.words[0]], c)
		}
	}
	if len(byFirst) == 0 {
		return nil
	}
	words := splitWords(text)
	var blocks, holds []Finding
	for i, w := range words {
		for _, c := range byFirst[w.folded] {
			end, ok := matchAt(text, words, i, c)
			if !ok {
				continue
			}
			f := Finding{Kind: KindWord, Text: text[w.start:end], Start: w.start, End: end, Action: c.action}
			if c.action == ActionBlock {
				blocks = append(blocks, f)
			} else {
				holds = append(holds, f)
			}
		}
	}
	kept := pickNonOverlapping(blocks, nil)
	return append(kept, pickNonOverlapping(holds, kept)...)
}

// matchAt reports whether rule c matches the words starting at index i, and
// where the match ends.
func matchAt(text string, words []word, i int, c compiledRule) (int, bool) {
	if i+len(c.words) > len(words) {
		return 0, false
	}
	for k := 1; k < len(c.words); k++ {
		prev, cur := words[i+k-1], words[i+k]
		if cur.folded != c.words[k] || !gapMatches(text[prev.end:cur.start], c.gaps[k-1]) {
			return 0, false
		}
	}
	return words[i+len(c.words)-1].end, true
}
