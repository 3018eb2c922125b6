package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"hearth/internal/seed"
	"hearth/models"
)

// server is the hearth process under test.
type server struct {
	cmd   *exec.Cmd
	log   *os.File
	ready time.Duration
	pprof string // base URL of its pprof listener, when profiling
}

// startServer runs `hearth serve` and waits until /healthz answers: the
// time that takes is the time to ready.
func startServer(bin string, env []string, base, logPath string, profiling bool) (*server, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	s := &server{log: logFile}
	if profiling {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s.pprof = "http://127.0.0.1:" + strconv.Itoa(port)
		env = append(env, "HEARTH_BENCH_PPROF_ADDR=127.0.0.1:"+strconv.Itoa(port))
	}
	s.cmd = exec.Command(bin, "serve")
	if os.Getenv("HEARTH_BENCH_PINNED") != "" {
		// taskset pinned the generator and children inherit that: give the
		// server every core again (taskset execs, so the pid is the server's).
		s.cmd = exec.Command("taskset", "-c", "0-"+strconv.Itoa(numCPU()-1), bin, "serve")
	}
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	// The server must not inherit the generator's pinning.
	s.cmd.Env = append(s.cmd.Env, "GOMAXPROCS=")
	began := time.Now()
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start hearth serve: %w", err)
	}
	client := &http.Client{Timeout: time.Second}
	for time.Since(began) < 60*time.Second {
		res, err := client.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				s.ready = time.Since(began)
				return s, nil
			}
		}
		if s.cmd.ProcessState != nil {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	s.stop()
	return nil, fmt.Errorf("hearth serve did not become ready; its log: %s", s.tail())
}

// rss reads a memory figure of the server from /proc (VmRSS now, VmHWM the
// peak), in MB.
func (s *server) rss(field string) float64 {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, field+":") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return round(kb / 1024)
		}
	}
	return 0
}

func (s *server) stop() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(25 * time.Second):
			_ = s.cmd.Process.Kill()
		}
	}
	_ = s.log.Close()
}

// tail is the end of the server's log, for errors.
func (s *server) tail() string {
	raw, _ := os.ReadFile(s.log.Name())
	raw = bytes.TrimSpace(raw)
	if len(raw) > 3000 {
		raw = raw[len(raw)-3000:]
	}
	return string(raw)
}

// prepare seeds the database when it holds no seeded forum, then finds what
// the benchmark reads: the seeded group 1, its longest topic and a topic
// with 50 replies.
func prepare(ctx context.Context, o options, bin string, env []string) (string, target, error) {
	var t target
	db, err := models.Open(ctx, models.DBOptions{PostgresURL: o.dbURL, ConnectTimeout: 5 * time.Second})
	if err != nil {
		return "", t, err
	}
	defer models.Close(db)
	// Apply pending migrations first: an empty database has no tables to
	// look for a seed record in, and the server must start on a migrated
	// database so that its time to ready is only its own.
	cmd := exec.CommandContext(ctx, bin, "migrate")
	cmd.Env, cmd.Stdout, cmd.Stderr = env, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", t, fmt.Errorf("hearth migrate: %w", err)
	}
	record, err := seedRecord(db)
	if err != nil {
		return "", t, err
	}
	if record == "" {
		args := append([]string{"seed"}, strings.Fields(o.seedArgs)...)
		fmt.Println("seeding: hearth", strings.Join(args, " "))
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env, cmd.Stdout, cmd.Stderr = env, os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			return "", t, fmt.Errorf("hearth seed: %w", err)
		}
		if record, err = seedRecord(db); err != nil || record == "" {
			return "", t, fmt.Errorf("the database holds no seed record after seeding: %v", err)
		}
	}
	// Fresh statistics after seeding, so the planner sees the real sizes.
	if err := db.Exec("ANALYZE").Error; err != nil {
		return "", t, err
	}
	t.groupSlug = seed.GroupSlug(1)
	var long struct {
		ID        int64
		PostCount int
	}
	group := "group_id = (SELECT id FROM groups WHERE slug = ?)"
	if err := db.Raw("SELECT id, post_count FROM topics WHERE "+group+" ORDER BY post_count DESC, id LIMIT 1", t.groupSlug).Scan(&long).Error; err != nil {
		return "", t, err
	}
	t.longTopic, t.longPages = long.ID, max(1, (long.PostCount+models.PostsPerPage-1)/models.PostsPerPage)
	// The 50-reply topic is the second seeded; replies never go to it.
	if err := db.Raw("SELECT id FROM topics WHERE "+group+" AND post_count = ? ORDER BY id LIMIT 1", t.groupSlug, seed.FiftyReplyPosts).Scan(&t.fiftyTopic).Error; err != nil {
		return "", t, err
	}
	if err := db.Raw("SELECT id FROM topics WHERE "+group+" AND id NOT IN (?, ?) ORDER BY id LIMIT 500", t.groupSlug, t.longTopic, t.fiftyTopic).Scan(&t.replyTopics).Error; err != nil {
		return "", t, err
	}
	if t.longTopic == 0 || t.fiftyTopic == 0 || len(t.replyTopics) == 0 {
		return "", t, fmt.Errorf("the seeded forum (%s) is too small: it needs a 51-post topic and others in %s", record, t.groupSlug)
	}
	return record, t, nil
}

func seedRecord(db *gorm.DB) (string, error) {
	var detail []string
	err := db.Raw("SELECT detail FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT 1", seed.AuditAction).Scan(&detail).Error
	if err != nil || len(detail) == 0 {
		return "", err
	}
	return detail[0], nil
}
