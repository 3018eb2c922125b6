package auth

import (
	"context"
	"errors"
	"fmt"
)

// ErrBusy is returned by Pool.Do at once when every hashing slot is taken and
// the waiting queue is full. Handlers answer 503 with a Retry-After header.
var ErrBusy = errors.New("auth: hashing pool busy")

// Pool bounds how many password hashes run at once (each argon2id call holds
// Params.Memory KiB) and how many callers may wait for a slot, so a burst of
// sign-ins cannot exhaust memory or pile up goroutines. It is safe for
// concurrent use. Slots are not handed out in strict FIFO order.
type Pool struct {
	slots   chan struct{} // one token per running fn
	waiting chan struct{} // one token per caller waiting for a slot
}

// NewPool returns a pool that runs at most workers functions at once (at
// least 1) and lets at most queue callers wait for a slot (0 means none wait).
func NewPool(workers, queue int) *Pool {
	return &Pool{
		slots:   make(chan struct{}, max(workers, 1)),
		waiting: make(chan struct{}, max(queue, 0)),
	}
}

// Do runs fn on the calling goroutine once a slot is free. It returns ErrBusy
// immediately when the queue is full, and the context's error (wrapped) when
// ctx ends before a slot frees; fn has not run in either case.
func (p *Pool) Do(ctx context.Context, fn func()) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("auth: hashing pool: %w", err)
	}
	select {
	case p.slots <- struct{}{}:
	default:
		select {
		case p.waiting <- struct{}{}:
		default:
			return ErrBusy
		}
		select {
		case p.slots <- struct{}{}:
			<-p.waiting
		case <-ctx.Done():
			<-p.waiting
			return fmt.Errorf("auth: waiting for a hashing slot: %w", ctx.Err())
		}
	}
	defer func() { <-p.slots }()
	fn()
	return nil
}

// Waiting reports how many callers wait for a slot (for tests and metrics).
func (p *Pool) Waiting() int { return len(p.waiting) }
