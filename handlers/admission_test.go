package handlers

import (
	"net/http"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestAdmissionShedsLoad: with every turn taken, a request waits its time
// in line and then gets a calm 503 with Retry-After, as does one that finds
// the line full; the health check and static files never wait; when a turn
// comes free, requests are served again.
func TestAdmissionShedsLoad(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db, func(o *Options) { o.MaxRunning, o.MaxWaiting = 1, 1 })
		m := ts.createMember("anna", models.RoleMember)
		c := ts.signedIn(m)
		wantStatus(t, c.get("/groups"), http.StatusOK)
		ad := ts.app.admission
		ad.wait = 50 * time.Millisecond
		css, err := ts.app.assets.url("css/hearth.css")
		if err != nil {
			t.Fatal(err)
		}

		ad.running <- struct{}{} // every turn is taken
		start := time.Now()
		res := c.get("/groups")
		wantStatus(t, res, http.StatusServiceUnavailable)
		if time.Since(start) < ad.wait {
			t.Fatal("the request did not wait in line")
		}
		if res.Header.Get("Retry-After") == "" {
			t.Fatal("no Retry-After")
		}
		wantContains(t, res, "The forum is busy", "data-quick-exit")
		ad.waiting.Store(ad.max) // the line is full
		wantStatus(t, c.get("/groups"), http.StatusServiceUnavailable)
		wantStatus(t, c.get("/healthz"), http.StatusOK)
		wantStatus(t, c.get(css), http.StatusOK)
		ad.waiting.Store(0)

		<-ad.running // a turn comes free
		wantStatus(t, c.get("/groups"), http.StatusOK)
		if n := ad.waiting.Load(); n != 0 || len(ad.running) != 0 {
			t.Fatalf("after the requests: %d waiting, %d running", n, len(ad.running))
		}
	})
}
