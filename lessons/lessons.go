// Package lessons holds the playground's lessons, one markdown file per
// lesson and language (en/<slug>.md, zh/<slug>.md), built into the binary,
// and reads their front matter (title, order, summary).
package lessons

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"go.abhg.dev/goldmark/frontmatter"

	"raftplay/raft/scenario"
)

//go:embed en/*.md zh/*.md
var files embed.FS

// HomeScenario is the home page's live cluster (home.raft): it has no
// words, so it is the same in every language, and it is checked with the
// lessons.
//
//go:embed home.raft
var HomeScenario string

// Languages are the languages lessons are written in, the first being the
// default.
var Languages = []string{"en", "zh"}

// Lesson is one lesson in one language.
type Lesson struct {
	Slug    string
	Lang    string
	Path    string // lessons/en/election.md
	Title   string
	Order   int
	Summary string
	Source  []byte // the whole markdown file, front matter included
}

type meta struct {
	Title   string `yaml:"title"`
	Order   int    `yaml:"order"`
	Summary string `yaml:"summary"`
}

// Load reads every lesson built into the binary.
func Load() ([]Lesson, error) { return LoadFS(files, "lessons") }

// LoadFS reads every lesson of fsys (folders en/ and zh/), in order of
// language, then their order number. prefix names the folder in paths.
func LoadFS(fsys fs.FS, prefix string) ([]Lesson, error) {
	var all []Lesson
	for _, lang := range Languages {
		names, err := fs.Glob(fsys, lang+"/*.md")
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			src, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			l, err := parse(path.Join(prefix, name), lang, src)
			if err != nil {
				return nil, err
			}
			all = append(all, l)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Lang != all[j].Lang {
			return langIndex(all[i].Lang) < langIndex(all[j].Lang)
		}
		return all[i].Order < all[j].Order
	})
	return all, nil
}

func langIndex(l string) int {
	for i, x := range Languages {
		if x == l {
			return i
		}
	}
	return len(Languages)
}

// parse reads a lesson's front matter with goldmark's front matter
// extension.
func parse(p, lang string, src []byte) (Lesson, error) {
	md := goldmark.New(goldmark.WithExtensions(&frontmatter.Extender{}))
	ctx := parser.NewContext()
	md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	l := Lesson{Slug: strings.TrimSuffix(path.Base(p), ".md"), Lang: lang, Path: p, Source: src}
	d := frontmatter.Get(ctx)
	if d == nil {
		return l, errors.New(p + ": no front matter (title, order, summary between --- lines)")
	}
	var m meta
	if err := d.Decode(&m); err != nil {
		return l, fmt.Errorf("%s: front matter: %v", p, err)
	}
	if m.Title == "" || m.Order < 1 || m.Summary == "" {
		return l, errors.New(p + ": front matter needs a title, an order (1, 2, ...) and a summary")
	}
	l.Title, l.Order, l.Summary = m.Title, m.Order, m.Summary
	if !bytes.HasPrefix(src, []byte("---")) {
		return l, errors.New(p + ": front matter must open the file")
	}
	return l, nil
}

// Scenarios parses the lesson's ```raft blocks.
func (l Lesson) Scenarios() ([]*scenario.Scenario, error) {
	return scenario.ParseMarkdown(l.Path, string(l.Source))
}

// Find returns the lesson with the slug in the language.
func Find(all []Lesson, lang, slug string) (Lesson, bool) {
	for _, l := range all {
		if l.Lang == lang && l.Slug == slug {
			return l, true
		}
	}
	return Lesson{}, false
}

// In returns the lessons of one language, in order.
func In(all []Lesson, lang string) []Lesson {
	var out []Lesson
	for _, l := range all {
		if l.Lang == lang {
			out = append(out, l)
		}
	}
	return out
}
