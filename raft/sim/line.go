package sim

import (
	"strconv"
	"strings"

	"raftplay/raft"
)

// A Line is one sentence of narration before it is put into words: the
// key of its template and the values the template fills in. The words
// are data, one table per language (narration/en.json, narration/zh.json),
// read by the command line (Narrate) and by the page's script alike, so
// that every language says the same thing from the same facts.
type Line struct {
	Key  string
	Args []Arg
}

// ArgKind says how an argument is written in a language.
type ArgKind uint8

const (
	ArgNum   ArgKind = iota // Int, as a number
	ArgText                 // Text as it is: a server's name, a quoted command
	ArgGloss                // Text is a glossary key, written in the reader's language
	ArgLine                 // Lines[0], a phrase of its own
	ArgList                 // Lines, joined with the language's list separator (or the table's entry Text names)
)

// An Arg is one named value of a Line. A template names it in braces:
// "{s} wins the election for term {term}".
type Arg struct {
	Name  string
	Kind  ArgKind
	Int   int
	Text  string
	Lines []Line
}

func (l Line) String() string {
	var b strings.Builder
	l.appendTo(&b)
	return b.String()
}

func (l Line) appendTo(b *strings.Builder) {
	b.WriteString(l.Key)
	b.WriteByte('(')
	for i, a := range l.Args {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(a.Name)
		b.WriteByte('=')
		switch a.Kind {
		case ArgNum:
			b.WriteString(strconv.Itoa(a.Int))
		case ArgText:
			b.WriteString(strconv.Quote(a.Text))
		case ArgGloss:
			b.WriteByte('@')
			b.WriteString(a.Text)
		case ArgLine, ArgList:
			for j, s := range a.Lines {
				if j > 0 {
					b.WriteByte(',')
				}
				s.appendTo(b)
			}
		}
	}
	b.WriteByte(')')
}

// NewLine starts a Line; its methods add arguments, so that describing
// a record (or what a condition sees, in the scenario player) reads as
// one expression. They are kept out of line: inlined at each of the
// narration's many call sites, they made the WebAssembly 35 KB larger.
func NewLine(key string) Line { return Line{Key: key} }

// add appends to a copy of the arguments: a Line built from a shared
// start must not write into another's.
//
//go:noinline
func (l Line) add(a Arg) Line {
	l.Args = append(l.Args[:len(l.Args):len(l.Args)], a)
	return l
}

// Num adds a number.
//
//go:noinline
func (l Line) Num(name string, v int) Line { return l.add(Arg{Name: name, Kind: ArgNum, Int: v}) }

// Text adds a text, written as it is in every language.
//
//go:noinline
func (l Line) Text(name, s string) Line { return l.add(Arg{Name: name, Kind: ArgText, Text: s}) }

// Server adds a server's name.
//
//go:noinline
func (l Line) Server(name string, id raft.ID) Line { return l.Text(name, id.String()) }

// Gloss adds a term of the glossary, by its key.
//
//go:noinline
func (l Line) Gloss(name, key string) Line { return l.add(Arg{Name: name, Kind: ArgGloss, Text: key}) }

// Sub adds a phrase of its own.
//
//go:noinline
func (l Line) Sub(name string, s Line) Line {
	return l.add(Arg{Name: name, Kind: ArgLine, Lines: []Line{s}})
}

// List adds phrases joined with the language's list separator.
//
//go:noinline
func (l Line) List(name string, ls []Line) Line {
	return l.add(Arg{Name: name, Kind: ArgList, Lines: ls})
}

// ListSep adds phrases joined with the separator that each language's
// table holds under the key sep.
//
//go:noinline
func (l Line) ListSep(name, sep string, ls []Line) Line {
	return l.add(Arg{Name: name, Kind: ArgList, Text: sep, Lines: ls})
}
