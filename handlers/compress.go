package handlers

import (
	"compress/gzip"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// compress gzips pages, styles and scripts of 1 KB and more, at the fastest
// level: a topic page shrinks to about a fifth, which a member on a weak
// phone connection feels more than the server's few hundred microseconds.
//
// Two things Echo's Gzip middleware does not do on its own:
//   - it compresses whenever "gzip" appears in Accept-Encoding, even as
//     "gzip;q=0" (refused); those requests are skipped here;
//   - compression beside a secret and text an attacker can choose lets the
//     response length leak the secret (BREACH). Our CSRF token is masked
//     afresh in every response, but the pages that show a TOTP secret, a
//     setup link or recovery codes, and the sign-in and sign-up forms, are
//     never compressed.
func compress() echo.MiddlewareFunc {
	return middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     gzip.BestSpeed,
		MinLength: 1024,
		Skipper: func(c echo.Context) bool {
			return !acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) || holdsSecrets(c.Request().URL.Path)
		},
	})
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip: named,
// without q=0. (Browsers name it; a bare "*" is answered uncompressed, as
// Echo's middleware only looks for the name.)
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" {
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
	for _, prefix := range []string{"/account", "/login", "/signin", "/register", "/setup", "/reset", "/admin/resets"} {
		if path == prefix || strings.HasPrefix(path, prefix+"/") {
			return true
		}
	}
	return false
}
