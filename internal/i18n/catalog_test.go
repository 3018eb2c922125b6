package i18n

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/language"
)

// newTestCatalog loads the embedded locales with English as the default.
func newTestCatalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := NewCatalog("en")
	if err != nil {
		t.Fatalf("NewCatalog: %v", err)
	}
	return c
}

func TestEveryLanguageHasEveryMessage(t *testing.T) {
	// requiredIDs are the messages the first pages depend on.
	requiredIDs := []string{
		"site.tagline",
		"nav.home", "nav.groups", "nav.signin", "nav.register", "nav.signout", "nav.help",
		"nav.privacy", "nav.legal", "nav.language", "nav.skip",
		"footer.runby",
		"error.notfound.title", "error.notfound.body",
		"error.server.title", "error.server.body",
		"error.forbidden.title", "error.forbidden.body",
		"error.badrequest.title", "error.badrequest.body",
		"error.toomany.title", "error.toomany.body",
		"error.busy.title", "error.busy.body",
		"error.csrf.title", "error.csrf.body",
		"home.title", "home.intro", "home.who", "home.howtojoin", "home.safety",
		"time.minutes_ago",
	}
	c := newTestCatalog(t)
	defaultIDs := c.MessageIDs(c.Default().String())
	for _, tag := range c.Languages() {
		lang := tag.String()
		t.Run(lang, func(t *testing.T) {
			ids := c.MessageIDs(lang)
			for _, id := range defaultIDs {
				if !slices.Contains(ids, id) {
					t.Errorf("%s lacks %q, which %s has", lang, id, c.Default())
				}
			}
			for _, id := range ids {
				if !slices.Contains(defaultIDs, id) {
					t.Errorf("%s has %q, which %s lacks", lang, id, c.Default())
				}
			}
			for _, id := range requiredIDs {
				if !slices.Contains(ids, id) {
					t.Errorf("%s lacks required message %q", lang, id)
				}
			}
			// Every language names every language, so the language menu is complete in each.
			for _, other := range c.Languages() {
				if id := "lang." + other.String(); !slices.Contains(ids, id) {
					t.Errorf("%s lacks %q", lang, id)
				}
			}
		})
	}
}

func TestLanguageNamesAreInTheirOwnLanguage(t *testing.T) {
	c := newTestCatalog(t)
	for _, named := range c.Languages() {
		id := "lang." + named.String()
		own := c.Localizer(named).T(id)
		for _, in := range c.Languages() {
			if got := c.Localizer(in).T(id); got != own {
				t.Errorf("%s in %s = %q, want %q (its own name)", id, in, got, own)
			}
		}
	}
}

func TestPlaceholdersMatchBetweenLanguages(t *testing.T) {
	c := newTestCatalog(t)
	def := c.Default().String()
	for _, id := range c.MessageIDs(def) {
		want := c.Placeholders(def, id)
		for _, tag := range c.Languages()[1:] {
			if got := c.Placeholders(tag.String(), id); !slices.Equal(got, want) {
				t.Errorf("%s in %s uses %v, in %s %v", id, tag, got, def, want)
			}
		}
	}
}

func TestPlaceholders(t *testing.T) {
	c := newTestCatalog(t)
	tests := []struct {
		name, lang, id string
		want           []string
	}{
		{name: "none", lang: "en", id: "nav.home", want: []string{}},
		{name: "one name", lang: "de", id: "footer.runby", want: []string{"Organisation"}},
		{name: "plural", lang: "de", id: "time.minutes_ago", want: []string{"Count"}},
		{name: "unknown id", lang: "en", id: "no.such", want: nil},
		{name: "unknown language", lang: "fr", id: "nav.home", want: nil},
		{name: "garbage language", lang: "%%", id: "nav.home", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Placeholders(tt.lang, tt.id)
			if !slices.Equal(got, tt.want) || (got == nil) != (tt.want == nil) {
				t.Errorf("Placeholders(%q, %q) = %#v, want %#v", tt.lang, tt.id, got, tt.want)
			}
		})
	}
}

