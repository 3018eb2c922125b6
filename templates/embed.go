// Package templates carries Hearth's html/template files in the binary:
// base.html is the layout, partials/ holds shared pieces, pages/ one file per
// page.
package templates

import "embed"

// FS holds every template.
//
//go:embed *.html partials/*.html pages/*.html
var FS embed.FS
