package scenario

import "strings"

// Error is one parse error at a position.
type Error struct {
	Pos Pos
	Msg string
}

// Error writes file:line:col: msg.
func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is the error Parse and ParseMarkdown return: at most one error
// per line, at most MaxErrors in all, in source order.
type ErrorList []*Error

// Error writes one error a line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors, for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}
