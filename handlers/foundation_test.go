package handlers

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestSecurityHeaders checks the headers every response carries.
// ASVS 3.4.3, 3.4.4, 3.4.5, 3.4.6, 3.4.8.
func TestSecurityHeaders(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.client()
		for _, path := range []string{"/", "/help", "/privacy", "/legal", "/healthz", "/no-such-page"} {
			res := c.get(path)
			h := res.Header
			want := map[string]string{
				"Content-Security-Policy":    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
				"Referrer-Policy":            "no-referrer",
				"X-Content-Type-Options":     "nosniff",
				"Cross-Origin-Opener-Policy": "same-origin",
				"Permissions-Policy":         "camera=(), microphone=(), geolocation=(), interest-cohort=()",
			}
			for name, value := range want {
				if got := h.Get(name); got != value {
					t.Errorf("%s: %s = %q, want %q", path, name, got, value)
				}
			}
			if h.Get("X-XSS-Protection") != "" {
				t.Errorf("%s: X-XSS-Protection must not be sent", path)
			}
			if h.Get("Strict-Transport-Security") != "" {
				t.Errorf("%s: HSTS on plain http", path)
			}
			if h.Get(echo.HeaderXRequestID) == "" {
				t.Errorf("%s: no request ID", path)
			}
		}
	})
}

// TestHTTPSCookiesAndHSTS: with an https base URL, cookies get __Host- and
// Secure, and HSTS is sent for a year. ASVS 3.3.1, 3.3.2, 3.3.4, 3.4.1.
func TestHTTPSCookiesAndHSTS(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t), withBaseURL("https://forum.example.org"))
	res := ts.client().get("/")
	if got := res.Header.Get("Strict-Transport-Security"); got != "max-age=31536000; includeSubDomains" {
		t.Fatalf("HSTS = %q", got)
	}
	var found bool
	for _, ck := range res.Cookies() {
		if ck.Name == "__Host-hearth_csrf" {
			found = true
			if !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" {
				t.Fatalf("cookie flags: %+v", ck)
			}
		}
	}
	if !found {
		t.Fatalf("no __Host-hearth_csrf cookie in %v", res.Header["Set-Cookie"])
	}
}

// TestHomePageLanguages renders the home page by Accept-Language, with
// <html lang> right and no missing message.
func TestHomePageLanguages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		cases := []struct {
			name, acceptLanguage, wantLang, wantText string
		}{
			{"default", "", "en", "Leave this site"},
			{"english", "en-GB,en;q=0.9", "en", "How to join"},
			{"austrian german", "de-AT,de;q=0.9,en;q=0.5", "de", "So kannst du beitreten"},
			{"swiss german by weight", "fr-CH;q=0.9, de-CH;q=0.8", "de", "Seite schnell verlassen"},
			{"unsupported", "ja", "en", "How to join"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := ts.client()
				c.header.Set("Accept-Language", tc.acceptLanguage)
				res := c.get("/")
				wantStatus(t, res, http.StatusOK)
				wantContains(t, res, `<html lang="`+tc.wantLang+`">`, tc.wantText)
				if strings.Contains(res.body, "‹") {
					t.Fatalf("missing message on page: %s", excerpt(res.body))
				}
			})
		}
	})
}

// TestLanguageSwitch: a visitor picks a language with the footer form; the
// choice sticks and beats Accept-Language.
func TestLanguageSwitch(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	c := ts.client()
	c.header.Set("Accept-Language", "en")
	c.get("/help")
	res := c.post("/language", url.Values{"lang": {"de"}, "next": {"/help"}})
	wantStatus(t, res, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/help" {
		t.Fatalf("Location = %q", loc)
	}
	wantContains(t, c.follow(res), `<html lang="de">`, "Schnell verlassen")
	// A next pointing elsewhere never leaves the site.
	res = c.post("/language", url.Values{"lang": {"en"}, "next": {"//evil.example/"}})
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Fatalf("Location = %q, want /", loc)
	}
}

// TestNotFoundPage answers 404 with a calm page in the reader's language.
func TestNotFoundPage(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	c := ts.client()
	c.header.Set("Accept-Language", "de")
	res := c.get("/does-not-exist")
	wantStatus(t, res, http.StatusNotFound)
	wantContains(t, res, "Seite nicht gefunden", `href="/"`)
}

// TestHealthz answers 200 while the database answers and 503 once it does
// not.
func TestHealthz(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		c := ts.client()
		wantStatus(t, c.get("/healthz"), http.StatusOK)
		if err := models.Close(db); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, c.get("/healthz"), http.StatusServiceUnavailable)
	})
}

