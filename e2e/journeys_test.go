package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hearth/models"
)

// signIn signs a member in through /login and /login/code with a TOTP code
// (or, when code is not empty, with that code: a recovery code).
func (tb *tab) signIn(m *member, code string) {
	tb.t.Helper()
	tb.open("/login")
	tb.submit(map[string]string{"#username": m.name, "#password": m.password}, `main form[action="/login"] button[type=submit]`)
	tb.wantPath("/login/code")
	if code == "" {
		code = tb.srv.code(m.secret)
	}
	tb.submit(map[string]string{"#code": code}, `main form[action="/login/code"] button[type=submit]`)
}

// enroll completes TOTP enrollment on /account/totp with a code computed
// from the secret the page shows, then keeps the recovery codes the next
// page shows and confirms them. It returns the codes.
func (tb *tab) enroll(shots string) []string {
	tb.t.Helper()
	tb.wantPath("/account/totp")
	if shots != "" {
		tb.screenshot(shots + "-totp")
	}
	secret := tb.text("#secret")
	tb.submit(map[string]string{"#code": tb.srv.codeShown(secret)}, `main form[action="/account/totp"] button[type=submit]`)
	tb.wantPath("/account/recovery-codes")
	if shots != "" {
		tb.screenshot(shots + "-recovery-codes")
	}
	codes := eval[[]string](tb, `[...document.querySelectorAll("ul.codes code")].map(c => c.textContent.trim())`)
	if len(codes) != 10 {
		tb.t.Fatalf("%s: %d recovery codes shown, want 10", tb.name, len(codes))
	}
	tb.do("tick the saved box", chromedp.Click(chromedp.CSS("#saved")))
	tb.click(`main form[action="/account/recovery-codes"] button[type=submit]`)
	if p := tb.path(); strings.HasPrefix(p, "/account/totp") || strings.HasPrefix(p, "/account/recovery-codes") {
		tb.t.Fatalf("%s: still enrolling on %s\n%s", tb.name, p, tb.mainText())
	}
	return codes
}

// signOut uses the button in the header.
func (tb *tab) signOut() {
	tb.t.Helper()
	tb.click(`header form[action="/logout"] button`)
}

// TestJourneySetupInviteSignUp: the first administrator comes in through the
// one-time setup link, enrolls TOTP and keeps the recovery codes, and makes
// an invitation; a new member opens the invitation link, signs up, enrolls
// (the test computes the codes from the secret on the page, as an
// authenticator app would), keeps her recovery codes, signs out, and later
// signs in with one of them.
func TestJourneySetupInviteSignUp(t *testing.T) {
	srv := startServer(t)
	b := startBrowser(t, srv)

	admin := b.newTab("coordinator")
	admin.do("open the setup link", chromedp.Navigate(srv.setupLink()))
	admin.checkPage()
	admin.wantPath("/setup")
	admin.screenshot("setup")
	admin.submit(map[string]string{"#username": "coordinator", "#password": "a long and private passphrase"},
		`main form[action="/setup"] button[type=submit]`)
	admin.enroll("admin")

	admin.open("/admin/invites")
	admin.click(`main form[action="/admin/invites"] button[type=submit]`)
	link, err := chromedp.Run(admin.ctx, chromedp.Value(chromedp.CSS("#invite-link")))
	if err != nil {
		t.Fatalf("read the invitation link: %v", err)
	}
	if !strings.HasPrefix(link, srv.URL+"/register?invite=") {
		t.Fatalf("invitation link %q", link)
	}
	admin.screenshot("admin-invites")

	robin := b.newTab("robin")
	robin.do("open the invitation", chromedp.Navigate(link))
	robin.checkPage()
	robin.screenshot("register")
	// A refused form keeps what was typed and says what to do.
	robin.submit(map[string]string{"#username": "robin", "#password": "short"}, `main form[action="/register"] button[type=submit]`)
	robin.wantPath("/register")
	if v, _ := chromedp.Run(robin.ctx, chromedp.Value(chromedp.CSS("#username"))); v != "robin" {
		t.Fatalf("the refused form lost the username: %q", v)
	}
	robin.screenshot("register-errors")
	robin.do("accept the rules", chromedp.Click(chromedp.CSS("#accept")))
	robin.submit(map[string]string{"#password": "the river remembers everything"}, `main form[action="/register"] button[type=submit]`)
	codes := robin.enroll("member")

	robin.signOut()
	m := &member{name: "robin", password: "the river remembers everything"}
	robin.signIn(m, codes[3])
	robin.open("/account/security")
	robin.wantText("Signed in with a recovery code")
	robin.screenshot("security")
	// The same recovery code works once.
	robin.signOut()
	robin.signIn(m, codes[3])
	robin.wantPath("/login/code")
}

