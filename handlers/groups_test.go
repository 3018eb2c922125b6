package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"
	"gorm.io/gorm"

	"hearth/internal/markup"
	"hearth/models"
	"hearth/models/testdb"
)

// grpMake stores a group directly (the admin pages have their own tests).
func grpMake(t *testing.T, ts *testServer, slug, policy string, listed bool, question string) *models.Group {
	t.Helper()
	now := ts.clock.Now()
	g := &models.Group{Slug: slug, Name: "Group " + slug, Description: "About " + slug, JoinPolicy: policy, Listed: listed,
		EntryQuestion: question, AboutHTML: "<p>inside " + slug + "</p>", CreatedAt: now, UpdatedAt: now}
	if err := models.CreateGroup(ts.db, g); err != nil {
		t.Fatal(err)
	}
	return g
}

func grpIsMember(ts *testServer, g *models.Group, m *testMember) bool {
	mem, err := models.Membership(ts.db, g.ID, m.acct.ID)
	if err != nil {
		ts.t.Fatal(err)
	}
	return mem != nil
}

func wantLacks(t *testing.T, res *response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(res.body, p) {
			t.Fatalf("%s: body has %q\n%s", res.Request.URL.Path, p, excerpt(res.body))
		}
	}
}

// TestGroupGate checks every group route against every kind of reader:
// members read; a member outside a listed group sees only its public face
// and the join control; an unlisted group is 404 outside it; visitors are
// sent to sign in; staff read, and each read from outside is audited.
// ASVS 16.3.3.
func TestGroupGate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		listed := grpMake(t, ts, "listed-circle", models.JoinPolicyRequest, true, "What brings you here?")
		hidden := grpMake(t, ts, "quiet-room", models.JoinPolicyRequest, false, "")
		member, outsider := ts.createMember("anna", models.RoleMember), ts.createMember("otto", models.RoleMember)
		groupMod := ts.createMember("gina", models.RoleMember)
		admin, siteMod := ts.createMember("ada", models.RoleAdmin), ts.createMember("sami", models.RoleSiteModerator)
		for _, g := range []*models.Group{listed, hidden} {
			ts.join(g, member, models.GroupRoleMember)
			ts.join(g, groupMod, models.GroupRoleModerator)
		}
		if _, _, err := models.CreateTopic(db, listed.ID, "A topic inside", models.NewPost{AuthorID: member.acct.ID,
			Body: "x", BodyHTML: "<p>x</p>", SearchLanguage: "english"}, ts.clock.Now()); err != nil {
			t.Fatal(err)
		}
		clients := map[string]*testClient{
			"member": ts.signedIn(member), "outsider": ts.signedIn(outsider), "groupmod": ts.signedIn(groupMod),
			"admin": ts.signedIn(admin), "sitemod": ts.signedIn(siteMod), "visitor": ts.client(),
		}
		cases := []struct {
			reader, path string
			want         int
			has, lacks   []string
		}{
			{"member", "/groups/listed-circle", 200, []string{"A topic inside", "inside listed-circle", "/groups/listed-circle/new", "/groups/listed-circle/leave"}, []string{"/moderate"}},
			{"member", "/groups/listed-circle/members", 200, []string{"anna", "gina", "Moderator"}, nil},
			{"member", "/groups/listed-circle/moderate", 404, nil, nil},
			{"outsider", "/groups/listed-circle", 200, []string{"Group listed-circle", "About listed-circle", "What brings you here?", `name="answer"`}, []string{"A topic inside", "inside listed-circle", "/new"}},
			{"outsider", "/groups/listed-circle/members", 404, nil, []string{"anna"}},
			{"outsider", "/groups/listed-circle/moderate", 404, nil, nil},
			{"outsider", "/groups/listed-circle/leave", 404, nil, nil},
			{"outsider", "/groups/quiet-room", 404, nil, []string{"Group quiet-room"}},
			{"outsider", "/groups/quiet-room/members", 404, nil, nil},
			{"outsider", "/groups/quiet-room/moderate", 404, nil, nil},
			{"outsider", "/groups/no-such-group", 404, nil, nil},
			{"groupmod", "/groups/quiet-room/moderate", 200, []string{"Join requests"}, nil},
			{"admin", "/groups/quiet-room", 200, []string{"inside quiet-room", "each visit is recorded"}, nil},
			{"admin", "/groups/listed-circle/members", 200, []string{"anna"}, nil},
			{"sitemod", "/groups/quiet-room/moderate", 200, []string{"Join requests"}, nil},
			{"sitemod", "/groups/listed-circle", 200, []string{"A topic inside"}, nil},
		}
		for _, tc := range cases {
			t.Run(tc.reader+" "+tc.path, func(t *testing.T) {
				res := clients[tc.reader].get(tc.path)
				wantStatus(t, res, tc.want)
				wantContains(t, res, tc.has...)
				wantLacks(t, res, tc.lacks...)
				if got := res.Header.Get("Cache-Control"); got != "no-store" {
					t.Errorf("Cache-Control %q", got)
				}
			})
		}
		// Visitors are sent to sign in from every group page.
		for _, path := range []string{"/groups", "/groups/listed-circle", "/groups/quiet-room/members", "/groups/quiet-room/moderate"} {
			res := clients["visitor"].get(path)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("visitor %s: %d %s", path, res.StatusCode, res.Header.Get("Location"))
			}
		}
		// Staff reads from outside are audited, with the reader; members' are not.
		var entries []models.AuditEntry
		db.Where("action = ?", "group.read_by_non_member").Find(&entries)
		readers := map[int64]int{}
		for _, e := range entries {
			readers[*e.ActorID]++
		}
		if readers[admin.acct.ID] < 2 || readers[siteMod.acct.ID] < 2 || readers[member.acct.ID] != 0 || readers[groupMod.acct.ID] != 0 {
			t.Fatalf("audited reads: %v", readers)
		}
		// The directory: own groups, listed groups, never an unlisted one outside it.
		res := clients["outsider"].get("/groups")
		wantStatus(t, res, 200)
		wantContains(t, res, "Group listed-circle", "2 members", "Join by request")
		wantLacks(t, res, "quiet-room")
		res = clients["member"].get("/groups")
		wantContains(t, res, "Your groups", "Group quiet-room", "Not in the directory")
	})
}

