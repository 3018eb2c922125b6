package markup

import (
	"fmt"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// CheckInert parses a fragment of HTML the way a browser would (as the
// content of <body>) and returns an error describing the first thing in it
// that could run script, submit or embed something, or make the reader's
// browser contact another host. It returns nil for inert HTML.
//
// It is exported for the tests of every package that puts member text in a
// page (ASVS 1.2.1, 1.2.2, 1.3.5, 3.6.1): feed it the HTML a member's input
// ended up in. It flags:
//   - script, style, iframe, object, embed, img, svg, math, form, input, link,
//     meta and base elements, and every other element that loads, embeds,
//     submits or changes how the rest is parsed (media, frames, template,
//     noscript, textarea, …);
//   - on* event handler attributes, style attributes, and the attributes
//     that fetch or submit: src, srcset, action, formaction, background,
//     poster, ping and the like;
//   - any href that is neither a signed-looking "/out?…" link to an http(s)
//     URL nor "mailto:…";
//   - any attribute value that, after entity decoding, percent decoding,
//     removing whitespace and control characters and lower-casing, starts
//     with javascript:, vbscript: or data:.
func CheckInert(fragment string) error {
	context := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(fragment), context)
	if err != nil {
		return fmt.Errorf("markup: parse HTML: %w", err)
	}
	for _, n := range nodes {
		if err := checkNode(n); err != nil {
			return err
		}
	}
	return nil
}

func checkNode(n *html.Node) error {
	if n.Type == html.ElementNode {
		if isForbiddenElement(n.Data) {
			return fmt.Errorf("markup: forbidden element <%s>", n.Data)
		}
		for _, attr := range n.Attr {
			if err := checkAttribute(n.Data, attr); err != nil {
				return err
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if err := checkNode(c); err != nil {
			return err
		}
	}
	return nil
}

// isForbiddenElement reports elements member content must never contain.
func isForbiddenElement(name string) bool {
	switch strings.ToLower(name) {
	case "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
		"img", "image", "picture", "source", "track", "audio", "video", "canvas", "map", "area",
		"svg", "math", "form", "input", "button", "select", "option", "textarea", "keygen", "isindex",
		"link", "meta", "base", "template", "noscript", "noembed", "noframes", "xmp", "plaintext",
		"title", "portal", "fencedframe", "slot":
		return true
	}
	return false
}

func checkAttribute(element string, attr html.Attribute) error {
	key := strings.ToLower(attr.Key)
	switch {
	case strings.HasPrefix(key, "on"):
		return fmt.Errorf("markup: event handler attribute %s on <%s>", attr.Key, element)
	case key == "style":
		return fmt.Errorf("markup: style attribute on <%s>", element)
	}
	switch key {
	case "src", "srcset", "srcdoc", "action", "formaction", "background", "poster", "ping",
		"lowsrc", "dynsrc", "codebase", "data", "manifest", "xmlns", "target":
		return fmt.Errorf("markup: attribute %s on <%s>", attr.Key, element)
	case "href":
		if err := checkHref(attr.Val); err != nil {
			return fmt.Errorf("markup: href on <%s>: %w", element, err)
		}
	}
	if hasDangerousScheme(attr.Val) {
		return fmt.Errorf("markup: attribute %s on <%s> holds a script or data URL", attr.Key, element)
	}
	return nil
}

// checkHref accepts only "/out?…" links whose target is an absolute http or
// https URL, and "mailto:…" links.
func checkHref(href string) error {
	href = strings.TrimSpace(href)
	switch {
	case strings.HasPrefix(href, "mailto:"):
		return nil
	case strings.HasPrefix(href, OutPath+"?"):
		u, err := url.Parse(href)
		if err != nil {
			return fmt.Errorf("unparseable /out link %q: %w", href, err)
		}
		query := u.Query()
		target, err := url.Parse(query.Get("to"))
		if err != nil {
			return fmt.Errorf("unparseable /out target in %q: %w", href, err)
		}
		if (target.Scheme != "http" && target.Scheme != "https") || target.Host == "" {
			return fmt.Errorf("/out link %q leads to something other than an http(s) URL", href)
		}
		if query.Get("sig") == "" {
			return fmt.Errorf("unsigned /out link %q", href)
		}
		return nil
	}
	return fmt.Errorf("href %q is neither an /out link nor a mailto link", href)
}

// hasDangerousScheme reports whether v, in any of the ways a browser or a
// careless decoder might read it, starts with javascript:, vbscript: or data:.
func hasDangerousScheme(v string) bool {
	candidates := []string{v, html.UnescapeString(v)}
	if unescaped, err := url.PathUnescape(v); err == nil {
		candidates = append(candidates, unescaped, html.UnescapeString(unescaped))
	}
	for _, candidate := range candidates {
		normalised := strings.ToLower(strings.Map(func(r rune) rune {
			if r <= ' ' || r == 0x7f {
				return -1
			}
			return r
		}, candidate))
		for _, scheme := range []string{"javascript:", "vbscript:", "data:"} {
			if strings.HasPrefix(normalised, scheme) {
				return true
			}
		}
	}
	return false
}
