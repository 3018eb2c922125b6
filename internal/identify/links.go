package identify

import (
	"regexp"
	"strings"
)

var (
	// anyURL finds links written with a scheme or "www.", to know where
	// ordinary links are (numbers inside them are not phone numbers).
	anyURL = regexp.MustCompile(`(?i)(?:\bhttps?://|\bwww\.)[^\s<>"'\x60]+`)

	// socialURL finds links to the big social networks with or without a
	// scheme. The host must not follow a dot or a letter, so "help.instagram.com"
	// and "notinstagram.com" are not taken for the network itself.
	socialURL = regexp.MustCompile(`(?i)(?:https?://)?(?:(?:www|m|mobile|de-de|de|web)\.)?` +
		`(instagram\.com|instagr\.am|facebook\.com|fb\.com|fb\.me|tiktok\.com|x\.com|twitter\.com|` +
		`linkedin\.com|snapchat\.com|youtube\.com|threads\.net|threads\.com|t\.me|wa\.me)` +
		`/[^\s<>"'\x60]*`)

	// fediverseHandle finds Mastodon-style handles, "@user@host.tld".
	fediverseHandle = regexp.MustCompile(`@[\p{L}\p{N}_.-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`)

	// email finds addresses, and the common disguise "name (at) host (dot) tld".
	email = regexp.MustCompile(`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}` +
		`|(?i)[\p{L}\p{N}._%+-]+\s*[(\[]at[)\]]\s*[\p{L}\p{N}-]+(?:(?:\.|\s*[(\[]dot[)\]]\s*)[\p{L}\p{N}-]+)*(?:\.|\s*[(\[]dot[)\]]\s*)\p{L}{2,}`)
)

// socialHosts are the host names socialURL knows, for a quick check that
// spares the regular expression most posts.
var socialHosts = []string{"instagram.com", "instagr.am", "facebook.com", "fb.com", "fb.me", "tiktok.com", "x.com",
	"twitter.com", "linkedin.com", "snapchat.com", "youtube.com", "threads.net", "threads.com", "t.me", "wa.me"}

// sitePages lists, per network, first path segments that are the network's
// own pages (help, legal, search) rather than somebody's profile or post.
var sitePages = map[string][]string{
	"instagram.com": {"explore", "accounts", "about", "legal", "help", "privacy", "terms", "developer", "directory", "press", "web", "emails", "challenge"},
	"facebook.com":  {"help", "policies", "privacy", "policy.php", "legal", "about", "login", "login.php", "settings", "terms", "terms.php", "business", "ads", "hashtag", "safety", "gaming", "marketplace", "watch", "sharer", "sharer.php", "dialog", "plugins", "careers", "recover"},
	"x.com":         {"home", "explore", "search", "settings", "i", "intent", "hashtag", "tos", "privacy", "login", "signup", "share", "messages", "notifications", "rules", "about", "help", "en", "de", "download"},
	"t.me":          {"share", "s", "iv"},
}

// profileOnly lists networks where only some paths lead to a person:
// a segment in the list, or any segment starting with "@".
var profileOnly = map[string][]string{
	"linkedin.com": {"in", "pub"},
	"snapchat.com": {"add"},
	"youtube.com":  {"channel", "c", "user"},
	"tiktok.com":   {},
	"threads.net":  {},
	"threads.com":  {},
}

// canonicalHost maps alias domains to the network whose rules apply.
var canonicalHost = map[string]string{
	"instagr.am":  "instagram.com",
	"fb.com":      "facebook.com",
	"fb.me":       "facebook.com",
	"twitter.com": "x.com",
}

