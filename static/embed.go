// Package static carries Hearth's stylesheet, its small script and icons in
// the binary. They are served under content-hashed names with long cache
// lifetimes (see handlers/assets.go).
package static

import "embed"

// FS holds every static file.
//
//go:embed css js img
var FS embed.FS
