package main

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// raftplay outage prints elections and commits per minute for each case;
// with both rules off the leadership churns and commits drop below half
// the healthy rate, with both on they do not. A bad flag is a usage error.
func TestOutageCommand(t *testing.T) {
	var out, errb bytes.Buffer
	if code := dispatch([]string{"outage", "-seeds", "3"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	row := regexp.MustCompile(`(?m)^  (.+?)\s+elections\s+([0-9.]+) \(\d+-\d+\)\s+commits\s+([0-9.]+) \(\d+-\d+\)$`)
	figures := map[string][2]float64{}
	for _, m := range row.FindAllStringSubmatch(out.String(), -1) {
		e, _ := strconv.ParseFloat(m[2], 64)
		c, _ := strconv.ParseFloat(m[3], 64)
		figures[m[1]] = [2]float64{e, c}
	}
	healthy, off, on := figures["healthy network"], figures["prevote and check-quorum off"], figures["prevote and check-quorum on"]
	if len(figures) != 5 || healthy[1] < 500 || off[0] < 10 || 2*off[1] >= healthy[1] || on[0] > 2 || on[1] < 0.9*healthy[1] {
		t.Errorf("figures %v from:\n%s", figures, out.String())
	}
	for _, args := range [][]string{{"-servers", "4"}, {"-seeds", "0"}, {"-duration", "10ms"}, {"extra"}} {
		errb.Reset()
		if code := dispatch(append([]string{"outage"}, args...), &out, &errb); code != exitUsage || !strings.Contains(errb.String(), "outage") {
			t.Errorf("outage %v: exit %d: %s", args, code, errb.String())
		}
	}
}
