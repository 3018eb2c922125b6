// Package markup turns the Markdown members write into HTML that is safe to
// show to other members, and holds the project's one HTML sanitizer policy.
//
// The threat it is built against: a stalker writes a post to run script in,
// or learn the IP address of, the members who read it (PRODUCT.md, threats 3
// and 4). So the pipeline is deliberately narrow:
//
//  1. goldmark parses CommonMark plus the GFM table, strikethrough and
//     autolink (linkify) extensions. Raw HTML is never rendered (goldmark's
//     default, no html.WithUnsafe); task lists are left out because they
//     render <input> elements.
//  2. Our own goldmark hooks rewrite every link and image before any HTML
//     exists: http and https links go through the signed /out page, mailto
//     links stay, everything else (relative URLs, anchors, other schemes,
//     anything unparseable) becomes plain text; images become plain links so
//     no reader's browser ever fetches a resource from another host; headings
//     are shifted down two levels (# → h3, ## → h4, deeper → h6) so member
//     content never competes with the page's own h1/h2 structure.
//  3. One bluemonday policy enforces the final allow-list on the result.
//
// ASVS 1.2.1 (output encoded for its context), 1.2.2 (only safe URL schemes),
// 1.3.1 (rich text sanitised by a well-known library), 1.3.5 (Markdown
// sanitised), 3.6.1 (no external assets).
package markup

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// OutPath is the path of the page that shows members where an outbound link
// leads before they follow it. Every http/https link in rendered member
// content points at it.
const OutPath = "/out"

// minLinkKeyLen is the shortest link key New accepts: a shorter key would make
// /out signatures guessable.
const minLinkKeyLen = 16

// Renderer turns member Markdown into safe HTML: CommonMark + GFM tables,
// strikethrough and autolinks (goldmark, raw HTML never rendered), then the
// one bluemonday policy used everywhere (this package is the project's one
// sanitizer). A Renderer is safe for concurrent use.
type Renderer struct {
	markdown goldmark.Markdown
	policy   *bluemonday.Policy
	linkKey  []byte
}

// New builds a Renderer. linkKey signs /out links with HMAC-SHA256; it should
// be a key kept for this purpose only (derived from the site's secret key) and
// at least 16 bytes long. New panics on a shorter key, because that is a
// wiring mistake that must not reach production.
func New(linkKey []byte) *Renderer {
	if len(linkKey) < minLinkKeyLen {
		panic(fmt.Sprintf("markup: link key must be at least %d bytes, got %d", minLinkKeyLen, len(linkKey)))
	}
	r := &Renderer{
		policy:  newPolicy(),
		linkKey: bytes.Clone(linkKey),
	}
	r.markdown = goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignNone)),
			extension.Strikethrough,
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(headingShifter{}, 1000)),
		),
		goldmark.WithRendererOptions(
			// A lower number wins in goldmark: these override the default
			// renderers (priority 1000) for links, autolinks and images.
			renderer.WithNodeRenderers(util.Prioritized(newLinkRenderer(r), 100)),
		),
	)
	return r
}

// Render converts member Markdown into HTML that is safe to put in a page.
// It accepts any input: invalid UTF-8 and NUL bytes are replaced with U+FFFD
// first, and pathological nesting and run lengths are defused (see defuse).
// Length limits are the caller's job.
func (r *Renderer) Render(markdown string) (template.HTML, error) {
	source := strings.ToValidUTF8(markdown, "\uFFFD")
	source = strings.ReplaceAll(source, "\x00", "\uFFFD")
	source = defuse(source)

	var unsafeHTML bytes.Buffer
	unsafeHTML.Grow(len(source) + len(source)/4)
	if err := r.markdown.Convert([]byte(source), &unsafeHTML); err != nil {
		return "", fmt.Errorf("markup: render markdown: %w", err)
	}
	safe := r.policy.SanitizeReader(&unsafeHTML)
	// #nosec G203 -- the HTML has just passed the sanitizer policy.
	return template.HTML(safe.String()), nil
}

// Policy returns the project's one sanitizer policy, for callers that must
// sanitize HTML that did not come from Render. Use it read-only (Sanitize,
// SanitizeBytes, SanitizeReader): it is shared by every caller and changing
// it would change what Render lets through.
func (r *Renderer) Policy() *bluemonday.Policy {
	return r.policy
}

// OutURL returns the signed link to the /out page for target:
// "/out?to=<url-escaped target>&sig=<base64url HMAC-SHA256(target)>".
func (r *Renderer) OutURL(target string) string {
	return OutPath + "?to=" + url.QueryEscape(target) + "&sig=" + r.sign(target)
}

// VerifyOut reports whether sig is the signature OutURL made for target. The
// comparison takes the same time wherever the signatures differ.
func (r *Renderer) VerifyOut(target, sig string) bool {
	expected := r.sign(target)
	return subtle.ConstantTimeCompare([]byte(expected), []byte(sig)) == 1
}

func (r *Renderer) sign(target string) string {
	mac := hmac.New(sha256.New, r.linkKey)
	mac.Write([]byte(target))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
