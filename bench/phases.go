package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"hearth/internal/seed"
)

// runLoad signs the readers in, then runs the fixed-rate, maximum-throughput
// and burst phases, filling res.
func runLoad(ctx context.Context, o options, base string, srv *server, t target, res *Result) error {
	seedNumber, members, err := seedSizes(res.Seeded)
	if err != nil {
		return err
	}
	if members < o.readers+o.burst+10 {
		return fmt.Errorf("the seeded forum has %d members; the benchmark needs readers (%d) + burst (%d) + 10", members, o.readers, o.burst)
	}
	transport := &http.Transport{MaxIdleConns: 4096, MaxIdleConnsPerHost: 4096, IdleConnTimeout: time.Minute}
	all := make([]*member, members)
	for i := range all {
		all[i] = newMember(base, transport, seedNumber, i+1)
	}
	d := &driver{base: base, t: t, readers: all[:o.readers]}
	burst := all[o.readers : o.readers+o.burst]
	rec := newRecorder(time.Now())

	// Sign the readers in, two at a time: one per hashing worker.
	fmt.Printf("signing in %d members through /login and /login/code\n", o.readers)
	signIns, err := signInAll(d.readers, base, 2)
	if err != nil {
		return err
	}
	res.SignIns = signIns
	fmt.Printf("  %.1f sign-ins/s\n", signIns.PerSecond)
	if ctx.Err() != nil {
		return ctx.Err()
	}

	// Warm up (connections, caches), not recorded.
	d.fixedRate(newRecorder(time.Now()), defaultMix, o.rate, 3*time.Second, 1)

	mark := func(name string) {
		res.Phases = append(res.Phases, PhaseMark{Name: name, At: int(time.Since(rec.start) / time.Second)})
	}
	mark("fixed rate")
	fmt.Printf("fixed rate: %d requests/s for %s\n", o.rate, o.length)
	fixed := tee(newRecorder(time.Now()), rec)
	began := time.Now()
	// Sign-ins join the mix at one a second, each by a member not signed
	// in yet, so no member signs in twice in one 30 s time step.
	stopSignIns := make(chan struct{})
	var signingIn sync.WaitGroup
	signingIn.Add(1)
	go func() {
		defer signingIn.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for i := o.readers + o.burst; i < len(all); i++ {
			select {
			case <-stopSignIns:
				return
			case at := <-tick.C:
				signingIn.Add(1)
				go func(m *member) {
					defer signingIn.Done()
					err := m.signIn(base)
					fixed.record(routeSignIn, at, map[bool]int{true: http.StatusSeeOther}[err == nil], err == nil, err)
				}(all[i])
			}
		}
	}()
	d.fixedRate(fixed, defaultMix, o.rate, o.length, 2)
	close(stopSignIns)
	signingIn.Wait()
	res.Fixed = phase(fmt.Sprintf("fixed rate %d/s (mix)", o.rate), fixed, time.Since(began))
	if ctx.Err() != nil {
		return ctx.Err()
	}

	mark("max throughput")
	fmt.Printf("maximum throughput: %d clients on the 50-reply topic page for %s\n", o.workers, o.length)
	top := newRecorder(time.Now())
	began = time.Now()
	var profiled sync.WaitGroup
	if srv.pprof != "" {
		profiled.Add(1)
		go func() {
			defer profiled.Done()
			fetchProfile(srv.pprof+"/debug/pprof/profile?seconds="+fmt.Sprint(int(o.length.Seconds()*3/4)), filepath.Join(o.pprofDir, "cpu.pprof"))
		}()
	}
	d.maxThroughput(tee(top, rec), routeTopic, o.workers, o.length)
	res.Max = phase("maximum throughput, topic page (50 replies)", top, time.Since(began))
	profiled.Wait()
	if srv.pprof != "" {
		fetchProfile(srv.pprof+"/debug/pprof/heap", filepath.Join(o.pprofDir, "heap.pprof"))
	}

	// Let the 30 s time step of the burst members be fresh.
	mark("sign-in burst")
	fmt.Printf("burst: %d simultaneous sign-ins while readers read at 200/s\n", o.burst)
	res.Burst = runBurst(d, burst, base, srv, rec)
	res.Errors = rec.errorList()
	res.Throughput = rec.series()
	return nil
}

