package handlers

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"hearth/templates"
)

// renderer holds one parsed template set per page (base + partials + page),
// built once at start.
type renderer struct {
	pages map[string]*template.Template
}

func newRenderer(a *assets) (*renderer, error) {
	funcs := template.FuncMap{
		"asset": a.url,
		// deref reads an optional id (0 when absent).
		"deref": func(p *int64) int64 {
			if p == nil {
				return 0
			}
			return *p
		},
		// dict builds a map for passing several values to a partial.
		"dict": func(pairs ...any) (map[string]any, error) {
			if len(pairs)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(pairs)/2)
			for i := 0; i < len(pairs); i += 2 {
				key, ok := pairs[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", pairs[i])
				}
				m[key] = pairs[i+1]
			}
			return m, nil
		},
	}
	base, err := template.New("base.html").Funcs(funcs).ParseFS(templates.FS, "base.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("handlers: parse base templates: %w", err)
	}
	names, err := fs.Glob(templates.FS, "pages/*.html")
	if err != nil {
		return nil, err
	}
	r := &renderer{pages: map[string]*template.Template{}}
	for _, name := range names {
		t, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := t.ParseFS(templates.FS, name); err != nil {
			return nil, fmt.Errorf("handlers: parse %s: %w", name, err)
		}
		r.pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return r, nil
}

// page renders a page into a buffer first, so that a template error becomes a
// clean 500 instead of half a page.
func (a *App) page(c echo.Context, status int, name string, data *pageData) error {
	t, ok := a.render.pages[name]
	if !ok {
		return fmt.Errorf("handlers: no page template %q", name)
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer pageBuffers.Put(buf)
	buf.Reset()
	if err := t.ExecuteTemplate(buf, "base.html", data); err != nil {
		return fmt.Errorf("handlers: render %s: %w", name, err)
	}
	// blob writes the bytes out before the buffer goes back to the pool.
	return a.blob(c, status, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
}

// pageBuffers keeps render buffers between pages: a topic page is some
// tens of kilobytes, and growing a fresh buffer to that size for every page
// was a tenth of the server's time under load (allocating and clearing).
var pageBuffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 64<<10)) }}

// storedHTML marks HTML that Hearth stored after rendering it with
// internal/markup (posts' body_html, groups' about_html, hidden copies) as
// safe for templates. It is the one place where member content becomes
// template.HTML; nothing else may be passed to it. `hearth rerender`
// re-renders everything stored when the sanitizer's policy changes.
func storedHTML(sanitized string) template.HTML {
	return template.HTML(sanitized) // #nosec G203 -- produced by internal/markup, the one sanitizer
}