// findLinks returns links to social-media profiles (and Mastodon-style
// handles) as findings, and the spans of every other link, inside which no
// other detail is looked for. Each scan runs only when a cheap check on the
// lower-cased text says it can match, which spares most posts all three.
func findLinks(text, lower string) (social []Finding, links []span) {
	if strings.Contains(lower, "/") && containsAny(lower, socialHosts...) {
		social = append(social, findSocialURLs(text)...)
	}
	if containsAny(lower, "http", "www.") {
		for _, m := range anyURL.FindAllStringIndex(text, -1) {
			start, end := m[0], trimURLEnd(text, m[0], m[1])
			links = append(links, span{start, end})
			// Any site's "/@name" path is a profile: Mastodon, Medium, TikTok.
			if i := strings.Index(text[start:end], "/@"); i >= 0 && i+2 < end-start && isHandleByte(text[start+i+2]) {
				social = append(social, finding(KindSocial, text, start, end))
			}
		}
	}
	if strings.Count(text, "@") >= 2 {
		for _, m := range fediverseHandle.FindAllStringIndex(text, -1) {
			if m[0] == 0 || !isHandleByte(text[m[0]-1]) {
				social = append(social, finding(KindSocial, text, m[0], m[1]))
			}
		}
	}
	return social, links
}

// findSocialURLs returns links to the big networks whose path leads to a
// person rather than to the network's own pages.
func findSocialURLs(text string) []Finding {
	var out []Finding
	for _, m := range socialURL.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[0], trimURLEnd(text, m[0], m[1])
		if start > 0 && isHostRune(text[start-1]) {
			continue
		}
		if isProfilePath(strings.ToLower(text[m[2]:m[3]]), text[m[3]:end]) {
			out = append(out, finding(KindSocial, text, start, end))
		}
	}
	return out
}

// isProfilePath reports whether path (starting with "/") on host leads to a
// person rather than to the network's own pages.
func isProfilePath(host, path string) bool {
	if c, ok := canonicalHost[host]; ok {
		host = c
	}
	if host == "wa.me" {
		return len(strings.Trim(path, "/")) > 0
	}
	first := strings.TrimPrefix(path, "/")
	if i := strings.IndexAny(first, "/?#"); i >= 0 {
		first = first[:i]
	}
	if first == "" {
		return false
	}
	if strings.HasPrefix(first, "@") {
		return len(first) > 1
	}
	lower := strings.ToLower(first)
	if allowed, ok := profileOnly[host]; ok {
		for _, a := range allowed {
			if lower == a {
				rest := strings.TrimPrefix(path[1+len(first):], "/")
				return rest != "" && rest[0] != '?' && rest[0] != '#'
			}
		}
		return false
	}
	for _, p := range sitePages[host] {
		if lower == p {
			return false
		}
	}
	return true
}

// trimURLEnd drops sentence punctuation and an unmatched closing bracket from
// the end of a link, as in "(see https://example.org/a)." .
func trimURLEnd(text string, start, end int) int {
	for end > start {
		switch c := text[end-1]; c {
		case '.', ',', ';', ':', '!', '?', '*', '_':
			end--
			continue
		case ')', ']':
			open := byte('(')
			if c == ']' {
				open = '['
			}
			if strings.Count(text[start:end], string(open)) < strings.Count(text[start:end], string(c)) {
				end--
				continue
			}
		}
		break
	}
	return end
}

// isHostRune reports whether b could continue a host name, so a match that
// follows it is only the tail of a longer host.
func isHostRune(b byte) bool {
	return b == '.' || b == '-' || b == '@' || isASCIIAlnum(b)
}

// isHandleByte reports whether b may appear in a user name.
func isHandleByte(b byte) bool {
	return b == '_' || b == '.' || isASCIIAlnum(b) || b >= 0x80
}

// isASCIIAlnum reports whether b is an ASCII letter or digit.
func isASCIIAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}

// findEmails returns e-mail addresses, written plainly or disguised.
func findEmails(text, lower string) []Finding {
	if !containsAny(lower, "@", "at)", "at]") {
		return nil
	}
	var out []Finding
	for _, m := range email.FindAllStringIndex(text, -1) {
		out = append(out, finding(KindEmail, text, m[0], m[1]))
	}
	return out
}
