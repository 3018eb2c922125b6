// Package migrations holds Hearth's versioned SQL migrations, one folder per
// database dialect, embedded in the binary, and the small runner that applies
// them in order, each in its own transaction, recorded in schema_migrations.
package migrations

import "embed"

// files holds postgres/*.sql and sqlite/*.sql. A migration is named
// NNNN_description.sql; both dialects carry the same numbers.
//
//go:embed postgres/*.sql sqlite/*.sql
var files embed.FS