// TestGroupTopicPages: 25 topics a page, pinned first, unread marked in
// text, rel="next"/"prev" links, and 404 past the last page.
func TestGroupTopicPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := grpMake(t, ts, "many-topics", models.JoinPolicyOpen, true, "")
		m := ts.createMember("paula", models.RoleMember)
		ts.join(g, m, models.GroupRoleMember)
		for i := 1; i <= models.TopicsPerPage+1; i++ {
			ts.clock.Advance(time.Minute)
			topic, _, err := models.CreateTopic(db, g.ID, fmt.Sprintf("Topic number %02d", i), models.NewPost{AuthorID: m.acct.ID,
				Body: "x", BodyHTML: "<p>x</p>", SearchLanguage: "english"}, ts.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			switch i {
			case 1:
				db.Model(topic).Update("pinned", true)
			case 2:
				if err := models.MarkRead(db, m.acct.ID, topic.ID, topic.PostCount); err != nil {
					t.Fatal(err)
				}
			}
		}
		c := ts.signedIn(m)
		res := c.get("/groups/many-topics")
		wantStatus(t, res, 200)
		wantContains(t, res, `rel="next" href="/groups/many-topics?page=2"`, "Page 1 of 2", "Pinned", "New posts", "0 replies")
		wantLacks(t, res, `rel="prev"`, "Topic number 02")
		if first, pinned := strings.Index(res.body, "Topic number 26"), strings.Index(res.body, "Topic number 01"); pinned < 0 || first < pinned {
			t.Fatalf("pinned topic not first: %d %d", pinned, first)
		}
		if n := strings.Count(res.body, `href="/groups/many-topics/topics/`); n != models.TopicsPerPage {
			t.Fatalf("page 1 lists %d topics", n)
		}
		res = c.get("/groups/many-topics?page=2")
		wantStatus(t, res, 200)
		wantContains(t, res, `rel="prev" href="/groups/many-topics?page=1"`, "Topic number 02")
		wantLacks(t, res, `rel="next"`, "Topic number 02</a> <strong")
		wantStatus(t, c.get("/groups/many-topics?page=3"), 404)
		wantStatus(t, c.get("/groups/many-topics?page=x"), 404)
	})
}

// TestGroupJoinOpenAndLeave: an open group takes a member at once; leaving
// (also as a moderator) ends the membership.
func TestGroupJoinOpenAndLeave(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := grpMake(t, ts, "open-door", models.JoinPolicyOpen, true, "")
		m, mod := ts.createMember("olga", models.RoleMember), ts.createMember("moritz", models.RoleMember)
		ts.join(g, mod, models.GroupRoleModerator)
		c := ts.signedIn(m)
		res := c.get("/groups/open-door")
		wantContains(t, res, "Join the group")
		res = c.post("/groups/open-door/join", nil)
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, c.follow(res), "You are now a member", "inside open-door")
		if !grpIsMember(ts, g, m) {
			t.Fatal("not a member after joining")
		}
		res = c.post("/groups/open-door/join", nil)
		wantContains(t, c.follow(res), "already a member")

		res = c.get("/groups/open-door/leave")
		wantStatus(t, res, 200)
		wantContains(t, res, "Leave Group open-door?")
		res = c.post("/groups/open-door/leave", nil)
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, c.follow(res), "You have left the group.")
		if grpIsMember(ts, g, m) {
			t.Fatal("still a member after leaving")
		}
		wantStatus(t, c.post("/groups/open-door/leave", nil), 404)

		mc := ts.signedIn(mod)
		wantContains(t, mc.get("/groups/open-door/leave"), "You moderate this group")
		wantStatus(t, mc.post("/groups/open-door/leave", nil), http.StatusSeeOther)
		if grpIsMember(ts, g, mod) {
			t.Fatal("moderator could not leave")
		}
	})
}

