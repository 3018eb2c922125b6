package markup

import (
	"bytes"
	"net/url"
	"regexp"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// headingShifter moves every heading down two levels (h1 → h3, h2 → h4,
// anything deeper → h6): the page owns h1 and h2, member content starts
// below them.
type headingShifter struct{}

// Transform implements parser.ASTTransformer.
func (headingShifter) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if heading, ok := n.(*ast.Heading); ok && entering {
			heading.Level = min(heading.Level+2, 6)
		}
		return ast.WalkContinue, nil
	})
}

// linkRenderer replaces goldmark's renderers for links, autolinks and
// images. It decides each href itself (signed /out link, mailto, or no link
// at all) so that the link text is kept whatever happens to the URL.
type linkRenderer struct {
	out         *Renderer
	textWriter  html.Writer
	mailAddress *regexp.Regexp
}

func newLinkRenderer(out *Renderer) *linkRenderer {
	return &linkRenderer{
		out:         out,
		textWriter:  html.NewWriter(),
		mailAddress: regexp.MustCompile(`^` + mailAddressPattern + `$`),
	}
}

// RegisterFuncs implements renderer.NodeRenderer.
func (l *linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, l.renderLink)
	reg.Register(ast.KindAutoLink, l.renderAutoLink)
	reg.Register(ast.KindImage, l.renderImage)
}

// renderLink writes [text](url). When the URL is refused (relative, an
// anchor, another scheme) or the link sits inside another link, only the
// text is written: the children are rendered either way.
func (l *linkRenderer) renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	dest := resolveDestination(n.Destination)
	href, ok := l.href(dest)
	if !ok || l.insideLink(n) {
		if entering && n.FirstChild() == nil {
			_, _ = w.Write(util.EscapeHTML([]byte(dest)))
		}
		return ast.WalkContinue, nil
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	writeOpenTag(w, href)
	if n.FirstChild() == nil {
		// [](https://…) would be an invisible link: show where it goes.
		_, _ = w.Write(util.EscapeHTML([]byte(dest)))
	}
	return ast.WalkContinue, nil
}

// renderAutoLink writes <https://…>, <someone@example.org> and bare URLs
// found by the linkify extension, under the same rules as renderLink.
func (l *linkRenderer) renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	label := util.EscapeHTML(n.Label(source))
	dest := string(n.URL(source))
	if n.AutoLinkType == ast.AutoLinkEmail && !hasPrefixFold(dest, "mailto:") {
		dest = "mailto:" + dest
	}
	href, ok := l.href(dest)
	if !ok || l.insideLink(n) {
		_, _ = w.Write(label)
		return ast.WalkSkipChildren, nil
	}
	writeOpenTag(w, href)
	_, _ = w.Write(label)
	_, _ = w.WriteString("</a>")
	return ast.WalkSkipChildren, nil
}

// renderImage turns ![alt](url) into a plain link whose text is the alt text
// (or the URL when the alt text is empty): an <img> would make every reader's
// browser contact the image's host. The alt text is written as plain text, so
// a link inside it cannot nest.
func (l *linkRenderer) renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.Image)
	dest := resolveDestination(n.Destination)
	var alt bytes.Buffer
	collectText(&alt, source, n)

	href, ok := l.href(dest)
	if ok && !l.insideLink(n) {
		writeOpenTag(w, href)
	} else {
		ok = false
	}
	if strings.TrimSpace(alt.String()) == "" {
		_, _ = w.Write(util.EscapeHTML([]byte(dest)))
	} else {
		l.textWriter.Write(w, alt.Bytes())
	}
	if ok {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkSkipChildren, nil
}

// href decides where a link in member content may point: a signed /out link
// for an absolute http or https URL, the address itself for mailto, and
// nothing (ok false) for everything else.
func (l *linkRenderer) href(dest string) (href string, ok bool) {
	if dest == "" || strings.IndexFunc(dest, notURLRune) >= 0 {
		return "", false
	}
	if hasPrefixFold(dest, "mailto:") {
		address := dest[len("mailto:"):]
		if !l.mailAddress.MatchString(address) {
			return "", false
		}
		return "mailto:" + address, true
	}
	u, err := url.Parse(dest)
	if err != nil {
		return "", false
	}
	// url.Parse lower-cases the scheme. Opaque ("http:host") and host-less
	// URLs are refused, and so is user information: "https://bank.example@evil.example"
	// is a classic way to disguise where a link leads.
	if (u.Scheme != "http" && u.Scheme != "https") || u.Opaque != "" || u.Host == "" || u.User != nil {
		return "", false
	}
	return l.out.OutURL(u.String()), true
}

// notURLRune reports characters a link destination we accept may not contain:
// whitespace, control and format characters (tabs and newlines hide schemes,
// bidirectional overrides disguise hosts).
func notURLRune(r rune) bool {
	return r == ' ' || !unicode.IsPrint(r)
}

// writeOpenTag writes the opening tag of a member link. href is always one we
// built, but it is escaped all the same.
func writeOpenTag(w util.BufWriter, href string) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(href)))
	_, _ = w.WriteString(`" rel="` + linkRel + `">`)
}

// resolveDestination undoes Markdown's backslash escapes and HTML character
// references in a link destination, as CommonMark requires, so that the URL
// we judge is the URL a browser would see.
func resolveDestination(dest []byte) string {
	d := util.UnescapePunctuations(dest)
	d = util.ResolveNumericReferences(d)
	d = util.ResolveEntityNames(d)
	return strings.TrimSpace(string(d))
}

// collectText gathers the text of n's descendants (the alt text of an image).
func collectText(buf *bytes.Buffer, source []byte, n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch t := c.(type) {
		case *ast.Text:
			buf.Write(t.Segment.Value(source))
			if t.SoftLineBreak() || t.HardLineBreak() {
				buf.WriteByte(' ')
			}
		case *ast.String:
			buf.Write(t.Value)
		case *ast.AutoLink:
			buf.Write(t.Label(source))
		default:
			collectText(buf, source, c)
		}
	}
}

// insideLink reports whether one of n's ancestors is rendered as a link:
// HTML does not allow one link inside another. (CommonMark already forbids
// links in link text; an image in link text is the case that reaches here.)
func (l *linkRenderer) insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if link, ok := p.(*ast.Link); ok {
			if _, ok := l.href(resolveDestination(link.Destination)); ok {
				return true
			}
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