// signInAll signs members in with the given concurrency and times it.
func signInAll(list []*member, base string, concurrency int) (SignInSummary, error) {
	var mu sync.Mutex
	var lat []float64
	var firstErr error
	work := make(chan *member)
	var wg sync.WaitGroup
	began := time.Now()
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for m := range work {
				t := time.Now()
				err := m.signIn(base)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("sign in %s: %w", m.username, err)
				}
				lat = append(lat, float64(time.Since(t).Microseconds())/1000)
				mu.Unlock()
			}
		}()
	}
	for _, m := range list {
		work <- m
	}
	close(work)
	wg.Wait()
	sort.Float64s(lat)
	took := time.Since(began)
	return SignInSummary{Count: len(lat), PerSecond: round(float64(len(lat)) / took.Seconds()), P50: pct(lat, 50), P99: pct(lat, 99)}, firstErr
}

// runBurst sends every burst member's password at the same moment while
// the readers read, sampling the server's memory; those let through finish
// with their code.
func runBurst(d *driver, burst []*member, base string, srv *server, all *recorder) BurstSummary {
	for _, m := range burst {
		_ = m.startSignIn(base)
	}
	readers := newRecorder(time.Now())
	sum := BurstSummary{Attempts: len(burst), RSSBeforeMB: srv.rss("VmRSS")}
	stop := make(chan struct{})
	var sampled sync.WaitGroup
	sampled.Add(1)
	go func() {
		defer sampled.Done()
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				sum.RSSMaxMB = max(sum.RSSMaxMB, srv.rss("VmRSS"))
			}
		}
	}()
	var read sync.WaitGroup
	read.Add(1)
	go func() {
		defer read.Done()
		d.fixedRate(tee(readers, all), []mixEntry{{routeTopic, 70}, {routeGroup, 30}}, 200, 8*time.Second, 3)
	}()
	time.Sleep(2 * time.Second)
	start := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	began := time.Now()
	for _, m := range burst {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t := time.Now()
			status, retry, err := m.postPassword(base)
			if err == nil {
				err = m.postCode(base)
			}
			all.record(routeSignIn, t, status, err == nil || err == errBusy, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == errBusy:
				sum.Busy503++
				sum.RetryAfterSent = sum.RetryAfterSent || retry != ""
			case err != nil:
				sum.OtherErrors++
			default:
				sum.Accepted++
			}
		}()
	}
	close(start)
	wg.Wait()
	sum.CompletedSecs = round(time.Since(began).Seconds())
	read.Wait()
	close(stop)
	sampled.Wait()
	var lat []float64
	for _, s := range readers.routes {
		lat = append(lat, s.latencies...)
		sum.ReadersErrors += s.errors
	}
	sort.Float64s(lat)
	sum.ReadersP99 = pct(lat, 99)
	return sum
}

// tee records into two recorders: a phase's own and the whole run's.
func tee(phase, all *recorder) *recorder {
	phase.also = all
	return phase
}

func phase(name string, rec *recorder, took time.Duration) Phase {
	p := Phase{Target: name, Seconds: round(took.Seconds()), Routes: rec.summarize(took)}
	for _, s := range p.Routes {
		p.Requests += s.Requests
	}
	p.Rate = round(float64(p.Requests) / took.Seconds())
	return p
}

func fetchProfile(u, path string) {
	res, err := http.Get(u)
	if err != nil {
		fmt.Println("profile:", err)
		return
	}
	defer res.Body.Close()
	_ = os.MkdirAll(filepath.Dir(path), 0o755)
	f, err := os.Create(path)
	if err != nil {
		fmt.Println("profile:", err)
		return
	}
	defer f.Close()
	_, _ = io.Copy(f, res.Body)
	fmt.Println("wrote", path)
}

// seedSizes reads the seed number and member count from the seed record.
func seedSizes(record string) (int64, int, error) {
	o, err := seed.Parse(record)
	return o.Seed, o.Members, err
}
