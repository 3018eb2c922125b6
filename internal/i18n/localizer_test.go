package i18n

import (
	"html/template"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"golang.org/x/text/language"
)

func TestNegotiate(t *testing.T) {
	c := newTestCatalog(t)
	tests := []struct {
		name       string
		candidates []string
		want       string
	}{
		{name: "nothing", candidates: nil, want: "en"},
		{name: "plain tag", candidates: []string{"de"}, want: "de"},
		{name: "first match wins", candidates: []string{"en", "de"}, want: "en"},
		{name: "empty skipped", candidates: []string{"", "  ", "de"}, want: "de"},
		{name: "austrian german", candidates: []string{"de-AT"}, want: "de"},
		{name: "swiss german", candidates: []string{"de-CH"}, want: "de"},
		{name: "british english", candidates: []string{"en-GB"}, want: "en"},
		{name: "weights", candidates: []string{"fr-CH, de-AT;q=0.8, en;q=0.5"}, want: "de"},
		{name: "weights out of order", candidates: []string{"en;q=0.5, fr;q=0.9, de;q=0.7"}, want: "de"},
		{name: "zero weight refused", candidates: []string{"de;q=0, en;q=0.1"}, want: "en"},
		{name: "unsupported", candidates: []string{"fr"}, want: "en"},
		{name: "unsupported header", candidates: []string{"fr-CH, fr;q=0.9, ja;q=0.8"}, want: "en"},
		{name: "unsupported then header", candidates: []string{"ja", "de-DE,de;q=0.9"}, want: "de"},
		{name: "wildcard", candidates: []string{"*"}, want: "en"},
		{name: "garbage", candidates: []string{"%%%;;;q=x"}, want: "en"},
		{name: "garbage then header", candidates: []string{"<script>", "de"}, want: "de"},
		{name: "garbage part kept apart", candidates: []string{"%%%, de;q=0.5"}, want: "de"},
		{name: "bad weight", candidates: []string{"de;q=abc"}, want: "en"},
		{name: "huge header", candidates: []string{strings.Repeat("x-", 5000) + ", de"}, want: "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Negotiate(tt.candidates...).String(); got != tt.want {
				t.Errorf("Negotiate(%q) = %q, want %q", tt.candidates, got, tt.want)
			}
		})
	}
}

func TestNegotiateGermanDefault(t *testing.T) {
	c, err := NewCatalog("de")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Negotiate("fr", "garbage;;").String(); got != "de" {
		t.Errorf("Negotiate = %q, want the default de", got)
	}
}

func TestPluralForms(t *testing.T) {
	c := newTestCatalog(t)
	tests := []struct {
		lang  string
		count int
		want  string
	}{
		{lang: "en", count: 1, want: "1 minute ago"},
		{lang: "en", count: 5, want: "5 minutes ago"},
		{lang: "en", count: 0, want: "0 minutes ago"},
		{lang: "de", count: 1, want: "vor 1 Minute"},
		{lang: "de", count: 5, want: "vor 5 Minuten"},
		{lang: "de", count: 0, want: "vor 0 Minuten"},
	}
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.want, func(t *testing.T) {
			l := c.Localizer(language.MustParse(tt.lang))
			if got := l.T("time.minutes_ago", "Count", tt.count); got != tt.want {
				t.Errorf("T(time.minutes_ago, Count=%d) = %q, want %q", tt.count, got, tt.want)
			}
		})
	}
}

func TestT(t *testing.T) {
	c := newTestCatalog(t)
	en := c.Localizer(language.English)
	de := c.Localizer(language.German)
	tests := []struct {
		name string
		l    *Localizer
		id   string
		args []any
		want string
	}{
		{name: "plain", l: en, id: "nav.home", want: "Home"},
		{name: "german", l: de, id: "nav.skip", want: "Zum Inhalt springen"},
		{name: "placeholder", l: en, id: "footer.runby", args: []any{"Organisation", "Beratung e.V."}, want: "Run by Beratung e.V."},
		{name: "placeholder german", l: de, id: "home.who", args: []any{"Organisation", "Beratung e.V."}, want: "Dieses Forum wird von Beratung e.V. betrieben."},
		{name: "markup left for html/template", l: en, id: "footer.runby", args: []any{"Organisation", "<b>A & B</b>"}, want: "Run by <b>A & B</b>"},
		{name: "extra argument ignored", l: en, id: "nav.home", args: []any{"Count", 3}, want: "Home"},
		{name: "missing id", l: en, id: "no.such.message", want: "‹no.such.message›"},
		{name: "missing id german", l: de, id: "no.such.message", want: "‹no.such.message›"},
		{name: "empty id", l: en, id: "", want: "‹›"},
		{name: "missing argument", l: en, id: "footer.runby", want: "‹footer.runby›"},
		{name: "odd arguments", l: en, id: "footer.runby", args: []any{"Organisation"}, want: "‹footer.runby›"},
		{name: "name not a string", l: en, id: "footer.runby", args: []any{1, "x"}, want: "‹footer.runby›"},
		{name: "count not a number", l: en, id: "time.minutes_ago", args: []any{"Count", []int{1}}, want: "‹time.minutes_ago›"},
		{name: "plural without count", l: en, id: "time.minutes_ago", want: "‹time.minutes_ago›"},
		{name: "nil localizer", l: nil, id: "nav.home", want: "‹nav.home›"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.T(tt.id, tt.args...); got != tt.want {
				t.Errorf("T(%q, %v) = %q, want %q", tt.id, tt.args, got, tt.want)
			}
		})
	}
}

