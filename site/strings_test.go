package main

import (
	"regexp"
	"slices"
	"testing"
)

// Every string of the interface exists in both languages, with the same
// placeholders: a key missing in Chinese would show English on a Chinese
// page, and a lost {1} would drop a number. No table gives a key twice
// (JSON would keep the last silently).
func TestInterfaceStringsInBothLanguages(t *testing.T) {
	tables, err := uiTables()
	if err != nil {
		t.Fatal(err)
	}
	en, zh := tables["en"], tables["zh"]
	if len(en) < 100 {
		t.Fatalf("only %d English strings found: the test no longer reads the table", len(en))
	}
	for _, lang := range []string{"en", "zh"} {
		b, err := textFiles.ReadFile("web/text/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, m := range regexp.MustCompile(`(?m)^\s*("(?:[^"\\]|\\.)*")\s*:`).FindAllSubmatch(b, -1) {
			if seen[string(m[1])] {
				t.Errorf("%s: key %s given twice", lang, m[1])
			}
			seen[string(m[1])] = true
		}
		if len(seen) != len(tables[lang]) {
			t.Errorf("%s: %d keys read, %d in the table", lang, len(seen), len(tables[lang]))
		}
	}
	holes := regexp.MustCompile(`\{\d\}`)
	for k, v := range en {
		z, ok := zh[k]
		if !ok {
			t.Errorf("%q has no Chinese", k)
			continue
		}
		a, c := holes.FindAllString(v, -1), holes.FindAllString(z, -1)
		slices.Sort(a)
		slices.Sort(c)
		if !slices.Equal(slices.Compact(a), slices.Compact(c)) {
			t.Errorf("%q: English has %v, Chinese %v", k, a, c)
		}
	}
	for k := range zh {
		if _, ok := en[k]; !ok {
			t.Errorf("%q has Chinese but no English", k)
		}
	}
}
