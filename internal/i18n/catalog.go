// Package i18n holds every word a person sees in Hearth and picks the language to show them in.
//
// Messages live in embedded TOML files, one per language, named after the language's BCP 47 tag
// (locales/en.toml, locales/de.toml). The files use the go-i18n format: a message is a string, or a
// table with plural forms ("one", "other", …); nested tables join their keys with dots, so
// [error.notfound] title = "…" is the message "error.notfound.title". Adding a language means adding
// one file: the package discovers locales/*.toml and needs no code change (the tests then insist that
// the new file has every message, with the same placeholders, including "lang.<tag>" in every file).
package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	i18ntemplate "github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"
)

// localeFiles carries the message files in the binary.
//
//go:embed locales/*.toml
var localeFiles embed.FS

// localeDir is the directory inside localeFiles that holds one TOML file per language.
const localeDir = "locales"

// Catalog holds the messages of every supported language. It is built once at start and is safe for
// concurrent use: nothing in it changes after NewCatalog returns.
type Catalog struct {
	bundle     *goi18n.Bundle
	defaultTag language.Tag
	// tags lists the supported languages, default first, the others sorted by tag.
	tags    []language.Tag
	matcher language.Matcher
	// messages keeps the parsed messages per language for lookups, fallbacks and tests.
	messages map[language.Tag]map[string]*goi18n.Message
	// parser executes message templates; missingkey=error turns a forgotten argument into a visible
	// "‹id›" instead of a silent "<no value>".
	parser *i18ntemplate.TextParser
	// localizers holds one ready Localizer per supported language.
	localizers map[language.Tag]*Localizer
}

// NewCatalog loads every embedded locale file. defaultLang (for example "en") must be one of them; it
// is the language shown when nothing else matches, and the fallback for a message missing elsewhere.
func NewCatalog(defaultLang string) (*Catalog, error) {
	dir, err := fs.Sub(localeFiles, localeDir)
	if err != nil {
		return nil, fmt.Errorf("i18n: open embedded locales: %w", err)
	}
	return newCatalogFS(dir, defaultLang)
}

