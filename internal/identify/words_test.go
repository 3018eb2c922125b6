package identify

import "testing"

// Issue 5, item 6: administrators keep a list of words and phrases with the
// action "block" or "hold". Matching is case-insensitive, whole-word and
// Unicode-aware, and the rule's action is reported.
func TestFindWords(t *testing.T) {
	tests := []struct {
		name  string
		rules []WordRule
		text  string
		want  []Finding // Kind is always KindWord
	}{
		{"case", []WordRule{{"Mustermann", "hold"}}, "MUSTERMANN und mustermann",
			[]Finding{{Text: "MUSTERMANN", Start: 0, End: 10, Action: "hold"}, {Text: "mustermann", Start: 15, End: 25, Action: "hold"}}},
		{"whole word only", []WordRule{{"Ann", "block"}}, "Anna, Annette und Hannah", nil},
		{"word beside punctuation", []WordRule{{"Ann", "block"}}, "(Ann), Ann!",
			[]Finding{{Text: "Ann", Start: 1, End: 4, Action: "block"}, {Text: "Ann", Start: 7, End: 10, Action: "block"}}},
		{"umlaut case", []WordRule{{"Jürgen", "hold"}}, "JÜRGEN war da", []Finding{{Text: "JÜRGEN", Start: 0, End: 7, Action: "hold"}}},
		{"umlaut decomposed", []WordRule{{"Jürgen", "hold"}}, "Ju\u0308rgen war da", []Finding{{Text: "Ju\u0308rgen", Start: 0, End: 8, Action: "hold"}}},
		{"umlaut is not the plain vowel", []WordRule{{"Müller", "hold"}}, "Muller und Müllers", nil},
		{"sharp s equals ss", []WordRule{{"Großmann", "block"}}, "GROSSMANN", []Finding{{Text: "GROSSMANN", Start: 0, End: 9, Action: "block"}}},
		{"umlaut not a word boundary", []WordRule{{"Bär", "hold"}}, "Bärbel", nil},
		{"cyrillic", []WordRule{{"Москва", "hold"}}, "в МОСКВА!", []Finding{{Text: "МОСКВА", Start: 3, End: 15, Action: "hold"}}},
		{"phrase spacing", []WordRule{{"Max Mustermann", "block"}}, "max  MUSTERMANN",
			[]Finding{{Text: "max  MUSTERMANN", Start: 0, End: 15, Action: "block"}}},
		{"phrase across line and hyphen", []WordRule{{"Max Mustermann", "block"}}, "Max\nMustermann, Max-Mustermann",
			[]Finding{{Text: "Max\nMustermann", Start: 0, End: 14, Action: "block"}, {Text: "Max-Mustermann", Start: 16, End: 30, Action: "block"}}},
		{"phrase not across a full stop", []WordRule{{"Max Mustermann", "block"}}, "Das war Max. Mustermann kam später.", nil},
		{"phrase not partial", []WordRule{{"Max Mustermann", "block"}}, "Maxi Mustermann", nil},
		{"phrase with its own punctuation", []WordRule{{"Hilfe e.V.", "hold"}}, "Verein HILFE e.V. hier",
			[]Finding{{Text: "HILFE e.V", Start: 7, End: 16, Action: "hold"}}},
		{"block wins over hold", []WordRule{{"Anna Schmidt", "hold"}, {"Schmidt", "block"}}, "Anna Schmidt",
			[]Finding{{Text: "Schmidt", Start: 5, End: 12, Action: "block"}}},
		{"longer phrase wins within an action", []WordRule{{"Anna", "hold"}, {"Anna Schmidt", "hold"}}, "Anna Schmidt",
			[]Finding{{Text: "Anna Schmidt", Start: 0, End: 12, Action: "hold"}}},
		{"unknown action holds", []WordRule{{"Schmidt", "maybe"}}, "Schmidt", []Finding{{Text: "Schmidt", Start: 0, End: 7, Action: "hold"}}},
		{"action case", []WordRule{{"Schmidt", " BLOCK "}}, "Schmidt", []Finding{{Text: "Schmidt", Start: 0, End: 7, Action: "block"}}},
		{"empty phrase ignored", []WordRule{{"  ", "block"}, {"!!", "block"}}, "Hallo !!", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := testDetector.Find(tt.text, tt.rules)
			if len(got) != len(tt.want) {
				t.Fatalf("Find(%q) = %s, want %d findings", tt.text, describe(got), len(tt.want))
			}
			for i, w := range tt.want {
				w.Kind = KindWord
				if got[i] != w {
					t.Errorf("finding %d = %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}

// A word rule decides what happens to the post, so where it overlaps a
// detail the word is reported and the detail is not; elsewhere both are.
func TestWordsBeatDetails(t *testing.T) {
	text := "Hauptstraße 12, Tel. 030 12345678"
	got := testDetector.Find(text, []WordRule{{"hauptstrasse", "block"}})
	if len(got) != 2 || got[0].Kind != KindWord || got[0].Text != "Hauptstraße" || got[0].Action != ActionBlock ||
		got[1].Kind != KindPhone || got[1].Text != "030 12345678" {
		t.Fatalf("Find = %s, want the blocked word then the phone number", describe(got))
	}
}
