package sim

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

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

// BenchmarkMemoryPlayground24h leaves a 9-server cluster running for 24
// hours of virtual time, as a playground left open would, with the trace
// and checkpoints kept: it reports the live heap at 24 h (MB) and per
// virtual hour, and the slowest and median of 100 seeks to random moments
// of what the run keeps (ms).
func BenchmarkMemoryPlayground24h(b *testing.B) {
	for i := 0; i < b.N; i++ {
		cfg := DefaultConfig()
		cfg.Servers = 9
		c, err := New(cfg)
		if err != nil {
			b.Fatal(err)
		}
		base := liveHeap()
		const hours = 24
		if err := c.RunUntil(hours * 3_600_000); err != nil {
			b.Fatal(err)
		}
		heap := liveHeap() - base
		b.ReportMetric(float64(heap)/1e6, "MB@24h")
		b.ReportMetric(float64(heap)/1e6/hours, "MB/hour")
		b.ReportMetric(float64(len(c.hist.cps)), "checkpoints")
		slowest, median := seekTimes(b, c, 100)
		b.ReportMetric(slowest, "ms-slowest-seek")
		b.ReportMetric(median, "ms-median-seek")
	}
}

// seekTimes seeks to n random moments between the earliest one kept and
// the present, and returns the slowest and the median, in ms.
func seekTimes(b *testing.B, c *Cluster, n int) (slowest, median float64) {
	r := rand.New(rand.NewPCG(7, 7))
	lo, hi := c.Earliest(), c.Now()
	var ms []float64
	for range n {
		t := lo + r.IntN(hi-lo+1)
		start := time.Now()
		if err := c.Seek(t); err != nil {
			b.Fatal(err)
		}
		ms = append(ms, float64(time.Since(start).Microseconds())/1000)
	}
	slices.Sort(ms)
	return ms[len(ms)-1], ms[len(ms)/2]
}
