package i18n

import (
	"strings"
	"testing"
)

func TestDefaultText(t *testing.T) {
	c := newTestCatalog(t)
	tests := []struct {
		name, lang, id string
		wantText       string
		wantPlural     bool
		wantOK         bool
	}{
		{name: "plain", lang: "en", id: "nav.home", wantText: c.Localizer(c.Default()).T("nav.home"), wantOK: true},
		{name: "placeholder kept", lang: "de", id: "footer.runby", wantText: "{{.Organisation}}", wantOK: true},
		{name: "plural gives other", lang: "en", id: "time.minutes_ago", wantText: "{{.Count}}", wantPlural: true, wantOK: true},
		{name: "unknown id", lang: "en", id: "no.such"},
		{name: "unknown language", lang: "fr", id: "nav.home"},
		{name: "garbage language", lang: "%%", id: "nav.home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, plural, ok := c.DefaultText(tt.lang, tt.id)
			if ok != tt.wantOK || plural != tt.wantPlural {
				t.Fatalf("DefaultText(%q, %q) = %q, plural %v, ok %v", tt.lang, tt.id, text, plural, ok)
			}
			if ok && (text == "" || !strings.Contains(text, tt.wantText)) {
				t.Errorf("DefaultText(%q, %q) = %q, want it to contain %q", tt.lang, tt.id, text, tt.wantText)
			}
		})
	}
}
