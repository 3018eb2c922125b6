package markup

import (
	"strings"
	"unicode/utf8"
)

// goldmark, like most CommonMark parsers, takes time quadratic in the size of
// some inputs: deeply nested containers on one line (">>>>…", "1. 1. 1. …",
// "- - - … x") and some inline constructs repeated within one paragraph
// ("[a](" or "\“" a hundred thousand times). Input limits are the caller's
// job, but Render must stay fast on anything, so defuse bounds both factors
// before parsing. Ordinary posts are not changed at all.
const (
	// maxContainerDepth is how many block-quote or list markers one line may
	// open; the marker beyond it is backslash-escaped and shows as text.
	maxContainerDepth = 16
	// maxRunBytes is the longest run of non-blank lines kept together; a
	// longer run (a paragraph, a table, a code block) gets a blank line
	// inserted at a line boundary, and a longer single line is broken at a
	// space (or, lacking one, anywhere) into paragraphs.
	maxRunBytes = 4 << 10
	// maxIndent is the deepest indentation (in columns, a tab counting as
	// 4) a line keeps: nesting lists by indentation alone costs time
	// proportional to depth × width on every line.
	maxIndent = 64
	// maxLinkOpeners is how many "](" one line may hold before the rest get
	// their "(" escaped: each one makes goldmark scan the rest of the line
	// for a link destination.
	maxLinkOpeners = 64
)

// defuse normalises line endings and applies the limits above.
func defuse(source string) string {
	if strings.IndexByte(source, '\r') >= 0 {
		// CommonMark treats CR and CRLF as line endings: make them visible to
		// the line-based limits below.
		source = strings.ReplaceAll(source, "\r\n", "\n")
		source = strings.ReplaceAll(source, "\r", "\n")
	}
	var out strings.Builder
	out.Grow(len(source) + len(source)/256 + 16)
	run := 0 // bytes in the current run of non-blank lines
	for len(source) > 0 {
		line := source
		if i := strings.IndexByte(source, '\n'); i >= 0 {
			line, source = source[:i+1], source[i+1:]
		} else {
			source = ""
		}
		if strings.TrimSpace(line) == "" {
			run = 0
			out.WriteString(line)
			continue
		}
		line = capLinkOpeners(capContainerDepth(capIndent(line)))
		for len(line) > maxRunBytes {
			if run > 0 {
				out.WriteString("\n")
			}
			cut := splitPoint(line, maxRunBytes)
			out.WriteString(line[:cut])
			out.WriteString("\n\n")
			line = capContainerDepth(strings.TrimLeft(line[cut:], " \t"))
			run = 0
		}
		if run > 0 && run+len(line) > maxRunBytes {
			out.WriteString("\n")
			run = 0
		}
		out.WriteString(line)
		run += len(line)
	}
	return out.String()
}

// capLinkOpeners backslash-escapes the "(" of every "](" after the first
// maxLinkOpeners on a line.
func capLinkOpeners(line string) string {
	if strings.Count(line, "](") <= maxLinkOpeners {
		return line
	}
	var out strings.Builder
	out.Grow(len(line) + len(line)/2)
	seen := 0
	for {
		i := strings.Index(line, "](")
		if i < 0 {
			out.WriteString(line)
			return out.String()
		}
		seen++
		out.WriteString(line[:i+1])
		if seen > maxLinkOpeners {
			out.WriteByte('\\')
		}
		line = line[i+1:]
		out.WriteByte('(')
		line = line[1:]
	}
}

// capIndent replaces leading whitespace wider than maxIndent columns with
// maxIndent spaces.
func capIndent(line string) string {
	columns, i := 0, 0
	for ; i < len(line) && (line[i] == ' ' || line[i] == '\t'); i++ {
		if line[i] == '\t' {
			columns += 4 - columns%4
		} else {
			columns++
		}
	}
	if columns <= maxIndent {
		return line
	}
	return strings.Repeat(" ", maxIndent) + line[i:]
}

// splitPoint returns where to break a line that is longer than limit: after
// the last space or tab before limit, else at the last rune boundary before it.
func splitPoint(line string, limit int) int {
	if i := strings.LastIndexAny(line[:limit], " \t"); i > 0 {
		return i
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(line[cut]) {
		cut--
	}
	if cut == 0 {
		cut = limit
	}
	return cut
}

// capContainerDepth escapes the container marker that would open nesting
// level maxContainerDepth+1 on this line, so the rest of the line is text.
func capContainerDepth(line string) string {
	depth := 0
	i := 0
	for i < len(line) {
		j := i
		for j < len(line) && (line[j] == ' ' || line[j] == '\t') {
			j++
		}
		escapeAt, next, ok := containerMarker(line, j)
		if !ok {
			return line
		}
		if depth == maxContainerDepth {
			return line[:escapeAt] + `\` + line[escapeAt:]
		}
		depth++
		i = next
	}
	return line
}

// containerMarker recognises a block-quote or list marker at line[at:]. It
// returns where a backslash would neutralise it and where the marker ends.
func containerMarker(line string, at int) (escapeAt, next int, ok bool) {
	if at >= len(line) {
		return 0, 0, false
	}
	followedBySpace := func(k int) bool {
		return k >= len(line) || line[k] == ' ' || line[k] == '\t' || line[k] == '\n'
	}
	switch c := line[at]; {
	case c == '>':
		return at, at + 1, true
	case c == '-' || c == '+' || c == '*':
		if followedBySpace(at + 1) {
			return at, at + 1, true
		}
	case c >= '0' && c <= '9':
		k := at
		for k < len(line) && k-at < 10 && line[k] >= '0' && line[k] <= '9' {
			k++
		}
		if k < len(line) && (line[k] == '.' || line[k] == ')') && followedBySpace(k+1) {
			return k, k + 1, true
		}
	}
	return 0, 0, false
}
