package scenario

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// roundTrip checks that Format(s) parses back to an AST equal to s and
// that formatting is idempotent. It returns the formatted text.
func roundTrip(t *testing.T, name string, sc *Scenario) string {
	t.Helper()
	out := Format(sc)
	sc2, err := Parse(sc.File, out)
	if err != nil {
		t.Fatalf("%s: formatted text does not parse: %v\n%s", name, err, out)
	}
	if out2 := Format(sc2); out2 != out {
		t.Errorf("%s: Format is not idempotent:\n%s\nthen\n%s", name, out, out2)
	}
	info := sc.Info
	sc.Info = ""
	if !sameAST(sc, sc2) {
		t.Errorf("%s: round trip changed the AST:\n%s", name, out)
	}
	sc.Info = info
	return out
}

func TestFormatCanonical(t *testing.T) {
	tests := []struct{ src, want string }{
		{"cluster 5", "cluster 5"},
		{"cluster 5 seed=1 election=150-300ms heartbeat=50ms latency=10-20ms drop=0 duplicate=0", "cluster 5 seed=1"}, // a given seed is pinned, even the default
		{"cluster 3 drop=0.10 seed=042 election=1000-2000ms latency=7ms heartbeat=1.5s duplicate=1.000",
			"cluster 3 seed=42 election=1-2s heartbeat=1.5s latency=7ms drop=0.1 duplicate=1"},
		{"cluster 3 election=500ms-1.5s latency=0-1s", "cluster 3 election=500ms-1.5s latency=0ms-1s"},
		{"rule prevote  on", "rule prevote on"},
		{"timer s2 2000ms", "timer S2 2s"},
		{"timer S2 0.5s", "timer S2 500ms"},
		{"timer S2 1.250s", "timer S2 1.25s"},
		{"timer S2 1001ms", "timer S2 1.001s"},
		{"propose \"x\"", "propose x"},
		{"propose \"a b\" to s3", `propose "a b" to S3`},
		{`propose "and"`, `propose "and"`},
		{`propose "S1"`, `propose "S1"`},
		{`propose "1:x"`, `propose "1:x"`},
		{`propose "-"`, `propose "-"`},
		{`propose "say \"hi\"\\n"`, `propose "say \"hi\"\\n"`},
		{"propose \"tab\there\"", "propose \"tab\there\""},
		{`propose "tab\there"`, "propose \"tab\there\""},
		{`propose "line\nbreak"`, `propose "line\nbreak"`},
		{"propose 中文", "propose 中文"},
		{`propose "中文"`, "propose 中文"},
		{"propose é̃", "propose é̃"},
		{`propose "😀"`, `propose "😀"`},
		{"crash S1   before-send", "crash S1 before-send"},
		{"crash s2 after-send", "crash S2 after-send"},
		{"batch 04", "batch 4"},
		{"title \"t\"\nrule commit-matched off\nbatch 2\ntimeout S1", "batch 2\ntitle \"t\"\nrule commit-matched off\ntimeout S1"},
		{"cluster 3\nbatch 64", "cluster 3\nbatch 64"},
		{"partition S1|S2 S3 |S4", "partition S1 | S2 S3 | S4"},
		{"link S1 -> S2 up", "link S1->S2 up"},
		{"link S1 <-> S2 down", "link S1<->S2 down"},
		{"link s3<->S1 drop 0.30", "link S3<->S1 drop 0.3"},
		{"link S3->S1 drop 1.0", "link S3->S1 drop 1"},
		{"election 1000-2000ms", "election 1-2s"},
		{"election 300ms-600ms", "election 300-600ms"},
		{"election 500ms-1.5s", "election 500ms-1.5s"},
		{"client every 100ms", "client every 100ms"},
		{"client  every 2000ms", "client every 2s"},
		{"client every 0.25s", "client every 250ms"},
		{"client off", "client off"},
		{"expect elections >= 010 and answered = 5", "expect elections >= 10 and answered 5"},
		{"run until answered > 3 within 1s", "run until answered > 3 within 1s"},
		{"goal elections <= 1\nallow client rule", "goal elections <= 1\nallow client rule"},
		{"goal leader\nallow rule election link", "goal leader\nallow rule election link"},
		{"drop 0.50", "drop 0.5"},
		{"drop 1.0", "drop 1"},
		{"drop 0.0", "drop 0"},
		{"latency 10-20ms", "latency 10-20ms"},
		{"latency 10ms-20ms", "latency 10-20ms"},
		{"latency 20-20ms", "latency 20ms"},
		{"latency 1-2.5s", "latency 1-2.5s"},
		{"drop next S1 -> S2", "drop next S1->S2"},
		{"network  manual", "network manual"},
		{"network auto", "network auto"},
		{"heartbeat s4", "heartbeat S4"},
		{"deliver s1 -> S2 vote", "deliver S1->S2 vote"},
		{"deliver S1->S2 append 002", "deliver S1->S2 append 2"},
		{"drop S2 ->S1 append-reply 1", "drop S2->S1 append-reply 1"},
		{"duplicate S2-> S1 vote-reply", "duplicate S2->S1 vote-reply"},
		{"run 1000ms", "run 1s"},
		{"step 1", "step"},
		{"step 007", "step 7"},
		{"run until leader within 10s", "run until leader"},
		{"run until leader within 10000ms", "run until leader"},
		{"run until leader S1 and term S1 = 2 within 2000ms", "run until leader S1 and term S1 2 within 2s"},
		{"expect term >= 3", "expect term >= 3"},
		{"expect log S1 1:\"x\" 2:- 3:\"a b\" 3:\"\\\"\"", `expect log S1 1:x 2:- 3:"a b" 3:"\""`},
		{"expect applied S1 \"x\" \"empty\"", `expect applied S1 x "empty"`},
		{"expect committed 03 on all and violation", "expect committed 3 on all and violation"},
		{"expect committed 3 on S2 S1", "expect committed 3 on S2 S1"},
		{"say   \"hi\"   # comment", `say "hi"`},
		{"pause", "pause"},
		{"question \"q\"\nchoice \"a\" when leader\n\nchoice \"b\"  when  safe", "question \"q\"\nchoice \"a\" when leader\nchoice \"b\" when safe"},
		{"goal safe\ntitle \"t\"\nallow rule crash\nhint \"h1\"\nsolution\nrule prevote off\ncrash S1\n",
			"title \"t\"\ngoal safe\nallow rule crash\nhint \"h1\"\nsolution\nrule prevote off\ncrash S1"},
		{"cluster 3\ngoal safe\nallow\n", "cluster 3\ngoal safe\nallow"},
	}
	for _, tt := range tests {
		sc := mustParse(t, tt.src)
		got := roundTrip(t, tt.src, sc)
		if got != tt.want+"\n" {
			t.Errorf("%q:\n got %q\nwant %q", tt.src, got, tt.want+"\n")
		}
	}
}

