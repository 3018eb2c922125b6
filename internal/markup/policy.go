package markup

import (
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// linkRel is the rel attribute every link in member content carries: no
// search-engine credit, no window.opener, no Referer header to the other host.
const linkRel = "nofollow noopener noreferrer"

// outHrefPattern matches the hrefs OutURL produces: url.QueryEscape output
// for the target and 43 base64url characters (32 bytes, unpadded) for the
// signature.
const outHrefPattern = `/out\?to=[A-Za-z0-9%._~+-]+&sig=[A-Za-z0-9_-]{43}`

// mailAddressPattern is the conservative address shape we keep as a mailto
// link: no '%', '?', '&' or whitespace, so no encoded header injection
// ("?bcc=…", "%0A") and nothing a mail client could mistake for parameters.
const mailAddressPattern = `[A-Za-z0-9.!#$'*+/=^_{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*`

// newPolicy builds the one allow-list every piece of member HTML passes
// through. Anything not named here is removed: no images, media, styles,
// frames, forms, SVG or MathML; no class, id, style, align or title
// attributes; only h3–h6 because Render shifts member headings down two
// levels (see the package comment).
func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()

	p.AllowElements(
		"p", "br", "em", "strong", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "h3", "h4", "h5", "h6", "hr",
		"table", "thead", "tbody", "tr", "th", "td",
	)

	// Links: the href must be a signed /out link or a plain mailto address;
	// the scheme list and parseable-URL check apply on top. Relative URLs
	// have to be allowed for "/out?…", the regexp narrows them to that.
	p.RequireParseableURLs(true)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.AllowAttrs("href").
		Matching(regexp.MustCompile(`^(?:` + outHrefPattern + `|mailto:` + mailAddressPattern + `)$`)).
		OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	// Belt and braces: bluemonday adds nofollow/noreferrer should a link
	// ever arrive without our rel attribute. An <a> whose href is refused is
	// no link any more: it keeps only its text (and at most the rel).
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)

	return p
}
