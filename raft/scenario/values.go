package scenario

import (
	"errors"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file reads and writes the value tokens of the language: numbers,
// durations, ranges, probabilities, servers and commands.

// reservedWords may not be used as unquoted commands. "empty" is not
// reserved elsewhere but means "no entries" in log and applied.
var reservedWords = []string{"and", "within", "to", "on", "when", "empty"}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseNat reads a run of digits. Values above MaxNumber come back as
// MaxNumber+1 so that callers report them as out of range.
func parseNat(s string) (int, bool) {
	if !isDigits(s) {
		return 0, false
	}
	s = strings.TrimLeft(s, "0")
	if len(s) > 10 {
		return MaxNumber + 1, true
	}
	n, err := strconv.Atoi("0" + s)
	if err != nil || n > MaxNumber {
		return MaxNumber + 1, true
	}
	return n, true
}

// parseDuration reads a duration such as 300ms, 2s or 1.5s as whole
// milliseconds. It returns an error message on failure.
// ParseDuration reads a duration as the scenario language writes it
// (300ms, 2s, 1.5s: whole milliseconds, at most 24 h), in ms. The command
// line's flags read durations with it too, so there is one syntax.
func ParseDuration(s string) (int, error) {
	ms, msg := parseDuration(s)
	if msg != "" {
		return 0, errors.New(msg)
	}
	return ms, nil
}

func parseDuration(s string) (int, string) {
	bad := "expected a duration like 300ms or 2s, got " + strconv.Quote(s)
	var num string
	var scale int
	switch {
	case strings.HasSuffix(s, "ms"):
		num, scale = s[:len(s)-2], 1
	case strings.HasSuffix(s, "s"):
		num, scale = s[:len(s)-1], 1000
	default:
		return 0, bad
	}
	if !isDecimal(num) {
		return 0, bad
	}
	whole, frac, _ := strings.Cut(num, ".")
	tooLong := "duration " + strconv.Quote(s) + " is too long (max 24h)"
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 9 {
		return 0, tooLong
	}
	w, _ := strconv.Atoi("0" + whole)
	ms := w * scale
	// The fraction may add whole milliseconds only: up to 3 digits of
	// seconds, none of milliseconds; any further digits must be zeros.
	keep := 0
	if scale == 1000 {
		keep = 3
	}
	for i := 0; i < len(frac); i++ {
		d := int(frac[i] - '0')
		if i >= keep {
			if d != 0 {
				return 0, "duration " + strconv.Quote(s) + " is not a whole number of milliseconds"
			}
			continue
		}
		place := 100
		for k := 0; k < i; k++ {
			place /= 10
		}
		ms += d * place
	}
	if ms > MaxDuration {
		return 0, tooLong
	}
	return ms, ""
}

// parseRange reads min-max such as 150-300ms (the unit of max also applies
// to a bare min), 500ms-1s, or a single duration (min = max).
func parseRange(s string) (lo, hi int, msg string) {
	left, right, ok := strings.Cut(s, "-")
	if !ok {
		d, m := parseDuration(s)
		if m != "" {
			return 0, 0, "expected a duration or a range like 150-300ms, got " + strconv.Quote(s)
		}
		return d, d, ""
	}
	bad := "expected a range like 150-300ms, got " + strconv.Quote(s)
	hi, m := parseDuration(right)
	if m != "" {
		if strings.HasPrefix(m, "expected") {
			return 0, 0, bad
		}
		return 0, 0, m
	}
	if isDecimal(left) {
		if strings.HasSuffix(right, "ms") {
			left += "ms"
		} else {
			left += "s"
		}
	}
	lo, m = parseDuration(left)
	if m != "" {
		if strings.HasPrefix(m, "expected") {
			return 0, 0, bad
		}
		return 0, 0, m
	}
	if lo > hi {
		return 0, 0, "range " + strconv.Quote(s) + " has min greater than max"
	}
	return lo, hi, ""
}

// isDecimal reports whether s is digits with an optional .digits fraction.
func isDecimal(s string) bool {
	whole, frac, hasDot := strings.Cut(s, ".")
	return isDigits(whole) && (!hasDot || isDigits(frac))
}

// parseProb reads a probability: digits with an optional fraction, 0..1.
func parseProb(s string) (float64, string) {
	if isDecimal(s) {
		if p, err := strconv.ParseFloat(s, 64); err == nil && p >= 0 && p <= 1 {
			return p, ""
		}
	}
	return 0, "expected a probability between 0 and 1, got " + strconv.Quote(s)
}

// looksLikeServer reports whether s is S or s followed by digits.
func looksLikeServer(s string) bool {
	return len(s) >= 2 && (s[0] == 'S' || s[0] == 's') && isDigits(s[1:])
}

// isWordRune reports whether r may appear in an unquoted command.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '_' || r == '-' || r == '.'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// isPlainCmd reports whether command s may be written without quotes: it
// starts with a letter or _, holds only letters, digits and _-. (ASCII or
// not), is not a reserved word and does not look like a server.
func isPlainCmd(s string) bool {
	return plainCmdProblem(s) == ""
}

// plainCmdProblem explains why s must be quoted, or returns "".
func plainCmdProblem(s string) string {
	if s == "" {
		return "is empty"
	}
	for _, w := range reservedWords {
		if s == w {
			return "is a reserved word"
		}
	}
	if looksLikeServer(s) {
		return "looks like a server"
	}
	first, _ := utf8.DecodeRuneInString(s)
	if first >= '0' && first <= '9' || first == '-' || first == '.' {
		return "looks like a number"
	}
	if utf8.RuneCountInString(s) > MaxTextRunes {
		return "is too long"
	}
	for _, r := range s {
		if !isWordRune(r) {
			return "has characters that need quotes"
		}
	}
	return ""
}

// quote writes s as a quoted string: " and \ are escaped and a newline is
// written \n; everything else, tabs and non-ASCII text included, is
// written as is.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FormatCmd writes a command as the scenario language spells it: a plain
// word when it may be, else quoted.
func FormatCmd(s string) string {
	if isPlainCmd(s) {
		return s
	}
	return quote(s)
}

// formatDur writes ms canonically: 300ms below a second, else seconds
// with as many decimals as needed (2s, 1.5s, 1.25s).
func formatDur(ms int) string {
	if ms < 1000 {
		return strconv.Itoa(ms) + "ms"
	}
	s := strconv.Itoa(ms / 1000)
	if f := ms % 1000; f != 0 {
		fs := strconv.Itoa(1000 + f)[1:] // three digits with leading zeros
		s += "." + strings.TrimRight(fs, "0")
	}
	return s + "s"
}

// formatRange writes a range as 150-300ms, 1-2s, 500ms-1s, or a single
// duration when min = max.
func formatRange(lo, hi int) string {
	if lo == hi {
		return formatDur(lo)
	}
	a, b := formatDur(lo), formatDur(hi)
	if (lo < 1000) == (hi < 1000) {
		if lo < 1000 {
			a = strings.TrimSuffix(a, "ms")
		} else {
			a = strings.TrimSuffix(a, "s")
		}
	}
	return a + "-" + b
}

// formatProb writes a probability with the fewest digits that read back
// as the same float64.
func formatProb(p float64) string {
	return strconv.FormatFloat(p, 'f', -1, 64)
}