// TestJourneyPostWithContentWarning: a member joins a group, starts a topic
// with a content warning; another member opens it (the text stays folded
// behind the warning until she chooses to read it) and sends support.
func TestJourneyPostWithContentWarning(t *testing.T) {
	srv := startServer(t)
	b := startBrowser(t, srv)
	g := srv.openGroup("evening-circle", "Evening circle")
	robin := srv.createMember("robin", models.RoleMember)
	sam := srv.createMember("samira", models.RoleMember, g)

	author := b.newTab("robin")
	author.signIn(robin, "")
	author.open("/groups")
	author.screenshot("groups")
	author.click(`main a[href="/groups/evening-circle"]`)
	author.click(`main form[action="/groups/evening-circle/join"] button[type=submit]`)
	author.open("/groups/evening-circle")
	author.screenshot("group")
	author.click(`main a[href="/groups/evening-circle/new"]`)
	author.screenshot("topic-new")
	author.submit(map[string]string{
		"#title":           "What helped me this week",
		"#body":            "I changed every password and **told my sister**.",
		"#content_warning": "stalking details",
	}, `main form[action="/groups/evening-circle/new"] button[type=submit]`)
	author.wantText("What helped me this week", "stalking details")
	topicPath := author.path()

	reader := b.newTab("samira")
	reader.signIn(sam, "")
	reader.open("/groups/evening-circle")
	reader.click(`main ul.topic-list a`)
	reader.wantText("What helped me this week", "stalking details")
	if open := eval[bool](reader, `document.querySelector("details.content-warning").open`); open {
		t.Fatal("the post behind a content warning is open before the reader chose to read it")
	}
	if visible := eval[bool](reader, `document.querySelector("details.content-warning .post-body").checkVisibility()`); visible {
		t.Fatal("the text behind the warning is visible")
	}
	reader.do("open the warning", chromedp.Click(chromedp.CSS("details.content-warning summary")))
	reader.wantText("told my sister")
	reader.screenshot("topic")
	reader.click(`main form.reactions button[value="support"]`)
	if pressed := eval[string](reader, `document.querySelector('form.reactions button[value="support"]').getAttribute("aria-pressed")`); pressed != "true" {
		t.Fatalf("support button aria-pressed=%q after reacting", pressed)
	}
	count := eval[string](reader, `document.querySelector('form.reactions button[value="support"] .count').textContent`)
	if count != "1" {
		t.Fatalf("support count %q, want 1", count)
	}

	author.open(topicPath)
	if c := eval[string](author, `document.querySelector('form.reactions button[value="support"] .count').textContent`); c != "1" {
		t.Fatalf("the author sees %q reactions, want 1", c)
	}
}

