package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// jsTable reads the keys and values of one language's table in i18n.js
// (const NAME = { key: 'value', ... };).
func jsTable(t *testing.T, src, name string) map[string]string {
	t.Helper()
	start := strings.Index(src, "const "+name+" = {")
	if start < 0 {
		t.Fatalf("no table %s in i18n.js", name)
	}
	end := strings.Index(src[start:], "\n};")
	body := src[start : start+end]
	entry := regexp.MustCompile(`(?:^|[{,\s])'?([A-Za-z_][\w-]*)'?\s*:\s*'((?:[^'\\]|\\.)*)'`)
	out := map[string]string{}
	for _, m := range entry.FindAllStringSubmatch(body, -1) {
		if _, dup := out[m[1]]; dup {
			t.Errorf("%s: key %q given twice", name, m[1])
		}
		out[m[1]] = m[2]
	}
	return out
}

// Every string of the interface exists in both languages, with the same
// placeholders: a key missing in Chinese would show English on a Chinese
// page, and a lost {1} would drop a number.
func TestInterfaceStringsInBothLanguages(t *testing.T) {
	b, err := os.ReadFile("web/js/i18n.js")
	if err != nil {
		t.Fatal(err)
	}
	en, zh := jsTable(t, string(b), "EN"), jsTable(t, string(b), "ZH")
	if len(en) < 100 {
		t.Fatalf("only %d English strings found: the test no longer reads the table", len(en))
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
