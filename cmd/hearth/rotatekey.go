package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"hearth/internal/secrets"
	"hearth/models"
)

func cmdRotateKey(ctx context.Context, env cliEnv, args []string) error {
	fs := newFlagSet(env, "hearth rotate-key",
		"Re-encrypt every secret under a new secret key. With a key file (the generated one or\n"+
			"HEARTH_SECRET_KEY_FILE) the file is replaced; with HEARTH_SECRET_KEY the new key is printed\n"+
			"once, and must be put into HEARTH_SECRET_KEY before the next start. Stop the server first.")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	rt, err := openRuntime(ctx, env, true)
	if err != nil {
		return err
	}
	defer rt.close()

	newKey, err := secrets.NewKey()
	if err != nil {
		return err
	}
	next, err := secrets.NewBox(newKey)
	if err != nil {
		return err
	}
	// Write the new key beside the old one before the database changes, so
	// that a crash between the two steps loses nothing: whichever key the
	// database holds is on disk.
	staged := ""
	if rt.keyPath != "" {
		staged = rt.keyPath + ".new"
		if err := secrets.WriteKeyFile(staged, newKey); err != nil {
			return fmt.Errorf("write the new key to %s: %w", staged, err)
		}
	}
	count, err := models.RotateSecretKey(rt.db, rt.box, next, time.Now())
	if err != nil {
		if staged != "" {
			_ = os.Remove(staged)
		}
		return fmt.Errorf("nothing was changed: %w", err)
	}
	if staged != "" {
		if err := os.Rename(staged, rt.keyPath); err != nil {
			return fmt.Errorf("the database now uses the new key, which is in %s: move it to %s yourself: %w", staged, rt.keyPath, err)
		}
		fmt.Fprintf(env.stdout, "re-encrypted %d secret(s); the new key (id %s) is in %s — back it up apart from the database\n",
			count, next.KeyID(), rt.keyPath)
		return nil
	}
	fmt.Fprintf(env.stdout, "re-encrypted %d secret(s) under key id %s. Set HEARTH_SECRET_KEY to this value before the next start:\n%s\n",
		count, next.KeyID(), secrets.EncodeKey(newKey))
	return nil
}