// TestStaticAssetsHashedAndCached: the page links a content-hashed
// stylesheet that is cached for a year; an unhashed name is 404.
func TestStaticAssetsHashedAndCached(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	c := ts.client()
	home := c.get("/")
	m := regexp.MustCompile(`href="(/static/css/hearth\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(home.body)
	if m == nil {
		t.Fatalf("no hashed stylesheet link in %s", excerpt(home.body))
	}
	res := c.get(m[1])
	wantStatus(t, res, http.StatusOK)
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Fatalf("Cache-Control = %q", got)
	}
	if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") {
		t.Fatalf("Content-Type = %q", res.Header.Get("Content-Type"))
	}
	wantStatus(t, c.get("/static/css/hearth.css"), http.StatusNotFound)
}

// TestCSRFRefusal: a state change without a token, with another visitor's
// token, or from another site is refused. ASVS 3.5.1.
func TestCSRFRefusal(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		victim, attacker := ts.client(), ts.client()
		victim.get("/")
		attacker.get("/")

		res := victim.post("/language", url.Values{"lang": {"de"}, "csrf_token": {""}})
		wantStatus(t, res, http.StatusForbidden)
		wantContains(t, res, "This form has expired")

		res = victim.post("/language", url.Values{"lang": {"de"}, "csrf_token": {attacker.csrf}})
		wantStatus(t, res, http.StatusForbidden)

		req, _ := http.NewRequest(http.MethodPost, ts.srv.URL+"/language",
			strings.NewReader(url.Values{"lang": {"de"}, "csrf_token": {victim.csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		wantStatus(t, victim.do(req), http.StatusForbidden)

		wantStatus(t, victim.post("/language", url.Values{"lang": {"de"}}), http.StatusSeeOther)
		if !strings.Contains(ts.logBuf.String(), "csrf token refused") {
			t.Fatal("refusals are not logged") // ASVS 16.3.3
		}
	})
}

// TestPanicBecomesCleanServerError: the client sees a calm page, the log gets
// the stack with the request ID. ASVS 16.5.1.
func TestPanicBecomesCleanServerError(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	e := ts.app.Router()
	e.GET("/boom", func(echo.Context) error { panic("internal detail 42") })
	ts.srv.Config.Handler = e
	res := ts.client().get("/boom")
	wantStatus(t, res, http.StatusInternalServerError)
	wantContains(t, res, "Something went wrong")
	if strings.Contains(res.body, "internal detail 42") || strings.Contains(res.body, "goroutine") {
		t.Fatal("panic detail leaked to the client")
	}
	if log := ts.logBuf.String(); !strings.Contains(log, "internal detail 42") || !strings.Contains(log, "request_id=") {
		t.Fatalf("panic not logged with request id: %s", log)
	}
}

// TestAccessLogKeepsNoAddressOrQuery: the access log has route and status,
// never the client address, the query string or form values. ASVS 16.2.5.
func TestAccessLogKeepsNoAddressOrQuery(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	c := ts.client()
	c.header.Set("X-Forwarded-For", "203.0.113.77")
	c.header.Set("X-Real-IP", "198.51.100.23")
	c.get("/help?secret=hunter2-query")
	c.post("/language", url.Values{"lang": {"de"}, "next": {"/form-secret-value"}})
	log := ts.logBuf.String()
	for _, leak := range []string{"203.0.113.77", "198.51.100.23", "127.0.0.1", "hunter2-query", "form-secret-value"} {
		if strings.Contains(log, leak) {
			t.Errorf("log contains %q:\n%s", leak, log)
		}
	}
	if !strings.Contains(log, "route=/help") || !strings.Contains(log, "status=200") {
		t.Fatalf("access log lacks route or status:\n%s", log)
	}
}

// TestLocalPath keeps a next parameter on this site.
func TestLocalPath(t *testing.T) {
	cases := map[string]string{
		"":                     "/",
		"/groups/a?page=2":     "/groups/a?page=2",
		"//evil.example":       "/",
		"/\\evil.example":      "/",
		"https://evil.example": "/",
		"javascript:alert(1)":  "/",
		"relative":             "/",
		"/ok\r\nSet-Cookie: x": "/",
	}
	for in, want := range cases {
		if got := localPath(in); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTemplatesUseKnownMessages fails when a template names a message that
// exists in neither language.
func TestTemplatesUseKnownMessages(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t))
	keys := templateMessageKeys(t)
	if len(keys) < 20 {
		t.Fatalf("found only %d keys: the pattern is broken", len(keys))
	}
	for _, lang := range ts.app.catalog.Languages() {
		l := ts.app.catalog.Localizer(lang)
		for _, key := range keys {
			if !l.Has(key) {
				t.Errorf("template uses %q, missing in %s", key, lang)
			}
		}
	}
}
