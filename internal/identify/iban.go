package identify

// ibanLengths is the length of an IBAN per country (SWIFT IBAN registry).
// Knowing the length lets the finder stop exactly at the IBAN's end, so a word
// written after it is never swallowed, and rejects look-alikes early.
var ibanLengths = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

// findIBANs returns IBANs written with or without spaces (single spaces
// between groups) whose mod-97 check digits are right. A string of the right
// shape with a wrong checksum is not an IBAN and is not reported; its span is
// returned in lookalikes so that its digits are not read as a phone number.
func findIBANs(text string) (out []Finding, lookalikes []span) {
	for i := 0; i+4 <= len(text); i++ {
		if !isASCIILetter(text[i]) || !isASCIILetter(text[i+1]) || (i > 0 && isASCIIAlnum(text[i-1])) {
			continue
		}
		country := [2]byte{upper(text[i]), upper(text[i+1])}
		length, ok := ibanLengths[string(country[:])]
		if !ok {
			continue
		}
		end, compact := collectIBAN(text, i, length)
		if end < 0 || !isDigit(compact[2]) || !isDigit(compact[3]) {
			continue
		}
		if ibanChecksumOK(compact) {
			out = append(out, finding(KindIBAN, text, i, end))
		} else {
			lookalikes = append(lookalikes, span{i, end})
		}
		i = end - 1
	}
	return out, lookalikes
}

// collectIBAN gathers length letters and digits from text[start:], allowing a
// single space between them, and returns where they end and the compact,
// upper-case form; end is -1 when the text does not hold that many or runs on
// past them.
func collectIBAN(text string, start, length int) (int, []byte) {
	compact := make([]byte, 0, length)
	i := start
	for i < len(text) && len(compact) < length {
		c := text[i]
		switch {
		case isASCIIAlnum(c):
			compact = append(compact, upper(c))
			i++
		case c == ' ' && len(compact) >= 4 && i+1 < len(text) && isASCIIAlnum(text[i+1]):
			i++
		default:
			return -1, nil
		}
	}
	if len(compact) < length || (i < len(text) && isASCIIAlnum(text[i])) {
		return -1, nil
	}
	return i, compact
}

// ibanChecksumOK verifies the ISO 13616 check: move the first four characters
// to the end, read letters as 10..35, and the number must be 1 modulo 97.
func ibanChecksumOK(iban []byte) bool {
	rearranged := append(append([]byte{}, iban[4:]...), iban[:4]...)
	remainder := 0
	for _, c := range rearranged {
		switch {
		case isDigit(c):
			remainder = (remainder*10 + int(c-'0')) % 97
		case c >= 'A' && c <= 'Z':
			remainder = (remainder*100 + int(c-'A'+10)) % 97
		default:
			return false
		}
	}
	return remainder == 1
}

// isDigit reports whether b is an ASCII digit.
func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isASCIILetter reports whether b is an ASCII letter.
func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// upper returns the upper-case form of an ASCII letter, other bytes unchanged.
func upper(b byte) byte {
	if b >= 'a' && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}
