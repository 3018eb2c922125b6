package models

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Reasons a member gives for a report; ReasonAtRisk is urgent.
const (
	ReasonHarassment  = "harassment"
	ReasonIdentifying = "identifying"
	ReasonInfiltrator = "infiltrator"
	ReasonSpam        = "spam"
	ReasonAtRisk      = "at_risk"
	ReasonOther       = "other"
)

// ReportReasons lists the reasons in the order the form shows them.
var ReportReasons = []string{ReasonHarassment, ReasonIdentifying, ReasonInfiltrator, ReasonSpam, ReasonAtRisk, ReasonOther}

// Limits of reports.
const (
	ReportNoteMax = 2000
	// ReportsPerHour is how many reports one member may file in an hour
	// (ASVS 2.4.1): enough for anyone in trouble, too few to flood the queue.
	ReportsPerHour = 10
)

// ErrTooManyReports refuses a report over ReportsPerHour.
var ErrTooManyReports = errors.New("too many reports")

// Report is a member's report of a post or of a member. The reporter is
// never shown to anyone; PostCopy keeps the reported text for moderators
// until the report is closed, even if the author erases it.
type Report struct {
	ID         int64
	ReporterID *int64
	SubjectID  *int64
	PostID     *int64
	GroupID    *int64
	Reason     string
	Note       string
	Urgent     bool
	PostCopy   string
	CreatedAt  time.Time
	ClosedAt   *time.Time
	ClosedBy   *int64
	Outcome    string
}

// TableName pins the table name.
func (Report) TableName() string { return "reports" }

// CheckReport checks a report form; the map names the refused fields.
func CheckReport(reason, note string) (string, map[string]string) {
	errs := map[string]string{}
	if !slices.Contains(ReportReasons, reason) {
		errs["reason"] = "missing"
	}
	note = strings.TrimSpace(note)
	if len([]rune(note)) > ReportNoteMax || !PrintableText(note) {
		errs["note"] = "long"
	}
	return note, errs
}

func reportsAllowed(tx *gorm.DB, reporterID int64, now time.Time) error {
	var n int64
	if err := tx.Model(&Report{}).Where("reporter_id = ? AND created_at > ?", reporterID, now.Add(-time.Hour)).Count(&n).Error; err != nil {
		return err
	}
	if n >= ReportsPerHour {
		return ErrTooManyReports
	}
	return nil
}

// ReportPost files a report of a post the reporter may read. A report that
// someone is at risk is urgent, and the author is shown a gentle notice with
// the help directory.
func ReportPost(db *gorm.DB, r Reader, postID int64, reason, note string, now time.Time) (*Report, error) {
	var rep *Report
	err := db.Transaction(func(tx *gorm.DB) error {
		p, _, _, err := ReadPost(tx, r, postID, now)
		if err != nil {
			return err
		}
		if p.ErasedAt != nil {
			return ErrNotFound
		}
		if err := reportsAllowed(tx, r.AccountID, now); err != nil {
			return err
		}
		copyText := p.Body
		if p.ContentWarning != "" {
			copyText = "[" + p.ContentWarning + "]\n" + copyText
		}
		rep = &Report{ReporterID: &r.AccountID, SubjectID: p.AuthorID, PostID: &p.ID, GroupID: &p.GroupID,
			Reason: reason, Note: note, Urgent: reason == ReasonAtRisk, PostCopy: copyText, CreatedAt: now}
		if err := tx.Create(rep).Error; err != nil {
			return fmt.Errorf("models: create report: %w", err)
		}
		if rep.Urgent && p.AuthorID != nil {
			return Notify(tx, *p.AuthorID, NoticeModAtRisk, now)
		}
		return nil
	})
	return rep, err
}

// ReportMember files a report of a member whose profile the reporter may
// see (a shared group); it goes to staff.
func ReportMember(db *gorm.DB, r Reader, username, reason, note string, now time.Time) (*Report, error) {
	var rep *Report
	err := db.Transaction(func(tx *gorm.DB) error {
		prof, err := ProfileFor(tx, r, username)
		if err != nil {
			return err
		}
		if err := reportsAllowed(tx, r.AccountID, now); err != nil {
			return err
		}
		id := prof.ID
		if id == r.AccountID {
			return ErrSelf
		}
		rep = &Report{ReporterID: &r.AccountID, SubjectID: &id, Reason: reason, Note: note, Urgent: reason == ReasonAtRisk, CreatedAt: now}
		if err := tx.Create(rep).Error; err != nil {
			return fmt.Errorf("models: create report: %w", err)
		}
		if rep.Urgent {
			return Notify(tx, id, NoticeModAtRisk, now)
		}
		return nil
	})
	return rep, err
}

