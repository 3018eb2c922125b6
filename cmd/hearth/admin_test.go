package main

import (
	"bytes"
	"context"
	"encoding/base32"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/internal/auth"
	"hearth/internal/config"
	"hearth/internal/secrets"
	"hearth/models"
)

// cliRunInput runs a command with stdin.
func cliRunInput(t *testing.T, env map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, cliEnv{
		getenv: func(k string) string { return env[k] },
		stdin:  strings.NewReader(stdin),
		stdout: &out,
		stderr: &errOut,
	})
	return code, out.String(), errOut.String()
}

// openCLIDatabase opens the database and secret key a command used.
func openCLIDatabase(t *testing.T, env map[string]string) (*gorm.DB, *secrets.Box) {
	t.Helper()
	cfg, err := config.FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	key, _, _, err := secrets.LoadOrCreateKey(cfg.SecretKey, cfg.SecretKeyFile, cfg.DataDir)
	if err != nil {
		t.Fatal(err)
	}
	box, err := secrets.NewBox(key)
	if err != nil {
		t.Fatal(err)
	}
	db, err := models.Open(context.Background(), models.DBOptions{PostgresURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = models.Close(db) })
	return db, box
}

// wantOneLine fails unless s is exactly one non-empty line.
func wantOneLine(t *testing.T, what, s string) {
	t.Helper()
	if strings.TrimSpace(s) == "" || strings.Count(strings.TrimRight(s, "\n"), "\n") != 0 {
		t.Fatalf("%s: want one line, got %q", what, s)
	}
}

// otpauthSecret finds the otpauth:// line in out and decodes its secret.
func otpauthSecret(t *testing.T, out string) []byte {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "otpauth://totp/") {
			continue
		}
		u, err := url.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		secret, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(u.Query().Get("secret"))
		if err != nil {
			t.Fatal(err)
		}
		return secret
	}
	t.Fatalf("no otpauth:// line in %q", out)
	return nil
}

func TestCLIGroupUsage(t *testing.T) {
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantOut  string
		wantErr  string
	}{
		{"help lists admin and invite", []string{"--help"}, 0, "invite", ""},
		{"admin help lists its commands", []string{"admin", "--help"}, 0, "reset-2fa", ""},
		{"invite help lists create", []string{"invite", "--help"}, 0, "create", ""},
		{"admin without command", []string{"admin"}, 2, "", "Usage: hearth admin"},
		{"unknown admin command", []string{"admin", "delete"}, 2, "", `unknown command "delete"`},
		{"admin create help", []string{"admin", "create", "--help"}, 0, "", "standard input"},
		{"reset-2fa help says any account", []string{"admin", "reset-2fa", "--help"}, 0, "", "Works for any account"},
		{"invite create help", []string{"invite", "create", "--help"}, 0, "", "--expires"},
		{"admin create without username", []string{"admin", "create"}, 2, "", "--username is required"},
		{"uses zero", []string{"invite", "create", "--uses", "0"}, 2, "", "--uses must be from 1 to 1000"},
		{"uses too many", []string{"invite", "create", "--uses", "1001"}, 2, "", "--uses"},
		{"expiry too long", []string{"invite", "create", "--expires", "91d"}, 2, "", "outside 1h to 90d"},
		{"expiry too short", []string{"invite", "create", "--expires", "30m"}, 2, "", "outside 1h to 90d"},
		{"expiry nonsense", []string{"invite", "create", "--expires", "soon"}, 2, "", "not a duration"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			code, out, errOut := cliRun(t, map[string]string{"HEARTH_DATA_DIR": dir}, tc.args...)
			if code != tc.wantCode || !strings.Contains(out, tc.wantOut) || !strings.Contains(errOut, tc.wantErr) {
				t.Fatalf("code %d, stdout %q, stderr %q", code, out, errOut)
			}
			if tc.wantCode == 2 && !strings.HasPrefix(tc.wantErr, "Usage") {
				wantOneLine(t, "stderr", errOut) // a bad flag value or command is one line
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Fatalf("wrote %v", entries)
			}
		})
	}
}

func TestParseInviteTTL(t *testing.T) {
	cases := []struct {
		in      string
		want    time.Duration
		wantErr bool
	}{
		{"72h", 72 * time.Hour, false},
		{"7d", 7 * 24 * time.Hour, false},
		{"1h", time.Hour, false},
		{"90d", 90 * 24 * time.Hour, false},
		{"2160h", 90 * 24 * time.Hour, false},
		{"90m", 90 * time.Minute, false},
		{"59m", 0, true},
		{"91d", 0, true},
		{"-1d", 0, true},
		{"d", 0, true},
		{"1.5d", 0, true},
		{"99999999999999d", 0, true},
		{"", 0, true},
	}
	for _, tc := range cases {
		got, err := parseInviteTTL(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("parseInviteTTL(%q) = %s, %v", tc.in, got, err)
		}
	}
}