func TestNewCatalogDefault(t *testing.T) {
	tests := []struct {
		name          string
		defaultLang   string
		wantErr       bool
		wantLanguages []string
	}{
		{name: "english", defaultLang: "en", wantLanguages: []string{"en", "de"}},
		{name: "german first", defaultLang: "de", wantLanguages: []string{"de", "en"}},
		{name: "no such locale", defaultLang: "fr", wantErr: true},
		{name: "garbage", defaultLang: "not a tag", wantErr: true},
		{name: "empty", defaultLang: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewCatalog(tt.defaultLang)
			if (err != nil) != tt.wantErr {
				t.Fatalf("NewCatalog(%q) error = %v, wantErr %v", tt.defaultLang, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := tagStrings(c.Languages()); !slices.Equal(got, tt.wantLanguages) {
				t.Errorf("Languages() = %v, want %v", got, tt.wantLanguages)
			}
			if got := c.Default().String(); got != tt.wantLanguages[0] {
				t.Errorf("Default() = %q, want %q", got, tt.wantLanguages[0])
			}
		})
	}
}

func TestEmbeddedLocaleFilesAreAllLoaded(t *testing.T) {
	c := newTestCatalog(t)
	files, err := fs.Glob(localeFiles, localeDir+"/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	var fromFiles []string
	for _, f := range files {
		fromFiles = append(fromFiles, strings.TrimSuffix(path.Base(f), ".toml"))
	}
	loaded := tagStrings(c.Languages())
	slices.Sort(fromFiles)
	slices.Sort(loaded)
	if !slices.Equal(fromFiles, loaded) {
		t.Errorf("locale files %v, loaded languages %v", fromFiles, loaded)
	}
}

func TestCatalogWithAnyNumberOfLocaleFiles(t *testing.T) {
	en := &fstest.MapFile{Data: []byte("[nav]\nhome = \"Home\"\n[time.minutes_ago]\none = \"{{.Count}} minute ago\"\nother = \"{{.Count}} minutes ago\"\n")}
	de := &fstest.MapFile{Data: []byte("[nav]\nhome = \"Startseite\"\n")}
	fr := &fstest.MapFile{Data: []byte("nav.home = \"Accueil\"\n")}
	ptBR := &fstest.MapFile{Data: []byte("[nav]\nhome = \"Início\"\n")}
	tests := []struct {
		name          string
		files         fstest.MapFS
		defaultLang   string
		wantErr       string
		wantLanguages []string
	}{
		{name: "one file", files: fstest.MapFS{"en.toml": en}, defaultLang: "en", wantLanguages: []string{"en"}},
		{name: "four files", files: fstest.MapFS{"en.toml": en, "fr.toml": fr, "de.toml": de, "pt-BR.toml": ptBR},
			defaultLang: "fr", wantLanguages: []string{"fr", "de", "en", "pt-BR"}},
		{name: "other files ignored", files: fstest.MapFS{"en.toml": en, "README.md": {Data: []byte("x")}},
			defaultLang: "en", wantLanguages: []string{"en"}},
		{name: "no files", files: fstest.MapFS{}, defaultLang: "en", wantErr: "no locale files"},
		{name: "default missing", files: fstest.MapFS{"de.toml": de}, defaultLang: "en", wantErr: "no locale file"},
		{name: "bad file name", files: fstest.MapFS{"en.toml": en, "english.toml": en}, defaultLang: "en", wantErr: "not a language tag"},
		{name: "same language twice", files: fstest.MapFS{"en.toml": en, "EN.toml": en}, defaultLang: "en", wantErr: "second file"},
		{name: "broken toml", files: fstest.MapFS{"en.toml": {Data: []byte("[nav\n")}}, defaultLang: "en", wantErr: "parse"},
		{name: "message without text", files: fstest.MapFS{"en.toml": {Data: []byte("[nav.home]\ndescription = \"Link to the start\"\n")}},
			defaultLang: "en", wantErr: "has no text"},
		{name: "broken template", files: fstest.MapFS{"en.toml": {Data: []byte("x = \"{{.Name\"\n")}}, defaultLang: "en", wantErr: "message \"x\""},
		{name: "defined twice", files: fstest.MapFS{"en.toml": {Data: []byte("\"nav.home\" = \"A\"\n[nav]\nhome = \"B\"\n")}},
			defaultLang: "en", wantErr: "defined twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := newCatalogFS(tt.files, tt.defaultLang)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("newCatalogFS: %v", err)
			}
			if got := tagStrings(c.Languages()); !slices.Equal(got, tt.wantLanguages) {
				t.Errorf("Languages() = %v, want %v", got, tt.wantLanguages)
			}
			for _, tag := range c.Languages() {
				if got := c.Localizer(tag).T("nav.home"); strings.HasPrefix(got, "‹") {
					t.Errorf("%s: T(nav.home) = %q", tag, got)
				}
			}
		})
	}
}

// tagStrings renders tags for comparison.
func tagStrings(tags []language.Tag) []string {
	out := make([]string, len(tags))
	for i, tag := range tags {
		out[i] = tag.String()
	}
	return out
}
