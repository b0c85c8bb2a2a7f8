package scenario

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokKind is the kind of a token of one line.
type tokKind uint8

const (
	tWord   tokKind = iota + 1 // a run of other characters
	tString                    // "quoted text"; text holds the unescaped value
	tPipe                      // |
	tArrow                     // ->
	tBoth                      // <-> (a link both ways)
)

// token is one token of a line.
type token struct {
	kind tokKind
	text string
	col  int  // 1-based column of the first byte
	end  int  // column just after the last byte
	glue bool // no space between this token and the previous one
}

// lexLine splits one line into tokens. off is the number of bytes removed
// from the front of the line (markdown indentation), so that columns are
// those of the original line. On error it returns the error's column.
func lexLine(s string, off int) ([]token, int, string) {
	var toks []token
	glue := false
	i := 0
	for i < len(s) {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			i++
			glue = false
			continue
		case c == '#':
			return toks, 0, ""
		case c == '|':
			toks = append(toks, token{kind: tPipe, text: "|", col: off + i + 1, end: off + i + 2, glue: glue})
			i++
		case c == '-' && i+1 < len(s) && s[i+1] == '>':
			toks = append(toks, token{kind: tArrow, text: "->", col: off + i + 1, end: off + i + 3, glue: glue})
			i += 2
		case isBoth(s[i:]):
			toks = append(toks, token{kind: tBoth, text: "<->", col: off + i + 1, end: off + i + 4, glue: glue})
			i += 3
		case c == '"':
			text, n, errAt, msg := lexString(s[i:])
			if msg != "" {
				return nil, off + i + errAt + 1, msg
			}
			toks = append(toks, token{kind: tString, text: text, col: off + i + 1, end: off + i + n + 1, glue: glue})
			i += n
		default:
			j := i
			for j < len(s) {
				c := s[j]
				if c == ' ' || c == '\t' || c == '#' || c == '|' || c == '"' || (c == '-' && j+1 < len(s) && s[j+1] == '>') || isBoth(s[j:]) {
					break
				}
				n, msg := checkChar(s[j:], false)
				if msg != "" {
					return nil, off + j + 1, msg
				}
				j += n
			}
			toks = append(toks, token{kind: tWord, text: s[i:j], col: off + i + 1, end: off + j + 1, glue: glue})
			i = j
		}
		glue = true
	}
	return toks, 0, ""
}

// isBoth reports whether s starts with <->.
func isBoth(s string) bool { return len(s) >= 3 && s[0] == '<' && s[1] == '-' && s[2] == '>' }

// checkChar checks the character at the front of s and returns its length
// in bytes, or an error message. Control characters other than tab and
// invalid UTF-8 are errors; so are non-ASCII spaces outside quotes, which
// would silently glue two words together.
func checkChar(s string, quoted bool) (int, string) {
	c := s[0]
	if c < utf8.RuneSelf {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return 0, "unexpected control character " + runeName(rune(c))
		}
		return 1, ""
	}
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && n == 1 {
		return 0, "invalid UTF-8"
	}
	if !quoted && unicode.IsSpace(r) {
		return 0, "unexpected " + runeName(r) + " (a non-ASCII space); use an ordinary space"
	}
	return n, ""
}

// runeName writes r as U+XXXX.
func runeName(r rune) string {
	h := strings.ToUpper(strconv.FormatInt(int64(r), 16))
	for len(h) < 4 {
		h = "0" + h
	}
	return "U+" + h
}

// lexString reads the quoted string at the front of s. It returns the
// unescaped text and the number of bytes read, or the byte offset of an
// error and its message.
func lexString(s string) (text string, n int, errAt int, msg string) {
	var b strings.Builder
	i := 1
	for {
		if i >= len(s) {
			return "", 0, 0, "unterminated string (missing closing \")"
		}
		c := s[i]
		switch c {
		case '"':
			text = b.String()
			if utf8.RuneCountInString(text) > MaxTextRunes {
				return "", 0, 0, "string too long (more than " + strconv.Itoa(MaxTextRunes) + " characters)"
			}
			return text, i + 1, 0, ""
		case '\\':
			if i+1 >= len(s) {
				return "", 0, 0, "unterminated string (missing closing \")"
			}
			switch s[i+1] {
			case '"':
				b.WriteByte('"')
			case '\\':
				b.WriteByte('\\')
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				if _, m := checkChar(s[i+1:], false); m != "" {
					return "", 0, i + 1, m
				}
				_, size := utf8.DecodeRuneInString(s[i+1:])
				return "", 0, i, "unknown escape \\" + s[i+1:i+1+size] + " in string (use \\\" \\\\ \\n or \\t)"
			}
			i += 2
		default:
			size, m := checkChar(s[i:], true)
			if m != "" {
				return "", 0, i, m
			}
			b.WriteString(s[i : i+size])
			i += size
		}
	}
}