// TestCLIInviteCreatePrintsUsableLink: one line, the base URL's sign-up link
// with a code that works, with the uses and lifetime asked for.
func TestCLIInviteCreatePrintsUsableLink(t *testing.T) {
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			env["HEARTH_BASE_URL"] = "https://forum.example"
			cases := []struct {
				args     []string
				wantUses int
				wantTTL  time.Duration
			}{
				{nil, 1, 7 * 24 * time.Hour},
				{[]string{"--uses", "5", "--expires", "72h"}, 5, 72 * time.Hour},
				{[]string{"--expires", "30d"}, 1, 30 * 24 * time.Hour},
			}
			for _, tc := range cases {
				before := time.Now()
				code, out, errOut := cliRun(t, env, append([]string{"invite", "create"}, tc.args...)...)
				if code != 0 {
					t.Fatalf("code %d: %s", code, errOut)
				}
				wantOneLine(t, "stdout", out)
				link := strings.TrimSpace(out)
				inviteCode, ok := strings.CutPrefix(link, "https://forum.example/register?invite=")
				if !ok || len(inviteCode) != 26 {
					t.Fatalf("link %q", link)
				}
				db, _ := openCLIDatabase(t, env)
				inv, err := models.InviteByCode(db, models.InviteCodeHash(inviteCode), time.Now())
				if err != nil {
					t.Fatalf("printed invite not usable: %v", err)
				}
				if inv.MaxUses != tc.wantUses || inv.CreatedBy != nil || inv.ExpiresAt.Sub(before).Round(time.Minute) != tc.wantTTL {
					t.Fatalf("invite %+v", inv)
				}
				if strings.Contains(errOut, inviteCode) {
					t.Fatal("code in the log") // ASVS 16.2.5
				}
			}
		})
	}
}

const adminPassword = "a long and quiet evening by the sea"

// TestCLIAdminCreate: the password from standard input makes an
// administrator who is half-registered (first sign-in confirms a code), whose
// sealed secret opens to the one printed, with an audit entry.
func TestCLIAdminCreate(t *testing.T) {
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := cliRunInput(t, env, adminPassword+"\nignored second line\n", "admin", "create", "--username", "Anna")
			if code != 0 {
				t.Fatalf("code %d: %s", code, errOut)
			}
			printed := otpauthSecret(t, out)
			if !strings.Contains(out, auth.FormatSecret(printed)) {
				t.Fatalf("secret for typing missing: %q", out)
			}
			db, box := openCLIDatabase(t, env)
			acct, err := models.AccountByUsername(db, "anna")
			if err != nil {
				t.Fatal(err)
			}
			if !acct.IsAdmin() || !acct.HalfRegistered() || acct.TOTPConfirmedAt != nil || acct.RecoveryCodesSeenAt != nil || acct.TOTPSecret == nil {
				t.Fatalf("account %+v", acct)
			}
			secret, err := box.Open(*acct.TOTPSecret, models.SealedAD("accounts", "totp_secret"))
			if err != nil || !bytes.Equal(secret, printed) {
				t.Fatalf("sealed secret does not open to the printed one: %v", err)
			}
			// ASVS 11.4.2: argon2id at the production cost.
			ok, rehash, err := auth.VerifyPassword(adminPassword, acct.PasswordHash, auth.DefaultParams())
			if !ok || rehash || err != nil {
				t.Fatalf("password: ok %v rehash %v err %v", ok, rehash, err)
			}
			var entries []models.AuditEntry
			db.Where("action = ?", models.AuditAdminCreated).Find(&entries)
			if len(entries) != 1 || entries[0].ActorID != nil || entries[0].TargetAccountID == nil || *entries[0].TargetAccountID != acct.ID {
				t.Fatalf("audit %+v", entries)
			}
		})
	}
}

// TestCLIAdminCreateRefusals: a bad username or password, no password, or a
// taken (or look-alike) username ends with exit 1, one line, and no account.
func TestCLIAdminCreateRefusals(t *testing.T) {
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			if code, _, errOut := cliRunInput(t, env, adminPassword+"\n", "admin", "create", "--username", "anna"); code != 0 {
				t.Fatalf("first admin: %s", errOut)
			}
			cases := []struct {
				name, username, stdin, want string
			}{
				{"username too short", "an", adminPassword, "3 to 32 characters"},
				{"username with space", "an na", adminPassword, "only letters, digits"},
				{"reserved username", "moderator", adminPassword, "reserved"},
				{"password too short", "bert", "short", "at least 10 characters"},
				{"common password", "bert", "password123", "most common"},
				{"no password", "bert", "", "no password on standard input"},
				{"taken username", "ANNA", adminPassword, `"anna" is taken`},
				{"look-alike username", "аnna", adminPassword, "is taken"}, // Cyrillic а
			}
			for _, tc := range cases {
				t.Run(tc.name, func(t *testing.T) {
					code, out, errOut := cliRunInput(t, env, tc.stdin+"\n", "admin", "create", "--username", tc.username)
					if code != 1 || out != "" || !strings.Contains(errOut, tc.want) {
						t.Fatalf("code %d, stdout %q, stderr %q", code, out, errOut)
					}
					wantOneLine(t, "stderr", errOut)
					if strings.Contains(errOut, adminPassword) {
						t.Fatal("password echoed")
					}
				})
			}
			db, _ := openCLIDatabase(t, env)
			var accounts, audits int64
			db.Model(&models.Account{}).Count(&accounts)
			db.Model(&models.AuditEntry{}).Where("action = ?", models.AuditAdminCreated).Count(&audits)
			if accounts != 1 || audits != 1 {
				t.Fatalf("%d accounts, %d audit entries after refusals", accounts, audits)
			}
		})
	}
}

