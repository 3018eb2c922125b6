package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"hearth/models"
)

// tabLimit is how many presses of Tab may pass between two controls of a
// journey: enough for the header and a page of topics, not for a trap.
const tabLimit = 40

// TestAxeFindsViolations proves that the accessibility check is live: axe,
// injected past the page's CSP, reports a control without a label.
func TestAxeFindsViolations(t *testing.T) {
	srv := startServer(t)
	b := startBrowser(t, srv)
	tb := b.newTab("visitor")
	tb.open("/login")
	tb.do("add a control without a label",
		chromedp.Evaluate[chromedp.Void](`document.querySelector("main").append(document.createElement("input"))`))
	found := tb.axeViolations()
	for _, v := range found {
		if v.ID == "label" {
			return
		}
	}
	t.Fatalf("axe did not report an unlabelled control: %+v", found)
}

// TestKeyboardOnly signs in and posts with the keyboard alone: Tab to each
// control, type, Enter. Every control of the journey is reachable in order.
func TestKeyboardOnly(t *testing.T) {
	srv := startServer(t)
	b := startBrowser(t, srv)
	g := srv.openGroup("evening-circle", "Evening circle")
	robin := srv.createMember("robin", models.RoleMember, g)
	tb := b.newTab("robin")

	tb.open("/login")
	tb.tabTo("#username", tabLimit)
	tb.press(robin.name)
	tb.tabTo("#password", 3)
	tb.press(robin.password)
	tb.tabTo(`main form[action="/login"] button[type=submit]`, 3)
	tb.navigate("press Enter on Continue", chromedp.KeyEvent(kb.Enter))
	tb.wantPath("/login/code")
	tb.tabTo("#code", tabLimit)
	tb.press(srv.code(robin.secret))
	tb.navigate("press Enter in the code field", chromedp.KeyEvent(kb.Enter))

	tb.tabTo(`header a[href="/groups"]`, tabLimit)
	tb.navigate("open the groups", chromedp.KeyEvent(kb.Enter))
	tb.tabTo(`main a[href="/groups/evening-circle"]`, tabLimit)
	tb.navigate("open the group", chromedp.KeyEvent(kb.Enter))
	tb.tabTo(`main a[href="/groups/evening-circle/new"]`, tabLimit)
	tb.navigate("open the new topic form", chromedp.KeyEvent(kb.Enter))
	tb.tabTo("#title", tabLimit)
	tb.press("Typed with the keyboard")
	tb.tabTo("#body", 3)
	tb.press("No mouse needed here.")
	tb.tabTo("#content_warning", 3)
	tb.press("none really")
	tb.tabTo(`main form[action="/groups/evening-circle/new"] button[type=submit]`, 3)
	tb.navigate("press Enter on the submit button", chromedp.KeyEvent(kb.Enter))
	tb.wantText("Typed with the keyboard", "none really")

	// A reply, and support for a post, by keyboard too.
	tb.tabTo("#body", tabLimit*2)
	tb.press("And a reply.")
	tb.tabTo(`main form[action$="/reply"] button[type=submit]`, 4)
	tb.navigate("send the reply", chromedp.KeyEvent(kb.Enter))
	tb.do("open the warning", chromedp.Click(chromedp.CSS("details.content-warning summary")))
	tb.wantText("And a reply.")
}

