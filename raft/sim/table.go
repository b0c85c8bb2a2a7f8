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
// lacks is written as the key, as the page's script does, and a name the
// Line lacks is left as it is, so that a gap shows (the narration's tests
// forbid both).
func (t Table) Render(l Line) string { return string(t.render(nil, &l)) }

// render appends l to b. It appends to bytes, a byte at a time outside
// the arguments: the WebAssembly is smallest so.
func (t Table) render(b []byte, l *Line) []byte {
	tmpl, ok := t[l.Key]
	if !ok {
		return append(b, l.Key...)
	}
	for i := 0; i < len(tmpl); i++ {
		var a *Arg
		j := 0
		if tmpl[i] == '{' {
			if j = strings.IndexByte(tmpl[i:], '}'); j > 0 {
				a = l.arg(tmpl[i+1 : i+j])
			}
		}
		if a == nil {
			b = append(b, tmpl[i])
			continue
		}
		i += j
		s := a.Text
		switch a.Kind {
		case ArgNum:
			s = strconv.Itoa(a.Int)
		case ArgGloss:
			if g, ok := t[a.Text]; ok {
				s = g
			}
		case ArgLine, ArgList:
			sep := t["list-sep"]
			if a.Kind == ArgList && a.Text != "" {
				sep = t[a.Text]
			}
			for k := range a.Lines {
				if k > 0 {
					b = append(b, sep...)
				}
				b = t.render(b, &a.Lines[k])
			}
			s = ""
		}
		b = append(b, s...)
	}
	return b
}

func (l *Line) arg(name string) *Arg {
	for i := range l.Args {
		if l.Args[i].Name == name {
			return &l.Args[i]
		}
	}
	return nil
}
