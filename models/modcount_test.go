package models_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"hearth/models"
	"hearth/models/testdb"
)

// statementLog counts the SQL statements a session runs.
type statementLog struct {
	logger.Interface
	statements int
}

func (l *statementLog) Trace(context.Context, time.Time, func() (string, int64), error) {
	l.statements++
}

// TestQueueCountMatchesQueue: for every reader, the header count is one statement
// and the number of items QueueFor lists, kind by kind the same as the
// rules written in Go (Mod.Sees, HeldFor, MayActOn) list: nothing about
// oneself, only one's groups, items about moderators and appeals by them for
// administrators, never an appeal of one's own decision, held bios for staff. A moderator of
// another group is an ordinary member here; a report whose subject was
// erased stays in its group. Past the page's limit the count stops where the
// page does.
func TestQueueCountMatchesQueue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now().UTC().Truncate(time.Second)
		groups := map[string]*models.Group{}
		for _, slug := range []string{"circle", "other"} {
			g := &models.Group{Slug: slug, Name: slug, JoinPolicy: models.JoinPolicyRequest, Listed: true, CreatedAt: now, UpdatedAt: now}
			if err := models.CreateGroup(db, g); err != nil {
				t.Fatal(err)
			}
			groups[slug] = g
		}
		circle, other := &groups["circle"].ID, &groups["other"].ID
		ada := modAccount(t, db, "ada", models.RoleAdmin)
		warden := modAccount(t, db, "warden", models.RoleSiteModerator)
		gale, hugo := modAccount(t, db, "gale", models.RoleMember), modAccount(t, db, "hugo", models.RoleMember)
		anna, cato := modAccount(t, db, "anna", models.RoleMember), modAccount(t, db, "cato", models.RoleMember)
		for _, m := range []struct {
			group *int64
			acct  *models.Account
			role  string
		}{
			{circle, gale, models.GroupRoleModerator}, {other, hugo, models.GroupRoleModerator},
			{circle, hugo, models.GroupRoleMember}, {circle, anna, models.GroupRoleMember}, {other, anna, models.GroupRoleMember},
		} {
			if err := models.AddMember(db, *m.group, m.acct.ID, m.role, now); err != nil {
				t.Fatal(err)
			}
		}
		mod := func(a *models.Account) *models.Mod {
			m, err := models.ModOf(db, a)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		create := func(v any) {
			if err := db.Create(v).Error; err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range []models.Report{
			{SubjectID: &anna.ID, GroupID: circle},   // gale, warden, ada
			{GroupID: circle},                        // subject erased: gale, warden, ada
			{},                                       // site-wide, subject erased: warden, ada
			{SubjectID: &warden.ID, GroupID: circle}, // ada
			{SubjectID: &hugo.ID, GroupID: circle},   // a member here: gale, warden, ada
			{SubjectID: &ada.ID},                     // nobody else administers
			{SubjectID: &anna.ID, GroupID: circle, ClosedAt: &now},
		} {
			r.ReporterID, r.Reason, r.CreatedAt = &cato.ID, models.ReasonOther, now
			create(&r)
		}
		for _, h := range []models.HeldPost{
			{GroupID: *circle, AuthorID: anna.ID}, // gale, staff
			{GroupID: *circle, AuthorID: hugo.ID}, // gale, staff
			{GroupID: *other, AuthorID: anna.ID},  // hugo, staff
		} {
			h.Title, h.Body, h.BodyHTML, h.Reason, h.CreatedAt = "held", "held", "<p>held</p>", models.HoldPremod, now
			create(&h)
		}
		for _, author := range []*models.Account{anna, warden} { // staff, never her own
			create(&models.HeldBio{AccountID: author.ID, Bio: "held bio", Reason: models.HoldIdentify, CreatedAt: now})
		}
		for _, j := range []struct {
			group *int64
			acct  *models.Account
		}{{circle, cato}, {other, cato}, {other, gale}} {
			if _, err := models.RequestJoin(db, *j.group, j.acct.ID, "hello", now); err != nil {
				t.Fatal(err)
			}
		}
		for i, a := range []struct {
			actor, target *models.Account
			group         *int64
		}{
			{gale, anna, circle},   // warden, ada
			{hugo, anna, other},    // warden, ada
			{warden, hugo, circle}, // gale (hugo is a member of circle), ada
			{ada, warden, nil},     // nobody
		} {
			note := fmt.Sprintf("decision %d", i)
			if err := models.MemberAction(db, mod(a.actor), a.target.ID, a.group, models.ActionInput{Action: models.ModWarn, Reason: "rules", Note: note}, now); err != nil {
				t.Fatal(err)
			}
			var action models.ModAction
			if err := db.Where("note = ?", note).First(&action).Error; err != nil {
				t.Fatal(err)
			}
			if err := models.FileAppeal(db, a.target.ID, action.ID, "please", now); err != nil {
				t.Fatal(err)
			}
		}

		check := func(name string, acct *models.Account, want int) *models.Queue {
			t.Helper()
			log := &statementLog{Interface: logger.Discard}
			counts, err := models.HeaderCountsFor(db.Session(&gorm.Session{Logger: log}), acct)
			waiting, moderates := counts.ModQueue, counts.Moderates
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if log.statements != 1 {
				t.Errorf("%s: the count ran %d statements, want 1", name, log.statements)
			}
			m := mod(acct)
			if moderates != m.Any() {
				t.Errorf("%s: moderates = %v, want %v", name, moderates, m.Any())
			}
			if !m.Any() {
				return nil
			}
			q, err := models.QueueFor(db, m)
			if err != nil {
				t.Fatal(err)
			}
			if waiting != q.Len() || waiting != want {
				t.Errorf("%s: count %d, queue lists %d, want %d", name, waiting, q.Len(), want)
			}
			return q
		}
		// sameAsGo compares the queue with the rules as Go states them
		// (below the page's limits, where those lists are complete).
		sameAsGo := func(name string, q *models.Queue, m *models.Mod) {
			t.Helper()
			reports, err1 := models.OpenReports(db, m)
			held, err2 := models.HeldFor(db, m, "")
			appeals, err3 := models.OpenAppeals(db, m)
			if err1 != nil || err2 != nil || err3 != nil {
				t.Fatal(err1, err2, err3)
			}
			if len(q.Reports) != len(reports) || len(q.Held) != len(held) || len(q.Appeals) != len(appeals) {
				t.Errorf("%s: queue lists %d reports, %d held, %d appeals; the rules in Go %d, %d, %d", name,
					len(q.Reports), len(q.Held), len(q.Appeals), len(reports), len(held), len(appeals))
			}
		}
		cases := []struct {
			name string
			acct *models.Account
			want int
		}{
			// reports + held posts + held bios + requests + appeals
			{"administrator", ada, 5 + 3 + 2 + 3 + 3},
			{"site moderator", warden, 4 + 3 + 1 + 3 + 2},
			{"moderator of circle", gale, 3 + 2 + 0 + 1 + 1},
			{"moderator of other, subject of a report and an appeal, acting on another", hugo, 0 + 1 + 0 + 2 + 0},
			{"member", anna, 0},
		}
		for _, c := range cases {
			if q := check(c.name, c.acct, c.want); q != nil {
				sameAsGo(c.name, q, mod(c.acct))
			}
		}

		// Past the page's limit of held posts, the count stops with the list.
		more := make([]models.HeldPost, 210)
		for i := range more {
			more[i] = models.HeldPost{GroupID: *circle, AuthorID: anna.ID, Body: "more", BodyHTML: "<p>more</p>", Reason: models.HoldPremod, CreatedAt: now}
		}
		if err := db.CreateInBatches(more, 50).Error; err != nil {
			t.Fatal(err)
		}
		if q := check("moderator of circle, past the limit", gale, 3+200+1+1); len(q.Held) != 200 {
			t.Errorf("held listed = %d, want the page's 200", len(q.Held))
		}
	})
}
