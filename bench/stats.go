package main

import (
	"errors"
	"fmt"
	"math"
	"net/url"
	"sort"
	"sync"
	"time"
)

// recorder collects every request's outcome: latencies per route, status
// counts, errors, and completions per second for the throughput chart.
type recorder struct {
	mu     sync.Mutex
	start  time.Time
	routes map[string]*routeStats
	perSec map[int]int
	errors map[string]int
	// also receives every record too: the whole run's recorder.
	also *recorder
}

type routeStats struct {
	latencies []float64 // milliseconds
	statuses  map[int]int
	errors    int
}

func newRecorder(start time.Time) *recorder {
	return &recorder{start: start, routes: map[string]*routeStats{}, perSec: map[int]int{}, errors: map[string]int{}}
}

// record notes one finished request. ok says whether the status was the one
// the route expects; anything else is an error.
func (r *recorder) record(route string, began time.Time, status int, ok bool, err error) {
	if r.also != nil {
		r.also.record(route, began, status, ok, err)
	}
	now := time.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.routes[route]
	if s == nil {
		s = &routeStats{statuses: map[int]int{}}
		r.routes[route] = s
	}
	s.latencies = append(s.latencies, float64(now.Sub(began).Microseconds())/1000)
	s.statuses[status]++
	r.perSec[int(now.Sub(r.start)/time.Second)]++
	if err != nil || !ok {
		s.errors++
		key := fmt.Sprintf("%s: status %d", route, status)
		var uerr *url.Error
		switch {
		case errors.As(err, &uerr):
			// The URL differs per request; the kind of failure does not.
			key = fmt.Sprintf("%s: %v", route, uerr.Err)
		case err != nil:
			key = fmt.Sprintf("%s: %v", route, err)
		}
		r.errors[key]++
	}
}

// Summary is one route's figures in the JSON results.
type Summary struct {
	Route    string         `json:"route"`
	Requests int            `json:"requests"`
	Errors   int            `json:"errors"`
	Rate     float64        `json:"rate_per_s"`
	P50      float64        `json:"p50_ms"`
	P95      float64        `json:"p95_ms"`
	P99      float64        `json:"p99_ms"`
	Max      float64        `json:"max_ms"`
	Statuses map[string]int `json:"statuses"`
}

// summarize returns per-route figures over a phase of the given length.
func (r *recorder) summarize(elapsed time.Duration) []Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []Summary
	for name, s := range r.routes {
		lat := append([]float64(nil), s.latencies...)
		sort.Float64s(lat)
		st := map[string]int{}
		for code, n := range s.statuses {
			st[fmt.Sprint(code)] = n
		}
		out = append(out, Summary{Route: name, Requests: len(lat), Errors: s.errors, Rate: round(float64(len(lat)) / elapsed.Seconds()),
			P50: pct(lat, 50), P95: pct(lat, 95), P99: pct(lat, 99), Max: pct(lat, 100), Statuses: st})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Route < out[j].Route })
	return out
}

// errorList returns the distinct errors with their counts.
func (r *recorder) errorList() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, v := range r.errors {
		out[k] = v
	}
	return out
}

// series returns completions per second from the recorder's start.
func (r *recorder) series() []int {
	r.mu.Lock()
	defer r.mu.Unlock()
	last := -1
	for s := range r.perSec {
		last = max(last, s)
	}
	out := make([]int, last+1)
	for s, n := range r.perSec {
		out[s] = n
	}
	return out
}

// pct is the p-th percentile (nearest rank) of sorted values.
func pct(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(math.Ceil(p/100*float64(len(sorted)))) - 1
	return round(sorted[max(0, min(i, len(sorted)-1))])
}

func round(v float64) float64 { return math.Round(v*100) / 100 }
