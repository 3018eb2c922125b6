package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"hearth/static"
)

// assets maps each static file to a content-hashed URL, so that a file can be
// cached for a year and a new release still reaches every browser at once.
type assets struct {
	urls  map[string]string // "css/hearth.css" → "/static/css/hearth.3f2a9c1d.css"
	files map[string]asset  // "/static/css/hearth.3f2a9c1d.css" → content
}

type asset struct {
	body        []byte
	contentType string
	// gzipped is body compressed once at start, nil when not worth it.
	gzipped []byte
}

func loadAssets() (*assets, error) {
	a := &assets{urls: map[string]string{}, files: map[string]asset{}}
	err := fs.WalkDir(static.FS, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") {
			return err
		}
		body, err := fs.ReadFile(static.FS, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		contentType := mime.TypeByExtension(ext)
		if contentType == "" {
			contentType = "application/octet-stream"
		}
		a.urls[name] = hashed
		a.files[hashed] = asset{body: body, contentType: contentType, gzipped: gzippedAsset(contentType, body)}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("handlers: load static files: %w", err)
	}
	return a, nil
}

// url returns the hashed URL of a static file; templates call it as
// {{asset "css/hearth.css"}}. An unknown name fails the template, which the
// renderer turns into a clean 500 and a log line; the page tests catch it.
func (a *assets) url(name string) (string, error) {
	u, ok := a.urls[name]
	if !ok {
		return "", fmt.Errorf("unknown static file %q", name)
	}
	return u, nil
}

// serve answers /static/* from memory with a one-year immutable cache.
func (a *assets) serve(c echo.Context) error {
	f, ok := a.files[c.Request().URL.Path]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Content-Type", f.contentType)
	if f.gzipped != nil {
		h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		if acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
			h.Set(echo.HeaderContentEncoding, "gzip")
			return c.Blob(http.StatusOK, f.contentType, f.gzipped)
		}
	}
	return c.Blob(http.StatusOK, f.contentType, f.body)
}
