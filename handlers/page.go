package handlers

import (
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
	Data     any
	// Form holds what the person typed, to give it back after an error.
	Form map[string]string
	// Errors holds one message per field name; "" is the form as a whole.
	Errors map[string]string
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
	}
	p.CSRF = a.csrfToken(c)
	for _, tag := range a.catalog.Languages() {
		code := tag.String()
		p.Langs = append(p.Langs, langOption{Tag: code, Name: l.T("lang." + code), Current: code == l.Lang()})
	}
	if p.Account != nil {
		p.Discreet = p.Account.Discreet
	}
	p.Flash = a.popFlash(c)
	return p
}

// localizer picks the reader's language once per request: the member's
// setting, then the visitor's choice (a cookie), then Accept-Language, then
// HEARTH_DEFAULT_LANGUAGE.
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
	c.Set(ctxLang, l)
	return l
}
