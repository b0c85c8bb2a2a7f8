package main

import (
	"bytes"
	"strings"
	"testing"
)

// Every subcommand the README promises is there, and usage errors exit 2.
func TestCommands(t *testing.T) {
	for _, name := range []string{"serve", "build", "bundle", "run", "check", "sweep", "explore", "verify", "wasm", "demo", "rules"} {
		if _, ok := commands[name]; !ok {
			t.Errorf("no %q command", name)
		}
	}
	var out, errb bytes.Buffer
	if code := dispatch([]string{"nope"}, &out, &errb); code != exitUsage || !strings.Contains(errb.String(), `unknown command "nope"`) {
		t.Errorf("unknown command: exit %d, %q", code, errb.String())
	}
	if code := dispatch(nil, &out, &errb); code != exitUsage {
		t.Errorf("no command: exit %d", code)
	}
	for _, args := range [][]string{
		{"sweep", "-seeds", "0"},
		{"sweep", "-nodes", "12"},
		{"sweep", "-duration", "ten"},
		{"sweep", "-rule", "election-restriction=maybe"},
		{"sweep", "extra"},
		{"bundle", "-lang", "fr"},
		{"check"},
		{"run"},
		{"build", "extra"},
		{"build", "-base", "raftplay"},
		{"build", "-base", "/a/../"},
	} {
		errb.Reset()
		if code := dispatch(args, &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errb.String())
		}
	}
}