// TestGroupJoinByRequest: the answer is required when the group asks a
// question (422, text kept, nothing written); a second request while one is
// pending is refused kindly; a moderator approves or declines, the
// applicant is notified in the same step and the decision audited.
func TestGroupJoinByRequest(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		g := grpMake(t, ts, "ask-first", models.JoinPolicyRequest, true, "What brings you here?")
		mod := ts.createMember("mona", models.RoleMember)
		ts.join(g, mod, models.GroupRoleModerator)
		applicant, other := ts.createMember("rita", models.RoleMember), ts.createMember("rolf", models.RoleMember)
		c := ts.signedIn(applicant)
		c.get("/groups/ask-first")

		res := c.post("/groups/ask-first/join", url.Values{"answer": {"   "}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Please answer the group&#39;s question", `id="answer-error"`)
		long := strings.Repeat("é", models.JoinAnswerMax+1)
		res = c.post("/groups/ask-first/join", url.Values{"answer": {long}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Please keep it to 1000 characters", long)
		if n := countRows(t, db, &models.JoinRequest{}, "group_id = ?", g.ID); n != 0 {
			t.Fatalf("%d requests written by refused forms", n)
		}

		res = c.post("/groups/ask-first/join", url.Values{"answer": {"A friend told me <b>about</b> it."}})
		wantStatus(t, res, http.StatusSeeOther)
		page := c.follow(res)
		wantContains(t, page, "Your request is sent", "Your request is waiting")
		wantLacks(t, page, `name="answer"`)
		res = c.post("/groups/ask-first/join", url.Values{"answer": {"again"}})
		wantContains(t, c.follow(res), "You have already asked to join")
		if n := countRows(t, db, &models.JoinRequest{}, "group_id = ?", g.ID); n != 1 {
			t.Fatalf("%d requests, want 1", n)
		}
		wantContains(t, c.get("/groups"), "Your request is waiting for a moderator.")

		oc := ts.signedIn(other)
		oc.get("/groups/ask-first")
		wantStatus(t, oc.post("/groups/ask-first/join", url.Values{"answer": {"Me too"}}), http.StatusSeeOther)

		var reqs []models.JoinRequest
		db.Where("group_id = ?", g.ID).Order("id").Find(&reqs)
		mc := ts.signedIn(mod)
		res = mc.get("/groups/ask-first/moderate")
		wantStatus(t, res, 200)
		wantContains(t, res, "rita", "A friend told me &lt;b&gt;about&lt;/b&gt; it.", "rolf")

		res = mc.post(fmt.Sprintf("/groups/ask-first/requests/%d/approve", reqs[0].ID), nil)
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, mc.follow(res), "The member is now in the group")
		res = mc.post(fmt.Sprintf("/groups/ask-first/requests/%d/decline", reqs[1].ID), nil)
		wantContains(t, mc.follow(res), "The request is declined")
		res = mc.post(fmt.Sprintf("/groups/ask-first/requests/%d/approve", reqs[1].ID), nil)
		wantContains(t, mc.follow(res), "already decided")

		if !grpIsMember(ts, g, applicant) || grpIsMember(ts, g, other) {
			t.Fatal("membership does not follow the decisions")
		}
		if n := countRows(t, db, &models.Notification{}, "account_id = ? AND kind = ? AND group_id = ?", applicant.acct.ID, models.NotifyJoinApproved, g.ID); n != 1 {
			t.Fatalf("approved notifications: %d", n)
		}
		if n := countRows(t, db, &models.Notification{}, "account_id = ? AND kind = ? AND actor_id IS NULL", other.acct.ID, models.NotifyJoinDeclined); n != 1 {
			t.Fatalf("declined notifications (naming no moderator): %d", n)
		}
		if countRows(t, db, &models.AuditEntry{}, "action = ? AND actor_id = ? AND target_account_id = ?", models.AuditGroupJoinApproved, mod.acct.ID, applicant.acct.ID) != 1 ||
			countRows(t, db, &models.AuditEntry{}, "action = ?", models.AuditGroupJoinDeclined) != 1 {
			t.Fatal("decisions not audited")
		}
		wantContains(t, c.get("/groups/ask-first"), "inside ask-first")
	})
}

// TestGroupModeratorsActOnlyInTheirGroup: a moderator of one group cannot
// moderate another, cannot reach another group's request by its id, and
// never decides their own request or invites themselves.
func TestGroupModeratorsActOnlyInTheirGroup(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		mine := grpMake(t, ts, "mine", models.JoinPolicyRequest, true, "")
		theirs := grpMake(t, ts, "theirs", models.JoinPolicyRequest, true, "")
		mod, applicant := ts.createMember("mara", models.RoleMember), ts.createMember("ben", models.RoleMember)
		siteMod := ts.createMember("sven", models.RoleSiteModerator)
		ts.join(mine, mod, models.GroupRoleModerator)
		now := ts.clock.Now()
		foreign, err := models.RequestJoin(db, theirs.ID, applicant.acct.ID, "", now)
		if err != nil {
			t.Fatal(err)
		}
		own, err := models.RequestJoin(db, theirs.ID, siteMod.acct.ID, "", now)
		if err != nil {
			t.Fatal(err)
		}
		mc := ts.signedIn(mod)
		mc.get("/groups/mine/moderate")
		for _, path := range []string{
			"/groups/theirs/moderate",
		} {
			wantStatus(t, mc.get(path), 404)
		}
		for _, path := range []string{
			fmt.Sprintf("/groups/theirs/requests/%d/approve", foreign.ID),
			fmt.Sprintf("/groups/mine/requests/%d/approve", foreign.ID), // another group's id through my group
			fmt.Sprintf("/groups/mine/requests/%d/decline", foreign.ID),
			"/groups/theirs/invitations",
			"/groups/theirs/invite-links",
		} {
			wantStatus(t, mc.post(path, url.Values{"username": {"ben"}}), 404)
		}
		res := mc.post("/groups/mine/invitations", url.Values{"username": {"mara"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "cannot invite yourself", `value="mara"`)

		sc := ts.signedIn(siteMod)
		sc.get("/groups/theirs/moderate")
		wantStatus(t, sc.post(fmt.Sprintf("/groups/theirs/requests/%d/approve", own.ID), nil), http.StatusForbidden)
		if grpIsMember(ts, theirs, applicant) || grpIsMember(ts, theirs, siteMod) {
			t.Fatal("a refused decision changed a membership")
		}
		if n := countRows(t, db, &models.JoinRequest{}, "decided_at IS NOT NULL"); n != 0 {
			t.Fatalf("%d requests decided", n)
		}
	})
}

var grpLinkPattern = regexp.MustCompile(`id="group-link" class="secret" value="([^"]+)"`)

// TestGroupInvitations: an invite-only group refuses a plain join; a
// moderator invites by username (the same answer for an unknown name) and
// the member accepts on the group page, even when the group is unlisted; a
// one-time link (128 bits, only its hash stored) works once.
func TestGroupInvitations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db, withBaseURL("https://forum.example"))
		g := grpMake(t, ts, "by-invitation", models.JoinPolicyInvite, false, "")
		mod := ts.createMember("ines", models.RoleMember)
		ts.join(g, mod, models.GroupRoleModerator)
		guest, linkUser, late := ts.createMember("gabi", models.RoleMember), ts.createMember("lena", models.RoleMember), ts.createMember("lars", models.RoleMember)

		gc := ts.signedIn(guest)
		wantStatus(t, gc.get("/groups/by-invitation"), 404)

		mc := ts.signedIn(mod)
		mc.get("/groups/by-invitation/moderate")
		const sent = "If a member with this username exists and is not in the group yet, they will see your invitation."
		for _, name := range []string{"nobody-by-this-name", "ines2", "gabi"} {
			res := mc.post("/groups/by-invitation/invitations", url.Values{"username": {name}})
			wantStatus(t, res, http.StatusSeeOther)
			wantContains(t, mc.follow(res), sent)
		}
		res := mc.post("/groups/by-invitation/invitations", url.Values{"username": {""}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if n := countRows(t, db, &models.GroupInvite{}, "group_id = ?", g.ID); n != 1 {
			t.Fatalf("%d invitations, want 1", n)
		}
		if n := countRows(t, db, &models.Notification{}, "account_id = ? AND kind = ?", guest.acct.ID, models.NotifyGroupInvite); n != 1 {
			t.Fatalf("invite notifications: %d", n)
		}

		res = gc.get("/groups/by-invitation")
		wantStatus(t, res, 200)
		wantContains(t, res, "A moderator invited you", "Accept the invitation")
		wantLacks(t, res, "inside by-invitation")
		res = gc.post("/groups/by-invitation/join", nil)
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, gc.follow(res), "You are now a member", "inside by-invitation")

		// An invite-only group refuses a join without an invitation.
		listedInvite := grpMake(t, ts, "listed-invite", models.JoinPolicyInvite, true, "")
		lc := ts.signedIn(linkUser)
		res = lc.get("/groups/listed-invite")
		wantContains(t, res, "by invitation only")
		wantLacks(t, res, "/groups/listed-invite/join")
		res = lc.post("/groups/listed-invite/join", nil)
		wantStatus(t, res, http.StatusUnprocessableEntity)
		if grpIsMember(ts, listedInvite, linkUser) {
			t.Fatal("joined an invite-only group without an invitation")
		}

		// A one-time link.
		res = mc.post("/groups/by-invitation/invite-links", nil)
		wantStatus(t, res, 200)
		m := grpLinkPattern.FindStringSubmatch(res.body)
		if m == nil || !strings.HasPrefix(m[1], "https://forum.example/groups/by-invitation/invite/") {
			t.Fatalf("no link shown: %s", excerpt(res.body))
		}
		code := strings.TrimPrefix(m[1], "https://forum.example/groups/by-invitation/invite/")
		if len(code) != 22 {
			t.Fatalf("code %q is not 128 bits", code)
		}
		var inv models.GroupInvite
		db.Where("group_id = ? AND code_hash IS NOT NULL", g.ID).First(&inv)
		if strings.Contains(string(inv.CodeHash), code) || len(inv.CodeHash) != 32 {
			t.Fatal("the code is stored, not its hash")
		}
		if !inv.ExpiresAt.Equal(inv.CreatedAt.Add(7*24*time.Hour)) && inv.ExpiresAt.Sub(inv.CreatedAt) != 7*24*time.Hour {
			t.Fatalf("link valid for %s", inv.ExpiresAt.Sub(inv.CreatedAt))
		}
		path := "/groups/by-invitation/invite/" + code
		wantStatus(t, lc.get("/groups/by-invitation/invite/"+code+"x"), 404)
		wantStatus(t, lc.get("/groups/listed-invite/invite/"+code), 404) // the code of another group
		res = lc.get(path)
		wantStatus(t, res, 200)
		wantContains(t, res, "Group by-invitation", "The link works once")
		res = lc.post(path, nil)
		wantStatus(t, res, http.StatusSeeOther)
		wantContains(t, lc.follow(res), "You are now a member")
		if !grpIsMember(ts, g, linkUser) {
			t.Fatal("the link did not make a member")
		}
		latec := ts.signedIn(late)
		res = latec.get(path)
		wantStatus(t, res, 404)
		wantContains(t, res, "This link does not work")
		wantLacks(t, res, "Group by-invitation")
		wantStatus(t, latec.post(path, nil), 404)
		if grpIsMember(ts, g, late) {
			t.Fatal("a used link worked twice")
		}
		if countRows(t, db, &models.AuditEntry{}, "action = ?", models.AuditGroupLinkCreated) != 1 ||
			countRows(t, db, &models.AuditEntry{}, "action = ? AND target_account_id = ?", models.AuditGroupMemberInvited, guest.acct.ID) != 1 {
			t.Fatal("invitations not audited")
		}
	})
}

