package sim

import (
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchCluster returns a 5-server cluster that has elected a leader.
func benchCluster(b *testing.B, trace bool) *Cluster {
	b.Helper()
	cfg := DefaultConfig()
	cfg.NoTrace = !trace
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	if err := c.RunFor(1000); err != nil {
		b.Fatal(err)
	}
	return c
}

// steady proposes one command every 5ms of virtual time for ms virtual ms.
func steady(c *Cluster, ms int, k *int) {
	end := c.Now() + ms
	for c.Now() < end {
		*k++
		_ = c.Do(Action{Kind: ActPropose, Cmd: "c" + strconv.Itoa(*k)})
		_ = c.RunFor(5)
	}
}

// BenchmarkEvents measures simulated events per wall-clock second for a
// 5-server cluster under a steady stream of proposals: each op is a fresh
// cluster running 10 s of virtual time with a proposal every 5 ms (2,000
// entries), without the trace as the sweep runs, and with it as the
// playground runs.
func BenchmarkEvents(b *testing.B) {
	for _, trace := range []bool{false, true} {
		name := "notrace"
		if trace {
			name = "trace"
		}
		b.Run(name, func(b *testing.B) {
			events := 0
			for i := 0; i < b.N; i++ {
				c := benchCluster(b, trace)
				k := 0
				start := c.Events()
				steady(c, 10_000, &k)
				events += c.Events() - start
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(events)/float64(b.N), "events/op")
		})
	}
}

// BenchmarkSnapshot measures a full state snapshot of 5 servers holding
// 1,000 entries each.
func BenchmarkSnapshot(b *testing.B) {
	c := benchCluster(b, false)
	for k := 1; len(c.Log(1)) < 1000 || c.Commit(1) < 1000; k++ {
		_ = c.Do(Action{Kind: ActPropose, Cmd: "c" + strconv.Itoa(k)})
		_ = c.RunFor(2)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sn := c.Snapshot(1, 1<<30)
		if len(sn.Servers[0].Log) < 1000 {
			b.Fatal("short log")
		}
	}
}

// BenchmarkSeek measures a seek to a random moment of a 100,000-event
// history (checkpoints every 2,048 events; a seek restores the nearest
// one and replays the rest).
func BenchmarkSeek(b *testing.B) {
	c := benchCluster(b, true)
	k := 0
	for c.Events() < 100_000 {
		steady(c, 100, &k)
	}
	end := c.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := c.Seek(rng.IntN(end)); err != nil {
			b.Fatal(err)
		}
	}
}