func TestTFallsBackToDefaultLanguage(t *testing.T) {
	files := fstest.MapFS{
		"en.toml": {Data: []byte("[nav]\nhome = \"Home\"\nhelp = \"Help\"\n")},
		"de.toml": {Data: []byte("[nav]\nhome = \"Startseite\"\n")},
	}
	c, err := newCatalogFS(files, "en")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Localizer(language.German).T("nav.help"); got != "Help" {
		t.Errorf("T(nav.help) in de = %q, want the English text", got)
	}
}

func TestLocalizerChoice(t *testing.T) {
	c := newTestCatalog(t)
	tests := []struct {
		tag  language.Tag
		want string
	}{
		{tag: language.English, want: "en"},
		{tag: language.German, want: "de"},
		{tag: language.MustParse("de-AT"), want: "de"},
		{tag: language.French, want: "en"},
		{tag: language.Und, want: "en"},
	}
	for _, tt := range tests {
		t.Run(tt.tag.String(), func(t *testing.T) {
			if got := c.Localizer(tt.tag).Lang(); got != tt.want {
				t.Errorf("Localizer(%s).Lang() = %q, want %q", tt.tag, got, tt.want)
			}
		})
	}
}

func TestWithOverrides(t *testing.T) {
	c := newTestCatalog(t)
	en := c.Localizer(language.English)
	overrides := map[string]string{
		"site.tagline": "Peer support by the Harbour Centre",
		"footer.runby": "Run by {{.Organisation}} — call {{.Phone}}",
		"home.safety":  "{{if .X}}action{{end}} <i>text</i>",
	}
	site := en.WithOverrides(overrides)
	overrides["nav.home"] = "changed after the call"

	tests := []struct {
		name string
		l    *Localizer
		id   string
		args []any
		want string
	}{
		{name: "overridden", l: site, id: "site.tagline", want: "Peer support by the Harbour Centre"},
		{name: "placeholder filled, unknown one left", l: site, id: "footer.runby", args: []any{"Organisation", "Harbour"},
			want: "Run by Harbour — call {{.Phone}}"},
		{name: "no template actions", l: site, id: "home.safety", want: "{{if .X}}action{{end}} <i>text</i>"},
		{name: "others unchanged", l: site, id: "nav.help", want: "Help"},
		{name: "map copied", l: site, id: "nav.home", want: "Home"},
		{name: "original untouched", l: en, id: "site.tagline", want: "A safe place to share and find support"},
		{name: "same language", l: site, id: "nav.home", want: "Home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.l.T(tt.id, tt.args...); got != tt.want {
				t.Errorf("T(%q) = %q, want %q", tt.id, got, tt.want)
			}
		})
	}
	if site.Lang() != "en" {
		t.Errorf("Lang() = %q, want en", site.Lang())
	}
	if en.WithOverrides(nil) != en {
		t.Error("WithOverrides(nil) should return the same Localizer")
	}
}

func TestOutputIsEscapedByHTMLTemplate(t *testing.T) {
	c := newTestCatalog(t)
	l := c.Localizer(language.English).WithOverrides(map[string]string{"home.title": "<script>alert(1)</script>"})
	tmpl := template.Must(template.New("p").Funcs(template.FuncMap{"T": l.T}).Parse(
		`<h1>{{T "home.title"}}</h1><p>{{T "footer.runby" "Organisation" .}}</p>`))
	var out strings.Builder
	if err := tmpl.Execute(&out, "A & B"); err != nil {
		t.Fatal(err)
	}
	want := "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1><p>Run by A &amp; B</p>"
	if out.String() != want {
		t.Errorf("rendered %q, want %q", out.String(), want)
	}
}

func TestConcurrentUse(t *testing.T) {
	c := newTestCatalog(t)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			l := c.Localizer(c.Negotiate("de-AT;q=0.9, en;q=0.8"))
			if got := l.T("time.minutes_ago", "Count", i); !strings.HasPrefix(got, "vor ") {
				t.Errorf("got %q", got)
			}
		})
	}
	wg.Wait()
}
