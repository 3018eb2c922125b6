package models_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"hearth/models"
	"hearth/models/testdb"
)

func modAccount(t *testing.T, db *gorm.DB, name, role string) *models.Account {
	t.Helper()
	now := time.Now().UTC()
	a := &models.Account{Username: name, UsernameSkeleton: name, PasswordHash: "x", Role: role, CreatedAt: now, UpdatedAt: now}
	if err := models.CreateAccount(db, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// TestMayActOn is the rank rule behind every moderation action: nobody on
// themselves, group moderators only in their group and only on members,
// moderators only by administrators, an administrator only by another.
func TestMayActOn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		g := &models.Group{Slug: "circle", Name: "Circle", JoinPolicy: models.JoinPolicyOpen, Listed: true, CreatedAt: now, UpdatedAt: now}
		h := &models.Group{Slug: "other", Name: "Other", JoinPolicy: models.JoinPolicyOpen, Listed: true, CreatedAt: now, UpdatedAt: now}
		for _, grp := range []*models.Group{g, h} {
			if err := models.CreateGroup(db, grp); err != nil {
				t.Fatal(err)
			}
		}
		admin := modAccount(t, db, "coordinator", models.RoleAdmin)
		admin2 := modAccount(t, db, "steward", models.RoleAdmin)
		site := modAccount(t, db, "warden", models.RoleSiteModerator)
		gmod := modAccount(t, db, "gale", models.RoleMember)
		anna := modAccount(t, db, "anna", models.RoleMember)
		_ = models.AddMember(db, g.ID, gmod.ID, models.GroupRoleModerator, now)
		_ = models.AddMember(db, g.ID, anna.ID, models.GroupRoleMember, now)
		mod := func(a *models.Account) *models.Mod {
			m, err := models.ModOf(db, a)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		cases := []struct {
			name   string
			actor  *models.Account
			target *models.Account
			group  *int64
			want   error
		}{
			{"group moderator on a member of their group", gmod, anna, &g.ID, nil},
			{"group moderator in another group", gmod, anna, &h.ID, models.ErrNotAllowed},
			{"group moderator site-wide", gmod, anna, nil, models.ErrNotAllowed},
			{"group moderator on themselves", gmod, gmod, &g.ID, models.ErrSelf},
			{"site moderator on the group moderator", site, gmod, &g.ID, models.ErrNotAllowed},
			{"site moderator on a member site-wide", site, anna, nil, nil},
			{"site moderator on an administrator", site, admin, nil, models.ErrNotAllowed},
			{"administrator on the group moderator", admin, gmod, &g.ID, nil},
			{"administrator on another administrator", admin, admin2, nil, nil},
			{"administrator on themselves", admin, admin, nil, models.ErrSelf},
		}
		for _, c := range cases {
			if err := mod(c.actor).MayActOn(db, c.target.ID, c.group); !errors.Is(err, c.want) && !(err == nil && c.want == nil) {
				t.Errorf("%s: got %v, want %v", c.name, err, c.want)
			}
		}
	})
}

// TestAuditEntriesOfModeration: a moderation action appends one audit
// entry with its moderation record; the log offers no update or delete.
func TestAuditEntriesOfModeration(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC()
		g := &models.Group{Slug: "circle", Name: "Circle", JoinPolicy: models.JoinPolicyOpen, Listed: true, CreatedAt: now, UpdatedAt: now}
		if err := models.CreateGroup(db, g); err != nil {
			t.Fatal(err)
		}
		site := modAccount(t, db, "warden", models.RoleSiteModerator)
		anna := modAccount(t, db, "anna", models.RoleMember)
		_ = models.AddMember(db, g.ID, anna.ID, models.GroupRoleMember, now)
		m, _ := models.ModOf(db, site)
		in := models.ActionInput{Action: models.ModWarn, Reason: "rules", Note: "please"}
		if err := models.MemberAction(db, m, anna.ID, &g.ID, in, now); err != nil {
			t.Fatal(err)
		}
		rows, err := models.AuditLog(db, m, models.AuditFilter{MemberID: anna.ID}, 10)
		if err != nil || len(rows) != 1 || rows[0].Action != models.ModWarn || rows[0].Reason != "rules" || rows[0].GroupName != "Circle" {
			t.Fatalf("audit rows = %+v, %v", rows, err)
		}
		// Erased: the entry stays, naming a former member.
		if err := models.EraseAccount(db, anna.ID, false, now); err != nil {
			t.Fatal(err)
		}
		rows, _ = models.AuditLog(db, m, models.AuditFilter{MemberID: anna.ID}, 10)
		if len(rows) != 1 || rows[0].TargetName != "" || *rows[0].TargetAccountID != anna.ID {
			t.Fatalf("after erasure: %+v", rows)
		}
	})
}
