package sim

import (
	"runtime"
	"strconv"
	"testing"

	"raftplay/raft"
)

// crashWorkload runs the workload that used to grow memory faster than
// virtual time: 5 servers, a client request every 100 ms, and the leader
// crashed every 2 s and restarted 1 s later, with the trace kept as the
// playground keeps it. It calls at(t) at each of the given virtual times.
func crashWorkload(b *testing.B, marks []int, at func(c *Cluster, t int)) {
	cfg := DefaultConfig()
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	k := 0
	var down []int // crashed servers, restarted a second later
	for _, end := range marks {
		for c.Now() < end {
			next := c.Now() + 100
			k++
			_ = c.Do(Action{Kind: ActPropose, Cmd: "c" + strconv.Itoa(k)})
			if c.Now()%2000 < 100 {
				if l := c.Leader(); l != 0 {
					_ = c.Do(Action{Kind: ActCrash, Server: l})
					down = append(down, int(l))
				}
			}
			if c.Now()%2000 >= 1000 && c.Now()%2000 < 1100 {
				for _, id := range down {
					_ = c.Do(Action{Kind: ActRestart, Server: raft.ID(id)})
				}
				down = down[:0]
			}
			if err := c.RunUntil(next); err != nil {
				b.Fatal(err)
			}
		}
		at(c, end)
	}
}

// liveHeap returns the bytes in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkMemoryCrashWorkload reports the live heap of the crash
// workload at 60, 600, 1,200 and 2,400 s of virtual time (MB), and the
// ratio of the last two: memory that grows linearly with virtual time
// doubles from 1,200 s to 2,400 s; the budget is 2.2.
func BenchmarkMemoryCrashWorkload(b *testing.B) {
	marks := []int{60_000, 600_000, 1_200_000, 2_400_000}
	for i := 0; i < b.N; i++ {
		heap := map[int]uint64{}
		crashWorkload(b, marks, func(c *Cluster, t int) { heap[t] = liveHeap() })
		for _, t := range marks {
			b.ReportMetric(float64(heap[t])/1e6, "MB@"+strconv.Itoa(t/1000)+"s")
		}
		b.ReportMetric(float64(heap[2_400_000])/float64(heap[1_200_000]), "ratio-2400/1200")
	}
}
