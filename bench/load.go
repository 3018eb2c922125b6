package main

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"hearth/internal/seed"
)

// target is what the benchmark reads and writes: found in the seeded
// database before the run.
type target struct {
	groupSlug   string
	fiftyTopic  int64 // a topic with 50 replies
	longTopic   int64 // the longest topic (5,000 replies at the default size)
	longPages   int
	replyTopics []int64 // topics replies go to (not the two above, which stay as seeded)
}

// routes are the request kinds of the mix, each with the status it expects.
const (
	routeGroup  = "group page"
	routeTopic  = "topic page (50 replies)"
	routeDeep   = "topic deep page (long topic)"
	routeSearch = "search"
	routeReply  = "reply"
	routeSignIn = "sign-in"
)

// mixEntry is a route and its share of the fixed-rate mix, in percent.
type mixEntry struct {
	route string
	share int
}

// defaultMix is what a busy forum sees: mostly reading. Replies stay under
// Hearth's limit of 10 posts a minute per member across the readers.
var defaultMix = []mixEntry{
	{routeTopic, 48}, {routeGroup, 20}, {routeDeep, 20}, {routeSearch, 4}, {routeReply, 8},
}

// searchWords are words of the seeded vocabulary at ranks from common to
// rare (seed.Word), as people search: each matches from a few thousand
// posts down to a handful.
var searchWords = []string{seed.Word(40), seed.Word(150), seed.Word(600), seed.Word(2500), seed.Word(40) + " " + seed.Word(300)}

// driver sends requests of the mix as the readers.
type driver struct {
	base    string
	t       target
	readers []*member
	next    atomic.Uint64
	replyN  atomic.Uint64
}

func (d *driver) reader() *member {
	return d.readers[d.next.Add(1)%uint64(len(d.readers))]
}

// send performs one request of route and records it from began (the
// scheduled time, so that a slow server cannot hide queueing).
func (d *driver) send(rec *recorder, route string, began time.Time, r *rand.Rand) {
	m := d.reader()
	var status int
	var err error
	want := http.StatusOK
	switch route {
	case routeGroup:
		status, _, err = m.do(http.MethodGet, d.base+"/groups/"+d.t.groupSlug, nil)
	case routeTopic:
		status, _, err = m.do(http.MethodGet, d.topicURL(d.t.fiftyTopic, 1), nil)
	case routeDeep:
		status, _, err = m.do(http.MethodGet, d.topicURL(d.t.longTopic, max(1, d.t.longPages/2)), nil)
	case routeSearch:
		status, _, err = m.do(http.MethodGet, d.base+"/search?q="+url.QueryEscape(searchWords[r.IntN(len(searchWords))]), nil)
	case routeReply:
		// Replies rotate through the readers on their own counter, so that
		// no member comes near the posting limit.
		m = d.readers[d.replyN.Add(1)%uint64(len(d.readers))]
		topic := d.t.replyTopics[r.IntN(len(d.t.replyTopics))]
		want = http.StatusSeeOther
		status, _, err = m.do(http.MethodPost, d.topicURL(topic, 1)+"/reply",
			url.Values{"body": {"Thank you, this helped me today.\n\n- I saved the hotline number\n- I changed my passwords"}})
	}
	rec.record(route, began, status, status == want, err)
}

func (d *driver) topicURL(id int64, page int) string {
	u := d.base + "/groups/" + d.t.groupSlug + "/topics/" + strconv.FormatInt(id, 10)
	if page > 1 {
		u += "?page=" + strconv.Itoa(page)
	}
	return u
}

// fixedRate sends rate requests a second for length, picking routes from
// mix. It is open-loop: requests leave on schedule whether or not earlier
// ones finished, and latency counts from the scheduled moment.
func (d *driver) fixedRate(rec *recorder, mix []mixEntry, rate int, length time.Duration, seed uint64) {
	r := rand.New(rand.NewPCG(seed, 7))
	total := 0
	for _, e := range mix {
		total += e.share
	}
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	inflight := make(chan struct{}, 4096)
	var wg sync.WaitGroup
	for i := 0; ; i++ {
		at := start.Add(time.Duration(i) * interval)
		if at.Sub(start) >= length {
			break
		}
		time.Sleep(time.Until(at))
		pick := r.IntN(total)
		route := mix[len(mix)-1].route
		for _, e := range mix {
			if pick < e.share {
				route = e.route
				break
			}
			pick -= e.share
		}
		inflight <- struct{}{}
		wg.Add(1)
		rr := rand.New(rand.NewPCG(seed, uint64(i)))
		go func() {
			defer wg.Done()
			d.send(rec, route, at, rr)
			<-inflight
		}()
	}
	wg.Wait()
}

// maxThroughput runs workers closed-loop on one route for length.
func (d *driver) maxThroughput(rec *recorder, route string, workers int, length time.Duration) {
	deadline := time.Now().Add(length)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 9))
			for time.Now().Before(deadline) {
				d.send(rec, route, time.Now(), r)
			}
		}()
	}
	wg.Wait()
}