// TestAdminGroupCreateAndEdit: every bad field comes back with 422, its
// message beside it and the typed text kept, and nothing saved; a slug
// clash is refused; an edit keeps the slug; moderators are appointed (and
// added to the group) and removed; every change is audited.
func TestAdminGroupCreateAndEdit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin, member := ts.createMember("ada", models.RoleAdmin), ts.createMember("nora", models.RoleMember)
		ac := ts.signedIn(admin)
		ac.get("/admin/groups/new")
		good := url.Values{"name": {"Evening circle"}, "slug": {"evening-circle"}, "description": {"We meet after work."},
			"about": {"# Welcome\n\nBe **kind**."}, "join_policy": {"request"}, "listed": {"yes"}, "entry_question": {"Why?"}}
		with := func(field, value string) url.Values {
			v := url.Values{}
			for k, vs := range good {
				v[k] = append([]string(nil), vs...)
			}
			v.Set(field, value)
			return v
		}
		bad := []struct {
			name, field, value, message string
		}{
			{"empty name", "name", "  ", "Please give the group a name."},
			{"long name", "name", strings.Repeat("n", 81), "keep it to 80 characters"},
			{"name with line break", "name", "Evening\ncircle", "characters that cannot be used"},
			{"short slug", "slug", "e", "lowercase letters, digits and hyphens"},
			{"long slug", "slug", strings.Repeat("s", 41), "lowercase letters, digits and hyphens"},
			{"upper-case slug", "slug", "Evening", "lowercase letters, digits and hyphens"},
			{"slug with slash", "slug", "a/b", "lowercase letters, digits and hyphens"},
			{"long description", "description", strings.Repeat("d", 301), "keep it to 300 characters"},
			{"long about", "about", strings.Repeat("a", 20001), "keep it to 20000 characters"},
			{"about with NUL", "about", "a\x00b", "characters that cannot be used"},
			{"long question", "entry_question", strings.Repeat("q", 301), "keep it to 300 characters"},
			{"unknown policy", "join_policy", "anyone", "Please choose how members join."},
		}
		for _, tc := range bad {
			t.Run(tc.name, func(t *testing.T) {
				res := ac.post("/admin/groups/new", with(tc.field, tc.value))
				wantStatus(t, res, http.StatusUnprocessableEntity)
				kept := "We meet after work."
				if tc.field == "description" {
					kept = `value="Evening circle"`
				}
				wantContains(t, res, tc.message, `id="`+tc.field+`-error"`, kept)
				if n := countRows(t, db, &models.Group{}, "1 = 1"); n != 0 {
					t.Fatalf("%d groups saved", n)
				}
			})
		}
		res := ac.post("/admin/groups/new", good)
		wantStatus(t, res, http.StatusSeeOther)
		if res.Header.Get("Location") != "/admin/groups/evening-circle/edit" {
			t.Fatalf("Location %q", res.Header.Get("Location"))
		}
		wantContains(t, ac.follow(res), "The group is created.", "cannot be changed")
		g, err := models.GroupBySlug(db, "evening-circle")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(g.AboutHTML, "<strong>kind</strong>") || !g.Listed || g.JoinPolicy != "request" {
			t.Fatalf("stored %+v", g)
		}
		res = ac.post("/admin/groups/new", with("name", "Another"))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "Another group has this address.", `value="Another"`)

		// Edit: the slug stays whatever is posted; unlisting is a missing box.
		edit := with("slug", "hacked")
		edit.Del("listed")
		edit.Set("join_policy", "open")
		edit.Set("name", "Evening circle (new)")
		res = ac.post("/admin/groups/evening-circle/edit", edit)
		wantStatus(t, res, http.StatusSeeOther)
		g, _ = models.GroupBySlug(db, "evening-circle")
		if g.Name != "Evening circle (new)" || g.Listed || g.JoinPolicy != "open" {
			t.Fatalf("edit not saved: %+v", g)
		}
		res = ac.post("/admin/groups/evening-circle/edit", with("description", strings.Repeat("d", 301)))
		wantStatus(t, res, http.StatusUnprocessableEntity)
		g2, _ := models.GroupBySlug(db, "evening-circle")
		if g2.Description != g.Description {
			t.Fatal("a refused edit was saved")
		}
		wantStatus(t, ac.get("/admin/groups/no-such/edit"), 404)
		wantContains(t, ac.get("/admin/groups"), "Evening circle (new)", "/admin/groups/evening-circle/edit")

		// Moderators.
		res = ac.post("/admin/groups/evening-circle/moderators", url.Values{"username": {"nobody"}})
		wantStatus(t, res, http.StatusUnprocessableEntity)
		wantContains(t, res, "No member has this username.", `value="nobody"`)
		res = ac.post("/admin/groups/evening-circle/moderators", url.Values{"username": {"nora"}})
		wantStatus(t, res, http.StatusSeeOther)
		mem, _ := models.Membership(db, g.ID, member.acct.ID)
		if mem == nil || mem.Role != models.GroupRoleModerator {
			t.Fatalf("membership %+v", mem)
		}
		wantContains(t, ac.follow(res), "The moderator is added.", "Remove nora as moderator")
		wantStatus(t, ac.post(fmt.Sprintf("/admin/groups/evening-circle/moderators/%d/remove", admin.acct.ID), nil), 404)
		wantStatus(t, ac.post(fmt.Sprintf("/admin/groups/evening-circle/moderators/%d/remove", member.acct.ID), nil), http.StatusSeeOther)
		mem, _ = models.Membership(db, g.ID, member.acct.ID)
		if mem == nil || mem.Role != models.GroupRoleMember {
			t.Fatalf("after removal: %+v", mem)
		}
		for _, action := range []string{models.AuditGroupCreated, models.AuditGroupUpdated, models.AuditGroupModeratorAdded, models.AuditGroupModeratorRemoved} {
			if countRows(t, db, &models.AuditEntry{}, "action = ? AND actor_id = ?", action, admin.acct.ID) == 0 {
				t.Errorf("%s not audited", action)
			}
		}
		// Members cannot reach the administration of groups.
		mc := ts.signedIn(member)
		wantStatus(t, mc.get("/admin/groups"), http.StatusForbidden)
		mc.get("/groups")
		wantStatus(t, mc.post("/admin/groups/new", good), http.StatusForbidden)
	})
}