// TestJourneyReportHideAndReason is the rest of the posting journey: a
// reader reacts to a post and reports it (reason and note); the group's
// moderator finds the report in /mod, opens it, and hides the post with a
// one-click reason and a note to the author; the author sees the post
// hidden, is told in a notice, and reads the note (never the internal
// reason, never who reported) under Decisions about you.
func TestJourneyReportHideAndReason(t *testing.T) {
	srv := startServer(t)
	b := startBrowser(t, srv)
	g := srv.openGroup("evening-circle", "Evening circle")
	robin := srv.createMember("robin", models.RoleMember, g)
	sam := srv.createMember("samira", models.RoleMember, g)
	gale := srv.createMember("gale", models.RoleMember)
	srv.makeModerator(g, gale)

	author := b.newTab("robin")
	author.signIn(robin, "")
	author.open("/groups/evening-circle/new")
	author.submit(map[string]string{
		"#title": "Where he waits for me",
		"#body":  "He waits outside the bakery on Linden Street every morning.",
	}, `main form[action="/groups/evening-circle/new"] button[type=submit]`)
	topicPath := author.path()
	post := srv.onlyPost()

	// The reader reacts, then reports the post.
	reader := b.newTab("samira")
	reader.signIn(sam, "")
	reader.open(topicPath)
	reader.click(`main form.reactions button[value="support"]`)
	reportPath := fmt.Sprintf("/posts/%d/report", post.ID)
	reader.click(fmt.Sprintf(`main #post-%d a[href=%q]`, post.ID, reportPath))
	reader.wantPath(reportPath)
	reader.wantText("Nobody else learns that you reported")
	reader.screenshot("report")
	// Sent without a reason, the form says what is missing and keeps the note.
	const readerNote = "It names a street where a third person can be found."
	reader.submit(map[string]string{"#note": readerNote}, `main form[action="`+reportPath+`"] button[type=submit]`)
	reader.wantPath(reportPath)
	reader.wantText("Choose what is wrong.")
	if v, _ := chromedp.Run(reader.ctx, chromedp.Value(chromedp.CSS("#note"))); v != readerNote {
		t.Fatalf("the refused report lost the note: %q", v)
	}
	reader.screenshot("report-errors")
	reader.do("choose a reason", chromedp.Click(chromedp.CSS(`main input[name="reason"][value="identifying"]`)))
	reader.click(`main form[action="` + reportPath + `"] button[type=submit]`)
	reader.wantText("Thank you. The moderators will look at your report.")

	// The group's moderator: the queue, the report, the post.
	mod := b.newTab("gale")
	mod.signIn(gale, "")
	if n := mod.text(`header a[href="/mod"] .count`); n != "(1)" {
		t.Fatalf("the moderator's header shows %q waiting, want (1)", n)
	}
	mod.click(`header a[href="/mod"]`)
	mod.wantPath("/mod")
	mod.wantText("Reports", "Identifying information about someone", "a post in Evening circle")
	mod.screenshot("mod-queue")
	mod.click(`main a[href^="/mod/reports/"]`)
	mod.wantText("Identifying information about someone", "robin", readerNote, "Linden Street", "Who reported stays private")
	if strings.Contains(mod.mainText(), "samira") {
		t.Fatalf("the report shows the reporter to the moderator:\n%s", mod.mainText())
	}
	mod.screenshot("mod-report")
	mod.click(`main a[href^="/mod/posts/"]`)
	mod.wantPath(fmt.Sprintf("/mod/posts/%d", post.ID))
	mod.wantText("Moderate a post", "Linden Street")
	const modNote = "Please leave out street names: they can lead someone to a person."
	mod.do("pick a reason with one click", chromedp.Click(chromedp.CSS(`main input[name="preset"][value="identifying"]`)))
	mod.do("write to the author", chromedp.SetValue(chromedp.CSS("#note"), modNote))
	mod.screenshot("mod-post")
	mod.click(fmt.Sprintf(`main form button[type=submit][formaction="/mod/posts/%d/hide"]`, post.ID))
	mod.wantPath("/mod")
	mod.wantText("Done. The action is recorded.", "Nothing is waiting.")
	mod.open("/mod/audit")
	mod.wantText("Identifying details")

	// The reader no longer sees the text.
	reader.open(topicPath)
	reader.wantText("Hidden by a moderator.")
	if strings.Contains(reader.mainText(), "Linden Street") {
		t.Fatalf("the reader still sees the hidden text:\n%s", reader.mainText())
	}

	// The author: the post is marked hidden (she still sees her words), a
	// notice in the header, and the note under Decisions about you.
	author.open(topicPath)
	author.wantText("Hidden by a moderator.", "Linden Street")
	author.screenshot("post-hidden-author")
	author.click(`header a[href="/account/security"]`)
	author.wantText("A moderator has made a decision about you", "/appeals")
	author.open("/appeals")
	author.wantText("Decisions about you", "Post hidden", "The moderator's note: "+modNote)
	for _, secret := range []string{"Identifying details", "samira", readerNote, "gale"} {
		if strings.Contains(author.mainText(), secret) {
			t.Fatalf("the author's decisions page shows %q:\n%s", secret, author.mainText())
		}
	}
	author.screenshot("appeals")
}

// TestJourneySessionExpiryKeepsThePost: a member writes a long post; the
// session ends while she writes (idle timeout); sending it takes her to
// sign in, and after signing in the form comes back with her text in it.
func TestJourneySessionExpiryKeepsThePost(t *testing.T) {
	srv := startServer(t)
	b := startBrowser(t, srv)
	g := srv.openGroup("evening-circle", "Evening circle")
	robin := srv.createMember("robin", models.RoleMember, g)

	tb := b.newTab("robin")
	tb.signIn(robin, "")
	tb.open("/groups/evening-circle/new")
	body := "It took me a long time to write this. " + strings.Repeat("Every word matters. ", 20)
	tb.do("write slowly",
		chromedp.SetValue(chromedp.CSS("#title"), "Typed over an hour"),
		chromedp.SetValue(chromedp.CSS("#body"), body),
		chromedp.SetValue(chromedp.CSS("#content_warning"), "grief"),
	)
	srv.clock.Advance(31 * time.Minute) // the idle timeout passes while she writes
	tb.click(`main form[action="/groups/evening-circle/new"] button[type=submit]`)
	tb.wantPath("/login")
	tb.wantText("kept")
	tb.screenshot("session-expired")
	tb.submit(map[string]string{"#username": robin.name, "#password": robin.password}, `main form[action="/login"] button[type=submit]`)
	tb.submit(map[string]string{"#code": srv.code(robin.secret)}, `main form[action="/login/code"] button[type=submit]`)
	tb.wantPath("/groups/evening-circle/new")
	for sel, want := range map[string]string{"#title": "Typed over an hour", "#body": body, "#content_warning": "grief"} {
		got, err := chromedp.Run(tb.ctx, chromedp.Value(chromedp.CSS(sel)))
		if err != nil || got != want {
			t.Fatalf("%s after signing in again: %q (%v), want %q", sel, got, err, want)
		}
	}
	tb.screenshot("draft-restored")
	tb.click(`main form[action="/groups/evening-circle/new"] button[type=submit]`)
	tb.wantText("Typed over an hour", "grief")
	var posts int64
	if err := srv.db.Model(&models.Post{}).Count(&posts).Error; err != nil || posts != 1 {
		t.Fatalf("%d posts (%v), want 1", posts, err)
	}
}
