package lessons

import (
	"strings"
	"testing"
	"testing/fstest"

	"raftplay/raft/scenario"
)

func TestLoad(t *testing.T) {
	all, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en, zh := In(all, "en"), In(all, "zh")
	if len(en) < 6 || len(en) != len(zh) {
		t.Fatalf("%d English and %d Chinese lessons", len(en), len(zh))
	}
	for i, l := range en {
		if l.Order != i+1 {
			t.Errorf("%s: order %d, want %d (orders are 1, 2, 3, ... without gaps)", l.Path, l.Order, i+1)
		}
		z, ok := Find(all, "zh", l.Slug)
		if !ok {
			t.Errorf("%s has no Chinese version", l.Path)
			continue
		}
		if z.Order != l.Order {
			t.Errorf("%s: order %d in English, %d in Chinese", l.Slug, l.Order, z.Order)
		}
	}
}

// Every lesson has at least two scenarios, an exercise and a question.
func TestEveryLessonShowsAndAsks(t *testing.T) {
	type count struct{ scenarios, exercises, questions int }
	counts := map[string]*count{}
	var paths []string
	forEachScenario(t, func(l Lesson, s *scenario.Scenario) {
		c := counts[l.Path]
		if c == nil {
			c = &count{}
			counts[l.Path] = c
			paths = append(paths, l.Path)
		}
		c.scenarios++
		if s.IsExercise() {
			c.exercises++
		}
		c.questions += len(s.Questions)
	})
	all, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(all) {
		t.Errorf("%d lessons have scenarios, of %d", len(paths), len(all))
	}
	for _, p := range paths {
		if c := counts[p]; c.scenarios < 2 || c.exercises < 1 || c.questions < 1 {
			t.Errorf("%s: %d scenarios, %d exercises, %d questions; a lesson needs at least 2, 1 and 1", p, c.scenarios, c.exercises, c.questions)
		}
	}
}

// The English and Chinese versions of a lesson embed the same scenarios:
// only quoted text (which a translator changes) may differ.
func TestTranslationsEmbedTheSameScenarios(t *testing.T) {
	all, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range In(all, "en") {
		zh, ok := Find(all, "zh", en.Slug)
		if !ok {
			continue
		}
		a, err1 := en.Scenarios()
		b, err2 := zh.Scenarios()
		if err1 != nil || err2 != nil {
			t.Fatalf("%v %v", err1, err2)
		}
		if len(a) != len(b) {
			t.Errorf("%s: %d scenarios in English, %d in Chinese", en.Slug, len(a), len(b))
			continue
		}
		for i := range a {
			if x, y := withoutText(a[i]), withoutText(b[i]); x != y {
				t.Errorf("%s: scenario %d (en line %d, zh line %d) differs beyond its quoted text:\n%s\n---\n%s", en.Slug, i+1, a[i].Line, b[i].Line, x, y)
			}
		}
	}
}

// withoutText formats a scenario with its translatable text blanked.
func withoutText(s *scenario.Scenario) string {
	c := *s
	c.Title = ""
	c.Hints = make([]string, len(s.Hints))
	c.Commands = append([]scenario.Command(nil), s.Commands...)
	for i := range c.Commands {
		c.Commands[i].Text = ""
		if q := c.Commands[i].Question; q != nil {
			cq := *q
			cq.Text = ""
			cq.Choices = append([]scenario.Choice(nil), q.Choices...)
			for j := range cq.Choices {
				cq.Choices[j].Text = ""
				cq.Choices[j].Why = blank(cq.Choices[j].Why)
			}
			c.Commands[i].Question = &cq
		}
	}
	c.Questions = nil
	c.GoalWhy = blank(c.GoalWhy)
	return scenario.Format(&c)
}

// blank keeps whether an explanation is there, not its words.
func blank(why string) string {
	if why == "" {
		return ""
	}
	return "…"
}

// Every answer explains itself when it is revealed, and every exercise
// says why its goal holds when it is reached.
func TestEveryAnswerAndGoalExplainsItself(t *testing.T) {
	forEachScenario(t, func(l Lesson, s *scenario.Scenario) {
		if s.IsExercise() && s.GoalWhy == "" {
			t.Errorf("%s:%d: the goal has no why line", l.Path, s.GoalPos.Line)
		}
		for _, q := range s.Questions {
			for _, c := range q.Choices {
				if c.Why == "" {
					t.Errorf("%s:%d: the choice has no why line", l.Path, c.Pos.Line)
				}
			}
		}
	})
}

func TestFrontMatterErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"en/a.md": {Data: []byte("# no front matter\n")},
	}
	if _, err := LoadFS(fsys, "x"); err == nil || !strings.Contains(err.Error(), "x/en/a.md: no front matter") {
		t.Errorf("got %v", err)
	}
	fsys = fstest.MapFS{"en/a.md": {Data: []byte("---\ntitle: T\n---\n")}}
	if _, err := LoadFS(fsys, "x"); err == nil || !strings.Contains(err.Error(), "needs a title, an order") {
		t.Errorf("got %v", err)
	}
}

// forEachScenario calls f for every scenario of every lesson.
func forEachScenario(t *testing.T, f func(Lesson, *scenario.Scenario)) {
	t.Helper()
	all, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		scens, err := l.Scenarios()
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range scens {
			f(l, s)
		}
	}
}
