// Package chunk holds List, a sequence kept in chunks of a fixed size so
// that copies of it share almost everything.
//
// The simulator copies every server's log at each checkpoint, and a
// restarted server takes its log from disk. With one contiguous array a
// log could be shared only until it changed: the first append after a
// copy, a restart or a truncation copied the whole log, and the
// checkpoints kept every such copy alive, so memory grew with the square
// of virtual time. A List copies at most one chunk instead.
//
// The rule that makes sharing safe: a position of a chunk's array is
// written once. Appends write past the end of the last chunk's array
// only; a truncation caps the chunk it cuts, so that the next append
// moves to a new array; a copy caps the last chunk on both sides, so that
// neither writes where the other might.
package chunk

// Size is the number of elements in a full chunk.
const Size = 256

// List is a sequence of T. The zero value is empty and ready to use. A
// List must be copied with Copy or View, not by assignment.
type List[T any] struct {
	chunks [][]T // every chunk but the last holds exactly Size elements
	n      int
	// shared: the chunks array itself is shared with a copy or a view,
	// so a truncation must not rewrite it in place.
	shared bool
}

// Of returns a List holding a copy of xs.
func Of[T any](xs []T) List[T] {
	var l List[T]
	l.Append(xs...)
	return l
}

// Len returns the number of elements.
func (l *List[T]) Len() int { return l.n }

// At returns element i, 0 <= i < Len().
func (l *List[T]) At(i int) T { return l.chunks[i/Size][i%Size] }

// Append adds xs at the end.
func (l *List[T]) Append(xs ...T) {
	for len(xs) > 0 {
		k := l.n / Size
		if k == len(l.chunks) {
			l.chunks = append(l.chunks, nil)
		}
		c := l.chunks[k]
		take := min(len(xs), Size-len(c))
		if len(c)+take > cap(c) {
			// A capped chunk, or a first chunk outgrown: move it to an
			// array of its own.
			grown := make([]T, len(c), room(k, len(c)+take))
			copy(grown, c)
			c = grown
		}
		l.chunks[k] = append(c, xs[:take]...)
		l.n += take
		xs = xs[take:]
	}
}

// firstRoom is the capacity a first chunk starts with.
const firstRoom = 8

// room returns the capacity of a new array for chunk k that must hold
// need elements. Chunks after the first are made whole at once; the
// first grows by doubling from firstRoom, so that a short list (the
// explorer makes millions of three-entry logs) does not cost a whole
// chunk, while a long one pays a handful of small copies once.
func room(k, need int) int {
	if k > 0 {
		return Size
	}
	return min(Size, max(firstRoom, 2*need))
}

// Truncate keeps the first n elements, 0 <= n <= Len().
func (l *List[T]) Truncate(n int) {
	if n >= l.n {
		return
	}
	if l.shared {
		l.chunks = append([][]T(nil), l.chunks...)
		l.shared = false
	}
	k := (n + Size - 1) / Size // chunks still holding elements
	for j := k; j < len(l.chunks); j++ {
		l.chunks[j] = nil // let the cut chunks go, unless others share them
	}
	l.chunks = l.chunks[:k]
	if m := n - (k-1)*Size; k > 0 && m < Size {
		l.chunks[k-1] = l.chunks[k-1][:m:m]
	}
	l.n = n
}

// Copy returns a List with the same elements that can change
// independently of l. It costs one slice header per chunk, and the first
// append to either afterwards copies at most one chunk.
func (l *List[T]) Copy() List[T] {
	var d List[T]
	l.CopyTo(&d)
	return d
}

// CopyTo makes d a copy of l, as Copy does, reusing d's array of chunk
// headers when no view of d shares it: a driver that copies short lists
// by the million (the explorer) then allocates nothing for the copy.
func (l *List[T]) CopyTo(d *List[T]) {
	if k := len(l.chunks); k > 0 {
		if l.shared {
			l.chunks = append([][]T(nil), l.chunks...)
			l.shared = false
		}
		// The last chunk's length comes from n: in a view, the slot may
		// show the length the owner has appended to since.
		m := l.n - (k-1)*Size
		l.chunks[k-1] = l.chunks[k-1][:m:m]
	}
	headers := d.chunks[:0]
	if d.shared || len(l.chunks) == 0 {
		headers = nil
	}
	clear(headers[:cap(headers)]) // let chunks that d alone held go
	*d = List[T]{chunks: append(headers, l.chunks...), n: l.n}
}

// View returns a read-only List with the same elements, in constant time:
// it shares l's chunks array. It must never be changed (Copy it first to
// change it); l may go on changing. (As l appends in place, the view's
// last slot may come to show a longer chunk; the view reads no further
// than its own length.)
func (l *List[T]) View() List[T] {
	l.shared = true
	return List[T]{chunks: l.chunks[:len(l.chunks):len(l.chunks)], n: l.n, shared: true}
}

// Slice returns elements i up to j (0 <= i <= j <= Len()) as one slice:
// a capped view of the chunk that holds them all, or a copy when they
// span chunks. It must not be modified.
func (l *List[T]) Slice(i, j int) []T {
	if i >= j {
		return nil
	}
	if k := i / Size; (j-1)/Size == k {
		c := l.chunks[k]
		return c[i-k*Size : j-k*Size : j-k*Size]
	}
	out := make([]T, 0, j-i)
	for p := i; p < j; {
		c := l.chunks[p/Size]
		end := min(len(c), j-(p/Size)*Size)
		out = append(out, c[p%Size:end]...)
		p = (p/Size)*Size + end
	}
	return out
}
