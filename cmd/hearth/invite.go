package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"hearth/models"
)

// subcommand is one command under a group such as "hearth admin".
type subcommand struct {
	name, usage, summary string
	run                  func(ctx context.Context, env cliEnv, args []string) error
}

// runSubcommand dispatches args[0] to one of subs; "--help" lists them.
func runSubcommand(ctx context.Context, env cliEnv, group, summary string, subs []subcommand, args []string) error {
	if len(args) == 0 {
		printSubcommands(env.stderr, group, summary, subs)
		return errUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" || name == "help" {
		printSubcommands(env.stdout, group, summary, subs)
		return nil
	}
	for _, sub := range subs {
		if sub.name == name {
			return sub.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.stderr, "hearth %s: unknown command %q; run \"hearth %s --help\" for the list\n", group, name, group)
	return errUsage
}

func printSubcommands(w io.Writer, group, summary string, subs []subcommand) {
	fmt.Fprintf(w, "%s\n\nUsage: hearth %s <command> [flags]\n\nCommands:\n", summary, group)
	for _, sub := range subs {
		fmt.Fprintf(w, "  %-12s %s\n", sub.name, sub.summary)
	}
	fmt.Fprintf(w, "\nRun \"hearth %s <command> --help\" for a command's flags.\n", group)
}

// usageProblem reports a bad flag value in one line and ends with exit code 2.
func usageProblem(env cliEnv, usage, format string, args ...any) error {
	fmt.Fprintf(env.stderr, "%s: %s\n", usage, fmt.Sprintf(format, args...))
	return errUsage
}

func cmdInvite(ctx context.Context, env cliEnv, args []string) error {
	return runSubcommand(ctx, env, "invite", "Make invitations to sign up.", []subcommand{
		{"create", "hearth invite create [--uses N] [--expires 72h|7d]", "make an invitation and print its sign-up link", cmdInviteCreate},
	}, args)
}

func cmdInviteCreate(ctx context.Context, env cliEnv, args []string) error {
	const usage = "hearth invite create"
	fs := newFlagSet(env, usage+" [--uses N] [--expires 72h|7d]",
		"Make an invitation and print one line: the sign-up link with its code (made from HEARTH_BASE_URL).\n"+
			"The code is shown only this once; the database keeps only its hash. Give the link only to the\n"+
			"person it is for. Administrators can list and revoke invitations at /admin/invites.")
	uses := fs.Int("uses", 1, fmt.Sprintf("how many people can sign up with it (%d to %d)", models.MinInviteUses, models.MaxInviteUses))
	expires := fs.String("expires", "7d", "how long it stays valid: a Go duration such as 72h, or days such as 7d (1h to 90d)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *uses < models.MinInviteUses || *uses > models.MaxInviteUses {
		return usageProblem(env, usage, "--uses must be from %d to %d", models.MinInviteUses, models.MaxInviteUses)
	}
	ttl, err := parseInviteTTL(*expires)
	if err != nil {
		return usageProblem(env, usage, "--expires: %s", err)
	}
	rt, err := openRuntime(ctx, env, true)
	if err != nil {
		return err
	}
	defer rt.close()
	code, _, err := models.NewInvite(rt.db.WithContext(ctx), *uses, ttl, nil, time.Now().UTC())
	if err != nil {
		return err
	}
	fmt.Fprintln(env.stdout, strings.TrimSuffix(rt.cfg.BaseURL.String(), "/")+"/register?invite="+code)
	return nil
}

// parseInviteTTL reads a Go duration ("72h", "90m") or a number of days
// ("7d"), from 1 hour to 90 days.
func parseInviteTTL(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var ttl time.Duration
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a duration such as 72h or 7d", s)
		}
		n = min(n, 1000) // anything this long is refused below; no overflow
		ttl = time.Duration(n) * 24 * time.Hour
	} else {
		d, err := time.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("%q is not a duration such as 72h or 7d", s)
		}
		ttl = d
	}
	if ttl < models.MinInviteTTL || ttl > models.MaxInviteTTL {
		return 0, fmt.Errorf("%q is outside 1h to 90d", s)
	}
	return ttl, nil
}