// newCatalogFS loads every *.toml file at the top of fsys. Tests use it to prove that the package
// works with any number of locale files.
func newCatalogFS(fsys fs.FS, defaultLang string) (*Catalog, error) {
	defaultTag, err := language.Parse(defaultLang)
	if err != nil {
		return nil, fmt.Errorf("i18n: default language %q: %w", defaultLang, err)
	}
	files, err := fs.Glob(fsys, "*.toml")
	if err != nil {
		return nil, fmt.Errorf("i18n: list locale files: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("i18n: no locale files found")
	}

	messages := make(map[language.Tag]map[string]*goi18n.Message, len(files))
	for _, name := range files {
		tag, byID, err := loadLocaleFile(fsys, name)
		if err != nil {
			return nil, err
		}
		if _, dup := messages[tag]; dup {
			return nil, fmt.Errorf("i18n: %s: a second file for language %q", name, tag)
		}
		messages[tag] = byID
	}
	if _, ok := messages[defaultTag]; !ok {
		return nil, fmt.Errorf("i18n: default language %q has no locale file", defaultTag)
	}

	c := &Catalog{
		bundle:     goi18n.NewBundle(defaultTag),
		defaultTag: defaultTag,
		messages:   messages,
		parser:     &i18ntemplate.TextParser{Option: "missingkey=error"},
		localizers: make(map[language.Tag]*Localizer, len(messages)),
	}
	c.tags = append(c.tags, defaultTag)
	for tag := range messages {
		if tag != defaultTag {
			c.tags = append(c.tags, tag)
		}
	}
	slices.SortFunc(c.tags[1:], func(a, b language.Tag) int { return strings.Compare(a.String(), b.String()) })
	c.matcher = language.NewMatcher(c.tags)

	for _, tag := range c.tags {
		list := make([]*goi18n.Message, 0, len(messages[tag]))
		for _, m := range messages[tag] {
			list = append(list, m)
		}
		if err := c.bundle.AddMessages(tag, list...); err != nil {
			return nil, fmt.Errorf("i18n: add messages for %q: %w", tag, err)
		}
		c.localizers[tag] = &Localizer{
			catalog:   c,
			tag:       tag,
			localizer: goi18n.NewLocalizer(c.bundle, tag.String()),
		}
		c.localizers[tag].fillPlain()
	}
	return c, nil
}

// loadLocaleFile parses one locale file and checks every message in it, so that a broken file stops
// the server at start rather than showing a broken page later.
func loadLocaleFile(fsys fs.FS, name string) (language.Tag, map[string]*goi18n.Message, error) {
	base := strings.TrimSuffix(path.Base(name), ".toml")
	tag, err := language.Parse(base)
	if err != nil || tag == language.Und {
		return language.Und, nil, fmt.Errorf("i18n: %s: file name is not a language tag (like en.toml or pt-BR.toml)", name)
	}
	buf, err := fs.ReadFile(fsys, name)
	if err != nil {
		return language.Und, nil, fmt.Errorf("i18n: read %s: %w", name, err)
	}
	// Only the base name goes to go-i18n: it derives a tag from the path, which we have already done.
	file, err := goi18n.ParseMessageFileBytes(buf, path.Base(name), map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
	if err != nil {
		return language.Und, nil, fmt.Errorf("i18n: parse %s: %w", name, err)
	}
	byID := make(map[string]*goi18n.Message, len(file.Messages))
	for _, m := range file.Messages {
		if m.ID == "" {
			return language.Und, nil, fmt.Errorf("i18n: %s: a message without an id", name)
		}
		if _, dup := byID[m.ID]; dup {
			return language.Und, nil, fmt.Errorf("i18n: %s: message %q is defined twice", name, m.ID)
		}
		// A table that holds only go-i18n's reserved keys (for example a lone "description") parses as a
		// message without text; insisting on "other" catches it.
		if m.Other == "" {
			return language.Und, nil, fmt.Errorf("i18n: %s: message %q has no text (or no \"other\" form)", name, m.ID)
		}
		if _, err := messagePlaceholders(m); err != nil {
			return language.Und, nil, fmt.Errorf("i18n: %s: message %q: %w", name, m.ID, err)
		}
		byID[m.ID] = m
	}
	return tag, byID, nil
}

// Languages returns the supported languages, the default first and the others sorted by tag.
func (c *Catalog) Languages() []language.Tag {
	return slices.Clone(c.tags)
}

// Default returns the language shown when no preference matches.
func (c *Catalog) Default() language.Tag {
	return c.defaultTag
}

// MessageIDs returns the sorted message ids of lang (a tag such as "de"), or nil for a language the
// catalog does not have. It exists for tests.
func (c *Catalog) MessageIDs(lang string) []string {
	byID := c.messagesOf(lang)
	if byID == nil {
		return nil
	}
	ids := make([]string, 0, len(byID))
	for id := range byID {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Placeholders returns the sorted names of the placeholders ({{.Name}}) used in any form of the
// message id in lang, an empty slice for a message without any, and nil when lang or id is unknown.
// It exists for tests.
func (c *Catalog) Placeholders(lang, id string) []string {
	m, ok := c.messagesOf(lang)[id]
	if !ok {
		return nil
	}
	names, err := messagePlaceholders(m)
	if err != nil { // cannot happen: every message was checked at load
		return nil
	}
	return names
}

// messagesOf returns the messages of lang, or nil when lang is not a supported tag.
func (c *Catalog) messagesOf(lang string) map[string]*goi18n.Message {
	tag, err := language.Parse(lang)
	if err != nil {
		return nil
	}
	return c.messages[tag]
}

// messagePlaceholders parses every form of m as a template and returns the sorted, distinct names of
// the top-level fields it reads.
func messagePlaceholders(m *goi18n.Message) ([]string, error) {
	left, right := m.LeftDelim, m.RightDelim
	if left == "" {
		left = "{{"
	}
	if right == "" {
		right = "}}"
	}
	seen := map[string]bool{}
	for _, src := range []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other} {
		if src == "" {
			continue
		}
		tmpl, err := template.New(m.ID).Delims(left, right).Parse(src)
		if err != nil {
			return nil, err
		}
		collectFields(tmpl.Tree.Root, seen)
	}
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	slices.Sort(names)
	return names, nil
}

// collectFields records the first identifier of every field (.Name) under node.
func collectFields(node parse.Node, seen map[string]bool) {
	switch n := node.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, child := range n.Nodes {
			collectFields(child, seen)
		}
	case *parse.ActionNode:
		collectFields(n.Pipe, seen)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, cmd := range n.Cmds {
			collectFields(cmd, seen)
		}
	case *parse.CommandNode:
		for _, arg := range n.Args {
			collectFields(arg, seen)
		}
	case *parse.ChainNode:
		collectFields(n.Node, seen)
	case *parse.FieldNode:
		if len(n.Ident) > 0 {
			seen[n.Ident[0]] = true
		}
	case *parse.IfNode:
		collectBranch(&n.BranchNode, seen)
	case *parse.RangeNode:
		collectBranch(&n.BranchNode, seen)
	case *parse.WithNode:
		collectBranch(&n.BranchNode, seen)
	case *parse.TemplateNode:
		collectFields(n.Pipe, seen)
	}
}

// collectBranch walks the pipeline and both lists of an if, range or with.
func collectBranch(b *parse.BranchNode, seen map[string]bool) {
	collectFields(b.Pipe, seen)
	collectFields(b.List, seen)
	collectFields(b.ElseList, seen)
}
