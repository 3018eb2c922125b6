package handlers

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// wantInert fails when a payload with markup comes back unescaped.
func wantInert(t *testing.T, page *response, payloads []string) {
	t.Helper()
	for _, p := range payloads {
		if strings.ContainsAny(p, "<>") && strings.Contains(page.body, p) {
			t.Fatalf("%s: payload shown raw: %q", page.Request.URL.Path, p)
		}
	}
}

// TestModXSSPayloads sends public payloads through the report note, a
// moderator's reason and note to the member, a moderators' note and an
// appeal: each is refused (422) or shown inert on the report page, the
// member page, the audit log and the member's decisions page. ASVS 1.2.1.
func TestModXSSPayloads(t *testing.T) {
	all := loadPayloads(t)
	// Every sixth payload: the moderation fields share one escaping path
	// (html/template, plain text), and the full list through five forms on
	// two databases takes minutes.
	var payloads []string
	for i := 0; i < len(all); i += 6 {
		payloads = append(payloads, all[i])
	}
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newModFixture(t, db)
		ts := f.ts
		const batch = 50
		for start := 0; start < len(payloads); start += batch {
			part := payloads[start:min(start+batch, len(payloads))]
			site := ts.signedIn(f.site)
			site.get("/mod/members/anna")
			var reportID int64
			for _, p := range part {
				now := ts.clock.Now()
				r := &models.Report{ReporterID: &f.admin2.acct.ID, SubjectID: &f.anna.acct.ID, PostID: &f.annaPost.ID,
					GroupID: &f.circle.ID, Reason: "other", Note: p, PostCopy: p, CreatedAt: now}
				if err := db.Create(r).Error; err != nil {
					t.Fatal(err)
				}
				reportID = r.ID
				res := site.post("/mod/members/anna/warn", url.Values{"reason": {p}, "note": {p}, "group": {"circle"}})
				if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("warn with payload %q: status %d", p, res.StatusCode)
				}
				res = site.post("/mod/members/anna/note", url.Values{"body": {p}})
				if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("note with payload %q: status %d", p, res.StatusCode)
				}
				wantInert(t, res, part)
			}
			wantInert(t, site.get(fmt.Sprintf("/mod/reports/%d", reportID)), part)
			wantInert(t, site.get("/mod/members/anna"), part)
			wantInert(t, ts.signedIn(f.admin).get("/mod/audit"), part)
			anna := ts.signedIn(f.anna)
			page := anna.get("/appeals")
			wantInert(t, page, part)
			var acts []models.ModAction
			db.Where("target_id = ? AND action = ?", f.anna.acct.ID, models.ModWarn).Order("id DESC").Limit(len(part)).Find(&acts)
			for i, a := range acts {
				res := anna.post(fmt.Sprintf("/appeals/%d", a.ID), url.Values{"body": {part[i%len(part)]}})
				if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnprocessableEntity {
					t.Fatalf("appeal: status %d", res.StatusCode)
				}
				wantInert(t, res, part)
			}
			wantInert(t, site.get("/mod"), part)
			db.Exec("DELETE FROM appeals")
			db.Exec("UPDATE reports SET closed_at = ?", ts.clock.Now())
		}
		// Report notes through the form: refused or stored as typed.
		bodhi := ts.signedIn(f.bodhi)
		for _, p := range payloads[:models.ReportsPerHour] {
			res := bodhi.post(fmt.Sprintf("/posts/%d/report", f.annaPost.ID), url.Values{"reason": {"other"}, "note": {p}})
			if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("report with payload %q: status %d", p, res.StatusCode)
			}
			wantInert(t, res, payloads[:models.ReportsPerHour])
		}
	})
}

// TestModUrgentAlert: an "at risk" report sends one content-free alert to
// the configured webhook and SMTP server; nothing of the report leaves.
func TestModUrgentAlert(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		var mu sync.Mutex
		var hooks []string
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			buf := make([]byte, 4096)
			n, _ := r.Body.Read(buf)
			mu.Lock()
			hooks = append(hooks, string(buf[:n]))
			mu.Unlock()
		}))
		defer hook.Close()
		mail := fakeSMTP(t)
		f := newModFixture(t, db)
		ts := f.ts
		admin := ts.signedIn(f.admin)
		admin.get("/admin/words")
		res := admin.post("/admin/alerts", url.Values{"webhook": {"javascript:alert(1)"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantStatus(t, admin.post("/admin/alerts", url.Values{"webhook": {hook.URL}, "smtp": {mail.addr},
			"from": {"hearth@example.org"}, "to": {"team@example.org"}}), http.StatusSeeOther)
		bodhi := ts.signedIn(f.bodhi)
		bodhi.post(fmt.Sprintf("/posts/%d/report", f.annaPost.ID), url.Values{"reason": {"spam"}, "note": {"not urgent"}})
		bodhi.post(fmt.Sprintf("/posts/%d/report", f.annaPost.ID), url.Values{"reason": {"at_risk"}, "note": {"secret detail"}})
		ts.app.alerts.Wait()
		mu.Lock()
		defer mu.Unlock()
		if len(hooks) != 1 || !strings.Contains(hooks[0], "urgent report is waiting") {
			t.Fatalf("webhook calls = %q", hooks)
		}
		got := mail.message()
		if !strings.Contains(got, "urgent report is waiting") {
			t.Fatalf("mail = %q", got)
		}
		for _, leak := range []string{"secret detail", "anna", "bodhi", "circle", "hard week"} {
			if strings.Contains(hooks[0], leak) || strings.Contains(got, leak) {
				t.Fatalf("the alert leaks %q", leak)
			}
		}
	})
}

// smtpServer is a tiny SMTP listener that accepts one message.
type smtpServer struct {
	addr string
	mu   sync.Mutex
	data strings.Builder
}

func (s *smtpServer) message() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data.String()
}

func fakeSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &smtpServer{addr: ln.Addr().String()}
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			return
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
		buf := make([]byte, 4096)
		write := func(line string) { _, _ = conn.Write([]byte(line + "\r\n")) }
		write("220 fake ESMTP")
		inData := false
		var pending string
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			pending += string(buf[:n])
			for {
				i := strings.Index(pending, "\r\n")
				if i < 0 {
					break
				}
				line := pending[:i]
				pending = pending[i+2:]
				if inData {
					if line == "." {
						inData = false
						write("250 queued")
						continue
					}
					s.mu.Lock()
					s.data.WriteString(line + "\n")
					s.mu.Unlock()
					continue
				}
				switch cmd := strings.ToUpper(strings.SplitN(line, " ", 2)[0]); cmd {
				case "EHLO", "HELO":
					write("250 fake")
				case "DATA":
					inData = true
					write("354 go on")
				case "QUIT":
					write("221 bye")
					return
				default:
					write("250 ok")
				}
			}
		}
	}()
	return s
}
