package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// waitFor polls cond for up to two seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// ASVS 6.1.1: a burst of sign-ins is refused fast (503) instead of
// exhausting memory with concurrent argon2id runs.
func TestPoolBusyWhenQueueFull(t *testing.T) {
	p := NewPool(1, 1)
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	started := make(chan struct{})
	go func() {
		defer wg.Done()
		if err := p.Do(context.Background(), func() { close(started); <-release }); err != nil {
			t.Errorf("first Do: %v", err)
		}
	}()
	<-started
	secondRan := false
	go func() {
		defer wg.Done()
		if err := p.Do(context.Background(), func() { secondRan = true }); err != nil {
			t.Errorf("second Do: %v", err)
		}
	}()
	waitFor(t, "second caller to queue", func() bool { return len(p.waiting) == 1 })

	thirdRan := false
	if err := p.Do(context.Background(), func() { thirdRan = true }); !errors.Is(err, ErrBusy) {
		t.Errorf("third Do = %v, want ErrBusy", err)
	}
	close(release)
	wg.Wait()
	if !secondRan || thirdRan {
		t.Errorf("secondRan=%v thirdRan=%v; want true, false", secondRan, thirdRan)
	}
	if len(p.slots) != 0 || len(p.waiting) != 0 {
		t.Errorf("pool not drained: slots=%d waiting=%d", len(p.slots), len(p.waiting))
	}
}

func TestPoolCancelWhileWaiting(t *testing.T) {
	p := NewPool(1, 4)
	release := make(chan struct{})
	started := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = p.Do(context.Background(), func() { close(started); <-release })
	}()
	<-started

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	ran := false
	go func() { errc <- p.Do(ctx, func() { ran = true }) }()
	waitFor(t, "caller to queue", func() bool { return len(p.waiting) == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Errorf("Do after cancel = %v, want context.Canceled", err)
	}
	if ran || len(p.waiting) != 0 {
		t.Errorf("ran=%v waiting=%d; want false, 0", ran, len(p.waiting))
	}
	close(release)
	<-done
}

func TestPoolCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := NewPool(2, 2).Do(ctx, func() { t.Error("fn ran") }); !errors.Is(err, context.Canceled) {
		t.Errorf("Do = %v, want context.Canceled", err)
	}
}

func TestPoolBoundsConcurrency(t *testing.T) {
	const workers = 3
	p := NewPool(workers, 100)
	var mu sync.Mutex
	running, peak := 0, 0
	var wg sync.WaitGroup
	for range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.Do(context.Background(), func() {
				mu.Lock()
				running++
				peak = max(peak, running)
				mu.Unlock()
				time.Sleep(time.Millisecond)
				mu.Lock()
				running--
				mu.Unlock()
			})
			if err != nil {
				t.Errorf("Do: %v", err)
			}
		}()
	}
	wg.Wait()
	if peak > workers || peak == 0 {
		t.Errorf("peak concurrency %d, want 1..%d", peak, workers)
	}
}
