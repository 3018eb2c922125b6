package identify

import (
	"fmt"
	"strings"
	"testing"
)

// testDetector reads national numbers as German, Austrian or Swiss, the
// regions of Hearth's first audience.
var testDetector = New([]string{"DE", "AT", "CH"})

// Issue 5, item 6 (protective hold): before a title, post or bio is
// published, Hearth looks for phone numbers, e-mail addresses, street
// addresses with house numbers, links to social-media profiles,
// checksum-verified IBANs and licence plates. Every row that must trigger
// names the one detail it must find, as written; every row that must not
// trigger is ordinary writing a false warning would teach members to ignore.
func TestFindDetails(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantKind string // "" when nothing may be found
		wantText string
	}{
		// Phone numbers: German, Austrian, Swiss and international formats.
		{"de international", "Ruf mich an: +49 30 1234567", KindPhone, "+49 30 1234567"},
		{"de national", "Meine Nummer ist 030 12345678.", KindPhone, "030 12345678"},
		{"de brackets", "Festnetz (030) 123 456 78, abends", KindPhone, "(030) 123 456 78"},
		{"de 0049 prefix", "Handy 0049 171 2345678", KindPhone, "0049 171 2345678"},
		{"de mobile", "Er schreibt mir von 0171 2345678 aus", KindPhone, "0171 2345678"},
		{"de slash", "Tel. 089/1234567", KindPhone, "089/1234567"},
		{"de hyphen", "call 0221-123456 after six", KindPhone, "0221-123456"},
		{"de compact international", "+4915112345678", KindPhone, "+4915112345678"},
		{"at mobile", "Sie hat 0664 1234567 angerufen", KindPhone, "0664 1234567"},
		{"at international", "Wien: +43 1 5878000", KindPhone, "+43 1 5878000"},
		{"at 0043 prefix", "0043 664 1234567 ist seine Nummer", KindPhone, "0043 664 1234567"},
		{"ch international", "Zürich +41 44 668 18 00", KindPhone, "+41 44 668 18 00"},
		{"ch national", "Büro 044 668 18 00", KindPhone, "044 668 18 00"},
		{"ch mobile", "Natel 079 123 45 67", KindPhone, "079 123 45 67"},
		{"uk", "my old number +44 20 7946 0958", KindPhone, "+44 20 7946 0958"},
		{"fr", "à Paris +33 1 23 45 67 89", KindPhone, "+33 1 23 45 67 89"},
		{"us", "in the US +1 202-555-0143", KindPhone, "+1 202-555-0143"},
		{"de trunk prefix in brackets", "Tel.: +49 (0)30 1234567", KindPhone, "+49 (0)30 1234567"},
		{"date before number", "Am 25.11.2026 030 12345678 angerufen", KindPhone, "030 12345678"},

		// E-mail addresses.
		{"email", "Schreib an anna.k@example.org bitte", KindEmail, "anna.k@example.org"},
		{"email plus", "mail: Max+forum@mail.example.de.", KindEmail, "Max+forum@mail.example.de"},
		{"email umlaut", "jürgen@beispiel.de", KindEmail, "jürgen@beispiel.de"},
		{"email disguised", "anna (at) example (dot) org", KindEmail, "anna (at) example (dot) org"},

		// Street addresses with house numbers.
		{"street strasse", "Ich wohne in der Hauptstraße 12 im 3. Stock", KindAddress, "Hauptstraße 12"},
		{"street abbreviated", "Berliner Str. 5a, Hinterhaus", KindAddress, "Berliner Str. 5a"},
		{"street weg", "Musterweg 3 in Köln", KindAddress, "Musterweg 3"},
		{"street am", "Sie wartet Am Markt 7 auf mich", KindAddress, "Am Markt 7"},
		{"street gasse stiege", "Lindengasse 14/3, 1070 Wien", KindAddress, "Lindengasse 14/3"},
		{"street platz", "Bahnhofplatz 1, Bern", KindAddress, "Bahnhofplatz 1"},
		{"street swiss strasse", "Bahnhofstrasse 21, 8001 Zürich", KindAddress, "Bahnhofstrasse 21"},
		{"street hyphenated", "Karl-Marx-Allee 90", KindAddress, "Karl-Marx-Allee 90"},
		{"street glued number", "Adresse: Goethestr.12, 60313 Frankfurt", KindAddress, "Goethestr.12"},
		{"street an der", "An der Kirche 5", KindAddress, "An der Kirche 5"},
		{"street english", "He lives at 12 Baker Street now", KindAddress, "12 Baker Street"},
		{"street english short", "221B Baker St", KindAddress, "221B Baker St"},
		{"street english avenue", "1600 Pennsylvania Avenue", KindAddress, "1600 Pennsylvania Avenue"},

		// Links to social-media profiles.
		{"instagram", "Das ist sie: https://www.instagram.com/anna.k/", KindSocial, "https://www.instagram.com/anna.k/"},
		{"instagram bare", "instagram.com/anna_k", KindSocial, "instagram.com/anna_k"},
		{"facebook", "https://facebook.com/profile.php?id=100012345", KindSocial, "https://facebook.com/profile.php?id=100012345"},
		{"tiktok", "tiktok.com/@annak", KindSocial, "tiktok.com/@annak"},
		{"x", "https://x.com/annak", KindSocial, "https://x.com/annak"},
		{"twitter", "(https://twitter.com/annak)", KindSocial, "https://twitter.com/annak"},
		{"linkedin", "https://www.linkedin.com/in/anna-k-123", KindSocial, "https://www.linkedin.com/in/anna-k-123"},
		{"snapchat", "snapchat.com/add/annak", KindSocial, "snapchat.com/add/annak"},
		{"youtube handle", "https://www.youtube.com/@annak", KindSocial, "https://www.youtube.com/@annak"},
		{"youtube channel", "youtube.com/channel/UC1234567890", KindSocial, "youtube.com/channel/UC1234567890"},
		{"threads", "https://www.threads.net/@annak", KindSocial, "https://www.threads.net/@annak"},
		{"mastodon handle", "folgt mir: @anna@mastodon.social", KindSocial, "@anna@mastodon.social"},
		{"mastodon link", "https://chaos.social/@anna", KindSocial, "https://chaos.social/@anna"},

		// IBANs, checksum-verified, any country.
		{"iban de spaced", "Überweise auf DE89 3704 0044 0532 0130 00 bitte", KindIBAN, "DE89 3704 0044 0532 0130 00"},
		{"iban de compact", "IBAN: DE89370400440532013000", KindIBAN, "DE89370400440532013000"},
		{"iban at", "AT61 1904 3002 3457 3201", KindIBAN, "AT61 1904 3002 3457 3201"},
		{"iban ch", "CH93 0076 2011 6238 5295 7", KindIBAN, "CH93 0076 2011 6238 5295 7"},
		{"iban gb", "GB82 WEST 1234 5698 7654 32", KindIBAN, "GB82 WEST 1234 5698 7654 32"},
		{"iban nl lower", "nl91abna0417164300", KindIBAN, "nl91abna0417164300"},

		// Licence plates.
		{"plate de hyphen", "Das Auto B-AB 1234 stand wieder vor der Tür", KindPlate, "B-AB 1234"},
		{"plate de space", "Kennzeichen M AB 123", KindPlate, "M AB 123"},
		{"plate de electric", "HH-XY 99E", KindPlate, "HH-XY 99E"},
		{"plate de umlaut", "ein Wagen mit TÜ-AB 12", KindPlate, "TÜ-AB 12"},
		{"plate at", "W-12345A parkt dort", KindPlate, "W-12345A"},
		{"plate at letters", "W 123 AB", KindPlate, "W 123 AB"},
		{"plate ch", "ein Auto mit ZH 123456", KindPlate, "ZH 123456"},

		// Must not trigger: ordinary numbers, dates, times, prices, counts.
		{"date dotted", "Am 25.11.2026 war der Termin", "", ""},
		{"date dotted leading zero", "seit dem 01.12.2026", "", ""},
		{"date short year", "am 01.12.26", "", ""},
		{"date iso", "on 2026-11-25 it started", "", ""},
		{"date us", "since 11/25/2026", "", ""},
		{"date words", "am 25. November", "", ""},
		{"date range", "vom 01.12.2026 - 05.12.2026 im Urlaub", "", ""},
		{"time colon", "um 14:30 im Café", "", ""},
		{"time uhr", "um 14.30 Uhr", "", ""},
		{"time pm", "at 2pm", "", ""},
		{"price comma", "Das kostet 12,50 €", "", ""},
		{"price euro first", "für €1.299", "", ""},
		{"price dollar", "only $20", "", ""},
		{"price large", "Schaden von 1.299.000 € gemeldet", "", ""},
		{"percentage", "zu 50 % sicher, 99,9% sogar", "", ""},
		{"children", "Ich habe 3 Kinder", "", ""},
		{"years", "10 Jahre lang", "", ""},
		{"since year", "seit 2019", "", ""},
		{"emergency police", "Ruf 110 an", "", ""},
		{"emergency", "im Notfall die 112", "", ""},
		{"victim hotline", "Weisser Ring 116 006", "", ""},
		{"toll free help line", "Hilfetelefon 08000 116 016", "", ""},
		{"postcode", "10115 Berlin", "", ""},
		{"postcode at", "A-1010 Wien", "", ""},
		{"postcode ch", "CH-8001 Zürich", "", ""},
		{"number without prefix", "Kundennummer 12345678", "", ""},
		{"phone rejected by library", "0100 1234567", "", ""},
		{"phone rejected by library again", "Nummer 0999 9999999", "", ""},
		{"too short", "030 12", "", ""},
		{"isbn", "ISBN 978-3-16-148410-0", "", ""},
		{"version", "Version 1.2.3", "", ""},
		{"iban wrong checksum", "DE89 3704 0044 0532 0130 01", "", ""},
		{"iban wrong check digits", "DE00370400440532013000", "", ""},
		{"street without number", "Die Straße war leer", "", ""},
		{"street name alone", "auf der Hauptstraße", "", ""},
		{"year after preposition", "Im Jahr 2019 fing es an", "", ""},
		{"weekday", "Am Montag 3 Anrufe", "", ""},
		{"count after street", "Weg 2 Jahre", "", ""},
		{"hashtag", "#metoo #stalking #hilfe", "", ""},
		{"mention", "danke @anna!", "", ""},
		{"help site", "https://help.instagram.com/372161259539444", "", ""},
		{"network help page", "https://www.facebook.com/help/1216349518398524", "", ""},
		{"network home", "https://www.instagram.com/", "", ""},
		{"x search", "https://x.com/search?q=stalking", "", ""},
		{"youtube video", "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "", ""},
		{"linkedin company", "https://www.linkedin.com/company/weisser-ring", "", ""},
		{"ordinary url", "https://www.hilfetelefon.de/gewalt-gegen-frauen/030123456789", "", ""},
		{"ordinary url with numbers", "siehe https://example.org/artikel/0301234567?seite=2.", "", ""},
		{"score", "Das Spiel endete 2:1", "", ""},
		{"ordinary caps", "ICH HABE 3 KINDER", "", ""},
		{"caps with year", "EU-AI 2024", "", ""},
		{"canton with year", "AG 2019", "", ""},
		{"decimal", "0,5 Liter", "", ""},
		{"temperature", "+3 Grad", "", ""},
		{"phone glued to letters", "ref0301234567x", "", ""},
		{"chapter", "Kapitel 12, Seite 230", "", ""},
		{"law", "§ 238 StGB (Nachstellung)", "", ""},
		{"case number", "Az. 123 Js 4567/26", "", ""},
		{"ticket", "Ticket #12345678", "", ""},
		{"placing", "Das war Platz 3 beim Lauf", "", ""},
		{"car model", "Er fährt einen VW Golf 7", "", ""},
	}
	var positives, negatives int
	for _, tt := range tests {
		if tt.wantKind == "" {
			negatives++
		} else {
			positives++
		}
		t.Run(tt.name, func(t *testing.T) {
			got := testDetector.Find(tt.text, nil)
			if tt.wantKind == "" {
				if len(got) != 0 {
					t.Fatalf("Find(%q) = %s, want nothing", tt.text, describe(got))
				}
				return
			}
			if len(got) != 1 || got[0].Kind != tt.wantKind || got[0].Text != tt.wantText {
				t.Fatalf("Find(%q) = %s, want one %s %q", tt.text, describe(got), tt.wantKind, tt.wantText)
			}
			if tt.text[got[0].Start:got[0].End] != got[0].Text {
				t.Fatalf("offsets %d:%d do not give %q", got[0].Start, got[0].End, got[0].Text)
			}
		})
	}
	if positives < 40 || negatives < 40 {
		t.Fatalf("table has %d positives and %d negatives, want at least 40 each", positives, negatives)
	}
}

