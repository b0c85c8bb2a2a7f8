package main

import (
	"embed"
	"encoding/json"
	"fmt"
	"sync"
)

// The interface's words, one flat table per language, shared with the
// page's script (site/web/js/i18n.js). The server-rendered pages' own
// words are the keys under page.*.
//
//go:embed web/text/*.json
var textFiles embed.FS

var uiTables = sync.OnceValues(func() (map[string]map[string]string, error) {
	out := map[string]map[string]string{}
	for _, lang := range []string{"en", "zh"} {
		b, err := textFiles.ReadFile("web/text/" + lang + ".json")
		if err != nil {
			return nil, err
		}
		var t map[string]string
		if err := json.Unmarshal(b, &t); err != nil {
			return nil, fmt.Errorf("web/text/%s.json: %v", lang, err)
		}
		out[lang] = t
	}
	return out, nil
})

// uiText returns a piece of the pages' own text (not the lessons') in a
// language, falling back to English.
func uiText(lang, key string) string {
	tables, err := uiTables()
	if err != nil {
		return key
	}
	if s, ok := tables[lang]["page."+key]; ok {
		return s
	}
	if s, ok := tables["en"]["page."+key]; ok {
		return s
	}
	return key
}
