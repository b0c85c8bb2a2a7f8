package player

import (
	"strconv"
	"strings"

	"raftplay/raft/scenario"
)

// SetupDigest summarizes what an exercise is: its cluster, its script,
// its goal and its allowed actions, with the translatable text (quoted
// strings: title, say, questions, hints) left out, so that the English and
// Chinese versions of an exercise have the same digest and any change to
// the exercise itself changes it. A solution code carries it, so that a
// code recorded for an older version of an exercise is refused.
func SetupDigest(s *scenario.Scenario) string {
	var b strings.Builder
	b.WriteString(s.Cluster.String())
	b.WriteByte('\n')
	if s.Batch != 0 {
		b.WriteString(scenario.BatchLine(s.Batch) + "\n")
	}
	for _, c := range s.Commands {
		switch c.Kind {
		case scenario.CmdSay, scenario.CmdQuestion, scenario.CmdPause:
			continue // teaching only: no effect on the cluster
		}
		c.Text, c.Question = "", nil
		b.WriteString(c.String())
		b.WriteByte('\n')
	}
	if s.Goal != nil {
		b.WriteString("goal " + s.Goal.String() + "\n")
	}
	if s.AllowGiven {
		b.WriteString("allow " + strings.Join(s.Allow, " ") + "\n")
	}
	// FNV-1a, 64 bits: this detects changes, it does not resist forgery
	// (a forged code must still solve the exercise when replayed).
	h := uint64(14695981039346656037)
	text := b.String()
	for i := 0; i < len(text); i++ {
		h ^= uint64(text[i])
		h *= 1099511628211
	}
	s16 := strconv.FormatUint(h, 16)
	return strings.Repeat("0", 16-len(s16)) + s16
}
