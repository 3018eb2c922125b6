package models

import (
	"database/sql/driver"
	"strings"
	"sync"
	"unicode"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/german"
	gosqlite "github.com/glebarez/go-sqlite"
)

// StemText reduces text to its word stems in language ("english" or
// "german"), lower-cased and separated by spaces, so that "Beratungsstellen"
// finds "Beratungsstelle" and "walking" finds "walk". PostgreSQL stems with
// its own dictionaries; on SQLite the FTS5 index holds this text (FTS5's
// porter tokenizer knows only English).
func StemText(text, language string) string {
	stem := english.Stem
	if language == "german" {
		stem = german.Stem
	}
	words := strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := make([]string, 0, len(words))
	for _, w := range words {
		env := snowballstem.NewEnv(strings.ToLower(w))
		stem(env)
		out = append(out, env.Current())
	}
	return strings.Join(out, " ")
}

// registerSQLiteFunctions makes hearth_stem(text, language) available to
// every SQLite connection; the search index's triggers call it. The driver's
// registry is process-wide, hence the once.
var registerSQLiteFunctions = sync.OnceValue(func() error {
	return gosqlite.RegisterDeterministicScalarFunction("hearth_stem", 2,
		func(_ *gosqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			text, _ := args[0].(string)
			language, _ := args[1].(string)
			return StemText(text, language), nil
		})
})
