package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/term"

	"hearth/internal/auth"
	"hearth/models"
)

// setupLinkFile is where the setup link goes when there is no terminal.
const setupLinkFile = "setup-link.txt"

// offerSetup makes a one-time /setup link when no administrator exists. The
// token never goes to the log: on a terminal it is printed to standard
// output; otherwise it is written to a 0600 file whose path the log names.
func offerSetup(ctx context.Context, rt *runtime, env cliEnv) error {
	linkPath := filepath.Join(rt.cfg.DataDir, setupLinkFile)
	admins, err := models.AdminCount(rt.db.WithContext(ctx), false)
	if err != nil {
		return err
	}
	if admins > 0 {
		_ = os.Remove(linkPath)
		return nil
	}
	token, hash, err := auth.NewToken()
	if err != nil {
		return err
	}
	if err := models.ReplaceSetupToken(rt.db.WithContext(ctx), hash, time.Now().UTC()); err != nil {
		return err
	}
	link := rt.cfg.BaseURL.String() + "/setup?token=" + token
	if f, ok := env.stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprintf(env.stdout, "\nNo administrator exists yet. Open this link once to create the first one:\n\n  %s\n\n", link)
		return nil
	}
	if err := os.WriteFile(linkPath, []byte(link+"\n"), 0o600); err != nil {
		return fmt.Errorf("write the setup link to %s: %w", linkPath, err)
	}
	rt.log.Warn("no administrator exists yet: the one-time setup link is in a file readable only by this user", "path", linkPath)
	return nil
}
