package models_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

// TestInviteByCodeRefusesUnusableInvites: only a usable invite is found; a
// revoked, expired or used-up one looks exactly like an unknown code.
func TestInviteByCodeRefusesUnusableInvites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC().Truncate(time.Second)
		cases := []struct {
			name      string
			prepare   func(t *testing.T, inv *models.Invite)
			wantFound bool
			wantState string
		}{
			{"fresh", func(*testing.T, *models.Invite) {}, true, models.InviteUsable},
			{"revoked", func(t *testing.T, inv *models.Invite) {
				if err := models.RevokeInvite(db, inv.ID, nil, now); err != nil {
					t.Fatal(err)
				}
			}, false, models.InviteRevoked},
			{"expired", func(t *testing.T, inv *models.Invite) {
				db.Model(inv).Update("expires_at", now.Add(-time.Second))
			}, false, models.InviteExpired},
			{"used up", func(t *testing.T, inv *models.Invite) {
				if ok, err := models.UseInvite(db, inv.ID, now); !ok || err != nil {
					t.Fatalf("first use refused: %v", err)
				}
				if ok, _ := models.UseInvite(db, inv.ID, now); ok {
					t.Fatal("a one-use invite was used twice")
				}
			}, false, models.InviteUsedUp},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				code, inv, err := models.NewInvite(db, 1, time.Hour, nil, now)
				if err != nil {
					t.Fatal(err)
				}
				tc.prepare(t, inv)
				found, err := models.InviteByCode(db, models.InviteCodeHash(code), now)
				if tc.wantFound != (err == nil) || (!tc.wantFound && !errors.Is(err, models.ErrNotFound)) {
					t.Fatalf("found %v, err %v", found, err)
				}
				var stored models.Invite
				db.First(&stored, inv.ID)
				if got := stored.State(now); got != tc.wantState {
					t.Fatalf("state %q, want %q", got, tc.wantState)
				}
			})
		}
		if _, err := models.InviteByCode(db, models.InviteCodeHash("nosuchcode"), now); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unknown code: %v", err)
		}
	})
}

// TestNewInviteCodes: 128-bit lower-case base32 codes without padding, a
// 4-character hint, only the hash stored (ASVS 6.5.3 for the CSPRNG), the
// limits enforced, and a code typed with spaces or capitals still found.
func TestNewInviteCodes(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		code, inv, err := models.NewInvite(db, 2, 7*24*time.Hour, nil, now)
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[a-z2-7]{26}$`).MatchString(code) || inv.Hint != code[:4] {
			t.Fatalf("code %q hint %q", code, inv.Hint)
		}
		other, _, _ := models.NewInvite(db, 1, time.Hour, nil, now)
		if other == code {
			t.Fatal("two invites share a code")
		}
		if _, err := models.InviteByCode(db, models.InviteCodeHash("  "+strings.ToUpper(code)+" "), now); err != nil {
			t.Fatalf("code with spaces and capitals: %v", err)
		}
		for _, bad := range []struct {
			uses int
			ttl  time.Duration
		}{{0, time.Hour}, {1001, time.Hour}, {1, 59 * time.Minute}, {1, 91 * 24 * time.Hour}} {
			if _, _, err := models.NewInvite(db, bad.uses, bad.ttl, nil, now); !errors.Is(err, models.ErrInviteLimits) {
				t.Errorf("uses %d ttl %s: %v", bad.uses, bad.ttl, err)
			}
		}
		var n int64
		db.Model(&models.Invite{}).Count(&n)
		if n != 2 {
			t.Fatalf("%d invites stored", n)
		}
	})
}
