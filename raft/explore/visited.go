package explore

import "encoding/binary"

// visited is the set of states seen, kept as 64-bit fingerprints of their
// canonical encodings in an open-addressed table: eight bytes a slot, at
// most three quarters full. Two distinct states with the same fingerprint
// would be taken for one; with n states the chance of that is about
// n²/2⁶⁵, one in a million for six million states.
type visited struct {
	slots []uint64 // 0: empty
	n     int
}

// add inserts fp, reporting whether it was new.
func (v *visited) add(fp uint64) bool {
	if fp == 0 {
		fp = 1 // 0 marks an empty slot
	}
	if 4*(v.n+1) > 3*len(v.slots) {
		v.grow()
	}
	mask := uint64(len(v.slots) - 1)
	for i := fp & mask; ; i = (i + 1) & mask {
		switch v.slots[i] {
		case fp:
			return false
		case 0:
			v.slots[i] = fp
			v.n++
			return true
		}
	}
}

func (v *visited) grow() {
	old := v.slots
	v.slots = make([]uint64, max(1024, 2*len(old)))
	mask := uint64(len(v.slots) - 1)
	for _, fp := range old {
		if fp == 0 {
			continue
		}
		i := fp & mask
		for v.slots[i] != 0 {
			i = (i + 1) & mask
		}
		v.slots[i] = fp
	}
}

// bytes is the table's size.
func (v *visited) bytes() int64 { return int64(len(v.slots)) * 8 }

// growth is what k more fingerprints may add to the table's size at most:
// while it grows, the old table and the new, twice as large, are held.
func (v *visited) growth(k int) int64 {
	if 4*(v.n+k) > 3*len(v.slots) {
		return 2 * v.bytes()
	}
	return 0
}

// fingerprint hashes an encoding to 64 bits: eight bytes at a time, each
// word multiplied in and rotated (as in xxHash's rounds), then mixed
// (SplitMix64's finalizer) so that every bit depends on every input bit.
func fingerprint(b []byte) uint64 {
	const (
		p1 = 0x9e3779b185ebca87
		p2 = 0xc2b2ae3d27d4eb4f
	)
	h := uint64(len(b)) * p1
	for len(b) >= 8 {
		w := binary.LittleEndian.Uint64(b)
		h ^= w * p2
		h = (h<<31 | h>>33) * p1
		b = b[8:]
	}
	var tail uint64
	for i, c := range b {
		tail |= uint64(c) << (8 * i)
	}
	h ^= tail * p2
	h = (h<<31 | h>>33) * p1
	h ^= h >> 30
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 27
	h *= 0x94d049bb133111eb
	return h ^ h>>31
}