// grpAllowedTags and grpAllowedAttrs are every element and attribute the
// group pages themselves write. A payload that made the page grow anything
// else (a script, an event handler, a style, an image…) was not escaped.
var (
	grpAllowedTags = map[string]bool{
		"html": true, "head": true, "meta": true, "title": true, "link": true, "script": true, "body": true,
		"header": true, "footer": true, "main": true, "nav": true, "section": true, "div": true, "h1": true, "h2": true,
		"h3": true, "h4": true, "h5": true, "h6": true, "p": true, "a": true, "ul": true, "ol": true, "li": true, "span": true,
		"strong": true, "em": true, "br": true, "form": true, "input": true, "button": true, "label": true,
		"textarea": true, "select": true, "option": true, "blockquote": true, "code": true, "pre": true,
		"fieldset": true, "legend": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true,
		"td": true, "del": true, "hr": true, "time": true,
	}
	grpAllowedAttrs = map[string]bool{
		"lang": true, "charset": true, "name": true, "content": true, "rel": true, "href": true, "type": true,
		"src": true, "defer": true, "class": true, "id": true, "tabindex": true, "role": true, "method": true,
		"action": true, "value": true, "for": true, "selected": true, "data-autosubmit": true, "data-quick-exit": true,
		"rows": true, "maxlength": true, "required": true, "autocomplete": true, "readonly": true,
		"spellcheck": true, "checked": true, "scope": true, "datetime": true, "novalidate": true, "title": true,
		"aria-label": true, "aria-labelledby": true, "aria-describedby": true, "aria-invalid": true,
		"aria-current": true, "start": true, "align": true,
	}
	grpScriptSrc = regexp.MustCompile(`^/static/`)
)

