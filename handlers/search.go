package handlers

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"hearth/models"
)

// Search limits, in characters.
const (
	searchMax     = 200
	excerptLength = 200
)

// searchData is what the search page shows.
type searchData struct {
	Searched bool
	Results  []searchResultView
}

// searchResultView is one result: the excerpt is the plain Markdown text,
// shortened, and escaped by the template like any text.
type searchResultView struct {
	models.SearchResult
	Excerpt string
}

// searchGet searches the posts of the reader's groups only (models.Search
// joins the reader's memberships: staff search as members do).
func (a *App) searchGet(c echo.Context) error {
	data := a.newPageData(c)
	data.Title = data.T("search.title")
	q, asked := c.QueryParams()["q"]
	query := ""
	if asked && len(q) > 0 {
		query = q[0]
	}
	data.Form["q"] = query
	var sd searchData
	data.Data = &sd
	if !asked {
		return a.page(c, http.StatusOK, "search", data)
	}
	query = strings.TrimSpace(strings.ToValidUTF8(query, "\uFFFD"))
	switch n := utf8.RuneCountInString(query); {
	case n == 0:
		data.Errors["q"] = data.T("search.error.empty")
	case n > searchMax:
		data.Errors["q"] = data.T("search.error.long", "Max", searchMax, "Length", n)
	}
	if data.HasErrors() {
		return a.page(c, http.StatusUnprocessableEntity, "search", data)
	}
	results, err := models.Search(a.db.WithContext(c.Request().Context()), currentAccount(c).ID, query,
		models.SearchLanguage(a.cfg.DefaultLanguage))
	if err != nil {
		return err
	}
	sd.Searched = true
	for _, r := range results {
		sd.Results = append(sd.Results, searchResultView{SearchResult: r, Excerpt: excerpt200(r.Body)})
	}
	return a.page(c, http.StatusOK, "search", data)
}

// excerpt200 shortens text to about 200 characters on a word boundary, with
// its whitespace folded.
func excerpt200(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= excerptLength {
		return s
	}
	runes := []rune(s)[:excerptLength]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > excerptLength/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
