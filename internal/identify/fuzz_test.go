package identify

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Find runs on everything members type, so it must never panic, and the
// findings the posting form relies on must be in bounds, in order, and
// never overlap (issue 5, item 6).
func FuzzFind(f *testing.F) {
	for _, seed := range []string{
		"", "+", "(", "0", "@", "@a@b.cd", "https://", "instagram.com/", "DE89 3704 0044 0532 0130 00",
		"030 12345678 0664 1234567", "Hauptstraße 12", "Am Markt 7.", "B-AB 1234", "12 Baker Street",
		"anna (at) example (dot) org", "Ju\u0308rgen", "\xff\xfe", "ẞ", "İstanbul 3",
		samplePost,
	} {
		f.Add(seed, "Jürgen Max")
	}
	f.Fuzz(func(t *testing.T, text, phrase string) {
		rules := []WordRule{{Phrase: phrase, Action: ActionBlock}, {Phrase: "jürgen", Action: ActionHold}}
		found := testDetector.Find(text, rules)
		last := 0
		for _, fd := range found {
			if fd.Start < last || fd.End <= fd.Start || fd.End > len(text) {
				t.Fatalf("finding %+v out of bounds or overlapping (previous end %d, len %d)", fd, last, len(text))
			}
			if text[fd.Start:fd.End] != fd.Text {
				t.Fatalf("finding %+v: text[%d:%d] = %q", fd, fd.Start, fd.End, text[fd.Start:fd.End])
			}
			if (fd.Kind == KindWord) != (fd.Action != "") {
				t.Fatalf("finding %+v: only words carry an action", fd)
			}
			if utf8.ValidString(text) && !utf8.ValidString(fd.Text) {
				t.Fatalf("finding %+v cuts a character of valid text", fd)
			}
			last = fd.End
		}
	})
}

// samplePost is about 2 KB of ordinary German and English writing with a few
// identifying details, as a member might post.
var samplePost = strings.Repeat("Seit 2019 schreibt er mir fast jeden Tag, manchmal 10 Mal am Tag. "+
	"Am 25.11.2026 um 14:30 stand er vor meiner Tür, das Auto B-AB 1234 parkte davor. "+
	"Die Polizei (110) meinte, ich solle alles aufschreiben. Der Anwalt kostet 12,50 € pro Seite. "+
	"I moved to 12 Baker Street but he found my new number 0171 2345678 within 3 days. "+
	"Siehe https://www.hilfetelefon.de/ und schreib mir an anna@example.org, 50 % Chance. ", 5)

// BenchmarkFind measures one ~2 KB post with several details and a short
// word list: the check runs on every title, post and bio before publishing.
func BenchmarkFind(b *testing.B) {
	post := samplePost
	if len(post) > 2048 {
		post = post[:2048]
	}
	rules := []WordRule{{"Max Mustermann", "block"}, {"Jürgen", "hold"}, {"Hauptbahnhof", "hold"}}
	b.SetBytes(int64(len(post)))
	b.ReportAllocs()
	for b.Loop() {
		testDetector.Find(post, rules)
	}
}
