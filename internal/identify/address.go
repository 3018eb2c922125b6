package identify

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// houseNumber is a German, Austrian or Swiss house number: 1–3 digits, an
// optional letter right after them, and an optional staircase or flat
// ("14/3") or range ("12-14"). Four digits are left out on purpose: they are
// nearly always years.
const houseNumber = `([1-9]\d{0,2}[a-zA-Z]?(?:\s?[/-]\s?\d{1,3}[a-zA-Z]?)?)`

var (
	// streetWithSuffix: "Hauptstraße 12", "Lindengasse 14/3", "Karl-Marx-Allee 5".
	streetWithSuffix = regexp.MustCompile(`\p{Lu}[\p{L}\p{M}-]*?(?i:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer|chaussee|steig|pfad|zeile|kai|promenade|gürtel|lände|stieg|twiete|graben)\s*` + houseNumber)

	// streetAfterName: "Berliner Str. 5a", "Lange Straße 3", "Alter Markt 7".
	streetAfterName = regexp.MustCompile(`(\p{Lu}[\p{L}\p{M}-]*)\s+(?:Straße|Strasse|Str\.|Weg|Gasse|Platz|Allee|Ring|Damm|Ufer|Chaussee|Steig|Pfad|Zeile|Kai|Promenade|Gürtel|Lände|Markt|Graben)\s*` + houseNumber)

	// streetAfterPreposition: "Am Markt 7", "An der Kirche 5", "Im Winkel 2".
	streetAfterPreposition = regexp.MustCompile(`(?:Am|Im|Zum|Zur|(?:An|Auf|In|Unter|Hinter|Vor|Bei) (?:der|dem|den))\s+(\p{Lu}[\p{L}\p{M}-]+)\s+` + houseNumber)

	// englishStreet: "12 Baker Street", "221B Baker St", "1600 Pennsylvania Avenue".
	englishStreet = regexp.MustCompile(`(\d{1,4})[A-Za-z]?\s+(?:\p{Lu}[\p{L}\p{M}'-]*\s+){1,3}(?:Street|St\.?|Road|Rd\.?|Avenue|Ave\.?|Lane|Ln\.?|Drive|Boulevard|Blvd\.?|Way|Close|Court|Place|Square|Terrace|Crescent|Gardens|Grove|Parkway|Mews)\b`)
)

// notStreetNames are capitalised words that follow "Am", "Im", "Zum" or an
// adjective with a number in ordinary sentences ("Im Jahr 12", "Am Montag 3",
// "Der Weg 2"), never a street.
var notStreetNames = toSet(`jahr jahre jahren alter monat monate woche wochen tag tage tagen ende anfang
	moment zeitpunkt zeitraum beispiel grunde ganzen schnitt durchschnitt vergleich prinzip zeit kapitel
	abschnitt seite schritt punkt teil fall sommer winter herbst frühjahr frühling wochenende abend morgen
	mittag nachmittag vormittag nacht montag dienstag mittwoch donnerstag freitag samstag sonntag januar
	februar märz april mai juni juli august september oktober november dezember telefon termin
	der die das dem den des ein eine einer einem einen mein meine meinem meinen dein deine sein seine
	ihr ihre unser unsere euer eure kein keine jeder jede jedes dieser diese dieses welcher welche
	erster erste zweiter zweite dritter dritte letzter letzte nächster nächste`)

// unitsAfterNumber are words that make a number a count, a time or an amount
// ("3 Kinder", "10 Jahre", "14 Uhr"), so the number is no house number.
var unitsAfterNumber = toSet(`jahr jahre jahren jährige kind kinder uhr h min minute minuten stunde stunden
	tag tage tagen woche wochen monat monate monaten mal prozent euro eur chf km m cm kg g personen leute
	year years times hours hour minutes days weeks months percent people kids children am pm`)

// toSet turns a white-space separated list into a set.
func toSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// findAddresses returns street addresses with a house number, in German,
// Austrian, Swiss and English forms. A street name without a number ("die
// Straße") says nothing about where someone lives and is not reported.
//
// Each form is scanned only when the text holds a word that form needs: the
// scans are the slowest part of Find, and most posts name no street at all.
func findAddresses(text, lower string) []Finding {
	var out []Finding
	if containsAny(lower, streetWords...) {
		out = append(out, findGermanStreets(text)...)
	}
	if containsAny(text, "Am", "Im", "Zu", "An", "Auf", "In", "Unter", "Hinter", "Vor", "Bei") {
		for _, m := range streetAfterPreposition.FindAllStringSubmatchIndex(text, -1) {
			name := strings.ToLower(text[m[2]:m[3]])
			if startsWord(text, m[0]) && !notStreetNames[name] && houseNumberEnds(text, m[5]) {
				out = append(out, finding(KindAddress, text, m[0], m[5]))
			}
		}
	}
	if containsAny(lower, englishStreetWords...) {
		out = append(out, findEnglishStreets(text)...)
	}
	return out
}

