package models

import (
	"fmt"
	"strings"
)

// The moderation queue in SQL. Every kind of item on /mod is one queueKind:
// the FROM … WHERE of the open items one reader may see, written once. The
// queue page lists each kind with its where (QueueFor) and the header counts
// every kind with the same where in one statement (queueCountExpr), so the two
// cannot disagree, and neither needs a query per item to decide who sees
// what.
//
// The rules, as Mod.Sees, HeldFor, MayActOn and the appeals' own listing
// state them: a moderator never sees an item about herself; a group
// moderator sees only her groups; a site-wide item is for staff; a report
// about a moderator or an administrator, and an appeal by one, go to
// administrators only; an appeal never goes to the moderator who acted.

// queueReach is who reads the queue, as the SQL needs it: the groups she
// moderates are a subquery, so the count needs no query of its own to find
// them.
type queueReach struct {
	accountID int64
	role      string
}

func (r queueReach) staff() bool { return r.role == RoleAdmin || r.role == RoleSiteModerator }
func (r queueReach) admin() bool { return r.role == RoleAdmin }

// sqlWhere is a conjunction of conditions with their arguments.
type sqlWhere struct {
	conds []string
	args  []any
}

func (w *sqlWhere) and(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

func (w *sqlWhere) String() string { return strings.Join(w.conds, " AND ") }

// inGroups limits an item to the reader's groups: staff reach every group;
// an item with no group (NULL) is site-wide and, as NULL IN (…) is never
// true, reaches staff only.
func (r queueReach) inGroups(w *sqlWhere, groupCol string) {
	if r.staff() {
		return
	}
	w.and(groupCol+" IN (SELECT group_id FROM group_members WHERE account_id = ? AND role = ?)", r.accountID, GroupRoleModerator)
}

// outranked keeps out, for anyone but an administrator, items about an
// account that moderates: a site role, or moderating the item's group.
func (r queueReach) outranked(w *sqlWhere, accountCol, groupCol string) {
	if r.admin() {
		return
	}
	w.and(fmt.Sprintf("NOT EXISTS (SELECT 1 FROM accounts qa WHERE qa.id = %s AND qa.role IN (?, ?))", accountCol),
		RoleAdmin, RoleSiteModerator)
	w.and(fmt.Sprintf("NOT EXISTS (SELECT 1 FROM group_members qm WHERE qm.group_id = %s AND qm.account_id = %s AND qm.role = ?)",
		groupCol, accountCol), GroupRoleModerator)
}

// queueKind is one kind of item on /mod.
type queueKind struct {
	// name is the kind's alias in the count.
	name string
	// from is the FROM clause the where reads.
	from string
	// limit is the most the queue page lists of the kind; the count stops
	// there too, so that it is the number of items the page shows.
	limit int
	// conds add the conditions that select the open items the reader may
	// see.
	conds func(r queueReach, w *sqlWhere)
}

// where is the kind's where for the reader.
func (k queueKind) where(r queueReach) *sqlWhere {
	w := &sqlWhere{}
	k.conds(r, w)
	return w
}

// Limits of the queue page, per kind (reportViews, HeldFor and HeldBiosFor
// list at most these many).
const (
	queueReportsMax  = 500
	queueHeldMax     = 200
	queueBiosMax     = 200
	queueRequestsMax = 200
	queueAppealsMax  = 200
)

var (
	queueReports = queueKind{name: "reports", from: "reports", limit: queueReportsMax, conds: func(r queueReach, w *sqlWhere) {
		w.and("reports.closed_at IS NULL")
		w.and("(reports.subject_id IS NULL OR reports.subject_id <> ?)", r.accountID)
		r.inGroups(w, "reports.group_id")
		r.outranked(w, "reports.subject_id", "reports.group_id")
	}}
	queueHeld = queueKind{name: "held", from: "held_posts", limit: queueHeldMax, conds: func(r queueReach, w *sqlWhere) {
		w.and("held_posts.author_id <> ?", r.accountID)
		r.inGroups(w, "held_posts.group_id")
	}}
	queueBios = queueKind{name: "bios", from: "held_bios", limit: queueBiosMax, conds: func(r queueReach, w *sqlWhere) {
		cond, args := HeldBiosWhere(r.accountID, r.staff())
		w.and(cond, args...)
	}}
	queueRequests = queueKind{name: "requests", from: "join_requests", limit: queueRequestsMax, conds: func(r queueReach, w *sqlWhere) {
		w.and("join_requests.decided_at IS NULL AND join_requests.account_id <> ?", r.accountID)
		r.inGroups(w, "join_requests.group_id")
	}}
	queueAppeals = queueKind{name: "appeals", from: "appeals JOIN mod_actions ON mod_actions.id = appeals.action_id", limit: queueAppealsMax,
		conds: func(r queueReach, w *sqlWhere) {
			w.and("appeals.decided_at IS NULL AND mod_actions.actor_id <> ? AND appeals.account_id <> ?", r.accountID, r.accountID)
			r.inGroups(w, "mod_actions.group_id")
			r.outranked(w, "appeals.account_id", "mod_actions.group_id")
		}}
)

// queueKinds is every kind the header counts.
//
// To add a kind of queue item, add it HERE: write its queueKind above — its
// table, the page's limit, and a where with the same rules as its listing
// (as queueBios takes HeldBiosWhere, which HeldBiosFor lists with) — and put
// it in this list: that is one more subquery in queueCountExpr. Then list it in
// QueueFor with the same where, count it in Queue.Len, and add it to
// TestQueueCountMatchesQueue. Held edits are rows of held_posts, so
// queueHeld counts them already.
var queueKinds = []queueKind{queueReports, queueHeld, queueBios, queueRequests, queueAppeals}

// queueCountExpr is the SQL expression the header selects
// (HeaderCountsFor): the number of items waiting at /mod, each kind counted
// as QueueFor lists it, or -1 for anyone who moderates nothing.
func queueCountExpr(acct *Account) (string, []any) {
	r := queueReach{accountID: acct.ID, role: acct.Role}
	var sql strings.Builder
	var args []any
	sql.WriteString("CASE WHEN ")
	if r.staff() {
		sql.WriteString("1 = 1")
	} else {
		sql.WriteString("EXISTS (SELECT 1 FROM group_members WHERE account_id = ? AND role = ?)")
		args = append(args, acct.ID, GroupRoleModerator)
	}
	sql.WriteString(" THEN ")
	for i, k := range queueKinds {
		if i > 0 {
			sql.WriteString(" + ")
		}
		w := k.where(r)
		fmt.Fprintf(&sql, "(SELECT COUNT(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT %d) AS %s)", k.from, w, k.limit, k.name)
		args = append(args, w.args...)
	}
	sql.WriteString(" ELSE -1 END")
	return sql.String(), args
}

// queueCountOf reads queueCountExpr's value.
func queueCountOf(n int64) (waiting int, moderates bool) {
	if n < 0 {
		return 0, false
	}
	return int(n), true
}
