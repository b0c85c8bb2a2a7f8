package scenario

import "strings"

// ParseMarkdown parses every fenced code block of a markdown file whose
// info string's first word is "raft": each is one scenario. Errors carry
// the line numbers of the markdown file. On error it returns an ErrorList
// together with the scenarios of the blocks that parsed without error.
//
// Fences follow CommonMark: up to 3 spaces of indentation, then 3 or more
// backticks or tildes; the block ends at a fence of the same character at
// least as long, or at the end of the file (for a raft block, an error).
// Content lines lose as many leading spaces as the opening fence had.
func ParseMarkdown(file, src string) ([]*Scenario, error) {
	var errs ErrorList
	lines := splitLines(file, src, &errs)
	var out []*Scenario
	for i := 0; i < len(lines) && len(errs) < MaxErrors; i++ {
		indent, ch, n, info, ok := openFence(lines[i].text)
		if !ok {
			continue
		}
		start := i
		var body []srcLine
		closed := false
		for i++; i < len(lines); i++ {
			if isCloseFence(lines[i].text, ch, n) {
				closed = true
				break
			}
			t := lines[i].text
			k := 0
			for k < indent && k < len(t) && t[k] == ' ' {
				k++
			}
			body = append(body, srcLine{num: lines[i].num, text: t[k:], off: k})
		}
		word, rest := firstWord(info)
		if word != "raft" {
			continue
		}
		if !closed {
			addError(&errs, Pos{File: file, Line: lines[start].num, Col: indent + 1},
				"raft block is never closed (end it with a line "+strings.Repeat(string(ch), n)+")")
			break
		}
		before := len(errs)
		sc := parseScenario(file, lines[start].num, body, &errs)
		sc.Info = rest
		if len(errs) == before {
			out = append(out, sc)
		}
	}
	if len(errs) > 0 {
		return out, errs
	}
	return out, nil
}

// openFence reads an opening code fence: its indentation, fence character,
// length and info string.
func openFence(line string) (indent int, ch byte, n int, info string, ok bool) {
	for indent < len(line) && indent < 4 && line[indent] == ' ' {
		indent++
	}
	if indent > 3 || indent >= len(line) {
		return 0, 0, 0, "", false
	}
	ch = line[indent]
	if ch != '`' && ch != '~' {
		return 0, 0, 0, "", false
	}
	for indent+n < len(line) && line[indent+n] == ch {
		n++
	}
	if n < 3 {
		return 0, 0, 0, "", false
	}
	info = strings.TrimSpace(line[indent+n:])
	if ch == '`' && strings.Contains(info, "`") {
		return 0, 0, 0, "", false // not a fence in CommonMark
	}
	return indent, ch, n, info, true
}

// isCloseFence reports whether line closes a fence of n characters ch.
func isCloseFence(line string, ch byte, n int) bool {
	i := 0
	for i < len(line) && i < 4 && line[i] == ' ' {
		i++
	}
	if i > 3 {
		return false
	}
	j := i
	for j < len(line) && line[j] == ch {
		j++
	}
	return j-i >= n && strings.Trim(line[j:], " \t") == ""
}

// firstWord splits an info string into its first word and the rest.
func firstWord(info string) (string, string) {
	i := strings.IndexAny(info, " \t")
	if i < 0 {
		return info, ""
	}
	return info[:i], strings.TrimSpace(info[i:])
}
