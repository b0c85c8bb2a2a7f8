package sim

import (
	"strconv"
	"strings"
)

// A Table is one language's words for the narration: from a Line's key
// to its template, with the glossary (rule.*, inv.*, role.*) and the
// separators of lists (list-sep, and those a list names) among them. The
// tables themselves are data (package narration reads them); Render is
// here so that the scenario player can write its English without reading
// them.
type Table map[string]string

// Render writes a Line in the table's language: each {name} in its
// template is replaced by the argument of that name. A key the table
// lacks is written as the Line itself, and a name the Line lacks is left
// as it is, so that a gap shows (the narration's tests forbid both).
func (t Table) Render(l Line) string {
	tmpl, ok := t[l.Key]
	if !ok {
		return l.String()
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		j := strings.IndexByte(tmpl[i+1:], '}')
		if i < 0 || j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		name := tmpl[i+1 : i+1+j]
		if a, ok := l.arg(name); ok {
			t.renderArg(&b, a)
		} else {
			b.WriteString(tmpl[i : i+2+j])
		}
		tmpl = tmpl[i+2+j:]
	}
}

func (t Table) renderArg(b *strings.Builder, a *Arg) {
	switch a.Kind {
	case ArgNum:
		b.WriteString(strconv.Itoa(a.Int))
	case ArgText:
		b.WriteString(a.Text)
	case ArgGloss:
		if s, ok := t[a.Text]; ok {
			b.WriteString(s)
		} else {
			b.WriteString(a.Text)
		}
	case ArgLine, ArgList:
		sep := "list-sep"
		if a.Kind == ArgList && a.Text != "" {
			sep = a.Text
		}
		for i, l := range a.Lines {
			if i > 0 {
				b.WriteString(t[sep])
			}
			b.WriteString(t.Render(l))
		}
	}
}

func (l *Line) arg(name string) (*Arg, bool) {
	for i := range l.Args {
		if l.Args[i].Name == name {
			return &l.Args[i], true
		}
	}
	return nil, false
}
