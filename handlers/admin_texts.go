package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/text/language"

	"hearth/models"
)

// Administrators replace single texts per language with their own wording
// (the organisation's name, its helpline, its tone) at /admin/texts. The
// overrides live in models (text_overrides); page.go's localizer applies the
// reader's language's overrides to every page.

const (
	// textsPerPage keeps the list readable on a phone; search narrows it.
	textsPerPage = 50
	// maxTextsQuery bounds the search words: ids and texts are short.
	maxTextsQuery = 200
)

// textsPage is the data of admin_texts.html: the list of texts, or one text.
type textsPage struct {
	adminNav
	List *textsListData
	Edit *textEditData
}

// textsListData is what /admin/texts shows.
type textsListData struct {
	// Lang is the language whose texts are listed; Langs offers the others.
	Lang    string
	Langs   []langOption
	Query   string
	Changed bool
	Entries []textEntry
	// Total counts the texts that match, on every page.
	Total            int
	Page, Pages      int
	PrevURL, NextURL string
}

// textEntry is one message in the list.
type textEntry struct {
	ID, Default, Override string
	Overridden, Plural    bool
	EditURL               string
}

// textEditData is what the page of one text shows.
type textEditData struct {
	Lang, LangName, ID, Default string
	Plural                      bool
	// Placeholders are written as the text needs them: "{{.Name}}".
	Placeholders []string
	Override     *models.TextOverride
	BackURL      string
}

// textForm is the form of one text.
type textForm struct {
	Text string `form:"text"`
}

// textsLanguage is the listed language: the one asked for when the catalog
// has it, else the reader's own.
func (a *App) textsLanguage(c echo.Context, data *pageData) string {
	want := c.QueryParam("lang")
	for _, tag := range a.catalog.Languages() {
		if tag.String() == want {
			return want
		}
	}
	return data.Lang()
}

// adminTextsGet lists the messages of one language with their default text
// and the administrators' own, filtered by a search and paged.
func (a *App) adminTextsGet(c echo.Context) error {
	data := a.newPageData(c)
	lang := a.textsLanguage(c, data)
	query := strings.TrimSpace(c.QueryParam("q"))
	if len([]rune(query)) > maxTextsQuery {
		query = string([]rune(query)[:maxTextsQuery])
	}
	changed := c.QueryParam("changed") == "yes"
	overrides, err := models.TextOverrides(a.db.WithContext(c.Request().Context()), lang)
	if err != nil {
		return err
	}

	needle := strings.ToLower(query)
	var matches []textEntry
	for _, id := range a.catalog.MessageIDs(lang) {
		def, plural, _ := a.catalog.DefaultText(lang, id)
		override, overridden := overrides[id]
		if changed && !overridden {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(id), needle) &&
			!strings.Contains(strings.ToLower(def), needle) && !strings.Contains(strings.ToLower(override), needle) {
			continue
		}
		matches = append(matches, textEntry{ID: id, Default: def, Override: override, Overridden: overridden,
			Plural: plural, EditURL: textURL(lang, id)})
	}

	list := textsListData{Lang: lang, Query: query, Changed: changed, Total: len(matches)}
	for _, l := range data.Langs {
		list.Langs = append(list.Langs, langOption{Tag: l.Tag, Name: l.Name, Current: l.Tag == lang})
	}
	list.Pages = max(1, (len(matches)+textsPerPage-1)/textsPerPage)
	list.Page, _ = strconv.Atoi(c.QueryParam("page"))
	list.Page = min(max(list.Page, 1), list.Pages)
	first := (list.Page - 1) * textsPerPage
	list.Entries = matches[first:min(first+textsPerPage, len(matches))]
	pageURL := func(n int) string {
		q := url.Values{"lang": {lang}, "page": {strconv.Itoa(n)}}
		if query != "" {
			q.Set("q", query)
		}
		if changed {
			q.Set("changed", "yes")
		}
		return "/admin/texts?" + q.Encode()
	}
	if list.Page > 1 {
		list.PrevURL = pageURL(list.Page - 1)
	}
	if list.Page < list.Pages {
		list.NextURL = pageURL(list.Page + 1)
	}
	data.Title = data.T("texts.title")
	data.Data = textsPage{adminNav: adminNav{Current: "texts"}, List: &list}
	return a.page(c, http.StatusOK, "admin_texts", data)
}

// textURL is the address of one text's page; both parts come from the
// catalog, so they need no escaping.
func textURL(lang, id string) string {
	return "/admin/texts/" + lang + "/" + id
}

