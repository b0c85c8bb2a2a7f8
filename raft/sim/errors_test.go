package sim_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"raftplay/raft"
	"raftplay/raft/sim"
)

// TestBadActions: every malformed or impossible action is refused with an
// error that says what is wrong, without a panic and without changing the
// cluster at all.
func TestBadActions(t *testing.T) {
	nan := math.NaN()
	cases := []struct {
		name string
		a    sim.Action
		want string // a word the error must contain
	}{
		{"timeout S0", sim.Action{Kind: sim.ActTimeout, Server: 0}, "no server 0"},
		{"timeout S10", sim.Action{Kind: sim.ActTimeout, Server: 10}, "no server 10"},
		{"timeout beyond cluster", sim.Action{Kind: sim.ActTimeout, Server: 4}, "no server 4"},
		{"timeout negative", sim.Action{Kind: sim.ActTimeout, Server: -1}, "no server -1"},
		{"timeout crashed", sim.Action{Kind: sim.ActTimeout, Server: 2}, "S2 is crashed"},
		{"timer crashed", sim.Action{Kind: sim.ActTimer, Server: 2, Delay: 10}, "S2 is crashed"},
		{"timer negative", sim.Action{Kind: sim.ActTimer, Server: 1, Delay: -1}, "timer"},
		{"timer too long", sim.Action{Kind: sim.ActTimer, Server: 1, Delay: 3_600_001}, "timer"},
		{"crash crashed", sim.Action{Kind: sim.ActCrash, Server: 2}, "S2 is crashed"},
		{"crash before-send crashed", sim.Action{Kind: sim.ActCrash, Server: 2, BeforeSend: true}, "S2 is crashed"},
		{"crash after-send crashed", sim.Action{Kind: sim.ActCrash, Server: 2, AfterSend: true}, "S2 is crashed"},
		{"crash before and after", sim.Action{Kind: sim.ActCrash, Server: 1, BeforeSend: true, AfterSend: true}, "not both"},
		{"crash S0", sim.Action{Kind: sim.ActCrash}, "no server 0"},
		{"restart up", sim.Action{Kind: sim.ActRestart, Server: 1}, "S1 is not crashed"},
		{"restart S9", sim.Action{Kind: sim.ActRestart, Server: 9}, "no server 9"},
		{"propose to crashed", sim.Action{Kind: sim.ActPropose, Server: 2, Cmd: "x"}, "S2 is crashed"},
		{"propose to S7", sim.Action{Kind: sim.ActPropose, Server: 7, Cmd: "x"}, "no server 7"},
		{"propose no leader", sim.Action{Kind: sim.ActPropose, Cmd: "x"}, "no leader"},
		{"propose too long", sim.Action{Kind: sim.ActPropose, Server: 1, Cmd: strings.Repeat("x", 1001)}, "1000 bytes"},
		{"isolate S0", sim.Action{Kind: sim.ActIsolate}, "no server 0"},
		{"isolate S4", sim.Action{Kind: sim.ActIsolate, Server: 4}, "no server 4"},
		{"partition twice", sim.Action{Kind: sim.ActPartition, Groups: [][]raft.ID{{1, 2}, {2, 3}}}, "S2 is in two groups"},
		{"partition repeated", sim.Action{Kind: sim.ActPartition, Groups: [][]raft.ID{{1, 1}}}, "S1 is in two groups"},
		{"partition S5", sim.Action{Kind: sim.ActPartition, Groups: [][]raft.ID{{1}, {5}}}, "no server 5"},
		{"link to self", sim.Action{Kind: sim.ActLinkDown, From: 1, To: 1}, "two different servers"},
		{"link from S0", sim.Action{Kind: sim.ActLinkDown, From: 0, To: 1}, "no server 0"},
		{"link up to S10", sim.Action{Kind: sim.ActLinkUp, From: 1, To: 10}, "no server 10"},
		{"drop next to S4", sim.Action{Kind: sim.ActDropNext, From: 1, To: 4}, "no server 4"},
		{"drop next self", sim.Action{Kind: sim.ActDropNext, From: 3, To: 3}, "two different servers"},
		{"drop -1", sim.Action{Kind: sim.ActDrop, Rate: -1}, "between 0 and 1"},
		{"drop 2", sim.Action{Kind: sim.ActDrop, Rate: 2}, "between 0 and 1"},
		{"drop NaN", sim.Action{Kind: sim.ActDrop, Rate: nan}, "between 0 and 1"},
		{"drop +Inf", sim.Action{Kind: sim.ActDrop, Rate: math.Inf(1)}, "between 0 and 1"},
		{"duplicate -1", sim.Action{Kind: sim.ActDuplicate, Rate: -1}, "between 0 and 1"},
		{"duplicate 2", sim.Action{Kind: sim.ActDuplicate, Rate: 2}, "between 0 and 1"},
		{"duplicate NaN", sim.Action{Kind: sim.ActDuplicate, Rate: nan}, "between 0 and 1"},
		{"latency negative", sim.Action{Kind: sim.ActLatency, Min: -1, Max: 10}, "latency"},
		{"latency inverted", sim.Action{Kind: sim.ActLatency, Min: 20, Max: 10}, "latency"},
		{"latency too long", sim.Action{Kind: sim.ActLatency, Min: 0, Max: 3_600_001}, "latency"},
		{"unknown rule", sim.Action{Kind: sim.ActRule, Rule: raft.Rule(200), On: true}, "unknown rule"},
		{"unknown message", sim.Action{Kind: sim.ActDropMessage, MsgID: 999999}, "no message 999999"},
		{"unknown kind", sim.Action{Kind: sim.ActionKind(99)}, "unknown action"},
	}

	c := newCluster(t, func(cfg *sim.Config) { cfg.Servers = 3; cfg.ElectionMin, cfg.ElectionMax = 1000, 1500 })
	crash(t, c, 2)
	run(t, c, 10) // S2 crashed, no leader yet
	before := remember(c)
	actions := len(c.Actions())
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := c.Do(tc.a)
			if err == nil {
				t.Fatalf("%v accepted", tc.a)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
			if got := remember(c); got.hash != before.hash || got.traceLen != before.traceLen || !reflect.DeepEqual(got.snap, before.snap) {
				t.Fatal("a refused action changed the cluster")
			}
			if len(c.Actions()) != actions {
				t.Fatal("a refused action was recorded")
			}
			_ = tc.a.String() // writing any action must not panic
		})
	}
	// The cluster still works after all that.
	restart(t, c, 2)
	checkOneLeader(t, c)
	one(t, c, "fine", 3)
}

