package handlers

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/internal/config"
	"hearth/internal/i18n"
	"hearth/internal/secrets"
)

// testServer is the real router on an httptest server, with a client that
// keeps cookies and remembers the last CSRF token it saw, like a browser.
type testServer struct {
	t      testing.TB
	app    *App
	srv    *httptest.Server
	db     *gorm.DB
	logBuf *syncBuffer
	clock  *testClock
}

type testClient struct {
	ts   *testServer
	http *http.Client
	csrf string
	// header is added to every request (e.g. Accept-Language).
	header http.Header
}

// syncBuffer is a goroutine-safe log sink, so tests can read what was logged.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testClock is a settable clock for expiry tests.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type serverOption func(*Options)

func withBaseURL(raw string) serverOption {
	return func(o *Options) {
		u, _ := url.Parse(raw)
		o.Config.BaseURL = u
	}
}

func newTestServer(t testing.TB, db *gorm.DB, opts ...serverOption) *testServer {
	t.Helper()
	key, err := secrets.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	box, err := secrets.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	catalog, err := i18n.NewCatalog("en")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.FromEnv(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	logBuf := &syncBuffer{}
	clock := &testClock{now: time.Now().UTC()}
	o := Options{
		Config:         cfg,
		DB:             db,
		Box:            box,
		Catalog:        catalog,
		Logger:         slog.New(slog.NewTextHandler(logBuf, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PasswordParams: auth.TestParams(),
		Now:            clock.Now,
	}
	for _, opt := range opts {
		opt(&o)
	}
	app, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Router())
	t.Cleanup(srv.Close)
	return &testServer{t: t, app: app, srv: srv, db: db, logBuf: logBuf, clock: clock}
}

// client returns a new browser-like client with its own cookie jar.
func (ts *testServer) client() *testClient {
	jar, _ := cookiejar.New(nil)
	return &testClient{
		ts:     ts,
		header: http.Header{},
		http: &http.Client{
			Jar:           jar,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
}

var csrfPattern = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// response is a finished request with its body read.
type response struct {
	*http.Response
	body string
}

func (c *testClient) do(req *http.Request) *response {
	c.ts.t.Helper()
	for k, v := range c.header {
		req.Header[k] = v
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.ts.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfPattern.FindStringSubmatch(string(body)); m != nil {
		c.csrf = m[1]
	}
	return &response{Response: res, body: string(body)}
}

// get fetches a path.
func (c *testClient) get(path string) *response {
	c.ts.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.ts.srv.URL+path, nil)
	return c.do(req)
}

// post sends a form with the last CSRF token seen (unless the form has one).
func (c *testClient) post(path string, form url.Values) *response {
	c.ts.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["csrf_token"]; !ok {
		form.Set("csrf_token", c.csrf)
	}
	req, _ := http.NewRequest(http.MethodPost, c.ts.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// follow fetches the Location of a redirect.
func (c *testClient) follow(res *response) *response {
	c.ts.t.Helper()
	loc := res.Header.Get("Location")
	if loc == "" {
		c.ts.t.Fatalf("no redirect: status %d", res.StatusCode)
	}
	return c.get(loc)
}

func wantStatus(t testing.TB, res *response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, excerpt(res.body))
	}
}

func wantContains(t testing.TB, res *response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(res.body, p) {
			t.Fatalf("%s: body lacks %q\n%s", res.Request.URL.Path, p, excerpt(res.body))
		}
	}
}

func excerpt(s string) string {
	if i := strings.Index(s, `<main`); i >= 0 {
		s = s[i:]
	}
	if len(s) > 2500 {
		s = s[:2500]
	}
	return s
}
