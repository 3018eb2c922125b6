package i18n

import (
	"fmt"
	"maps"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Localizer translates messages into one language. It is immutable and safe for concurrent use;
// handlers get one per request from Catalog.Localizer and hand its T method to the templates.
//
// Per-site overrides: an administrator may replace single texts per language. The handler layer
// loads them from the settings and asks for
//
//	catalog.Localizer(tag).WithOverrides(settings.TextOverrides[tag.String()])
//
// An override is plain text, not a template: it cannot run template actions, and it passes through the
// same html/template escaping as every other message. Its only substitution is the literal
// placeholder form "{{.Name}}", which is replaced by the matching T argument, so an override of
// "footer.runby" can still say "Run by {{.Organisation}}". An override has one form for every count.
type Localizer struct {
	catalog   *Catalog
	tag       language.Tag
	localizer *goi18n.Localizer
	overrides map[string]string
	// plain holds, per id, the finished text of every message without
	// placeholders or plural forms, made once when the catalog loads: most
	// texts on a page are such labels, and a page of 50 posts asks for
	// hundreds of them.
	plain map[string]string
}

// Localizer returns the Localizer for tag. A tag that is not supported as such is negotiated first,
// so a regional variant gets its base language and anything else gets the default language.
func (c *Catalog) Localizer(tag language.Tag) *Localizer {
	if l, ok := c.localizers[tag]; ok {
		return l
	}
	if supported, ok := c.match(tag); ok {
		return c.localizers[supported]
	}
	return c.localizers[c.defaultTag]
}

// WithOverrides returns a copy of l in which each id in overrides shows the given text instead of the
// catalog's message (see the Localizer type for the rules). l itself is unchanged, and the map is copied,
// so the caller may reuse it. An empty map returns l.
func (l *Localizer) WithOverrides(overrides map[string]string) *Localizer {
	if l == nil || len(overrides) == 0 {
		return l
	}
	copied := *l
	copied.overrides = maps.Clone(overrides)
	return &copied
}

// Lang returns the BCP 47 tag of the language, for <html lang="…">, for example "en" or "de".
func (l *Localizer) Lang() string {
	if l == nil {
		return ""
	}
	return l.tag.String()
}

// Has reports whether id is a known message (or an override) in this
// language or the default one.
func (l *Localizer) Has(id string) bool {
	if l == nil || l.catalog == nil {
		return false
	}
	if _, ok := l.overrides[id]; ok {
		return true
	}
	if _, ok := l.catalog.messages[l.tag][id]; ok {
		return true
	}
	_, ok := l.catalog.messages[l.catalog.defaultTag][id]
	return ok
}

// T translates the message id. args are alternating name/value pairs that fill the {{.Name}}
// placeholders, for example T("footer.runby", "Organisation", name); an int "Count" also selects the
// plural form, for example T("time.minutes_ago", "Count", 5). The result is plain text for
// html/template to escape.
//
// T never panics. A message missing in this language falls back to the default language. An id that
// exists nowhere, a missing or malformed argument, or any other failure returns the id wrapped as
// "‹id›", so that a test (and a reader) can spot it.
func (l *Localizer) T(id string, args ...any) string {
	if l == nil || l.catalog == nil {
		return missing(id)
	}
	data, ok := argsToData(args)
	if !ok {
		return missing(id)
	}
	if text, ok := l.overrides[id]; ok {
		return fillOverride(text, data)
	}
	if len(data) == 0 {
		if text, ok := l.plain[id]; ok {
			return text
		}
	}

	message, ok := l.catalog.messages[l.tag][id]
	if !ok {
		message, ok = l.catalog.messages[l.catalog.defaultTag][id]
	}
	if !ok {
		return missing(id)
	}
	config := &goi18n.LocalizeConfig{
		MessageID:      id,
		TemplateData:   data,
		TemplateParser: l.catalog.parser,
	}
	// Only a message with plural forms gets a PluralCount: go-i18n reports an error when the form
	// chosen by the count is absent, even though it then falls back to "other".
	if count, has := data["Count"]; has && hasPluralForms(message) {
		config.PluralCount = count
	}
	text, err := l.localizer.Localize(config)
	if err != nil {
		if _, notFound := err.(*goi18n.MessageNotFoundErr); !notFound || text == "" {
			return missing(id)
		}
		// Not found in this language, found in the default one: show that rather than nothing.
	}
	return text
}

// missing marks an id that could not be translated.
func missing(id string) string {
	return "‹" + id + "›"
}

// argsToData turns alternating name/value pairs into template data; it reports false for an odd
// number of arguments or a name that is not a string.
func argsToData(args []any) (map[string]any, bool) {
	if len(args)%2 != 0 {
		return nil, false
	}
	data := make(map[string]any, len(args)/2)
	for i := 0; i < len(args); i += 2 {
		name, ok := args[i].(string)
		if !ok || name == "" {
			return nil, false
		}
		data[name] = args[i+1]
	}
	return data, true
}

// hasPluralForms reports whether m has any form besides "other".
func hasPluralForms(m *goi18n.Message) bool {
	return m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != ""
}

// fillOverride replaces each literal "{{.Name}}" in an administrator's text with its argument.
// Nothing else in the text has any meaning.
func fillOverride(text string, data map[string]any) string {
	if len(data) == 0 || !strings.Contains(text, "{{.") {
		return text
	}
	pairs := make([]string, 0, 2*len(data))
	for name, value := range data {
		pairs = append(pairs, "{{."+name+"}}", fmt.Sprint(value))
	}
	return strings.NewReplacer(pairs...).Replace(text)
}

// fillPlain computes the text of every message of l's language (and of the
// default language where l's lacks one) that has no placeholder and no
// plural forms, for T to hand out without executing a template.
func (l *Localizer) fillPlain() {
	l.plain = map[string]string{}
	for _, tag := range []language.Tag{l.catalog.defaultTag, l.tag} {
		for id, m := range l.catalog.messages[tag] {
			if hasPluralForms(m) || strings.Contains(m.Other, "{{") {
				delete(l.plain, id)
				continue
			}
			if text := l.T(id); text != missing(id) {
				l.plain[id] = text
			}
		}
	}
}