// closeReport closes an open report with the action that answered it and
// forgets the post's copy, which was kept only for the open report.
func closeReport(tx *gorm.DB, reportID, moderatorID int64, outcome string, now time.Time) error {
	res := tx.Model(&Report{}).Where("id = ? AND closed_at IS NULL", reportID).
		Updates(map[string]any{"closed_at": now, "closed_by": moderatorID, "outcome": outcome, "post_copy": ""})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrAlreadyDecided
	}
	return nil
}

// ReportView is an open report as the queue shows it: never the reporter.
type ReportView struct {
	ID          int64
	SubjectID   *int64
	PostID      *int64
	GroupID     *int64
	Reason      string
	Note        string
	Urgent      bool
	PostCopy    string
	CreatedAt   time.Time
	SubjectName string
	SubjectRole string
	GroupName   string
	GroupSlug   string
	// SubjectModerates: the subject moderates the report's group.
	SubjectModerates bool
	// FiledByReader: the reader filed it (shown, never acted on by them).
	FiledByReader bool
}

// Sees reports whether the moderator may see and act on the report: never
// about themselves; about a moderator only administrators, about an
// administrator only the other administrators; a report of a member with no
// group goes to staff.
func (m *Mod) Sees(r *ReportView) bool {
	if r.SubjectID != nil && *r.SubjectID == m.AccountID {
		return false
	}
	if !m.inGroupPtr(r.GroupID) {
		return false
	}
	if r.SubjectRole == RoleAdmin || r.SubjectRole == RoleSiteModerator || r.SubjectModerates {
		return m.Admin()
	}
	return true
}

// reportViews loads reports (open only when open), urgent first.
func reportViews(db *gorm.DB, m *Mod, where string, args ...any) ([]ReportView, error) {
	var rows []struct {
		ReportView
		ReporterID *int64
	}
	err := db.Table("reports").
		Select(`reports.id, reports.subject_id, reports.post_id, reports.group_id, reports.reason, reports.note, reports.urgent,
			reports.post_copy, reports.created_at, reports.reporter_id,
			COALESCE(s.username, '') AS subject_name, COALESCE(s.role, '') AS subject_role,
			COALESCE(g.name, '') AS group_name, COALESCE(g.slug, '') AS group_slug,
			EXISTS (SELECT 1 FROM group_members gm WHERE gm.group_id = reports.group_id AND gm.account_id = reports.subject_id AND gm.role = ?) AS subject_moderates`,
			GroupRoleModerator).
		Joins("LEFT JOIN accounts s ON s.id = reports.subject_id").
		Joins("LEFT JOIN groups g ON g.id = reports.group_id").
		Where(where, args...).
		Order("reports.urgent DESC, reports.created_at, reports.id").Limit(500).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: reports: %w", err)
	}
	var out []ReportView
	for _, r := range rows {
		v := r.ReportView
		if !m.Sees(&v) {
			continue
		}
		v.FiledByReader = r.ReporterID != nil && *r.ReporterID == m.AccountID
		out = append(out, v)
	}
	return out, nil
}

// OpenReports lists the open reports the moderator may act on, urgent
// first, then oldest first.
func OpenReports(db *gorm.DB, m *Mod) ([]ReportView, error) {
	return reportViews(db, m, "reports.closed_at IS NULL")
}

// OpenReport loads one open report the moderator may act on; any other is
// ErrNotFound.
func OpenReport(db *gorm.DB, m *Mod, id int64) (*ReportView, error) {
	list, err := reportViews(db, m, "reports.closed_at IS NULL AND reports.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return &list[0], nil
}

// ReportsAbout lists every report about a member the moderator may see.
func ReportsAbout(db *gorm.DB, m *Mod, subjectID int64) ([]ReportView, error) {
	return reportViews(db, m, "reports.subject_id = ?", subjectID)
}

// DismissReport closes a report without other action.
func DismissReport(db *gorm.DB, m *Mod, id int64, in ActionInput, now time.Time) error {
	return db.Transaction(func(tx *gorm.DB) error {
		r, err := OpenReport(tx, m, id)
		if err != nil {
			return err
		}
		if r.FiledByReader {
			return ErrSelf
		}
		in.Action, in.GroupID, in.TargetID, in.PostID, in.ReportID = ModDismiss, r.GroupID, r.SubjectID, r.PostID, &r.ID
		_, err = recordAction(tx, m, in, now)
		return err
	})
}

// UsableReport checks that a report id sent with an action is an open
// report the moderator may close about the same post or member; 0 is none.
func UsableReport(db *gorm.DB, m *Mod, id int64) (*int64, error) {
	if id == 0 {
		return nil, nil
	}
	r, err := OpenReport(db, m, id)
	if err != nil {
		return nil, err
	}
	if r.FiledByReader {
		return nil, ErrSelf
	}
	return &r.ID, nil
}