// streetWords are the lower-cased endings a German street name needs.
var streetWords = []string{"str", "weg", "gasse", "platz", "allee", "ring", "damm", "ufer", "chaussee", "steig",
	"pfad", "zeile", "kai", "promenade", "gürtel", "gÜrtel", "lände", "lÄnde", "stieg", "twiete", "graben", "markt"}

// englishStreetWords are the lower-cased street types an English address needs.
var englishStreetWords = []string{"street", "st", "road", "rd", "avenue", "ave", "lane", "ln", "drive", "boulevard",
	"blvd", "way", "close", "court", "place", "square", "terrace", "crescent", "gardens", "grove", "parkway", "mews"}

// findGermanStreets returns "Hauptstraße 12" and "Berliner Str. 5a" forms.
func findGermanStreets(text string) []Finding {
	var out []Finding
	for _, m := range streetWithSuffix.FindAllStringSubmatchIndex(text, -1) {
		if startsWord(text, m[0]) && houseNumberEnds(text, m[3]) {
			out = append(out, finding(KindAddress, text, m[0], m[3]))
		}
	}
	for _, m := range streetAfterName.FindAllStringSubmatchIndex(text, -1) {
		name := strings.ToLower(text[m[2]:m[3]])
		if startsWord(text, m[0]) && !notStreetNames[name] && houseNumberEnds(text, m[5]) {
			out = append(out, finding(KindAddress, text, m[0], m[5]))
		}
	}
	return out
}

// findEnglishStreets returns "12 Baker Street" and "221B Baker St" forms.
func findEnglishStreets(text string) []Finding {
	var out []Finding
	for _, m := range englishStreet.FindAllStringSubmatchIndex(text, -1) {
		if !startsWord(text, m[0]) || (m[0] > 0 && strings.ContainsRune(".,:/-", rune(text[m[0]-1]))) {
			continue
		}
		if n := text[m[2]:m[3]]; len(n) == 4 && (n[:2] == "19" || n[:2] == "20") {
			continue // a year: "2019 Oxford Street was closed"
		}
		out = append(out, finding(KindAddress, text, m[0], m[1]))
	}
	return out
}

// startsWord reports whether i is not inside a word or number.
func startsWord(text string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(text[:i])
	return !isWordRune(r)
}

// houseNumberEnds reports whether the house number ending at i really ends
// there: not glued to more letters or digits, not a decimal, time or date
// ("12.50", "14:30", "12.05."), and not followed by a unit ("10 Jahre").
func houseNumberEnds(text string, i int) bool {
	if i >= len(text) {
		return true
	}
	r, size := utf8.DecodeRuneInString(text[i:])
	if isWordRune(r) || r == '%' || unicode.Is(unicode.Sc, r) {
		return false
	}
	if (r == '.' || r == ',' || r == ':') && i+size < len(text) && isDigit(text[i+size]) {
		return false
	}
	if followedByShortNumber(text[i:]) {
		return false // "Weisser Ring 116 006" is a help line, not a house
	}
	if r == '.' && i+size < len(text) && text[i+size] == ' ' {
		// "Am Freitag 3. Oktober": a date, unless the sentence simply ends.
		next := nextWord(text, i+size)
		if next != "" && notStreetNames[strings.ToLower(next)] {
			return false
		}
	}
	return !unitsAfterNumber[strings.ToLower(nextWord(text, i))]
}

// followedByShortNumber reports whether rest starts with white space and a
// group of one to three digits: the number before it is part of a longer
// number, not a house number. Postcodes (four or five digits) may follow.
func followedByShortNumber(rest string) bool {
	trimmed := strings.TrimLeft(rest, " \t\u00a0")
	if len(trimmed) == len(rest) {
		return false
	}
	n := 0
	for n < len(trimmed) && isDigit(trimmed[n]) {
		n++
	}
	return n >= 1 && n <= 3
}

// nextWord returns the word that follows text[i:] after white space.
func nextWord(text string, i int) string {
	rest := strings.TrimLeftFunc(text[i:], unicode.IsSpace)
	if len(rest) == len(text[i:]) && i < len(text) && !unicode.IsSpace(rune(text[i])) {
		return ""
	}
	end := strings.IndexFunc(rest, func(r rune) bool { return !isWordRune(r) })
	if end < 0 {
		end = len(rest)
	}
	return rest[:end]
}