// textTarget reads the language and message id from the path; anything the
// catalog does not have is not found.
func (a *App) textTarget(c echo.Context) (lang, id string, err error) {
	lang, id = c.Param("lang"), c.Param("id")
	// Only the catalog's own spelling of a tag ("de", not "DE") counts, so
	// that each text has one address and one row.
	known := slices.ContainsFunc(a.catalog.Languages(), func(tag language.Tag) bool { return tag.String() == lang })
	if _, _, ok := a.catalog.DefaultText(lang, id); !known || !ok {
		return "", "", models.ErrNotFound
	}
	return lang, id, nil
}

// adminTextGet shows one text: its default, the placeholders it can fill,
// and a form for the administrators' own wording.
func (a *App) adminTextGet(c echo.Context) error {
	lang, id, err := a.textTarget(c)
	if err != nil {
		return err
	}
	data := a.newPageData(c)
	override, err := models.TextOverrideFor(a.db.WithContext(c.Request().Context()), lang, id)
	switch {
	case err == nil:
		data.Form["text"] = override.Text
	case errors.Is(err, models.ErrNotFound):
		// The default is the natural start for one's own wording.
		data.Form["text"], _, _ = a.catalog.DefaultText(lang, id)
	default:
		return err
	}
	return a.adminTextPage(c, http.StatusOK, data, lang, id, override)
}

func (a *App) adminTextPage(c echo.Context, status int, data *pageData, lang, id string, override *models.TextOverride) error {
	def, plural, _ := a.catalog.DefaultText(lang, id)
	ed := textEditData{Lang: lang, LangName: data.T("lang." + lang), ID: id,
		Default: def, Plural: plural, Override: override,
		BackURL: "/admin/texts?" + url.Values{"lang": {lang}, "q": {id}}.Encode()}
	for _, name := range a.catalog.Placeholders(lang, id) {
		ed.Placeholders = append(ed.Placeholders, "{{."+name+"}}")
	}
	data.Title = data.T("texts.edit_title")
	data.Data = textsPage{adminNav: adminNav{Current: "texts"}, Edit: &ed}
	return a.page(c, status, "admin_texts", data)
}

// adminTextPost saves the administrators' own wording of one text. A refused
// text comes back with 422, its message beside it and what was typed kept;
// the save is audited by message id, never by text.
func (a *App) adminTextPost(c echo.Context) error {
	lang, id, err := a.textTarget(c)
	if err != nil {
		return err
	}
	var f textForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	db := a.db.WithContext(c.Request().Context())
	placeholders := a.catalog.Placeholders(lang, id)
	text, problem := models.ParseTextOverride(f.Text, placeholders)
	if problem != "" {
		data := a.newPageData(c)
		data.Form["text"] = f.Text
		data.Errors["text"] = textMessage(data, problem, placeholders)
		override, err := models.TextOverrideFor(db, lang, id)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
		return a.adminTextPage(c, http.StatusUnprocessableEntity, data, lang, id, override)
	}
	actor := currentAccount(c).ID
	if err := models.SetTextOverride(db, lang, id, text, &actor, a.now().UTC()); err != nil {
		return err
	}
	a.flash(c, "flash.texts.saved")
	return c.Redirect(http.StatusSeeOther, textURL(lang, id))
}

// adminTextReset brings the default text back.
func (a *App) adminTextReset(c echo.Context) error {
	lang, id, err := a.textTarget(c)
	if err != nil {
		return err
	}
	actor := currentAccount(c).ID
	removed, err := models.ResetTextOverride(a.db.WithContext(c.Request().Context()), lang, id, &actor, a.now().UTC())
	if err != nil {
		return err
	}
	if removed {
		a.flash(c, "flash.texts.reset")
	} else {
		a.flash(c, "flash.texts.already_default")
	}
	return c.Redirect(http.StatusSeeOther, textURL(lang, id))
}

// textMessage translates why a text was refused.
func textMessage(data *pageData, problem string, placeholders []string) string {
	switch problem {
	case models.TextTooLong:
		return data.T("texts.error.too_long", "Max", models.MaxTextOverrideLen)
	case models.TextUnknownPlaceholder:
		if len(placeholders) == 0 {
			return data.T("texts.error.no_placeholders")
		}
		names := make([]string, len(placeholders))
		for i, name := range placeholders {
			names[i] = "{{." + name + "}}"
		}
		return data.T("texts.error.placeholders", "Allowed", strings.Join(names, ", "))
	}
	return data.T("texts.error.invalid_characters")
}
