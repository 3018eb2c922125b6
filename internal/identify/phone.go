package identify

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

const (
	// minPhoneDigits is the fewest digits a reported number has: short
	// numbers such as 110, 112 or 116 006 are emergency and help lines, not
	// anybody's own number, and five-digit postcodes are not numbers at all.
	minPhoneDigits = 7
	// maxPhoneDigits bounds a candidate, like libphonenumber's own limit.
	maxPhoneDigits = 17
	// maxPhoneGroups is how many space-separated groups one number may span;
	// it keeps the search for a number inside a longer run of digits cheap.
	maxPhoneGroups = 8
)

var (
	// dateLike matches candidates that are dates or times written with
	// separators a phone scanner would otherwise accept: 25.11.2026,
	// 2026-11-25, 11/25/2026, 01.12.26, 14.30.
	dateLike = regexp.MustCompile(`^(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{2}|\d{4})|\d{4}[./-]\d{1,2}[./-]\d{1,2}|\d{1,2}[.:]\d{2})$`)
	// dateRange matches two dates joined by a dash: 01.12.2026-05.12.2026.
	dateRange = regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?\s*[-–]\s*\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})$`)
)

// personalTypes are the kinds of number that belong to a person or a
// household. Toll-free, shared-cost and premium numbers belong to
// organisations — members share help lines such as 0800 116 016 — so they
// are not reported.
var personalTypes = map[phonenumbers.PhoneNumberType]bool{
	phonenumbers.FIXED_LINE:           true,
	phonenumbers.MOBILE:               true,
	phonenumbers.FIXED_LINE_OR_MOBILE: true,
	phonenumbers.VOIP:                 true,
	phonenumbers.PERSONAL_NUMBER:      true,
	phonenumbers.PAGER:                true,
	phonenumbers.VOICEMAIL:            true,
	phonenumbers.UNKNOWN:              true,
}

// findPhones scans text the way libphonenumber's findNumbers does: it finds
// runs of digits joined by phone separators, and reports those that
// phonenumbers parses as a valid number in one of the detector's regions (or
// internationally, when written with "+" or "00"), with the national prefix
// where the region requires it. A run that is not one number as a whole is
// searched for numbers made of its space-separated groups.
func (d *Detector) findPhones(text string) []Finding {
	var out []Finding
	for i := 0; i < len(text); {
		start, end, ok := phoneRun(text, i)
		if start < 0 {
			break
		}
		i = end
		if !ok || countDigits(text[start:end]) < minPhoneDigits {
			continue
		}
		out = append(out, d.phonesInRun(text, start, end)...)
	}
	return out
}

// phoneRun finds the next run at or after from that starts like a phone
// number ("+", "(" or a digit after a non-word character) and continues with
// digits and short stretches of separators. ok is false for a run that cannot
// be a number (glued to a letter, followed by "%"); start is -1 when no run is
// left.
func phoneRun(text string, from int) (start, end int, ok bool) {
	for i := from; i < len(text); i++ {
		c := text[i]
		if !(isDigit(c) || (c == '+' || c == '(') && i+1 < len(text) && isDigit(text[i+1])) {
			continue
		}
		if !phoneMayStartAfter(text, i) {
			// Skip the rest of this word so "DE89 3704" does not start at "89".
			for i+1 < len(text) && isASCIIAlnum(text[i+1]) {
				i++
			}
			continue
		}
		end = i + 1
		for j := i + 1; j < len(text); {
			if isDigit(text[j]) {
				j++
				end = j
				continue
			}
			k, seps := j, 0
			for k < len(text) && seps < 3 {
				r, size := utf8.DecodeRuneInString(text[k:])
				if !isPhoneSeparator(r) {
					break
				}
				k += size
				seps++
			}
			if k == j || k >= len(text) || !isDigit(text[k]) {
				break
			}
			j = k
		}
		// A run glued to a letter ("123abc") or followed by "%" is no number.
		if end < len(text) {
			r, _ := utf8.DecodeRuneInString(text[end:])
			if unicode.IsLetter(r) || r == '%' || unicode.Is(unicode.Sc, r) {
				return i, end, false
			}
		}
		if text[i] == '(' && !strings.Contains(text[i:end], ")") {
			i++ // an unmatched "(" is punctuation, not part of the number
		}
		return i, end, true
	}
	return -1, -1, false
}

// phoneMayStartAfter reports whether a number may begin at i: not in the
// middle of a word or another number, and not after a currency sign.
func phoneMayStartAfter(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Sc, r) ||
		r == '+' || r == '.' || r == ',' || r == '/' || r == '-' || r == '_' || r == '#' || r == '@')
}

// isPhoneSeparator reports whether r may sit between the digits of one phone
// number. Line breaks are not separators, so a list of numbers stays a list.
func isPhoneSeparator(r rune) bool {
	switch r {
	case ' ', '\t', '\u00a0', '\u2009', '\u202f', '-', '–', '/', '.', '(', ')':
		return true
	}
	return false
}

// countDigits counts the ASCII digits in s.
func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if isDigit(s[i]) {
			n++
		}
	}
	return n
}

// phonesInRun reports the run as one number if it is one. Otherwise it splits
// the run at white space and picks the valid numbers made of whole groups that
// cover the run best — most numbers, then most digits — so "030 12345678 0664
// 1234567" yields two numbers rather than one over-long reading.
func (d *Detector) phonesInRun(text string, start, end int) []Finding {
	if d.isPhone(text[start:end]) {
		return []Finding{finding(KindPhone, text, start, end)}
	}
	groups := spaceGroups(text, start, end)
	n := len(groups)
	type plan struct {
		count, digits int
		next          int // index of the group after the chosen number; 0 = skip this group
		number        span
	}
	// A run of many groups asks about the same windows again and again in a
	// pasted table or a hostile post; parsing is the expensive part.
	known := map[string]bool{}
	isPhone := func(candidate string) bool {
		v, ok := known[candidate]
		if !ok {
			v = d.isPhone(candidate)
			known[candidate] = v
		}
		return v
	}
	best := make([]plan, n+1)
	for i := n - 1; i >= 0; i-- {
		best[i] = plan{count: best[i+1].count, digits: best[i+1].digits}
		for j := i + 1; j <= min(n, i+maxPhoneGroups); j++ {
			s, e := trimToNumber(text, groups[i].start, groups[j-1].end)
			if countDigits(text[s:e]) > maxPhoneDigits {
				break // longer windows only add digits
			}
			if e <= s || !isPhone(text[s:e]) {
				continue
			}
			p := plan{count: 1 + best[j].count, digits: countDigits(text[s:e]) + best[j].digits, next: j, number: span{s, e}}
			if p.count > best[i].count || p.count == best[i].count && p.digits > best[i].digits {
				best[i] = p
			}
		}
	}
	var out []Finding
	for i := 0; i < n; {
		if best[i].next == 0 {
			i++
			continue
		}
		out = append(out, finding(KindPhone, text, best[i].number.start, best[i].number.end))
		i = best[i].next
	}
	return out
}

// spaceGroups splits text[start:end] at horizontal white space.
func spaceGroups(text string, start, end int) []span {
	var groups []span
	g := -1
	for i, r := range text[start:end] {
		if unicode.IsSpace(r) {
			if g >= 0 {
				groups = append(groups, span{start + g, start + i})
				g = -1
			}
		} else if g < 0 {
			g = i
		}
	}
	if g >= 0 {
		groups = append(groups, span{start + g, end})
	}
	return groups
}

// trimToNumber narrows text[start:end] to begin with "+", "(" or a digit and
// end with a digit.
func trimToNumber(text string, start, end int) (int, int) {
	for start < end && !(isDigit(text[start]) || text[start] == '+' || text[start] == '(') {
		start++
	}
	for end > start && !isDigit(text[end-1]) {
		end--
	}
	return start, end
}

// isPhone reports whether candidate is one valid, personal phone number.
func (d *Detector) isPhone(candidate string) bool {
	digits := countDigits(candidate)
	if digits < minPhoneDigits || digits > maxPhoneDigits {
		return false
	}
	if dateLike.MatchString(candidate) || dateRange.MatchString(candidate) || strings.Count(candidate, "/") > 1 {
		return false
	}
	if strings.HasPrefix(candidate, "+") {
		return isPersonalNumber(candidate, "ZZ")
	}
	for _, region := range d.regions {
		if isPersonalNumber(candidate, region) {
			return true
		}
	}
	return false
}

// isPersonalNumber parses candidate as dialled in region and applies the
// checks of libphonenumber's VALID leniency plus the personal-type filter.
func isPersonalNumber(candidate, region string) bool {
	num, err := phonenumbers.ParseAndKeepRawInput(candidate, region)
	if err != nil || !phonenumbers.IsValidNumber(num) {
		return false
	}
	if !phonenumbers.IsNationalPrefixPresentIfRequired(num) {
		return false
	}
	return personalTypes[phonenumbers.GetNumberType(num)]
}
