package handlers

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// minCompressed is the smallest body worth compressing: below about one
// network packet, gzip's framing costs more than it saves.
const minCompressed = 1024

// gzipWriters keeps gzip writers at the fastest level between responses.
// A writer is taken only while a finished page is compressed (well under a
// millisecond), never for the length of a request: Echo's Gzip middleware
// holds one (about 1 MB) from the start of a request to its end, and a
// queue of slow requests under load took gigabytes.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // the level is valid
	return w
}}

// gzipBytes compresses body.
func gzipBytes(body []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(body) / 3)
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&out)
	// Writing to a bytes.Buffer cannot fail.
	_, _ = w.Write(body)
	_ = w.Close()
	return out.Bytes()
}

// blob writes a complete response body, gzipped when the browser accepts
// it, the body is large enough and the page holds no secret.
//
// A page that shows a secret beside text an attacker can choose lets the
// compressed length leak the secret (BREACH). Our CSRF token is masked
// afresh in every response, but the pages that show a TOTP secret, a setup
// link or recovery codes, and the sign-in and sign-up forms, are never
// compressed.
func (a *App) blob(c echo.Context, status int, contentType string, body []byte) error {
	h := c.Response().Header()
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if len(body) >= minCompressed && acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) &&
		!holdsSecrets(c.Request().URL.Path) {
		h.Set(echo.HeaderContentEncoding, "gzip")
		body = gzipBytes(body)
	}
	return c.Blob(status, contentType, body)
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip: named,
// without q=0. (Browsers name it; a bare "*" is answered uncompressed.)
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		key, value, _ := strings.Cut(strings.TrimSpace(params), "=")
		if strings.EqualFold(strings.TrimSpace(key), "q") {
			if q, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil && q == 0 {
				return false
			}
		}
		return true
	}
	return false
}

// holdsSecrets names the paths whose pages may show a secret of the member
// (authenticator secret, recovery codes, setup or reset links) or take one.
func holdsSecrets(path string) bool {
	for _, prefix := range []string{"/account", "/login", "/register", "/setup", "/reset", "/admin/resets"} {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}

// gzippedAsset is a static file compressed once at start, when that makes
// it smaller.
func gzippedAsset(contentType string, body []byte) []byte {
	if len(body) < minCompressed || !(strings.HasPrefix(contentType, "text/") ||
		strings.Contains(contentType, "javascript") || strings.Contains(contentType, "svg")) {
		return nil
	}
	gz := gzipBytes(body)
	if len(gz) >= len(body) {
		return nil
	}
	return gz
}
