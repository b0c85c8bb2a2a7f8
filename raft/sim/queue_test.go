package sim

import (
	"math/rand/v2"
	"slices"
	"testing"

	"raftplay/raft"
)

// TestQueueOrder checks the in-flight queue against a sorted list: random
// sends, landings and removals, with equal landing times common, always
// land in (At, ID) order; and a clone taken midway is not disturbed by
// what happens to the original afterwards.
func TestQueueOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	var q queue
	var model []flight // sorted by (At, ID)
	less := func(a, b flight) int {
		if a.At != b.At {
			return a.At - b.At
		}
		return int(a.ID) - int(b.ID)
	}
	var cloned queue
	var clonedModel []flight
	id := uint64(0)
	for step := 0; step < 20000; step++ {
		switch r := rng.IntN(10); {
		case r < 5 || len(model) == 0:
			id++
			f := flight{ID: id, At: rng.IntN(50), Msg: raft.Message{Term: int(id), Entries: []raft.Entry{{Index: int(id)}}}}
			q.push(f)
			i, _ := slices.BinarySearchFunc(model, f, less)
			model = slices.Insert(model, i, f)
		case r < 8:
			got := q.pop()
			if got.ID != model[0].ID || got.Msg.Term != int(got.ID) {
				t.Fatalf("step %d: popped %d (term %d), want %d", step, got.ID, got.Msg.Term, model[0].ID)
			}
			model = model[1:]
		default:
			k := rng.IntN(len(model))
			got, ok := q.remove(model[k].ID)
			if !ok || got.ID != model[k].ID || got.Msg.Entries[0].Index != int(got.ID) {
				t.Fatalf("step %d: remove(%d) = %d, %v", step, model[k].ID, got.ID, ok)
			}
			model = slices.Delete(model, k, k+1)
		}
		if q.size() != len(model) {
			t.Fatalf("step %d: %d in flight, want %d", step, q.size(), len(model))
		}
		if len(model) > 0 && q.first().ID != model[0].ID {
			t.Fatalf("step %d: first is %d, want %d", step, q.first().ID, model[0].ID)
		}
		if step == 10000 {
			cloned, clonedModel = q.clone(), slices.Clone(model)
		}
	}
	if _, ok := q.remove(id + 1); ok {
		t.Fatal("removed a flight that was never sent")
	}
	for len(clonedModel) > 0 {
		got := cloned.pop()
		if got.ID != clonedModel[0].ID {
			t.Fatalf("the clone popped %d, want %d", got.ID, clonedModel[0].ID)
		}
		clonedModel = clonedModel[1:]
	}
	if cloned.size() != 0 {
		t.Fatalf("the clone has %d left", cloned.size())
	}
}
