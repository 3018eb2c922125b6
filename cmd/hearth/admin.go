package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mdp/qrterminal/v3"
	"golang.org/x/term"
	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/models"
)

func cmdAdmin(ctx context.Context, env cliEnv, args []string) error {
	return runSubcommand(ctx, env, "admin", "Manage administrator accounts from the server.", []subcommand{
		{"create", "hearth admin create --username NAME", "create an administrator (password on standard input)", cmdAdminCreate},
		{"reset-2fa", "hearth admin reset-2fa --username NAME", "give any account a new authenticator secret and end its sessions", cmdAdminReset2FA},
	}, args)
}

func cmdAdminCreate(ctx context.Context, env cliEnv, args []string) error {
	const usage = "hearth admin create --username NAME"
	fs := newFlagSet(env, usage,
		"Create an administrator. The password is read from standard input (its first line); on a\n"+
			"terminal you are asked for it twice, without echo. Prints the otpauth:// URI, the secret for\n"+
			"typing and, on a terminal, a QR code: add it to an authenticator app. At the first sign-in the\n"+
			"administrator confirms a code from the app and then receives recovery codes.")
	username := fs.String("username", "", "the administrator's username (3 to 32 characters)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *username == "" {
		return usageProblem(env, "hearth admin create", "--username is required")
	}
	canonical, skeleton, err := auth.NormalizeUsername(*username)
	if err != nil {
		return errors.New(usernameProblem(err))
	}
	raw, err := readPassword(env)
	if err != nil {
		return err
	}
	password, err := auth.CheckPassword(raw)
	if err != nil {
		return errors.New(passwordProblem(err))
	}
	hash, err := auth.HashPassword(password, auth.DefaultParams())
	if err != nil {
		return err
	}

	rt, err := openRuntime(ctx, env, true)
	if err != nil {
		return err
	}
	defer rt.close()
	db := rt.db.WithContext(ctx)
	if taken, err := models.UsernameTaken(db, canonical, skeleton); err != nil {
		return err
	} else if taken {
		return fmt.Errorf("the username %q is taken, or too similar to an existing one; nothing was changed", canonical)
	}
	secret, sealed, err := newSealedTOTPSecret(rt)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	acct := &models.Account{
		Username: canonical, UsernameSkeleton: skeleton, PasswordHash: hash,
		Role: models.RoleAdmin, TOTPSecret: &sealed,
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := models.CreateAccount(tx, acct); err != nil {
			return err
		}
		return models.Audit(tx, nil, models.AuditAdminCreated, &acct.ID, "", now)
	})
	if errors.Is(err, models.ErrUsernameTaken) {
		return fmt.Errorf("the username %q is taken, or too similar to an existing one; nothing was changed", canonical)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Created the administrator %q. Add this account to an authenticator app:\n", canonical)
	return printEnrollment(ctx, rt, env, secret, canonical)
}

func cmdAdminReset2FA(ctx context.Context, env cliEnv, args []string) error {
	const usage = "hearth admin reset-2fa --username NAME"
	fs := newFlagSet(env, usage,
		"For whoever holds the server when an account, typically the last administrator, has lost its\n"+
			"authenticator and its recovery codes. Works for any account. In one step it gives the account a\n"+
			"new authenticator secret, deletes its recovery codes and ends all its sessions; the password\n"+
			"stays. Prints the new otpauth:// URI, the secret and (on a terminal) a QR code. At the next\n"+
			"sign-in the account confirms a code from the new secret and receives new recovery codes.\n"+
			"Only do this for a person whose identity you have checked outside the forum.")
	username := fs.String("username", "", "the account's username")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *username == "" {
		return usageProblem(env, "hearth admin reset-2fa", "--username is required")
	}
	rt, err := openRuntime(ctx, env, true)
	if err != nil {
		return err
	}
	defer rt.close()
	db := rt.db.WithContext(ctx)
	unknown := fmt.Errorf("there is no account named %q; nothing was changed", *username)
	canonical, _, err := auth.NormalizeUsername(*username)
	if err != nil {
		return unknown
	}
	acct, err := models.AccountByUsername(db, canonical)
	if errors.Is(err, models.ErrNotFound) {
		return unknown
	} else if err != nil {
		return err
	}
	secret, sealed, err := newSealedTOTPSecret(rt)
	if err != nil {
		return err
	}
	if err := models.ResetSecondFactor(db, acct.ID, sealed, nil, time.Now().UTC()); err != nil {
		return err
	}
	fmt.Fprintf(env.stdout, "Reset the authenticator of %q and ended all its sessions. Add the new secret to an authenticator app:\n", canonical)
	return printEnrollment(ctx, rt, env, secret, canonical)
}

