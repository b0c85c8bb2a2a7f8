package scenario

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestMarkdown(t *testing.T) {
	b, err := os.ReadFile("syntaxdata/lesson.md")
	if err != nil {
		t.Fatal(err)
	}
	scs, err := ParseMarkdown("lesson.md", string(b))
	if err != nil {
		t.Fatalf("ParseMarkdown: %v", err)
	}
	if len(scs) != 3 {
		t.Fatalf("got %d scenarios, want 3", len(scs))
	}
	want := []struct {
		line   int
		info   string
		n      int
		first  Pos
		title  string
		nCmds  int
		isExer bool
	}{
		{9, "widget height=300", 3, Pos{"lesson.md", 12, 1}, "三台服务器的选举", 4, false},
		{20, "", 5, Pos{"lesson.md", 23, 3}, "", 2, false},
		{32, "exercise", 5, Pos{"lesson.md", 35, 1}, "", 2, true},
	}
	for i, w := range want {
		sc := scs[i]
		if sc.File != "lesson.md" || sc.Line != w.line || sc.Info != w.info || sc.Cluster.N != w.n ||
			sc.Commands[0].Pos != w.first || sc.Title != w.title || len(sc.Commands) != w.nCmds || sc.IsExercise() != w.isExer {
			t.Errorf("block %d: line=%d info=%q n=%d first=%v title=%q cmds=%d exercise=%v", i, sc.Line, sc.Info,
				sc.Cluster.N, sc.Commands[0].Pos, sc.Title, len(sc.Commands), sc.IsExercise())
		}
	}
	if got := scs[1].Commands[0].Cmd; got != "中文 命令" {
		t.Errorf("Chinese command = %q", got)
	}
}

func TestMarkdownErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string
		n    int // scenarios returned despite the errors
	}{
		// Errors carry the markdown line numbers, and columns count the
		// indentation that was removed.
		{"# T\n\ntext\n\n```raft\ntimeout S1\ncrsh S1\n```\n", `l.md:7:1: unknown command "crsh" (did you mean "crash"?)`, 0},
		{"  ```raft\n  timeout S3 x\n  ```\n", `l.md:2:14: unexpected "x"`, 0},
		{"```raft\ntimeout S1\n```\n\n~~~raft\ntimeout S7\n~~~\n```raft\nrun 1s\n```\n",
			`l.md:6:9: S7: no such server (servers are S1..S5)`, 2},
		// Each block is its own scenario: a cluster line in each is fine,
		// and the cluster of one block does not apply to the next.
		{"```raft\ncluster 9\n```\n```raft\ntimeout S9\n```\n", `l.md:5:9: S9: no such server (servers are S1..S5)`, 1},
		{"text\n```raft\ntimeout S1\n", "l.md:2:1: raft block is never closed (end it with a line ```)", 0},
		{"text\n  ~~~~raft\ntimeout S1\n~~~\n", "l.md:2:3: raft block is never closed (end it with a line ~~~~)", 0},
		{"```raft\n" + strings.Repeat("x", MaxLineBytes+1) + "\n```\n", "l.md:2:1: line too long (4097 bytes; max 4096)", 0},
		{"```raft\nquestion \"q\"\n```\n", `l.md:2:1: question has no choices (add lines like choice "..." when COND)`, 0},
	}
	for _, tt := range tests {
		scs, err := ParseMarkdown("l.md", tt.src)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%q:\n got %v\nwant %s", tt.src, err, tt.want)
		}
		if len(scs) != tt.n {
			t.Errorf("%q: got %d scenarios, want %d", tt.src, len(scs), tt.n)
		}
	}
}

func TestMarkdownFences(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // Format of each scenario found
	}{
		{"none", "# Title\n\nNo code at all.\n", nil},
		{"other languages", "```go\ntimeout S1\n```\n~~~\ncrsh\n~~~\n```raftx\nbad\n```\n```\nraft\n```\n", nil},
		{"backticks", "```raft\ntimeout S1\n```\n", []string{"timeout S1\n"}},
		{"tildes", "~~~raft\ntimeout S2\n~~~\n", []string{"timeout S2\n"}},
		{"info words", "```raft  exercise  x=1\ntimeout S3\n```\n", []string{"timeout S3\n"}},
		{"longer fence", "`````raft\n```\n", nil}, // unclosed: the ``` inside is too short to close it
		{"long close", "```raft\ntimeout S1\n``````\n", []string{"timeout S1\n"}},
		{"close with spaces", "```raft\ntimeout S1\n   ```  \n", []string{"timeout S1\n"}},
		{"other char does not close", "```raft\ntimeout S1\n~~~\n```\n", nil}, // "~~~" is an error line inside
		{"close with text is content", "```go\n``` raft\ntimeout S9 x\n```\n", nil},
		{"four spaces is no fence", "    ```raft\n    crsh\n    ```\n", nil},
		{"backtick in info", "```raft `x`\ncrsh\n```\n", nil},
		{"empty block", "```raft\n```\n", []string{""}},
		{"crlf", "```raft\r\ntimeout S1\r\n```\r\n", []string{"timeout S1\n"}},
		{"indented content", "   ```raft\n   timeout S1\n timeout S2\ntimeout S3\n   ```\n", []string{"timeout S1\ntimeout S2\ntimeout S3\n"}},
		{"inside other fence", "````md\n```raft\ncrsh\n```\n````\n", nil},
		{"two blocks", "```raft\ntimeout S1\n```\ntext\n```raft\ntimeout S2\n```", []string{"timeout S1\n", "timeout S2\n"}},
	}
	for _, tt := range tests {
		scs, err := ParseMarkdown("m.md", tt.src)
		var got []string
		for _, sc := range scs {
			got = append(got, Format(sc))
		}
		switch tt.name {
		case "longer fence", "other char does not close":
			if err == nil {
				t.Errorf("%s: want an error", tt.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestDocExamples parses every raft block of the language reference.
func TestDocExamples(t *testing.T) {
	b, err := os.ReadFile("../../docs/scenarios.md")
	if err != nil {
		t.Skip("docs/scenarios.md not found:", err)
	}
	scs, err := ParseMarkdown("scenarios.md", string(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(scs) != 13 {
		t.Errorf("found %d raft blocks in docs/scenarios.md", len(scs))
	}
	for _, sc := range scs {
		roundTrip(t, "scenarios.md block at line "+strconv.Itoa(sc.Line), sc)
	}
}
