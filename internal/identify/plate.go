package identify

import (
	"regexp"
	"strings"
)

var (
	// germanPlate: district (1–3 letters, umlauts allowed), one or two
	// letters, 1–4 digits, and "E" (electric) or "H" (historic):
	// "B-AB 1234", "M AB 123", "HH-XY 99E".
	germanPlate = regexp.MustCompile(`^[A-ZÄÖÜ]{1,3}[- ][A-Z]{1,2} ?([1-9]\d{0,3})[EH]?`)

	// austrianPlate: district (1–2 letters), then digits and letters:
	// "W-12345A", "W 123 AB", "G 1234 X".
	austrianPlate = regexp.MustCompile(`^[A-Z]{1,2}[- ]([1-9]\d{1,4}) ?[A-Z]{1,3}`)

	// swissPlate: canton and up to six digits: "ZH 123456", "BE 123 456".
	swissPlate = regexp.MustCompile(`^(?:AG|AI|AR|BE|BL|BS|FR|GE|GL|GR|JU|LU|NE|NW|OW|SG|SH|SO|SZ|TG|TI|UR|VD|VS|ZG|ZH) ?([1-9]\d{2}(?: ?\d{1,3})?)`)
)

// findPlates returns German, Austrian and Swiss licence plates written in
// capitals. Plates whose number looks like a year ("EU-AI 2024", "AG 2019")
// are left out: in running text they are far more often a name and a year.
//
// The patterns are anchored and tried only where a capital letter starts a
// word, on a short window: a plate is at most a dozen bytes long.
func findPlates(text string) []Finding {
	var out []Finding
	for i := 0; i < len(text); i++ {
		c := text[i]
		if !(c >= 'A' && c <= 'Z' || c == 0xC3) || (i > 0 && isASCIIAlnum(text[i-1])) || !startsWord(text, i) {
			continue
		}
		window := text[i:min(len(text), i+plateWindow)]
		for _, re := range []*regexp.Regexp{germanPlate, austrianPlate, swissPlate} {
			m := re.FindStringSubmatchIndex(window)
			if m == nil {
				continue
			}
			digits := strings.ReplaceAll(window[m[2]:m[3]], " ", "")
			if !plateEnds(text, i+m[1]) || isYear(digits) {
				continue
			}
			out = append(out, finding(KindPlate, text, i, i+m[1]))
			i += m[1] - 1
			break
		}
	}
	return out
}

// plateWindow is how far past its first letter a plate may reach.
const plateWindow = 24

// plateEnds reports whether a plate may end at i: not glued to more letters
// or digits, and not followed by a unit ("SO 100 Leute").
func plateEnds(text string, i int) bool {
	return houseNumberEnds(text, i)
}

// isYear reports whether digits read as a year between 1900 and 2099.
func isYear(digits string) bool {
	return len(digits) == 4 && (strings.HasPrefix(digits, "19") || strings.HasPrefix(digits, "20"))
}
