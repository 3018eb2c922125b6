// Command bench is Hearth's load benchmark. It builds the hearth binary,
// seeds the PostgreSQL database in HEARTH_BENCH_DATABASE_URL when it holds
// no seeded forum yet, starts `hearth serve` as a separate process on
// loopback (so that its memory is its own), signs seeded members in through
// the real /login and /login/code, and then runs three phases: a fixed rate
// of a reading-and-replying mix, maximum throughput on a topic page, and a
// burst of simultaneous sign-ins while readers keep reading. It prints the
// figures, writes them as JSON and draws them as an SVG chart.
//
//	HEARTH_BENCH_DATABASE_URL=postgres://… go run ./bench
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// options are the benchmark's flags.
type options struct {
	dbURL, dataDir, bin  string
	jsonOut, svgOut      string
	seedArgs             string
	rate, readers, burst int
	workers              int
	length               time.Duration
	pprofDir             string
}

func main() {
	if err := pinAndRun(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func parseOptions() options {
	var o options
	flag.StringVar(&o.dbURL, "db", os.Getenv("HEARTH_BENCH_DATABASE_URL"), "PostgreSQL URL of the benchmark database (default $HEARTH_BENCH_DATABASE_URL)")
	flag.StringVar(&o.dataDir, "data", envOr("HEARTH_BENCH_DATA_DIR", "bench/.data"), "data directory of the benchmark server (its secret key must be the one the database was seeded with)")
	flag.StringVar(&o.bin, "bin", "", "a hearth binary to run (default: build ./cmd/hearth)")
	flag.StringVar(&o.jsonOut, "json", "docs/bench/latest.json", "where to write the figures")
	flag.StringVar(&o.svgOut, "svg", "docs/bench/latest.svg", "where to draw the chart")
	flag.StringVar(&o.seedArgs, "seed-args", "", "flags for `hearth seed` when the database is not seeded yet, e.g. \"--posts 100000 --topics 4000\"")
	flag.IntVar(&o.rate, "rate", 500, "requests per second in the fixed-rate phase")
	flag.IntVar(&o.readers, "readers", 300, "signed-in members that read and reply")
	flag.IntVar(&o.burst, "burst", 200, "members that sign in at the same moment in the burst phase")
	flag.IntVar(&o.workers, "workers", 32, "concurrent clients in the maximum-throughput phase")
	flag.DurationVar(&o.length, "duration", 20*time.Second, "length of each phase")
	flag.StringVar(&o.pprofDir, "pprof", "", "also profile the server (CPU during the maximum-throughput phase, heap after it) into this directory; serves with bench/profserve, which adds the profiler")
	flag.Parse()
	return o
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

// pinAndRun re-executes the benchmark under taskset on the last core when
// the machine has few, so that the load generator does not take the
// server's cores; then runs it.
func pinAndRun() error {
	if os.Getenv("HEARTH_BENCH_PINNED") == "" && runtime.NumCPU() <= 4 {
		if taskset, err := exec.LookPath("taskset"); err == nil {
			self, err := os.Executable()
			if err == nil {
				cpu := strconv.Itoa(runtime.NumCPU() - 1)
				cmd := exec.Command(taskset, append([]string{"-c", cpu, self}, os.Args[1:]...)...)
				cmd.Env = append(os.Environ(), "HEARTH_BENCH_PINNED="+cpu, "HEARTH_BENCH_NCPU="+strconv.Itoa(runtime.NumCPU()), "GOMAXPROCS=1")
				cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
				return cmd.Run()
			}
		}
	}
	return run(parseOptions())
}

// Result is the JSON the benchmark writes, so that runs can be compared.
type Result struct {
	When            time.Time `json:"when"`
	Machine         string    `json:"machine"`
	GeneratorPinned string    `json:"generator_pinned_to_cpu,omitempty"`
	Seeded          string    `json:"seeded"`
	// LoadAverage is /proc/loadavg at the start and the end: on a shared
	// machine it says how much else was running.
	LoadAverage []string       `json:"load_average"`
	ReadyMillis float64        `json:"ready_ms"`
	IdleRSSMB   float64        `json:"idle_rss_mb"`
	PeakRSSMB   float64        `json:"peak_rss_mb"`
	SignIns     SignInSummary  `json:"sign_ins"`
	Fixed       Phase          `json:"fixed_rate"`
	Max         Phase          `json:"max_throughput"`
	Burst       BurstSummary   `json:"burst"`
	Errors      map[string]int `json:"errors"`
	Throughput  []int          `json:"throughput_per_s"`
	Phases      []PhaseMark    `json:"phase_marks"`
}

// Phase is one phase's figures.
type Phase struct {
	Target   string    `json:"target"`
	Seconds  float64   `json:"seconds"`
	Requests int       `json:"requests"`
	Rate     float64   `json:"rate_per_s"`
	Routes   []Summary `json:"routes"`
}

// PhaseMark says when a phase began, in seconds from the start of the load.
type PhaseMark struct {
	Name string `json:"name"`
	At   int    `json:"at_s"`
}

// SignInSummary is the readers' sign-ins, one at a time per hashing worker.
type SignInSummary struct {
	Count     int     `json:"count"`
	PerSecond float64 `json:"per_second"`
	P50       float64 `json:"p50_ms"`
	P99       float64 `json:"p99_ms"`
}

// BurstSummary is the burst of simultaneous sign-ins.
type BurstSummary struct {
	Attempts       int     `json:"attempts"`
	Accepted       int     `json:"accepted"`
	Busy503        int     `json:"busy_503"`
	RetryAfterSent bool    `json:"retry_after_sent"`
	OtherErrors    int     `json:"other_errors"`
	CompletedSecs  float64 `json:"completed_s"`
	RSSBeforeMB    float64 `json:"rss_before_mb"`
	RSSMaxMB       float64 `json:"rss_max_mb"`
	ReadersP99     float64 `json:"readers_p99_ms"`
	ReadersErrors  int     `json:"readers_errors"`
}

func run(o options) error {
	if o.dbURL == "" {
		return errors.New("set HEARTH_BENCH_DATABASE_URL (or -db) to a PostgreSQL database made for the benchmark; see the README's Performance section")
	}
	ctx, stop := signalContext()
	defer stop()
	tmp, err := os.MkdirTemp("", "hearth-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	bin, serveBin := o.bin, o.bin
	if bin == "" {
		bin, serveBin = filepath.Join(tmp, "hearth"), filepath.Join(tmp, "hearth")
		if err := goBuild(bin, "./cmd/hearth"); err != nil {
			return err
		}
	}
	if o.pprofDir != "" {
		// Only serving is profiled: seeding and migrating stay with hearth.
		serveBin = filepath.Join(tmp, "profserve")
		if err := goBuild(serveBin, "./bench/profserve"); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(o.dataDir, 0o700); err != nil {
		return err
	}
	env := append(os.Environ(), "HEARTH_DATABASE_URL="+o.dbURL, "HEARTH_DATA_DIR="+o.dataDir, "HEARTH_LOG_FORMAT=json")
	seeded, t, err := prepare(ctx, o, bin, env)
	if err != nil {
		return err
	}
	fmt.Printf("seeded forum: %s; long topic %d (%d pages), 50-reply topic %d\n", seeded, t.longTopic, t.longPages, t.fiftyTopic)

	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	srv, err := startServer(serveBin, append(env, "HEARTH_ADDR=127.0.0.1:"+strconv.Itoa(port), "HEARTH_BASE_URL="+base,
		"HEARTH_TRUSTED_PROXIES=127.0.0.1/32"), base, filepath.Join(tmp, "server.log"), o.pprofDir != "")
	if err != nil {
		return err
	}
	defer srv.stop()
	fmt.Printf("server ready in %.0f ms\n", srv.ready.Seconds()*1000)
	time.Sleep(2 * time.Second)
	res := &Result{When: time.Now().UTC(), Machine: machine(), GeneratorPinned: os.Getenv("HEARTH_BENCH_PINNED"),
		Seeded: seeded, ReadyMillis: round(srv.ready.Seconds() * 1000), LoadAverage: []string{loadAverage()}}
	res.IdleRSSMB = srv.rss("VmRSS")
	fmt.Printf("idle RSS %.1f MB\n", res.IdleRSSMB)
	if err := runLoad(ctx, o, base, srv, t, res); err != nil {
		return err
	}
	res.PeakRSSMB = srv.rss("VmHWM")
	res.LoadAverage = append(res.LoadAverage, loadAverage())
	report(res)
	if err := writeResults(o, res); err != nil {
		return err
	}
	if len(res.Errors) > 0 {
		fmt.Println("server log:", srv.tail())
	}
	return nil
}

func writeResults(o options, res *Result) error {
	if err := os.MkdirAll(filepath.Dir(o.jsonOut), 0o755); err != nil {
		return err
	}
	raw, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(o.jsonOut, append(raw, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(o.svgOut, []byte(chart(res)), 0o644); err != nil {
		return err
	}
	fmt.Printf("wrote %s and %s\n", o.jsonOut, o.svgOut)
	return nil
}

func report(res *Result) {
	fmt.Printf("\nload average at start and end: %s\n", strings.Join(res.LoadAverage, " | "))
	fmt.Printf("ready %.0f ms · idle RSS %.1f MB · peak RSS %.1f MB\n", res.ReadyMillis, res.IdleRSSMB, res.PeakRSSMB)
	fmt.Printf("sign-ins: %d at %.1f/s (p50 %.0f ms, p99 %.0f ms)\n", res.SignIns.Count, res.SignIns.PerSecond, res.SignIns.P50, res.SignIns.P99)
	for _, ph := range []Phase{res.Fixed, res.Max} {
		fmt.Printf("\n%s: %d requests in %.0f s = %.0f/s\n", ph.Target, ph.Requests, ph.Seconds, ph.Rate)
		fmt.Printf("  %-30s %8s %8s %8s %8s %8s %7s\n", "route", "n", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors")
		for _, s := range ph.Routes {
			fmt.Printf("  %-30s %8d %8.1f %8.1f %8.1f %8.1f %7d\n", s.Route, s.Requests, s.Rate, s.P50, s.P95, s.P99, s.Errors)
		}
	}
	b := res.Burst
	fmt.Printf("\nburst of %d sign-ins: %d accepted, %d got 503 (Retry-After: %v), %d other errors, done in %.1f s; RSS %.1f → max %.1f MB; readers p99 %.1f ms (%d errors)\n",
		b.Attempts, b.Accepted, b.Busy503, b.RetryAfterSent, b.OtherErrors, b.CompletedSecs, b.RSSBeforeMB, b.RSSMaxMB, b.ReadersP99, b.ReadersErrors)
	if len(res.Errors) == 0 {
		fmt.Println("errors: none")
		return
	}
	fmt.Println("errors:")
	for k, v := range res.Errors {
		fmt.Printf("  %6d × %s\n", v, k)
	}
}

// machine describes where the figures were measured.
func machine() string {
	model := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if strings.HasPrefix(line, "model name") {
				model = strings.TrimSpace(line[strings.Index(line, ":")+1:])
				break
			}
		}
	}
	mem := ""
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb float64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(raw), "\n", 2)[0], "MemTotal:"), "%f", &kb)
		mem = fmt.Sprintf(", %.0f GB RAM", kb/1024/1024)
	}
	return fmt.Sprintf("%d cores (%s)%s, %s/%s, %s; PostgreSQL on the same machine", numCPU(), model, mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
		<-ch
		cancel()
	}()
	return ctx, cancel
}

// loadAverage is the first three fields of /proc/loadavg.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(raw))
	return strings.Join(f[:min(3, len(f))], " ")
}

// numCPU is the machine's number of cores, also when taskset pinned this
// process to one (then the parent passed the number on).
func numCPU() int {
	if n, err := strconv.Atoi(os.Getenv("HEARTH_BENCH_NCPU")); err == nil && n > 0 {
		return n
	}
	return runtime.NumCPU()
}

func goBuild(out, pkg string) error {
	fmt.Println("building", pkg)
	if msg, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
		return fmt.Errorf("go build %s: %v\n%s", pkg, err, msg)
	}
	return nil
}