func TestCommandString(t *testing.T) {
	// Every command's String parses back to the same command.
	for _, f := range testdataFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var scs []*Scenario
		if strings.HasSuffix(f, ".md") {
			scs, err = ParseMarkdown(f, string(b))
		} else {
			var sc *Scenario
			sc, err = Parse(f, string(b))
			scs = append(scs, sc)
		}
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, sc := range scs {
			roundTrip(t, f, sc)
			for _, list := range [][]Command{sc.Commands, sc.Solution} {
				for _, c := range list {
					sc2 := mustParse(t, "cluster 9\n"+c.String())
					if len(sc2.Commands) != 1 {
						t.Fatalf("%s: %q parsed to %d commands", f, c.String(), len(sc2.Commands))
					}
					c2 := sc2.Commands[0]
					clearPos(&c)
					clearPos(&c2)
					if c.String() != c2.String() || !sameAST(&Scenario{Commands: []Command{c}}, &Scenario{Commands: []Command{c2}}) {
						t.Errorf("%s: %q reparsed as %q", f, c.String(), c2.String())
					}
				}
			}
		}
	}
}

func TestCondString(t *testing.T) {
	sc := mustParse(t, "cluster 9\nexpect leader S1 and role S2 precandidate and term S9 <= 4 and log S3 1:x 1:- and applied S3 x \"y z\" and crashed S4 and up S5 and violation term-monotonic")
	want := `leader S1 and role S2 precandidate and term S9 <= 4 and log S3 1:x 1:- and applied S3 x "y z" and crashed S4 and up S5 and violation term-monotonic`
	if got := sc.Commands[0].Cond.String(); got != want {
		t.Errorf("Cond.String() =\n%s\nwant\n%s", got, want)
	}
	if got := sc.Commands[0].Cond.Terms[2].String(); got != "term S9 <= 4" {
		t.Errorf("Atom.String() = %q", got)
	}
}

// testdataFiles lists the scenario files in syntaxdata (parser fixtures)
// and testdata (scenarios that raftplay check runs).
func testdataFiles(t testing.TB) []string {
	var files []string
	for _, pat := range []string{"syntaxdata/*.raft", "syntaxdata/*.md", "testdata/*.raft"} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no testdata files")
	}
	return files
}

func TestDurationValues(t *testing.T) {
	for ms := 0; ms <= 5000; ms++ {
		s := formatDur(ms)
		got, msg := parseDuration(s)
		if msg != "" || got != ms {
			t.Fatalf("formatDur(%d) = %q, parses as %d %s", ms, s, got, msg)
		}
	}
	for _, ms := range []int{59999, 60000, 3600000, MaxDuration} {
		if got, msg := parseDuration(formatDur(ms)); got != ms || msg != "" {
			t.Errorf("%d: %d %s", ms, got, msg)
		}
	}
	for _, r := range [][2]int{{0, 0}, {0, 1}, {150, 300}, {999, 1000}, {1000, 1001}, {1500, 2500}, {5, 86400000}} {
		lo, hi, msg := parseRange(formatRange(r[0], r[1]))
		if msg != "" || lo != r[0] || hi != r[1] {
			t.Errorf("range %v: %q parses as %d-%d %s", r, formatRange(r[0], r[1]), lo, hi, msg)
		}
	}
}
