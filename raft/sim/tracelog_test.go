package sim

import (
	"slices"
	"testing"
)

// TestTraceLog checks the chunked trace against a plain slice through
// appends, cuts (a rewind), re-growth (a jump ahead to a checkpoint of
// the same future), and a fork that writes a different future.
func TestTraceLog(t *testing.T) {
	var log traceLog
	var model []Record
	add := func(n, base int) {
		for i := range n {
			r := Record{Time: base + i, Seq: len(model)}
			log.add(r)
			model = append(model, r)
		}
	}
	check := func(what string) {
		t.Helper()
		if log.n != len(model) {
			t.Fatalf("%s: %d records, want %d", what, log.n, len(model))
		}
		for _, i := range []int{0, 1, traceChunk - 1, traceChunk, traceChunk + 1, 2*traceChunk + 5, len(model) - 1, len(model)} {
			if i < 0 || i > len(model) {
				continue
			}
			got := log.slice(i, log.n)
			if i == len(model) {
				if got != nil {
					t.Fatalf("%s: slice(%d, n) = %d records past the end", what, i, len(got))
				}
				continue
			}
			if !slices.EqualFunc(got, model[i:], func(a, b Record) bool { return a.Time == b.Time && a.Seq == b.Seq }) {
				t.Fatalf("%s: slice(%d, n) differs from the model (%d records, want %d)", what, i, len(got), len(model)-i)
			}
		}
	}
	add(3*traceChunk+17, 0)
	check("grown")
	full := slices.Clone(model)

	log.setLen(traceChunk + 3) // a rewind
	model = model[:traceChunk+3]
	check("cut")
	log.setLen(len(full)) // jump ahead to a checkpoint of the same future
	model = full
	check("regrown")

	log.setLen(2 * traceChunk) // a rewind, then a different future
	model = slices.Clone(full[:2*traceChunk])
	add(traceChunk+500, 1_000_000)
	check("forked")
	log.setLen(0)
	model = nil
	check("emptied")
	add(10, 5)
	check("refilled")
	if got := log.slice(-1, 3); got != nil {
		t.Fatalf("slice(-1, 3) = %d records", len(got))
	}
	// Bounded slices, within a chunk and across chunks.
	model = model[:0]
	log.setLen(0)
	add(3*traceChunk+17, 0)
	for _, r := range [][2]int{{0, 5}, {traceChunk - 2, traceChunk + 3}, {5, 3*traceChunk + 1}, {traceChunk, 2 * traceChunk}, {3 * traceChunk, 1 << 30}, {7, 7}} {
		got := log.slice(r[0], r[1])
		want := model[r[0]:min(r[1], len(model))]
		if !slices.EqualFunc(got, want, func(a, b Record) bool { return a.Time == b.Time && a.Seq == b.Seq }) {
			t.Fatalf("slice(%d, %d): %d records, want %d", r[0], r[1], len(got), len(want))
		}
	}
}
