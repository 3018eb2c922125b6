package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"sort"
	"strings"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// cliEnv is the process's outside world, so that tests can run commands.
type cliEnv struct {
	getenv         func(string) string
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand.
type command struct {
	name, usage, summary string
	run                  func(ctx context.Context, env cliEnv, args []string) error
}

// errUsage is returned after a usage message was printed.
var errUsage = errors.New("usage")

func commands() []command {
	return []command{
		{"serve", "hearth serve", "run the web server (the default)", cmdServe},
		{"migrate", "hearth migrate", "apply database migrations and exit", cmdMigrate},
		{"version", "hearth version", "print the version", cmdVersion},
		{"rotate-key", "hearth rotate-key", "re-encrypt every secret under a new secret key", cmdRotateKey},
		{"admin", "hearth admin create|reset-2fa --username NAME", "create an administrator, or reset an account's authenticator", cmdAdmin},
		{"invite", "hearth invite create [--uses N] [--expires 72h|7d]", "make an invitation link to sign up", cmdInvite},
		{"rerender", "hearth rerender", "re-render every post with the current sanitizer policy", cmdRerender},
		{"seed", "hearth seed [--seed N] [--members N] [--groups N] [--topics N] [--posts N] [--force]", "fill a benchmark database with a realistic forum", cmdSeed},
		{"group", "hearth group create --name NAME --slug SLUG [--join open|request|invite] [--unlisted]", "create a self-help group", cmdGroup},
	}
}

func run(ctx context.Context, args []string, env cliEnv) int {
	name := "serve"
	if len(args) > 0 {
		name, args = args[0], args[1:]
	}
	if name == "-h" || name == "--help" || name == "help" {
		printHelp(env.stdout)
		return 0
	}
	for _, cmd := range commands() {
		if cmd.name != name {
			continue
		}
		err := cmd.run(ctx, env, args)
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.Is(err, errUsage):
			return 2
		default:
			fmt.Fprintf(env.stderr, "hearth %s: %s\n", name, oneLine(err))
			return 1
		}
	}
	fmt.Fprintf(env.stderr, "hearth: unknown command %q; run \"hearth --help\" for the list\n", name)
	return 2
}

func printHelp(w io.Writer) {
	fmt.Fprintln(w, "Hearth: a self-hosted peer-support forum.")
	fmt.Fprintln(w, "\nUsage: hearth <command> [flags]   (no command: serve)\n\nCommands:")
	list := commands()
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	for _, cmd := range list {
		fmt.Fprintf(w, "  %-20s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintln(w, "\nRun \"hearth <command> --help\" for a command's flags. Configuration comes from HEARTH_* environment variables (see README).")
}

// newFlagSet makes a flag set whose --help prints the command's usage.
func newFlagSet(env cliEnv, usage, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(usage, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "Usage: %s\n\n%s\n", usage, summary)
		var hasFlags bool
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(env.stderr, "\nFlags:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args, mapping a bad flag to errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

func cmdVersion(_ context.Context, env cliEnv, args []string) error {
	fs := newFlagSet(env, "hearth version", "Print Hearth's version.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := version
	if info, ok := debug.ReadBuildInfo(); ok && v == "dev" {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v = "dev-" + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(env.stdout, "hearth %s\n", v)
	return nil
}

// oneLine keeps an error message to a single line for the terminal.
func oneLine(err error) string {
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