// describe prints findings compactly for failure messages.
func describe(fs []Finding) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = fmt.Sprintf("%s %q @%d:%d %s", f.Kind, f.Text, f.Start, f.End, f.Action)
	}
	return "[" + strings.Join(parts, "; ") + "]"
}

// A post often holds several details; each is found once, in order, and
// numbers in one run are told apart.
func TestFindSeveralInOnePost(t *testing.T) {
	text := "Ruf an: 030 12345678 0664 1234567! Oder schreib anna@example.org, " +
		"ich wohne Hauptstraße 12. IBAN DE89 3704 0044 0532 0130 00, Auto B-AB 1234."
	want := []struct{ kind, text string }{
		{KindPhone, "030 12345678"}, {KindPhone, "0664 1234567"}, {KindEmail, "anna@example.org"},
		{KindAddress, "Hauptstraße 12"}, {KindIBAN, "DE89 3704 0044 0532 0130 00"}, {KindPlate, "B-AB 1234"},
	}
	got := testDetector.Find(text, nil)
	if len(got) != len(want) {
		t.Fatalf("Find = %s, want %d findings", describe(got), len(want))
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].Text != w.text {
			t.Errorf("finding %d = %s %q, want %s %q", i, got[i].Kind, got[i].Text, w.kind, w.text)
		}
	}
}

// Regions decide how national numbers are read; "+" numbers are read
// internationally whatever the regions.
func TestNewRegions(t *testing.T) {
	swiss := New([]string{"ch"})
	if got := swiss.Find("0664 1234567", nil); len(got) != 0 {
		t.Errorf("Swiss-only detector found an Austrian national number: %s", describe(got))
	}
	if got := swiss.Find("+43 664 1234567", nil); len(got) != 1 {
		t.Errorf("Swiss-only detector missed an international number: %s", describe(got))
	}
	if got := New([]string{"nowhere", ""}).Find("030 12345678", nil); len(got) != 1 {
		t.Errorf("detector without usable regions should fall back to DE, AT, CH: %s", describe(got))
	}
}

// One Detector serves every request at once; run with -race.
func TestFindConcurrent(t *testing.T) {
	done := make(chan []Finding)
	for range 4 {
		go func() { done <- testDetector.Find(samplePost, []WordRule{{"Jürgen", "hold"}}) }()
	}
	first := <-done
	for range 3 {
		if got := <-done; describe(got) != describe(first) {
			t.Fatalf("concurrent Find disagreed: %s vs %s", describe(got), describe(first))
		}
	}
}
