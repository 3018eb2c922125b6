package handlers

import (
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"hearth/internal/i18n"
	"hearth/models"
)

const (
	langCookie = "hearth_lang"
	ctxLang    = "hearth.localizer"
)

// pageData is what every page template receives. Page-specific values go in
// Data; form state in Form and Errors.
type pageData struct {
	L        *i18n.Localizer
	Title    string
	CSRF     string
	Account  *models.Account
	Flash    string
	Site     models.SiteSettings
	Path     string
	Langs    []langOption
	Discreet bool
	// PendingReset is an open administrator reset of the reader's account,
	// shown on every page with a cancel button.
	PendingReset *models.AccountReset
	// Notices is the number of unread in-app notices.
	Notices int64
	// Notifications is the number of unread notifications (replies,
	// mentions, group decisions), shown in the header.
	Notifications int64
	// ModQueue is the number of items waiting for a moderator; -1 for
	// anyone who moderates nothing (no link in the header).
	ModQueue int
	Data     any
	// Form holds what the person typed, to give it back after an error.
	Form map[string]string
	// Errors holds one message per field name; "" is the form as a whole.
	Errors map[string]string
	// now is when the page is made, for relative times.
	now time.Time
	// loc caches the reader's time zone: a page may show many times.
	loc *time.Location
}

type langOption struct {
	Tag, Name string
	Current   bool
}

// T translates a message in the reader's language; templates call
// {{.T "key" "Name" value}} (or $.T inside range).
func (p *pageData) T(id string, args ...any) string {
	return p.L.T(id, args...)
}

// Lang is the page's language for <html lang>.
func (p *pageData) Lang() string { return p.L.Lang() }

// HasErrors reports whether the form came back with errors.
func (p *pageData) HasErrors() bool { return len(p.Errors) > 0 }

// newPageData collects what every page needs from the request.
func (a *App) newPageData(c echo.Context) *pageData {
	l := a.localizer(c)
	p := &pageData{
		L:       l,
		Account: currentAccount(c),
		Site:    a.siteSettings(c),
		Path:    c.Request().URL.RequestURI(),
		Form:    map[string]string{},
		Errors:  map[string]string{},
		now:     a.now(),
	}
	p.CSRF = a.csrfToken(c)
	for _, tag := range a.catalog.Languages() {
		code := tag.String()
		p.Langs = append(p.Langs, langOption{Tag: code, Name: l.T("lang." + code), Current: code == l.Lang()})
	}
	if p.Account != nil {
		p.Discreet = p.Account.Discreet
		db := a.db.WithContext(c.Request().Context())
		counts, err := models.HeaderCountsFor(db, p.Account)
		if err != nil {
			a.log.Error("count header items", "request_id", requestID(c), "error", err.Error())
		}
		p.Notices, p.Notifications = counts.Notices, counts.Notifications
		p.ModQueue = -1
		if counts.Moderates {
			p.ModQueue = counts.ModQueue
		}
		// An open reset is rare; only then is it read whole.
		if counts.OpenResetID != nil {
			if p.PendingReset, err = models.OpenResetFor(db, p.Account.ID); err != nil {
				a.log.Error("load pending reset", "request_id", requestID(c), "error", err.Error())
			}
		}
	}
	p.Flash = a.popFlash(c)
	return p
}

// localizer picks the reader's language once per request: the member's
// setting, then the visitor's choice (a cookie), then Accept-Language, then
// HEARTH_DEFAULT_LANGUAGE. The administrators' own wording for that
// language is loaded here, in one query, so that every text on the page —
// flash messages and error pages too — shows it.
func (a *App) localizer(c echo.Context) *i18n.Localizer {
	if l, ok := c.Get(ctxLang).(*i18n.Localizer); ok {
		return l
	}
	var candidates []string
	if acct := currentAccount(c); acct != nil && acct.Language != "" {
		candidates = append(candidates, acct.Language)
	}
	if ck, err := c.Cookie(a.cookieName(langCookie)); err == nil {
		candidates = append(candidates, ck.Value)
	}
	candidates = append(candidates, c.Request().Header.Get("Accept-Language"))
	l := a.catalog.Localizer(a.catalog.Negotiate(candidates...))
	overrides, err := models.TextOverrides(a.db.WithContext(c.Request().Context()), l.Lang())
	if err != nil {
		// The catalog's own words are a safe fallback: a page in default
		// wording beats an error page.
		a.log.Error("load text overrides", "request_id", requestID(c), "error", err.Error())
	}
	l = l.WithOverrides(overrides)
	c.Set(ctxLang, l)
	return l
}

// location is the reader's time zone: the member's setting, else the
// site's, else UTC.
func (p *pageData) location() *time.Location {
	if p.loc != nil {
		return p.loc
	}
	p.loc = time.UTC
	for _, name := range []string{p.accountTimeZone(), p.Site.TimeZone} {
		if name == "" {
			continue
		}
		if l, err := time.LoadLocation(name); err == nil {
			p.loc = l
			break
		}
	}
	return p.loc
}

// accountTimeZone is the reader's own choice, "" for none or a visitor.
func (p *pageData) accountTimeZone() string {
	if p.Account == nil {
		return ""
	}
	return p.Account.TimeZone
}

// When formats a past time for the reader: relative ("3 hours ago", "vor 3
// Stunden") within a week, otherwise the date and time in the reader's
// language and time zone. Future times are always absolute.
func (p *pageData) When(t time.Time) string {
	d := p.now.Sub(t)
	switch {
	case d < 0 || d >= 7*24*time.Hour:
		return p.Date(t)
	case d < time.Minute:
		return p.T("time.just_now")
	case d < time.Hour:
		return p.T("time.minutes_ago", "Count", int(d/time.Minute))
	case d < 24*time.Hour:
		return p.T("time.hours_ago", "Count", int(d/time.Hour))
	default:
		return p.T("time.days_ago", "Count", int(d/(24*time.Hour)))
	}
}

// Date formats a time absolutely in the reader's language and time zone.
func (p *pageData) Date(t time.Time) string {
	t = t.In(p.location())
	if p.Lang() == "de" {
		return t.Format("02.01.2006, 15:04")
	}
	return t.Format("2 Jan 2006, 15:04")
}

// Month formats a time as month and year (profiles show no more).
func (p *pageData) Month(t time.Time) string {
	t = t.In(p.location())
	return p.T("month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}