// TestWithoutJavaScript: sign in, read, post and quick exit all work with
// JavaScript switched off (the script only enhances).
func TestWithoutJavaScript(t *testing.T) {
	srv := startServer(t)
	b := startBrowser(t, srv)
	g := srv.openGroup("evening-circle", "Evening circle")
	robin := srv.createMember("robin", models.RoleMember, g)
	samira := srv.createMember("samira", models.RoleMember, g)
	tb := b.newTab("samira-nojs")
	if _, err := chromedp.Call(tb.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("switch JavaScript off: %v", err)
	}
	// axe-core needs script; the same pages are checked with it elsewhere.
	tb.axe = false

	// Someone else's post to read.
	other := b.newTab("robin")
	other.signIn(robin, "")
	other.open("/groups/evening-circle/new")
	other.submit(map[string]string{"#title": "Read me without scripts", "#body": "Plain *HTML* is enough.", "#content_warning": "court dates"},
		`main form[action="/groups/evening-circle/new"] button[type=submit]`)

	tb.open("/login")
	tb.do("type the password", chromedp.SendKeys(chromedp.CSS("#username"), samira.name), chromedp.SendKeys(chromedp.CSS("#password"), samira.password))
	tb.click(`main form[action="/login"] button[type=submit]`)
	tb.do("type the code", chromedp.SendKeys(chromedp.CSS("#code"), srv.code(samira.secret)))
	tb.click(`main form[action="/login/code"] button[type=submit]`)
	tb.open("/groups/evening-circle")
	tb.click(`main ul.topic-list a`)
	tb.do("open the warning", chromedp.Click(chromedp.CSS("details.content-warning summary")))
	tb.wantText("Read me without scripts", "court dates", "Plain HTML is enough.")
	tb.do("write a reply", chromedp.SendKeys(chromedp.CSS("#body"), "It works here too."))
	tb.click(`main form[action$="/reply"] button[type=submit]`)
	tb.do("open the warning", chromedp.Click(chromedp.CSS("details.content-warning summary")))
	tb.wantText("It works here too.")
	tb.screenshot("topic-nojs")

	// Reporting is a plain form: radio buttons, a text area, a button.
	var post models.Post
	if err := srv.db.Where("author_id = ?", robin.acct.ID).First(&post).Error; err != nil {
		t.Fatalf("robin's post: %v", err)
	}
	reportPath := fmt.Sprintf("/posts/%d/report", post.ID)
	tb.click(fmt.Sprintf(`main #post-%d a[href=%q]`, post.ID, reportPath))
	tb.wantPath(reportPath)
	tb.do("choose a reason and write a note",
		chromedp.Click(chromedp.CSS(`main input[name="reason"][value="harassment"]`)),
		chromedp.SendKeys(chromedp.CSS("#note"), "Sent without scripts."))
	tb.screenshot("report-nojs")
	tb.click(`main form[action="` + reportPath + `"] button[type=submit]`)
	tb.wantPath("/groups")
	tb.wantText("Thank you. The moderators will look at your report.")
	var reports int64
	if err := srv.db.Model(&models.Report{}).Where("post_id = ? AND reason = ?", post.ID, "harassment").Count(&reports).Error; err != nil || reports != 1 {
		t.Fatalf("%d reports of the post (%v), want 1", reports, err)
	}
	tb.open("/groups/evening-circle")

	// Quick exit is a plain link without the script: it still leaves (as
	// an ordinary link: the history grows, which proves the script is off).
	before := eval[int](tb, `history.length`)
	tb.click(".quick-exit")
	if loc := tb.location(); !strings.HasPrefix(loc, srv.neutral.URL+"/today") {
		t.Fatalf("quick exit without JavaScript went to %s", loc)
	}
	if after := eval[int](tb, `history.length`); after != before+1 {
		t.Fatalf("history %d → %d: the page script ran although JavaScript is off", before, after)
	}
}

// location is the full address of the current page.
func (tb *tab) location() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.t.Fatalf("%s: location: %v", tb.name, err)
	}
	return loc
}

// TestQuickExit: with JavaScript, the quick-exit button replaces the
// current history entry (Back does not return to the forum), and pressing
// Escape twice within a second leaves too; once does nothing.
func TestQuickExit(t *testing.T) {
	srv := startServer(t)
	b := startBrowser(t, srv)
	g := srv.openGroup("evening-circle", "Evening circle")
	robin := srv.createMember("robin", models.RoleMember, g)
	tb := b.newTab("robin")
	tb.signIn(robin, "")

	start := srv.neutral.URL + "/start"
	tb.do("open another site", chromedp.Navigate(start))
	tb.open("/groups/evening-circle")
	before := eval[int](tb, `history.length`)
	tb.navigate("click quick exit", chromedp.Click(chromedp.CSS(".quick-exit")))
	if loc := tb.location(); loc != srv.neutral.URL+"/today" {
		t.Fatalf("quick exit went to %s", loc)
	}
	if after := eval[int](tb, `history.length`); after != before {
		t.Fatalf("history grew from %d to %d: Back would lead to the forum", before, after)
	}
	// Back is history.back(): the page before may come from the
	// back-forward cache without a load event to wait for.
	tb.do("go back", chromedp.Evaluate[chromedp.Void](`history.back()`))
	loc := ""
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if loc, _ = chromedp.Run(tb.ctx, chromedp.Location()); loc != "" && loc != srv.neutral.URL+"/today" {
			break
		}
	}
	if loc != start {
		t.Fatalf("Back after quick exit went to %q, want the page before the forum (%s)", loc, start)
	}

	tb.open("/groups/evening-circle")
	tb.press(kb.Escape)
	time.Sleep(1100 * time.Millisecond)
	tb.press(kb.Escape)
	if u, _ := url.Parse(tb.location()); "http://"+u.Host != srv.URL {
		t.Fatalf("Escape pressed twice a second apart left the forum for %s", u)
	}
	tb.navigate("press Escape twice", chromedp.KeyEvent(kb.Escape+kb.Escape))
	if loc := tb.location(); loc != srv.neutral.URL+"/today" {
		t.Fatalf("Escape twice went to %s", loc)
	}
}