// grpPageProblem describes the first element or attribute in the page that
// the group pages do not write themselves, a script not from /static/, or a
// link in <main> that leaves the site; "" when there is none.
func grpPageProblem(body string) string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return err.Error()
	}
	var walk func(n *html.Node, inMain bool) string
	walk = func(n *html.Node, inMain bool) string {
		if n.Type == html.ElementNode {
			if !grpAllowedTags[n.Data] {
				return fmt.Sprintf("element <%s>", n.Data)
			}
			inMain = inMain || n.Data == "main"
			for _, at := range n.Attr {
				switch {
				case !grpAllowedAttrs[at.Key]:
					return fmt.Sprintf("attribute %s=%q on <%s>", at.Key, at.Val, n.Data)
				case at.Key == "src" && (n.Data != "script" || !grpScriptSrc.MatchString(at.Val)):
					return fmt.Sprintf("src %q on <%s>", at.Val, n.Data)
				case at.Key == "href" && strings.HasPrefix(at.Val, "//"),
					at.Key == "href" && inMain && !strings.HasPrefix(at.Val, "/") && !strings.HasPrefix(at.Val, "#") &&
						!strings.HasPrefix(at.Val, "mailto:"):
					return fmt.Sprintf("link %q", at.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if p := walk(c, inMain); p != "" {
				return p
			}
		}
		return ""
	}
	return walk(doc, false)
}

// grpAbout is the rendered about text inside a group page.
func grpAbout(body string) string {
	_, rest, ok := strings.Cut(body, `<div class="group-about">`)
	if !ok {
		return ""
	}
	about, _, _ := strings.Cut(rest, "</div>\n</section>")
	return about
}

// TestGroupFieldsResistPublicXSSPayloads sends the 300 public payloads
// through every field of groups a person writes — name, description, about
// (Markdown), entry question and join answer — and checks each is refused
// with a message or comes out inert on every page that shows it.
// ASVS 1.2.1, 1.2.2, 1.3.5, 3.6.1.
func TestGroupFieldsResistPublicXSSPayloads(t *testing.T) {
	raw, err := os.ReadFile("../../shared/testdata/xss/payloads.txt")
	if err != nil {
		t.Fatalf("the public payload list is missing (CI clones shared/ beside the project): %v", err)
	}
	var payloads []string
	for _, line := range strings.Split(strings.TrimRight(string(raw), "\n"), "\n") {
		if strings.TrimSpace(line) != "" {
			payloads = append(payloads, line)
		}
	}
	if len(payloads) < 290 {
		t.Fatalf("only %d payloads", len(payloads))
	}
	testdb.Each(t, func(t *testing.T, db *gorm.DB) {
		ts := newTestServer(t, db)
		admin, applicant := ts.createMember("ada", models.RoleAdmin), ts.createMember("pia", models.RoleMember)
		// Several browsers at once keep the run short; each reports with
		// t.Errorf, which is safe from any goroutine.
		const workers = 2
		first, step := grpPayloadShare(t.Name())
		var wg sync.WaitGroup
		var refused atomic.Int64
		for w := range workers {
			ac, pc := ts.signedIn(admin), ts.signedIn(applicant)
			ac.get("/admin/groups/new")
			pc.get("/groups")
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := first + w*step; i < len(payloads); i += workers * step {
					if problem := grpPayloadJourney(ac, pc, i, payloads[i], &refused); problem != "" {
						t.Errorf("payload %d %q: %s", i, payloads[i], problem)
						return
					}
				}
			}()
		}
		wg.Wait()
		ac, pc := ts.signedIn(admin), ts.signedIn(applicant)
		for _, res := range []*response{pc.get("/groups"), ac.get("/admin/groups")} {
			wantStatus(t, res, 200)
			if problem := grpPageProblem(res.body); problem != "" {
				t.Errorf("%s: %s", res.Request.URL.Path, problem)
			}
		}
		t.Logf("every %d. payload of %d from #%d; %d refused in some field", step, len(payloads), first, refused.Load())
	})
}

// grpRaceBuild is set under the race detector (groups_race_test.go).
var grpRaceBuild bool

// grpPayloadShare says which payloads a database's run takes: all of them,
// except under the race detector with both databases configured, where
// SQLite takes the even ones and PostgreSQL the odd ones, so that one run
// still sends every payload and stays near 20 seconds.
func grpPayloadShare(testName string) (first, step int) {
	if !grpRaceBuild || os.Getenv(testdb.EnvPostgres) == "" {
		return 0, 1
	}
	if strings.HasSuffix(testName, "/postgres") {
		return 1, 2
	}
	return 0, 2
}

// grpPayloadJourney sends one payload through every group field and every
// page that shows it; it returns what went wrong, or "".
func grpPayloadJourney(ac, pc *testClient, i int, p string, refused *atomic.Int64) string {
	slug := fmt.Sprintf("x%d", i)
	fields := url.Values{"name": {p}, "slug": {slug}, "description": {p}, "about": {p}, "entry_question": {p},
		"join_policy": {"request"}, "listed": {"yes"}}
	problems := models.CheckGroup(&models.Group{Name: p, Slug: slug, Description: p, About: p, EntryQuestion: p,
		JoinPolicy: "request"}, true)
	if len(problems) > 0 {
		refused.Add(1)
		res := ac.post("/admin/groups/new", fields)
		if res.StatusCode != http.StatusUnprocessableEntity {
			return fmt.Sprintf("refused form: status %d", res.StatusCode)
		}
		if problem := grpPageProblem(res.body); problem != "" {
			return "refused form: " + problem
		}
		for field := range problems {
			fields.Set(field, "Group "+slug)
		}
	}
	if res := ac.post("/admin/groups/new", fields); res.StatusCode != http.StatusSeeOther {
		return fmt.Sprintf("create: status %d", res.StatusCode)
	}
	page := ac.get("/groups/" + slug)
	if problem := grpPageProblem(page.body); problem != "" {
		return "group page (staff): " + problem
	}
	if err := markup.CheckInert(grpAbout(page.body)); err != nil {
		return "about text: " + err.Error()
	}
	// The applicant sees the public face (the same fields in the same
	// contexts as above, plus the question as a label: a sample keeps the
	// run short) and answers with the payload.
	if i%4 == 0 || len(problems) > 0 {
		page = pc.get("/groups/" + slug)
		if problem := grpPageProblem(page.body); problem != "" {
			return "group page (outside): " + problem
		}
	}
	res := pc.post("/groups/"+slug+"/join", url.Values{"answer": {p}})
	switch res.StatusCode {
	case http.StatusUnprocessableEntity:
		if !strings.Contains(res.body, `id="answer-error"`) {
			return "answer refused without a message"
		}
		if problem := grpPageProblem(res.body); problem != "" {
			return "answer refused: " + problem
		}
		return ""
	case http.StatusSeeOther:
	default:
		return fmt.Sprintf("join: status %d", res.StatusCode)
	}
	page = ac.get("/groups/" + slug + "/moderate")
	if problem := grpPageProblem(page.body); problem != "" {
		return "moderation page: " + problem
	}
	return ""
}
