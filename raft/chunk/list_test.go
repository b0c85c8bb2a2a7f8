package chunk

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// model is a List beside the plain slice it must equal.
type model struct {
	l    List[int]
	want []int
	view bool // made by View: read-only
}

func (m *model) check(t *testing.T, what string) {
	t.Helper()
	if m.l.Len() != len(m.want) {
		t.Fatalf("%s: Len %d, want %d", what, m.l.Len(), len(m.want))
	}
	for i, w := range m.want {
		if got := m.l.At(i); got != w {
			t.Fatalf("%s: At(%d) = %d, want %d", what, i, got, w)
		}
	}
	if got := m.l.Slice(0, m.l.Len()); !slices.Equal(got, m.want) {
		t.Fatalf("%s: Slice(0, %d) differs", what, m.l.Len())
	}
}

// TestListAgainstSlices: random appends, truncations, copies and views.
// Every list and view made along the way must keep exactly its own
// elements, whatever the others do afterwards: sharing must never show.
func TestListAgainstSlices(t *testing.T) {
	for seed := uint64(1); seed <= 15; seed++ {
		r := rand.New(rand.NewPCG(seed, 99))
		ms := []*model{{}}
		next := 0
		for step := 0; step < 400; step++ {
			m := ms[r.IntN(len(ms))]
			switch op := r.IntN(10); {
			case op < 4 && !m.view:
				k := r.IntN(3 * Size / 2)
				if r.IntN(4) == 0 {
					k = r.IntN(4)
				}
				xs := make([]int, k)
				for i := range xs {
					next++
					xs[i] = next
				}
				m.l.Append(xs...)
				m.want = append(m.want, xs...)
			case op < 6 && !m.view:
				n := 0
				if len(m.want) > 0 {
					n = r.IntN(len(m.want) + 1)
				}
				m.l.Truncate(n)
				m.want = slices.Clone(m.want[:n])
			case op < 7:
				ms = append(ms, &model{l: m.l.Copy(), want: slices.Clone(m.want)})
			case op < 8:
				// Copy into a list made before, perhaps viewed since.
				d := ms[r.IntN(len(ms))]
				if d.view || d == m {
					continue
				}
				m.l.CopyTo(&d.l)
				d.want = slices.Clone(m.want)
			default:
				ms = append(ms, &model{l: m.l.View(), want: slices.Clone(m.want), view: true})
			}
			for i, x := range ms {
				x.check(t, "seed "+itoa(int(seed))+" step "+itoa(step)+" list "+itoa(i))
			}
		}
	}
}

// Slice gives a view within one chunk and a copy across chunks, and
// either way exactly the elements asked for.
func TestListSlice(t *testing.T) {
	xs := make([]int, 3*Size+7)
	for i := range xs {
		xs[i] = i
	}
	l := Of(xs)
	for _, c := range [][2]int{{0, 0}, {0, 1}, {5, Size}, {Size - 1, Size + 1}, {0, len(xs)}, {2 * Size, 3*Size + 7}, {Size, 2 * Size}} {
		got := l.Slice(c[0], c[1])
		if !slices.Equal(got, xs[c[0]:c[1]]) {
			t.Errorf("Slice(%d, %d) = %v…", c[0], c[1], got[:min(len(got), 3)])
		}
		if cap(got) != len(got) {
			t.Errorf("Slice(%d, %d) is not capped: an append to it could write into the list", c[0], c[1])
		}
	}
	if s := l.Slice(5, 9); &s[0] != &l.chunks[0][5] {
		t.Error("Slice within a chunk copied")
	}
}

// A copy costs a chunk at most: after Copy, appending to either side
// moves only the last chunk, and the full chunks stay shared.
func TestListCopySharesFullChunks(t *testing.T) {
	l := Of(make([]int, 4*Size+10))
	c := l.Copy()
	c.Append(1)
	l.Append(2)
	for k := 0; k < 4; k++ {
		if &l.chunks[k][0] != &c.chunks[k][0] {
			t.Errorf("full chunk %d is not shared", k)
		}
	}
	if &l.chunks[4][0] == &c.chunks[4][0] {
		t.Error("the last chunk is shared although both appended")
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// A short list holds a small array, not a whole chunk, and grows into
// whole chunks as it lengthens: full chunks hold exactly Size elements.
func TestListShortIsSmall(t *testing.T) {
	var l List[int]
	l.Append(1, 2, 3)
	if c := cap(l.chunks[0]); c > firstRoom {
		t.Errorf("a list of 3 holds an array of %d", c)
	}
	d := l.Copy()
	d.Append(4)
	if c := cap(d.chunks[0]); c > firstRoom {
		t.Errorf("a copy of 4 holds an array of %d", c)
	}
	for i := 4; i <= 2*Size+1; i++ {
		l.Append(i)
	}
	if len(l.chunks) != 3 || len(l.chunks[0]) != Size || len(l.chunks[1]) != Size || cap(l.chunks[1]) != Size {
		t.Errorf("a list of %d is in chunks of %d and %d", l.Len(), len(l.chunks[0]), len(l.chunks[1]))
	}
}
