package handlers

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"hearth/models/testdb"
)

func withHashPool(workers, queue int) serverOption {
	return func(o *Options) { o.HashWorkers, o.HashQueue = workers, queue }
}

// TestHashPoolFullAnswers503: when every hashing slot is busy and the queue
// is full, a sign-in gets 503 with Retry-After at once instead of piling up
// memory. ASVS 2.4.1.
func TestHashPoolFullAnswers503(t *testing.T) {
	ts := newTestServer(t, testdb.SQLite(t), withHashPool(1, 1))
	release := make(chan struct{})
	started := make(chan struct{})
	go func() {
		_ = ts.app.hashPool.Do(context.Background(), func() { close(started); <-release })
	}()
	<-started
	queued := make(chan error, 1)
	go func() { queued <- ts.app.hashPool.Do(context.Background(), func() {}) }()
	for ts.app.hashPool.Waiting() != 1 { // the second caller takes the queue's only place
		time.Sleep(time.Millisecond)
	}

	c := ts.client()
	c.get("/login")
	res := c.post("/login", url.Values{"username": {"someone"}, "password": {"some long password"}})
	wantStatus(t, res, http.StatusServiceUnavailable)
	if res.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	wantContains(t, res, "The forum is busy")
	close(release)
	if err := <-queued; err != nil {
		t.Fatal(err)
	}
	c.get("/login")
	wantStatus(t, c.post("/login", url.Values{"username": {"someone"}, "password": {"some long password"}}), http.StatusSeeOther)
}
