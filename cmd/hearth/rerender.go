package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"gorm.io/gorm"

	"hearth/internal/markup"
	"hearth/models"
)

// rerenderBatch is how many rows one transaction re-renders.
const rerenderBatch = 500

// outboundLinkPurpose derives the key that signs /out links. It must match
// the purpose handlers.New uses, or re-rendered links would not verify.
const outboundLinkPurpose = "outbound link v1"

func cmdRerender(ctx context.Context, env cliEnv, args []string) error {
	fs := newFlagSet(env, "hearth rerender",
		"Re-render the stored HTML of every post and every group's about text with the current\n"+
			"sanitizer policy, in batches of 500, one transaction each. Run it after an upgrade that\n"+
			"changes the policy; it is safe to run while the server is running, and to run again.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rt, err := openRuntime(ctx, env, false)
	if err != nil {
		return err
	}
	defer rt.close()
	renderer := markup.New(rt.box.DeriveKey(outboundLinkPurpose))
	// On a terminal a progress bar redraws itself; anywhere else (a log, a
	// pipe) progress comes as a line every few seconds.
	return rerenderAll(ctx, rt.db, renderer, env.stdout, isTerminal(env.stdout), time.Now)
}

// rerenderAll goes through posts, then groups, by id.
func rerenderAll(ctx context.Context, db *gorm.DB, r *markup.Renderer, out io.Writer, tty bool, now func() time.Time) error {
	posts, groups, err := models.RerenderCounts(db)
	if err != nil {
		return err
	}
	render := func(md string) (string, error) {
		html, err := r.Render(md)
		return string(html), err
	}
	p := &progress{out: out, tty: tty, total: posts + groups, now: now, last: now()}
	steps := []func(after int64) (int64, int, error){
		func(after int64) (int64, int, error) { return models.RerenderPosts(db, after, rerenderBatch, render) },
		func(after int64) (int64, int, error) { return models.RerenderGroups(db, after, rerenderBatch, render) },
	}
	for _, step := range steps {
		var after int64
		for {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("stopped after %d of %d; run it again to finish: %w", p.done, p.total, err)
			}
			last, n, err := step(after)
			if err != nil {
				return fmt.Errorf("stopped after %d of %d (every finished batch is kept): %w", p.done, p.total, err)
			}
			if n == 0 {
				break
			}
			after = last
			p.add(int64(n))
		}
	}
	p.finish()
	return nil
}

// progress shows how far a long job is: a redrawn bar on a terminal,
// otherwise a line every few seconds.
type progress struct {
	out         io.Writer
	tty         bool
	done, total int64
	now         func() time.Time
	last        time.Time
}

// lineEvery is how often progress is written when not on a terminal.
const lineEvery = 3 * time.Second

func (p *progress) add(n int64) {
	p.done += n
	switch {
	case p.tty:
		fmt.Fprintf(p.out, "\r%s", p.bar())
	case p.now().Sub(p.last) >= lineEvery:
		p.last = p.now()
		fmt.Fprintf(p.out, "re-rendered %d of %d\n", p.done, p.total)
	}
}

func (p *progress) bar() string {
	const width = 30
	pct := int64(100)
	if p.total > 0 {
		pct = min(100, p.done*100/p.total)
	}
	filled := int(pct * width / 100)
	return fmt.Sprintf("[%s%s] %3d%% %d/%d", strings.Repeat("#", filled), strings.Repeat(".", width-filled), pct, p.done, p.total)
}

func (p *progress) finish() {
	if p.tty {
		fmt.Fprintln(p.out)
	}
	fmt.Fprintf(p.out, "re-rendered %d post(s) and group text(s) with the current policy\n", p.done)
}
