// Package narration puts the simulator's narration into words. The
// simulator says what happened as a sim.Line (a sentence's key and its
// facts), and so does the scenario player of what a condition sees; this
// package holds the words, one flat table per language (en.json, zh.json,
// with the glossary of rules, roles and safety properties), which the
// page's script reads too (site/web/js/narrate.js), and writes lines with
// them (sim.Table.Render). It is kept apart from the simulator so that the
// WebAssembly, which sends lines and not sentences, does not carry a JSON
// decoder and the tables. (The player carries the English of what is seen,
// copied from en.json, for the failures of expect: see its english.go.)
package narration

import (
	"embed"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"

	"raftplay/raft/sim"
)

// The words: one flat table per language, from a Line's key to its
// template, with the glossary (rule.*, inv.*, role.*) and the separators
// of lists (list-sep, seen.sep, ...) among them.
//
//go:embed *.json
var narrationFiles embed.FS

// Languages lists the languages the narration is written in; English is
// the first.
var Languages = []string{"en", "zh"}

// A Table is one language's words for the narration (sim.Table, which
// writes lines with them).
type Table = sim.Table

var (
	tablesOnce sync.Once
	tables     map[string]Table
	tablesErr  error
)

// For returns the table of a language.
func For(lang string) (Table, error) {
	tablesOnce.Do(func() {
		tables = map[string]Table{}
		for _, l := range Languages {
			var t Table
			b, err := narrationFiles.ReadFile(l + ".json")
			if err == nil {
				err = json.Unmarshal(b, &t)
			}
			if err != nil {
				tablesErr = err
				return
			}
			tables[l] = t
		}
	})
	if tablesErr != nil {
		return nil, tablesErr
	}
	t, ok := tables[lang]
	if !ok {
		return nil, errors.New("narration: none in " + strconv.Quote(lang))
	}
	return t, nil
}

// Narrate tells what a trace record means, in English.
func Narrate(r sim.Record) string {
	t, err := For("en")
	if err != nil {
		return err.Error()
	}
	return t.Render(sim.Describe(r))
}

// Placeholders returns the names a template fills in, in order.
func Placeholders(tmpl string) []string {
	var names []string
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexByte(tmpl[i+1:], '}')
		if j < 0 {
			return names
		}
		names = append(names, tmpl[i+1:i+1+j])
		tmpl = tmpl[i+2+j:]
	}
}