// newSealedTOTPSecret makes a TOTP secret and seals it for accounts.totp_secret.
func newSealedTOTPSecret(rt *runtime) ([]byte, string, error) {
	secret, err := auth.NewTOTPSecret()
	if err != nil {
		return nil, "", err
	}
	sealed, err := rt.box.Seal(secret, models.SealedAD("accounts", "totp_secret"))
	if err != nil {
		return nil, "", fmt.Errorf("seal the authenticator secret: %w", err)
	}
	return secret, sealed, nil
}

// printEnrollment prints the otpauth:// URI on a line of its own, the secret
// in groups of four and, on a terminal, a QR code of the URI.
func printEnrollment(ctx context.Context, rt *runtime, env cliEnv, secret []byte, username string) error {
	site, err := models.LoadSiteSettings(rt.db.WithContext(ctx))
	if err != nil {
		return err
	}
	uri := auth.TOTPURI(secret, site.SiteName, username)
	fmt.Fprintln(env.stdout, uri)
	fmt.Fprintf(env.stdout, "Secret, to type instead: %s\n", auth.FormatSecret(secret))
	if isTerminal(env.stdout) {
		qrterminal.GenerateWithConfig(uri, qrterminal.Config{
			Level: qrterminal.M, Writer: env.stdout, HalfBlocks: true, QuietZone: 2,
			BlackChar: qrterminal.BLACK_BLACK, WhiteBlackChar: qrterminal.WHITE_BLACK,
			WhiteChar: qrterminal.WHITE_WHITE, BlackWhiteChar: qrterminal.BLACK_WHITE,
		})
	}
	fmt.Fprintf(env.stdout, "Then sign in at %s/login and confirm a code from the app; the recovery codes follow.\n",
		strings.TrimSuffix(rt.cfg.BaseURL.String(), "/"))
	return nil
}

// isTerminal reports whether f is an interactive terminal.
func isTerminal(f any) bool {
	file, ok := f.(*os.File)
	return ok && term.IsTerminal(int(file.Fd()))
}

// readPassword reads the first line of standard input or, on a terminal,
// asks twice without echo.
func readPassword(env cliEnv) (string, error) {
	if f, ok := env.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.stderr, "Password: ")
		first, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		fmt.Fprint(env.stderr, "Password again: ")
		second, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.stderr)
		if err != nil {
			return "", fmt.Errorf("read the password: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New("the two passwords differ; nothing was changed")
		}
		return string(first), nil
	}
	line, err := bufio.NewReader(io.LimitReader(env.stdin, 64*1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from standard input: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no password on standard input: give it as the first line (for example: hearth admin create --username NAME < password-file)")
	}
	return line, nil
}

// usernameProblem says in one line why a username was refused.
func usernameProblem(err error) string {
	var ue *auth.UsernameError
	reason := ""
	if errors.As(err, &ue) {
		reason = ue.Reason
	}
	switch reason {
	case auth.UsernameTooShort, auth.UsernameTooLong:
		return fmt.Sprintf("the username must be %d to %d characters long", auth.MinUsernameLen, auth.MaxUsernameLen)
	case auth.UsernameReserved:
		return "this username is reserved; please choose another"
	default:
		return "the username may contain only letters, digits and . _ - and must begin and end with a letter or digit"
	}
}

// passwordProblem says in one line why a password was refused.
func passwordProblem(err error) string {
	var pe *auth.PasswordError
	reason := ""
	if errors.As(err, &pe) {
		reason = pe.Reason
	}
	switch reason {
	case auth.PasswordTooShort:
		return fmt.Sprintf("the password is too short: use at least %d characters", auth.MinPasswordLen)
	case auth.PasswordTooLong:
		return fmt.Sprintf("the password is too long: use at most %d characters", auth.MaxPasswordLen)
	case auth.PasswordCommon:
		return "this password is among the most common ones and easy to guess; please choose another"
	default:
		return "the password contains characters that cannot be used"
	}
}