// TestBadConfigs: New refuses configurations it cannot run, saying why.
func TestBadConfigs(t *testing.T) {
	cases := []struct {
		name string
		edit func(*sim.Config)
		want string
	}{
		{"0 servers", func(c *sim.Config) { c.Servers = 0 }, "1 to 9 servers"},
		{"10 servers", func(c *sim.Config) { c.Servers = 10 }, "1 to 9 servers"},
		{"negative servers", func(c *sim.Config) { c.Servers = -3 }, "1 to 9 servers"},
		{"election min 0", func(c *sim.Config) { c.ElectionMin = 0 }, "election timeout"},
		{"election inverted", func(c *sim.Config) { c.ElectionMin, c.ElectionMax = 300, 150 }, "election timeout"},
		{"election too long", func(c *sim.Config) { c.ElectionMax = 3_600_001 }, "election timeout"},
		{"heartbeat 0", func(c *sim.Config) { c.Heartbeat = 0 }, "heartbeat"},
		{"heartbeat too long", func(c *sim.Config) { c.Heartbeat = 3_600_001 }, "heartbeat"},
		{"latency negative", func(c *sim.Config) { c.LatencyMin = -1 }, "latency"},
		{"latency inverted", func(c *sim.Config) { c.LatencyMin, c.LatencyMax = 30, 20 }, "latency"},
		{"latency too long", func(c *sim.Config) { c.LatencyMax = 3_600_001 }, "latency"},
		{"drop -1", func(c *sim.Config) { c.Drop = -1 }, "drop rate"},
		{"drop 2", func(c *sim.Config) { c.Drop = 2 }, "drop rate"},
		{"drop NaN", func(c *sim.Config) { c.Drop = math.NaN() }, "drop rate"},
		{"duplicate 2", func(c *sim.Config) { c.Duplicate = 2 }, "duplicate rate"},
		{"duplicate NaN", func(c *sim.Config) { c.Duplicate = math.NaN() }, "duplicate rate"},
		{"no timings", func(c *sim.Config) { *c = sim.Config{Servers: 3} }, "DefaultConfig"},
		{"batch -1", func(c *sim.Config) { c.MaxEntries = -1 }, "a batch is 1 to 64 entries, not -1"},
		{"batch 65", func(c *sim.Config) { c.MaxEntries = 65 }, "a batch is 1 to 64 entries, not 65"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := sim.DefaultConfig()
			tc.edit(&cfg)
			c, err := sim.New(cfg)
			if err == nil || c != nil {
				t.Fatalf("New accepted %+v", cfg)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not say %q", err, tc.want)
			}
		})
	}
	if err := sim.DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig is invalid: %v", err)
	}
	for _, n := range []int{1, 9} {
		cfg := sim.DefaultConfig()
		cfg.Servers = n
		if _, err := sim.New(cfg); err != nil {
			t.Fatalf("%d servers: %v", n, err)
		}
	}
}

// TestBadQueries: asking about servers that do not exist answers with
// zero values, not a panic.
func TestBadQueries(t *testing.T) {
	c := newCluster(t, nil)
	run(t, c, 1000)
	for _, id := range []raft.ID{-1, 0, 6, 9, 10, 100} {
		if c.Up(id) || c.Log(id) != nil || c.Applied(id) != nil || c.Commit(id) != 0 || c.Term(id) != 0 || c.Role(id) != raft.Follower {
			t.Fatalf("queries about %d answered as if it existed", id)
		}
		if st := c.ServerState(id, 1, 10); st.ID != 0 || st.Up {
			t.Fatalf("ServerState(%d) = %+v", id, st)
		}
	}
	if c.Trace(-1) != nil || c.Trace(c.TraceLen()) != nil || c.Trace(1<<40) != nil {
		t.Fatal("Trace out of range returned records")
	}
	if sn := c.Snapshot(50, 10); len(sn.Servers) != 5 {
		t.Fatalf("snapshot with an empty log window: %d servers", len(sn.Servers))
	}
	if err := c.RunFor(1 << 40); err == nil {
		t.Fatal("RunFor past the end of virtual time accepted")
	}
	if err := c.RunUntil(1 << 40); err == nil {
		t.Fatal("RunUntil past the end of virtual time accepted")
	}
	if err := c.Seek(1 << 40); err == nil {
		t.Fatal("Seek past the end of virtual time accepted")
	}
	if got := sim.ActionKind(99).String(); got == "" {
		t.Fatal("unknown action kind has no name")
	}
}
