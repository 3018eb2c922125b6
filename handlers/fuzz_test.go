package handlers

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"golang.org/x/net/html"

	"hearth/internal/auth"
	"hearth/internal/config"
	"hearth/internal/i18n"
	"hearth/internal/secrets"
	"hearth/models/testdb"
)

// FuzzBindForm sends arbitrary bodies to the form binder every handler
// uses. It never panics, refuses what it cannot read with a plain 400, and
// a field present in a well-formed body arrives exactly as sent (no
// truncation, no case change: ASVS 6.2.8 for passwords).
func FuzzBindForm(f *testing.F) {
	for _, seed := range []string{
		"username=anna&password=correct+horse",
		"title=%E2%80%AE&body=%00%ff&content_warning=x&submit_token=1",
		"a=1&a=2&USERNAME=x&password=",
		"%zz=1",
		"body=" + strings.Repeat("x", 300),
		"username=anna;password=x",
		"",
	} {
		f.Add(seed, uint8(0))
	}
	f.Add(`{"username":"anna"}`, uint8(1))
	f.Add("--b\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nanna\r\n--b--\r\n", uint8(2))
	contentTypes := []string{"application/x-www-form-urlencoded", "application/json", "multipart/form-data; boundary=b", "text/plain", ""}
	e := echo.New()
	f.Fuzz(func(t *testing.T, body string, kind uint8) {
		contentType := contentTypes[int(kind)%len(contentTypes)]
		bind := func(dst any) error {
			req := httptest.NewRequest(http.MethodPost, "/register", strings.NewReader(body))
			if contentType != "" {
				req.Header.Set(echo.HeaderContentType, contentType)
			}
			return bindForm(e.NewContext(req, httptest.NewRecorder()), dst)
		}
		var reg registerForm
		var login loginForm
		var post postForm
		for _, dst := range []any{&reg, &login, &post} {
			if err := bind(dst); err != nil {
				var he *echo.HTTPError
				if !errors.As(err, &he) || he.Code != http.StatusBadRequest {
					t.Fatalf("bind %q as %q: %v, want nil or 400", body, contentType, err)
				}
			}
		}
		if contentType != contentTypes[0] {
			return
		}
		values, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		for name, got := range map[string]string{
			"username": reg.Username, "password": reg.Password, "invite": reg.Invite, "accept": reg.Accept,
			"next": login.Next, "title": post.Title, "body": post.Body, "content_warning": post.ContentWarning,
		} {
			if v, ok := values[name]; ok && got != v[0] {
				t.Fatalf("field %s of %q bound as %q, want %q", name, body, got, v[0])
			}
		}
	})
}

// FuzzPageRender renders the forms that take the most untrusted text (sign
// up, first administrator, sign in, code) with arbitrary text given back in
// every field and every error: the page always renders, and its markup has
// the same elements and attributes as with plain text in the same places,
// so no input can add an element, an attribute or a script. ASVS 1.2.1.
func FuzzPageRender(f *testing.F) {
	for _, seed := range []string{
		`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `</textarea><svg onload=alert(1)>`,
		"javascript:alert(1)", "{{.CSRF}}", "\x00\u202e\ufeff", "&lt;b&gt;", "' onfocus='alert(1)", "",
	} {
		f.Add(seed, seed)
	}
	app := newFuzzApp(f)
	router := app.Router()
	pages := []string{"register", "setup", "login", "login_code"}
	fields := []string{"invite", "username", "password", "accept", "token", "next", "code", ""}
	render := func(t *testing.T, name, value, errorText string) string {
		req := httptest.NewRequest(http.MethodPost, "/register", nil)
		rec := httptest.NewRecorder()
		c := router.NewContext(req, rec)
		data := app.newPageData(c)
		for _, field := range fields {
			data.Form[field] = value
			data.Errors[field] = errorText
		}
		if err := app.page(c, http.StatusUnprocessableEntity, name, data); err != nil {
			t.Fatalf("render %s: %v", name, err)
		}
		return rec.Body.String()
	}
	plain := func(s string) string {
		if s == "" {
			return ""
		}
		return "x"
	}
	f.Fuzz(func(t *testing.T, value, errorText string) {
		for _, name := range pages {
			got := markupShape(render(t, name, value, errorText))
			want := markupShape(render(t, name, plain(value), plain(errorText)))
			if got != want {
				t.Fatalf("page %s: input %q / %q changed the markup\n got: %s\nwant: %s", name, value, errorText, got, want)
			}
		}
	})
}

// markupShape is a page's elements and attribute names in order, without
// text or attribute values.
func markupShape(page string) string {
	z := html.NewTokenizer(strings.NewReader(page))
	var b strings.Builder
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return b.String()
			}
			return b.String() + " !error " + z.Err().Error()
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			b.WriteString("<" + tok.Data)
			for _, a := range tok.Attr {
				b.WriteString(" " + a.Key)
			}
			b.WriteString(">")
		case html.CommentToken:
			b.WriteString("<!-- -->")
		}
	}
}

// newFuzzApp builds the App once for a fuzz target, like newTestServer
// without a server.
func newFuzzApp(f *testing.F) *App {
	f.Helper()
	key, err := secrets.NewKey()
	if err != nil {
		f.Fatal(err)
	}
	box, err := secrets.NewBox(key)
	if err != nil {
		f.Fatal(err)
	}
	catalog, err := i18n.NewCatalog("en")
	if err != nil {
		f.Fatal(err)
	}
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		f.Fatal(err)
	}
	app, err := New(Options{Config: cfg, DB: testdb.SQLite(f), Box: box, Catalog: catalog,
		Logger: slog.New(slog.DiscardHandler), PasswordParams: auth.TestParams()})
	if err != nil {
		f.Fatal(err)
	}
	return app
}