// TestCLIAdminReset2FA: a new secret, the account half-registered again, its
// recovery codes deleted and all its sessions ended (ASVS 7.4.3), another
// account untouched; an unknown username is one line and exit 1.
func TestCLIAdminReset2FA(t *testing.T) {
	for name, env := range databases(t) {
		t.Run(name, func(t *testing.T) {
			for _, user := range []string{"anna", "bert"} {
				if code, _, errOut := cliRunInput(t, env, adminPassword+"\n", "admin", "create", "--username", user); code != 0 {
					t.Fatalf("create %s: %s", user, errOut)
				}
			}
			db, box := openCLIDatabase(t, env)
			now := time.Now().UTC()
			policy := models.DefaultSessionPolicy()
			var accts [2]*models.Account
			for i, user := range []string{"anna", "bert"} {
				acct, _ := models.AccountByUsername(db, user)
				accts[i] = acct
				pending := "pending"
				db.Model(acct).Updates(map[string]any{"totp_confirmed_at": now, "recovery_codes_seen_at": now, "totp_last_step": 99, "totp_pending": pending})
				codes, _ := auth.NewRecoveryCodes(10)
				if err := models.ReplaceRecoveryCodes(db, acct.ID, codes, now); err != nil {
					t.Fatal(err)
				}
				for range 2 {
					_, hash, _ := auth.NewToken()
					if _, err := models.CreateSession(db, acct.ID, hash, "Test", now, policy); err != nil {
						t.Fatal(err)
					}
				}
			}
			oldSecret := *accts[0].TOTPSecret

			code, out, errOut := cliRun(t, env, "admin", "reset-2fa", "--username", "Anna")
			if code != 0 {
				t.Fatalf("code %d: %s", code, errOut)
			}
			printed := otpauthSecret(t, out)
			anna, _ := models.AccountByUsername(db, "anna")
			if anna.TOTPSecret == nil || *anna.TOTPSecret == oldSecret || anna.TOTPConfirmedAt != nil ||
				anna.RecoveryCodesSeenAt != nil || anna.TOTPLastStep != 0 || anna.TOTPPending != nil || !anna.HalfRegistered() {
				t.Fatalf("account after reset %+v", anna)
			}
			if anna.PasswordHash != accts[0].PasswordHash {
				t.Fatal("the password changed")
			}
			secret, err := box.Open(*anna.TOTPSecret, models.SealedAD("accounts", "totp_secret"))
			if err != nil || !bytes.Equal(secret, printed) {
				t.Fatalf("new secret does not open to the printed one: %v", err)
			}
			count := func(model any, id int64) int64 {
				var n int64
				db.Model(model).Where("account_id = ?", id).Count(&n)
				return n
			}
			if s, r := count(&models.Session{}, anna.ID), count(&models.RecoveryCode{}, anna.ID); s != 0 || r != 0 {
				t.Fatalf("after reset: %d sessions, %d recovery codes", s, r)
			}
			if s, r := count(&models.Session{}, accts[1].ID), count(&models.RecoveryCode{}, accts[1].ID); s != 2 || r != 10 {
				t.Fatalf("other account touched: %d sessions, %d recovery codes", s, r)
			}
			if n := count(&models.Notice{}, anna.ID); n != 1 {
				t.Fatalf("%d notices", n) // ASVS 6.3.7
			}
			var entries []models.AuditEntry
			db.Where("action = ?", models.AuditAdminReset2FA).Find(&entries)
			if len(entries) != 1 || entries[0].ActorID != nil || *entries[0].TargetAccountID != anna.ID {
				t.Fatalf("audit %+v", entries)
			}

			for _, unknown := range []string{"nobody", "x"} {
				code, out, errOut = cliRun(t, env, "admin", "reset-2fa", "--username", unknown)
				if code != 1 || out != "" || !strings.Contains(errOut, "no account named") {
					t.Fatalf("unknown %q: code %d, stdout %q, stderr %q", unknown, code, out, errOut)
				}
				wantOneLine(t, "stderr", errOut)
			}
		})
	}
}
