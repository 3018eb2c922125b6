package handlers

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestPagesAreCompressed: a page or stylesheet is gzipped for a browser
// that asks (and says Vary), not for one that refuses gzip with q=0, and
// never on the pages that show or take secrets.
func TestPagesAreCompressed(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		m := ts.createMember("anna", models.RoleMember)
		g := ts.makeGroup("circle", true)
		ts.join(g, m, models.GroupRoleMember)
		c := ts.signedIn(m)
		get := func(path, acceptEncoding string) (*http.Response, string) {
			t.Helper()
			req, err := http.NewRequest(http.MethodGet, ts.srv.URL+path, nil)
			if err != nil {
				t.Fatal(err)
			}
			// Set by hand, the transport neither adds gzip nor unpacks it.
			req.Header.Set("Accept-Encoding", acceptEncoding)
			res, err := c.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body io.Reader = res.Body
			if res.Header.Get("Content-Encoding") == "gzip" {
				zr, err := gzip.NewReader(res.Body)
				if err != nil {
					t.Fatal(err)
				}
				body = zr
			}
			text, err := io.ReadAll(body)
			if err != nil {
				t.Fatal(err)
			}
			return res, string(text)
		}
		css, err := ts.app.assets.url("css/hearth.css")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, path, acceptEncoding string
			wantGzip                   bool
		}{
			{"stylesheet", css, "gzip", true},
			{"stylesheet, gzip refused", css, "identity", false},
			{"group page", "/groups/circle", "gzip, deflate, br", true},
			{"wildcard", "/groups/circle", "*", false},
			{"gzip refused", "/groups/circle", "gzip;q=0, identity", false},
			{"no header", "/groups/circle", "", false},
			{"security page", "/account/security", "gzip", false},
			{"sign-in page", "/login", "gzip", false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res, body := get(tc.path, tc.acceptEncoding)
				if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusSeeOther {
					t.Fatalf("status %d", res.StatusCode)
				}
				if got := res.Header.Get("Content-Encoding") == "gzip"; got != tc.wantGzip {
					t.Fatalf("gzip %v, want %v", got, tc.wantGzip)
				}
				if !tc.wantGzip {
					return
				}
				if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
					t.Fatalf("vary %q", res.Header.Get("Vary"))
				}
				want := "</html>"
				if tc.path == css {
					want = "{"
				}
				if !strings.Contains(body, want) {
					t.Fatalf("body %q", excerpt(body))
				}
			})
		}
	})
}
