package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"hearth/internal/auth"
	"hearth/internal/seed"
)

// member is one seeded member driven by the benchmark: its own cookie jar
// (so its own session) and its own X-Forwarded-For address, so that
// Hearth's per-client throttling sees many clients.
type member struct {
	username string
	secret   []byte
	xff      string
	http     *http.Client
	mu       sync.Mutex
	csrf     string
	// lastStep is the TOTP time step this member last signed in with: a
	// step is accepted once, so a member signs in at most once per step.
	lastStep int64
}

var csrfPattern = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func newMember(base string, transport http.RoundTripper, seedNumber int64, i int) *member {
	jar, _ := cookiejar.New(nil)
	name := seed.Username(i)
	return &member{
		username: name,
		secret:   seed.TOTPSecret(seedNumber, name),
		// 10.x.y.z: a distinct client address per member.
		xff: fmt.Sprintf("10.%d.%d.%d", (i>>16)&255, (i>>8)&255, i&255),
		http: &http.Client{Jar: jar, Transport: transport, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
}

// do sends a request and reads the whole body (so timing includes it),
// remembering the CSRF token of any form on the page.
func (m *member) do(method, u string, form url.Values) (int, http.Header, error) {
	var body io.Reader
	if form != nil {
		m.mu.Lock()
		if _, ok := form["csrf_token"]; !ok {
			form.Set("csrf_token", m.csrf)
		}
		m.mu.Unlock()
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		return 0, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Forwarded-For", m.xff)
	res, err := m.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	page, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, res.Header, err
	}
	if found := csrfPattern.FindSubmatch(page); found != nil {
		m.mu.Lock()
		m.csrf = string(found[1])
		m.mu.Unlock()
	}
	return res.StatusCode, res.Header, nil
}

// errBusy is a sign-in the hashing pool turned away with 503.
var errBusy = errors.New("busy (503)")

// startSignIn fetches the sign-in form, for a burst that then only posts.
func (m *member) startSignIn(base string) error {
	status, _, err := m.do(http.MethodGet, base+"/login", nil)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("GET /login: status %d", status)
	}
	return err
}

// postPassword sends the password step; Hearth always goes on to the code
// step (303), or answers 503 with Retry-After when its hashing queue is full.
func (m *member) postPassword(base string) (int, string, error) {
	status, h, err := m.do(http.MethodPost, base+"/login", url.Values{"username": {m.username}, "password": {seed.Password}})
	if err != nil {
		return status, "", err
	}
	switch status {
	case http.StatusSeeOther:
		return status, "", nil
	case http.StatusServiceUnavailable:
		return status, h.Get("Retry-After"), errBusy
	}
	return status, "", fmt.Errorf("POST /login: status %d", status)
}

// postCode fetches the code form and sends the member's current TOTP code.
// It refuses to reuse a time step, as Hearth would.
func (m *member) postCode(base string) error {
	now := time.Now()
	step := now.Unix() / 30
	if step <= m.lastStep {
		return fmt.Errorf("%s signed in during this time step already", m.username)
	}
	if status, _, err := m.do(http.MethodGet, base+"/login/code", nil); err != nil || status != http.StatusOK {
		return fmt.Errorf("GET /login/code: status %d: %v", status, err)
	}
	status, h, err := m.do(http.MethodPost, base+"/login/code", url.Values{"code": {auth.TOTPCode(m.secret, now)}})
	if err != nil {
		return err
	}
	if status != http.StatusSeeOther || strings.HasPrefix(h.Get("Location"), "/login") {
		return fmt.Errorf("POST /login/code: status %d to %q", status, h.Get("Location"))
	}
	m.lastStep = step
	// The first page after sign-in gives the CSRF token later forms use.
	_, _, err = m.do(http.MethodGet, base+"/groups", nil)
	return err
}

// signIn runs the whole journey through the real /login and /login/code.
func (m *member) signIn(base string) error {
	if err := m.startSignIn(base); err != nil {
		return err
	}
	if _, _, err := m.postPassword(base); err != nil {
		return err
	}
	return m.postCode(base)
}
