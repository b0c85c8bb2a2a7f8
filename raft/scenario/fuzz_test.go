package scenario

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeeds are inline examples for the fuzz corpus, besides the testdata
// files and the inputs of the error table.
var fuzzSeeds = []string{
	"",
	"\n\n# only a comment\n",
	"cluster 5 seed=42 election=150-300ms heartbeat=50ms latency=10-20ms drop=0 duplicate=0.05\ntimeout S1\nrun until leader S1 within 2s\n",
	"cluster 3\npartition S1 | S2 S3\npropose \"set x 1\" to S1\nrun 1s\nheal\nlink S1->S2 down\ndrop next S2->S3\nstep 5\n",
	"expect log S1 1:x 1:\"a b\" 2:- and applied S1 x \"a b\" and committed 2 on S1 S2 and term >= 2 and leader none\n",
	"question \"谁会赢？\"\nchoice \"S1\" when leader S1\nchoice \"没有人\" when leader none\n",
	"goal violation log-matching\nallow crash restart\nhint \"h\"\nsolution\ncrash S1\nrestart S1\nrun 1s\n",
	"title \"t\"\nsay \"a\\\"b\\\\c\\nd\\te\"\npause\nrule prevote on\ntimer S2 1.5s\nlatency 500ms-1s\n",
	"# md\n```raft extra\ntimeout S1\n```\n~~~~raft\nrun 1s\n~~~~\n",
	"  ```raft\n  crsh\n  ```\n",
	"expect term S1 != 3 and role S2 precandidate and crashed S3 and up S4 and safe",
	"cluster 3\nlink S1<->S3 down\nlink S2->S1 drop 0.3\nlink S2 <-> S3 drop 0\nelection 300-600ms\nrun 1s\nlink S3<->S1 up\nelection 1-2s\ngoal leader\nallow election link rule\n",
	"cluster 5\nclient every 100ms\nrun until elections >= 2 and answered > 10 within 1s\nclient off\nexpect elections 1 and answered != 0\ngoal answered >= 600\nallow client rule\n",
	"cluster 3\nnetwork manual\ntimeout S1\ndeliver S1->S2 vote\ndeliver S2 -> S1 vote-reply 1\nheartbeat S1\ndrop S1->S3 heartbeat 2\nduplicate S1->S2 append\nnetwork auto\ndrop 0.1\nduplicate 0\ndrop message 3\n",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	for _, tt := range errorTests {
		f.Add(tt.src)
	}
	g := gen{rand.New(rand.NewPCG(3, 4))}
	for range 100 {
		f.Add(g.scenario())
	}
	for _, name := range testdataFiles(f) {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	// Every lesson, whole (as markdown) and block by block.
	lessonFiles, _ := filepath.Glob("../../lessons/*/*.md")
	if len(lessonFiles) == 0 {
		f.Fatal("no lessons found for the seed corpus")
	}
	for _, name := range lessonFiles {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
		scs, err := ParseMarkdown(name, string(b))
		if err != nil {
			f.Fatal(err)
		}
		for _, sc := range scs {
			f.Add(Format(sc))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		sc, err := Parse("fuzz.raft", src)
		checkErr(t, err)
		if err == nil {
			checkRoundTrip(t, sc)
		}
		if c, err := ParseCommand(src, 5); err == nil {
			c2, err := ParseCommand(c.String(), 5)
			if err != nil || c2.String() != c.String() {
				t.Fatalf("ParseCommand: %q reparsed as %q, %v", c.String(), c2.String(), err)
			}
		} else {
			checkErr(t, err)
		}
		scs, err := ParseMarkdown("fuzz.md", src)
		checkErr(t, err)
		for _, sc := range scs {
			checkRoundTrip(t, sc)
		}
	})
}

// checkErr checks the shape of an error from Parse or ParseMarkdown.
func checkErr(t *testing.T, err error) {
	if err == nil {
		return
	}
	var list ErrorList
	if !errors.As(err, &list) || len(list) == 0 || len(list) > MaxErrors {
		t.Fatalf("bad error %T: %v", err, err)
	}
	for i, e := range list {
		if e.Msg == "" || e.Pos.Line < 1 || e.Pos.Col < 1 {
			t.Fatalf("bad error %d: %#v", i, e)
		}
		if i > 0 && e.Pos.Line <= list[i-1].Pos.Line {
			t.Fatalf("errors not one per line in order: %v", err)
		}
	}
}

// checkRoundTrip checks that a parsed scenario formats to text that parses
// back to an equal AST, and that each command's String does too.
func checkRoundTrip(t *testing.T, sc *Scenario) {
	out := Format(sc)
	for _, line := range strings.Split(out, "\n") {
		// Canonical text can be a little longer than the input (0.5s
		// becomes 500ms), so a line at the limit may go over it.
		if len(line) > MaxLineBytes {
			return
		}
	}
	roundTrip(t, "fuzz", sc)
	for _, list := range [][]Command{sc.Commands, sc.Solution} {
		for _, c := range list {
			src := "cluster 9\n" + c.String()
			sc2, err := Parse("fuzz.raft", src)
			if err != nil {
				t.Fatalf("command %q does not parse back: %v", c.String(), err)
			}
			if len(sc2.Commands) != 1 || sc2.Commands[0].String() != c.String() {
				t.Fatalf("command %q parses back as %v", c.String(), sc2.Commands)
			}
		}
	}
}
