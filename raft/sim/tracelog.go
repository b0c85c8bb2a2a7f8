package sim

import (
	"slices"

	"raftplay/raft"
)

// traceLog holds the trace in chunks of a fixed number of records. A run
// with the trace kept writes several records per event, hundreds of
// bytes each, so one growing slice was copied again and again as it
// doubled: copying and clearing those arrays was a third of the time of a
// traced run. Chunks are never copied. Cutting the log back (to rewind)
// keeps the records after the cut in their chunks, which a replay then
// writes over.
type traceLog struct {
	chunks [][]Record // every chunk but the last is full
	n      int
	// first is the number of chunks dropped from the front, to bound the
	// trace: records before first*traceChunk are gone.
	first int
}

const traceChunk = 1024

// tracedEntries is the most entries of one event that the trace keeps in
// full. What reads the trace names at most three entries, and a longer
// run by its first and last index; a restarted server applies its whole
// log in one event, and keeping all of it, for every restart, made the
// trace grow with the square of virtual time.
const tracedEntries = 3

// traced returns the event as the trace keeps it: with at most
// tracedEntries entries and the last one (the entries of an event have
// consecutive indexes, so the first and last give their number), in an
// array of its own, so that the record pins no chunk of any log.
func traced(ev *raft.Event) raft.Event {
	e := *ev
	if es := ev.Entries; len(es) > 0 {
		if len(es) > tracedEntries {
			e.Entries = append(append(make([]raft.Entry, 0, tracedEntries+1), es[:tracedEntries]...), es[len(es)-1])
		} else {
			e.Entries = append([]raft.Entry(nil), es...)
		}
	}
	return e
}

func (t *traceLog) add(r Record) {
	k := t.n/traceChunk - t.first
	if k == len(t.chunks) {
		// The next slot may hold a chunk kept from before a rewind.
		t.chunks = slices.Grow(t.chunks, 1)[:k+1]
		if t.chunks[k] == nil {
			t.chunks[k] = make([]Record, 0, traceChunk)
		} else {
			t.chunks[k] = t.chunks[k][:0]
		}
	}
	t.chunks[k] = append(t.chunks[k], r)
	t.n++
}

// start is the index of the oldest record kept.
func (t *traceLog) start() int { return t.first * traceChunk }

// dropTo drops whole chunks from the front while more than limit records
// are kept, and reports whether it dropped any.
func (t *traceLog) dropTo(limit int) bool {
	dropped := false
	for t.n-t.start()-traceChunk >= limit && len(t.chunks) > 1 {
		t.chunks[0] = nil
		t.chunks = t.chunks[1:]
		t.first++
		dropped = true
	}
	return dropped
}

// setLen makes the log n records long. Shorter cuts it back, to rewind.
// Longer takes back records a rewind cut, to jump ahead to a checkpoint
// of the same future: those records are still in their chunks, which a
// replay of that future would write again, byte for byte.
func (t *traceLog) setLen(n int) {
	n = max(n, t.start())                      // records before the start are gone (the caller never seeks there)
	k := (n+traceChunk-1)/traceChunk - t.first // the chunks that hold records
	t.chunks = t.chunks[:k]
	for j := range k {
		t.chunks[j] = t.chunks[j][:min(traceChunk, n-(t.first+j)*traceChunk)]
	}
	t.n = n
}

// slice returns records i up to j (clamped to the records kept): shared
// with the log when they lie in one chunk, else a copy of just those.
// Either way, not to be modified.
func (t *traceLog) slice(i, j int) []Record {
	if i < 0 {
		return nil
	}
	i, j = max(i, t.start()), min(j, t.n)
	if i >= j {
		return nil
	}
	k := i/traceChunk - t.first
	first := t.chunks[k][i-(k+t.first)*traceChunk:]
	if (j-1)/traceChunk-t.first == k {
		return first[: j-i : j-i]
	}
	out := make([]Record, 0, j-i)
	out = append(out, first...)
	for _, c := range t.chunks[k+1:] {
		out = append(out, c[:min(len(c), j-i-len(out))]...)
		if len(out) == j-i {
			break
		}
	}
	return out
}
