package scenario

import (
	"errors"
	"strings"
	"testing"
)

// TestErrors checks the exact message of each kind of mistake. Columns
// are byte offsets + 1 and point at the bad token (or just past the last
// token when something is missing).
func TestErrors(t *testing.T) {
	for _, tt := range errorTests {
		_, err := Parse("t.raft", tt.src)
		if err == nil {
			t.Errorf("%q: no error, want %s", tt.src, tt.want)
			continue
		}
		if got := err.Error(); got != tt.want {
			t.Errorf("%q:\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

// errorTests are bad inputs and their exact errors. They also seed the
// fuzz test.
var errorTests = []struct {
	src  string
	want string
}{
	// Commands.
	{"crsh S1", `t.raft:1:1: unknown command "crsh" (did you mean "crash"?)`},
	{"Crash S1", `t.raft:1:1: unknown command "Crash" (did you mean "crash"?)`},
	{"  partion S1 | S2", `t.raft:1:3: unknown command "partion" (did you mean "partition"?)`},
	{"frobnicate", `t.raft:1:1: unknown command "frobnicate"`},
	{"leader S1", `t.raft:1:1: "leader" is a condition, not a command (use it after expect, run until, goal or when)`},
	{`"timeout" S1`, `t.raft:1:1: expected a command, got string "timeout"`},
	{"| S1", `t.raft:1:1: expected a command, got "|"`},

	// Servers.
	{"timeout", `t.raft:1:8: expected a server like S1, got end of line`},
	{"timeout S12", `t.raft:1:9: S12: no such server (servers are S1..S5)`},
	{"timeout S0", `t.raft:1:9: S0: no such server (servers are S1..S5)`},
	{"timeout S6", `t.raft:1:9: S6: no such server (servers are S1..S5)`},
	{"cluster 3\ntimeout S4", `t.raft:2:9: S4: no such server (servers are S1..S3)`},
	{"cluster 1\ntimeout S2", `t.raft:2:9: S2: no such server (the only server is S1)`},
	{"timeout x", `t.raft:1:9: expected a server like S1, got "x"`},
	{"timeout S1 S2", `t.raft:1:12: unexpected "S2"`},
	{"isolate", `t.raft:1:8: expected a server like S1, got end of line`},
	{"restart S1 now", `t.raft:1:12: unexpected "now"`},

	// Rules.
	{"rule election-restrict off", `t.raft:1:6: unknown rule "election-restrict" (did you mean "election-restriction"?)`},
	{"rule pre-vote on", `t.raft:1:6: unknown rule "pre-vote" (did you mean "prevote"?)`},
	{"rule foo off", `t.raft:1:6: unknown rule "foo" (rules: election-restriction, current-term-commit, randomized-timeouts, persist-vote, fast-backtrack, leader-noop, prevote, check-quorum, heartbeat-check, truncate-on-conflict, commit-matched, check-replies, compare-last-term, persist-before-send, strict-timer-reset, keep-vote, vote-lease)`},
	{"rule prevote maybe", `t.raft:1:14: expected on or off, got "maybe"`},
	{"rule prevote", `t.raft:1:13: expected on or off, got end of line`},

	// Durations.
	{"timer S2", `t.raft:1:9: expected a duration like 300ms or 2s, got end of line`},
	{"timer S2 300", `t.raft:1:10: expected a duration like 300ms or 2s, got "300"`},
	{"timer S2 -5ms", `t.raft:1:10: expected a duration like 300ms or 2s, got "-5ms"`},
	{"timer S2 1.5ms", `t.raft:1:10: duration "1.5ms" is not a whole number of milliseconds`},
	{"timer S2 0.0015s", `t.raft:1:10: duration "0.0015s" is not a whole number of milliseconds`},
	{"timer S2 25h", `t.raft:1:10: expected a duration like 300ms or 2s, got "25h"`},
	{"timer S2 86401s", `t.raft:1:10: duration "86401s" is too long (max 24h)`},
	{"timer S2 86400001ms", `t.raft:1:10: duration "86400001ms" is too long (max 24h)`},
	{"timer S2 99999999999999999999ms", `t.raft:1:10: duration "99999999999999999999ms" is too long (max 24h)`},
	{"timer S2 300mss", `t.raft:1:10: expected a duration like 300ms or 2s, got "300mss"`},
	{"timer S2 .5s", `t.raft:1:10: expected a duration like 300ms or 2s, got ".5s"`},
	{"timer S2 1.s", `t.raft:1:10: expected a duration like 300ms or 2s, got "1.s"`},

	// propose and commands.
	{"propose", `t.raft:1:8: expected a command like x or "set x 1", got end of line`},
	{"propose to S2", `t.raft:1:9: command "to" is a reserved word; put it in double quotes`},
	{"propose S2", `t.raft:1:9: command "S2" looks like a server; put it in double quotes`},
	{"propose 5", `t.raft:1:9: command "5" looks like a number; put it in double quotes`},
	{"propose and", `t.raft:1:9: command "and" is a reserved word; put it in double quotes`},
	{"propose empty", `t.raft:1:9: command "empty" is a reserved word; put it in double quotes`},
	{"propose a,b", `t.raft:1:9: command "a,b" has characters that need quotes; put it in double quotes`},
	{`propose a\b`, `t.raft:1:9: command "a\\b" has characters that need quotes; put it in double quotes`},
	{"propose x to", `t.raft:1:13: expected a server like S1, got end of line`},
	{"propose x to S7", `t.raft:1:14: S7: no such server (servers are S1..S5)`},
	{`propose ""`, `t.raft:1:9: empty command`},
	{"propose x S2", `t.raft:1:11: unexpected "S2"`},
	{"propose " + strings.Repeat("x", 1001), `t.raft:1:9: command too long (more than 1000 characters)`},

	// crash.
	{"crash S1 before_send", `t.raft:1:10: unexpected "before_send" (did you mean "before-send"?)`},
	{`crash S1 "before-send"`, `t.raft:1:10: unexpected string "before-send"`},
	{"crash S1 after_send", `t.raft:1:10: unexpected "after_send" (did you mean "after-send"?)`},
	{"crash S1 aftersend", `t.raft:1:10: unexpected "aftersend" (did you mean "after-send"?)`},
	{"crash S1 after-send before-send", `t.raft:1:21: unexpected "before-send"`},
	{"crash S1 now", `t.raft:1:10: unexpected "now"`},

	// partition and links.
	{"partition S1 S2", `t.raft:1:1: partition needs groups separated by |, like partition S1 S2 | S3 S4 S5`},
	{"partition S1 | S1", `t.raft:1:16: S1 is listed twice (a server can be in one group only)`},
	{"partition S1 S2 | S3 S2", `t.raft:1:22: S2 is listed twice (a server can be in one group only)`},
	{"partition | S1", `t.raft:1:11: empty group before |`},
	{"partition S1 |", `t.raft:1:15: empty group after "|"`},
	{"partition S1 || S2", `t.raft:1:15: empty group before |`},
	{"partition S1 | S9", `t.raft:1:16: S9: no such server (servers are S1..S5)`},
	{"partition S1 | x", `t.raft:1:16: expected a server like S1, got "x"`},
	{"link S1 S2 down", `t.raft:1:9: expected -> or <-> between two servers, like S1->S2, got "S2"`},
	{"link S1->S1 down", `t.raft:1:10: a link joins two different servers, got S1->S1`},
	{"link S1->S2", `t.raft:1:12: expected up, down or drop, got end of line`},
	{"link S1->S2 sideways", `t.raft:1:13: expected up, down or drop, got "sideways"`},
	{"link S1-> down", `t.raft:1:11: expected a server like S1, got "down"`},
	// Links both ways and flaky links.
	{"link S1<->S1 down", `t.raft:1:11: a link joins two different servers, got S1->S1`},
	{"link S1<- S2 down", `t.raft:1:6: expected a server like S1, got "S1<-"`},
	{"link S1<->S2 dwn", `t.raft:1:14: expected up, down or drop, got "dwn" (did you mean "down"?)`},
	{"link S1<->S9 up", `t.raft:1:11: S9: no such server (servers are S1..S5)`},
	{"link S1<->S2 drop", `t.raft:1:18: expected a probability between 0 and 1, got end of line`},
	{"link S1<->S2 drop 1.5", `t.raft:1:19: expected a probability between 0 and 1, got "1.5"`},
	{"link S1->S2 drop 30%", `t.raft:1:18: expected a probability between 0 and 1, got "30%"`},
	{"link S1->S2 drop 0.3 now", `t.raft:1:22: unexpected "now"`},
	{"drop next S1<->S2", `t.raft:1:13: this takes one direction of a link, like S1->S2, not both ways`},
	{"deliver S1<->S2 vote", `t.raft:1:11: this takes one direction of a link, like S1->S2, not both ways`},
	// The election timeout range.
	{"election", `t.raft:1:9: expected a range like 300-600ms, got end of line`},
	{"election 0-300ms", `t.raft:1:10: the election timeout must be more than 0ms`},
	{"election 0ms", `t.raft:1:10: the election timeout must be more than 0ms`},
	{"election 600-300ms", `t.raft:1:10: range "600-300ms" has min greater than max`},
	{"election 300-600", `t.raft:1:10: expected a range like 150-300ms, got "300-600"`},
	{"election fast", `t.raft:1:10: expected a duration or a range like 150-300ms, got "fast"`},
	{"election 300-600ms S1", `t.raft:1:20: unexpected "S1"`},
	{"election 300-600 ms", `t.raft:1:10: expected a range like 150-300ms, got "300-600"`},
	{"drop next S1", `t.raft:1:13: expected -> between two servers, like S1->S2, got end of line`},
	{"drop next S1->", `t.raft:1:15: expected a server like S1, got end of line`},

	// The manual network.
	{"network", `t.raft:1:8: expected manual or auto, got end of line`},
	{"network manul", `t.raft:1:9: expected manual or auto, got "manul"`},
	{"network manual now", `t.raft:1:16: unexpected "now"`},
	{"heartbeat", `t.raft:1:10: expected a server like S1, got end of line`},
	{"heartbeat S6", `t.raft:1:11: S6: no such server (servers are S1..S5)`},
	{"transfer", `t.raft:1:9: expected a server like S1, got end of line`},
	{"transfer S1", `t.raft:1:12: expected "to", got end of line`},
	{"transfer S1 S3", `t.raft:1:13: expected "to", got "S3"`},
	{"transfer S1 to", `t.raft:1:15: expected a server like S1, got end of line`},
	{"transfer S1 to S1", `t.raft:1:16: leadership goes to another server, not from S1 to itself`},
	{"transfer S1 to S6", `t.raft:1:16: S6: no such server (servers are S1..S5)`},
	{"transfer S1 to S3 now", `t.raft:1:19: unexpected "now"`},
	{"transfr S1 to S3", `t.raft:1:1: unknown command "transfr" (did you mean "transfer"?)`},
	// The client workload.
	{"client", `t.raft:1:7: expected every or off, got end of line`},
	{"client every", `t.raft:1:13: expected a duration like 300ms or 2s, got end of line`},
	{"client every 100", `t.raft:1:14: expected a duration like 300ms or 2s, got "100"`},
	{"client every 5ms", `t.raft:1:14: a client sends a request every 10ms to 1h`},
	{"client every 0ms", `t.raft:1:14: a client sends a request every 10ms to 1h`},
	{"client every 3601s", `t.raft:1:14: a client sends a request every 10ms to 1h`},
	{"client every 2h", `t.raft:1:14: expected a duration like 300ms or 2s, got "2h"`},
	{"client every 1.5ms", `t.raft:1:14: duration "1.5ms" is not a whole number of milliseconds`},
	{"client off now", `t.raft:1:12: unexpected "now"`},
	{"client every 100ms now", `t.raft:1:20: unexpected "now"`},
	{"client of", `t.raft:1:8: expected every or off, got "of"`},
	{"client \"off\"", `t.raft:1:8: expected every or off, got string "off"`},
	{"client 100ms", `t.raft:1:8: expected every or off, got "100ms"`},
	{"clinet every 100ms", `t.raft:1:1: unknown command "clinet" (did you mean "client"?)`},
	{"elections >= 2", `t.raft:1:1: "elections" is a condition, not a command (use it after expect, run until, goal or when)`},
	{"deliver", `t.raft:1:8: expected a server like S1, got end of line`},
	{"deliver S1", `t.raft:1:11: expected -> between two servers, like S1->S2, got end of line`},
	{"deliver S1->S2", `t.raft:1:15: expected a message type like vote or append, got end of line`},
	{"deliver S1->S1 vote", `t.raft:1:13: a link joins two different servers, got S1->S1`},
	{"deliver S1->S7 vote", `t.raft:1:13: S7: no such server (servers are S1..S5)`},
	{"deliver S1->S2 votes", `t.raft:1:16: unknown message type "votes" (did you mean "vote"?)`},
	{"deliver S1->S2 AppendEntries", `t.raft:1:16: unknown message type "AppendEntries" (types: vote, vote-reply, prevote, prevote-reply, append, heartbeat, append-reply, timeout-now)`},
	{"deliver S1->S2 reply", `t.raft:1:16: unknown message type "reply" (types: vote, vote-reply, prevote, prevote-reply, append, heartbeat, append-reply, timeout-now)`},
	{`deliver S1->S2 "vote"`, `t.raft:1:16: expected a message type like vote or append, got string "vote"`},
	{"deliver S1->S2 append 0", `t.raft:1:23: expected the message's place in the order sent (1 for the oldest) between 1 and 1000000000, got 0`},
	{"deliver S1->S2 append 2nd", `t.raft:1:23: expected the message's place in the order sent (1 for the oldest), got "2nd"`},
	{"deliver S1->S2 append 2 3", `t.raft:1:25: unexpected "3"`},
	{"drop S1->S2", `t.raft:1:12: expected a message type like vote or append, got end of line`},
	{"drop S1 S2 vote", `t.raft:1:9: expected -> between two servers, like S1->S2, got "S2"`},
	{"drop S9->S2 vote", `t.raft:1:6: S9: no such server (servers are S1..S5)`},
	{"duplicate S2->S1 heartbeet", `t.raft:1:18: unknown message type "heartbeet" (did you mean "heartbeat"?)`},
	{"duplicate S2->S1 vote -1", `t.raft:1:23: expected the message's place in the order sent (1 for the oldest), got "-1"`},
	{"delivr S1->S2 vote", `t.raft:1:1: unknown command "delivr" (did you mean "deliver"?)`},

	// Rates and latency.
	{"drop 1.5", `t.raft:1:6: expected a probability between 0 and 1, got "1.5"`},
	{"drop -0.1", `t.raft:1:6: expected a probability between 0 and 1, got "-0.1"`},
	{"drop abc", `t.raft:1:6: expected a probability between 0 and 1, got "abc"`},
	{"drop 1e-3", `t.raft:1:6: expected a probability between 0 and 1, got "1e-3"`},
	{"drop NaN", `t.raft:1:6: expected a probability between 0 and 1, got "NaN"`},
	{"duplicate", `t.raft:1:10: expected a probability between 0 and 1, got end of line`},
	{"latency 20-10ms", `t.raft:1:9: range "20-10ms" has min greater than max`},
	{"latency 10-20", `t.raft:1:9: expected a range like 150-300ms, got "10-20"`},
	{"latency abc", `t.raft:1:9: expected a duration or a range like 150-300ms, got "abc"`},
	{"latency -20ms", `t.raft:1:9: expected a range like 150-300ms, got "-20ms"`},
	{"latency 10-90000s", `t.raft:1:9: duration "90000s" is too long (max 24h)`},

	// Time.
	{"run", `t.raft:1:4: expected a duration like 300ms, or until, got end of line`},
	{"run 300", `t.raft:1:5: expected a duration like 300ms or 2s, got "300"`},
	{"run foo", `t.raft:1:5: expected a duration like 300ms, or until, got "foo"`},
	{"run unitl leader", `t.raft:1:5: expected a duration like 300ms, or until, got "unitl" (did you mean "until"?)`},
	{"run until", `t.raft:1:10: expected a condition like leader or committed 3, got end of line`},
	{"run until leader within", `t.raft:1:24: expected a duration like 300ms or 2s, got end of line`},
	{"run until leader within 0ms", `t.raft:1:25: the limit of run until must be more than 0ms`},
	{"run until leader within 2", `t.raft:1:25: expected a duration like 300ms or 2s, got "2"`},
	{"run until leader S1 term 3", `t.raft:1:21: unexpected "term" (join conditions with and)`},
	{"run until leader and", `t.raft:1:21: expected a condition like leader or committed 3, got end of line`},
	{"run until leader within 2s extra", `t.raft:1:28: unexpected "extra"`},
	{"step 0", `t.raft:1:6: expected a number of events between 1 and 1000000, got 0`},
	{"step 1000001", `t.raft:1:6: expected a number of events between 1 and 1000000, got 1000001`},
	{"step 99999999999999999999999", `t.raft:1:6: expected a number of events between 1 and 1000000, got 99999999999999999999999`},
	{"step x", `t.raft:1:6: expected a number of events, got "x"`},
	{"step -1", `t.raft:1:6: expected a number of events, got "-1"`},

	// Conditions.
	{"expect", `t.raft:1:7: expected a condition like leader or committed 3, got end of line`},
	{"expect leadr", `t.raft:1:8: unknown condition "leadr" (did you mean "leader"?)`},
	{"expect leader within 2s", `t.raft:1:15: within is only allowed after run until`},
	{"expect leader S1 S2", `t.raft:1:18: unexpected "S2"`},
	{"expect time >= 5", `t.raft:1:16: expected a duration like 300ms or 2s, got "5"`},
	{"expect elections", `t.raft:1:17: expected a count, got end of line`},
	{"expect elections >= x", `t.raft:1:21: expected a count, got "x"`},
	{"expect elections => 2", `t.raft:1:18: unknown comparison "=>" (use = != < <= > >=)`},
	{"expect answered -1", `t.raft:1:17: expected a count, got "-1"`},
	{"expect answered 5s", `t.raft:1:17: expected a count, got "5s"`},
	{"expect election 2", `t.raft:1:8: unknown condition "election" (did you mean "elections"?)`},
	{"expect answered > 10 elections 2", `t.raft:1:22: unexpected "elections" (join conditions with and)`},
	{"expect time => 5s", `t.raft:1:13: unknown comparison "=>" (use = != < <= > >=)`},
	{"expect time S1 5s", `t.raft:1:13: expected a duration like 300ms or 2s, got "S1"`},
	{"expect leader S1 and", `t.raft:1:21: expected a condition like leader or committed 3, got end of line`},
	{"expect voted S4 to S3", `t.raft:1:17: expected "for", got "to"`},
	{"expect denied S4 for S3", `t.raft:1:18: expected "to", got "for"`},
	{"expect voted S4 for", `t.raft:1:20: expected a server like S1, got end of line`},
	{"expect elected S3 in", `t.raft:1:21: expected a term number, got end of line`},
	{"expect elected S3 in 0", `t.raft:1:22: expected a term number between 1 and 1000000000, got 0`},
	{"expect denied S4 to S3 because tired", `t.raft:1:32: unknown reason "tired" (reasons: already-voted, log-older-term, log-shorter, stale-term, leader-alive)`},
	{"expect denied S4 to S3 because log-short", `t.raft:1:32: unknown reason "log-short" (did you mean "log-shorter"?)`},
	{"expect denied S4 to S3 because", `t.raft:1:31: expected a reason like already-voted, got end of line`},
	{"expect removed S1", `t.raft:1:18: expected a log entry like 2:b, got end of line`},
	{"expect removed S1 b", `t.raft:1:19: expected a log entry like 1:x (term:command), got "b"`},
	{"expect removed S1 2:b 3:c", `t.raft:1:23: unexpected "3:c"`},
	{"expect rejected S5 to S2", `t.raft:1:20: expected "from", got "to"`},
	{"expect rejected S5 from S2 because stale", `t.raft:1:36: unknown reason "stale" (reasons: missing-prev, prev-mismatch)`},
	{"expect held S1", `t.raft:1:15: expected a log index, got end of line`},
	{"expect leads", `t.raft:1:13: expected a server like S1, got end of line`},
	{"expect votedfor", `t.raft:1:16: expected a server like S1, got end of line`},
	{"expect votedfor S2", `t.raft:1:19: expected a server like S1, or none, got end of line`},
	{"expect votedfor S2 and leader", `t.raft:1:20: expected a server like S1, or none, got "and"`},
	{"expect votedfor S2 nobody", `t.raft:1:20: expected a server like S1, or none, got "nobody"`},
	{"expect votedfor S2 non", `t.raft:1:20: expected a server like S1, or none, got "non" (did you mean "none"?)`},
	{"expect votedfor S2 S7", `t.raft:1:20: S7: no such server (servers are S1..S5)`},
	{"expect votedfor S2 S1 S3", `t.raft:1:23: unexpected "S3"`},
	{"expect votedfr S2 S1", `t.raft:1:8: unknown condition "votedfr" (did you mean "votedfor"?)`},
	{`why "because"`, `t.raft:1:1: why must follow a choice or the goal (it explains that answer or why the goal holds)`},
	{"question \"q\"\nchoice \"a\" when safe\nrun 1s\nwhy \"late\"", `t.raft:4:1: why must follow a choice or the goal (it explains that answer or why the goal holds)`},
	{"goal safe\nwhy \"a\"\nwhy \"b\"", `t.raft:3:1: why given twice for the same choice or goal`},
	{"goal safe\nwhy", `t.raft:2:4: expected an explanation in double quotes, like "...", got end of line`},
	{"expect role S1 king", `t.raft:1:16: unknown role "king" (roles: follower, candidate, leader, precandidate)`},
	{"expect role S1 candidat", `t.raft:1:16: unknown role "candidat" (did you mean "candidate"?)`},
	{"expect role S1", `t.raft:1:15: expected a role like leader, got end of line`},
	{"expect term", `t.raft:1:12: expected a term number, got end of line`},
	{"expect term S1", `t.raft:1:15: expected a term number, got end of line`},
	{"expect term S1 == 3", `t.raft:1:16: unknown comparison "==" (use = != < <= > >=)`},
	{"expect term S1 >= x", `t.raft:1:19: expected a term number, got "x"`},
	{"expect committed", `t.raft:1:17: expected a log index, got end of line`},
	{"expect committed x", `t.raft:1:18: expected a log index, got "x"`},
	{"expect committed 3 on", `t.raft:1:22: expected servers or all after on, got end of line`},
	{"expect committed 3 on S1 S1", `t.raft:1:26: S1 is listed twice`},
	{"expect committed 3 on everyone", `t.raft:1:23: expected a server like S1, got "everyone"`},
	{"expect log S1", `t.raft:1:14: expected log entries like 1:x 1:y, or empty, got end of line`},
	{"expect log S1 x", `t.raft:1:15: expected a log entry like 1:x (term:command), got "x"`},
	{"expect log S1 0:x", `t.raft:1:15: expected a log entry like 1:x whose term is a number from 1 to 1000000000, got "0:x"`},
	{"expect log S1 a:x", `t.raft:1:15: expected a log entry like 1:x whose term is a number from 1 to 1000000000, got "a:x"`},
	{"expect log S1 1:", `t.raft:1:15: missing command after "1:" (write 1:x, 1:"x y" or 1:- for an empty entry)`},
	{`expect log S1 1: "x"`, `t.raft:1:15: missing command after "1:" (write 1:x, 1:"x y" or 1:- for an empty entry)`},
	{`expect log S1 1:""`, `t.raft:1:17: empty command`},
	{"expect log S1 1:5", `t.raft:1:17: command "5" looks like a number; put it in double quotes`},
	{"expect log S1 1:x 2:and", `t.raft:1:21: command "and" is a reserved word; put it in double quotes`},
	{"expect applied S1", `t.raft:1:18: expected applied commands like x y, or empty, got end of line`},
	{"expect applied S1 and", `t.raft:1:19: expected applied commands like x y, or empty, got "and"`},
	{"expect violation log-match", `t.raft:1:18: unknown safety property "log-match" (did you mean "log-matching"?)`},
	{"expect violation foo", `t.raft:1:18: unknown safety property "foo" (properties: election-safety, leader-append-only, log-matching, leader-completeness, state-machine-safety, term-monotonic, commit-monotonic)`},
	{"expect crashed", `t.raft:1:15: expected a server like S1, got end of line`},
	{"expect up S10", `t.raft:1:11: S10: no such server (servers are S1..S5)`},
	{"expect leader none S1", `t.raft:1:20: unexpected "S1"`},

	// Text.
	{"say hello", `t.raft:1:5: expected text to say in double quotes, like "...", got "hello"`},
	{`say ""`, `t.raft:1:5: empty string`},
	{`say "unterminated`, `t.raft:1:5: unterminated string (missing closing ")`},
	{`say "a\`, `t.raft:1:5: unterminated string (missing closing ")`},
	{`say "bad \q escape"`, `t.raft:1:10: unknown escape \q in string (use \" \\ \n or \t)`},
	{`say "a" "b"`, `t.raft:1:9: unexpected string "b"`},
	{"say \"a\x01\"", `t.raft:1:7: unexpected control character U+0001`},
	{"say \"a\xff\"", `t.raft:1:7: invalid UTF-8`},
	{"timeout\u3000S1", `t.raft:1:8: unexpected U+3000 (a non-ASCII space); use an ordinary space`},
	{"timeout S1\r\ntimeout S1\rx", `t.raft:2:11: unexpected control character U+000D`},
	{`say "` + strings.Repeat("字", 1001) + `"`, `t.raft:1:5: string too long (more than 1000 characters)`},
	{"pause now", `t.raft:1:7: unexpected "now"`},
	{"title", `t.raft:1:6: expected a title in double quotes, like "...", got end of line`},
	{"title \"a\"\ntitle \"b\"", `t.raft:2:1: title given twice`},

	// cluster.
	{"cluster", `t.raft:1:8: expected the number of servers, got end of line`},
	{"cluster 0", `t.raft:1:9: expected the number of servers between 1 and 9, got 0`},
	{"cluster 10", `t.raft:1:9: expected the number of servers between 1 and 9, got 10`},
	{"cluster x", `t.raft:1:9: expected the number of servers, got "x"`},
	{"cluster 5 sed=3", `t.raft:1:11: unknown cluster option "sed" (did you mean "seed"?)`},
	{"cluster 5 foo=3", `t.raft:1:11: unknown cluster option "foo" (options: seed, election, heartbeat, latency, drop, duplicate)`},
	{"cluster 5 seed", `t.raft:1:11: expected an option like seed=42, got "seed"`},
	{"cluster 5 seed=", `t.raft:1:16: expected a seed (a whole number), got ""`},
	{"cluster 5 seed=-1", `t.raft:1:16: expected a seed (a whole number), got "-1"`},
	{"cluster 5 seed=18446744073709551616", `t.raft:1:16: seed 18446744073709551616 is too large (max 18446744073709551615)`},
	{"cluster 5 seed=1 seed=2", `t.raft:1:18: option seed given twice`},
	{"cluster 5 election=300-150ms", `t.raft:1:20: range "300-150ms" has min greater than max`},
	{"cluster 5 election=0-10ms", `t.raft:1:20: the election timeout must be more than 0ms`},
	{"cluster 5 heartbeat=0ms", `t.raft:1:21: the heartbeat interval must be more than 0ms`},
	{"cluster 5 heartbeat=5", `t.raft:1:21: expected a duration like 300ms or 2s, got "5"`},
	{"cluster 5 latency=x", `t.raft:1:19: expected a duration or a range like 150-300ms, got "x"`},
	{"cluster 5 drop=2", `t.raft:1:16: expected a probability between 0 and 1, got "2"`},
	{"cluster 5 duplicate=0.5x", `t.raft:1:21: expected a probability between 0 and 1, got "0.5x"`},
	{`cluster 5 "seed=1"`, `t.raft:1:11: expected an option like seed=42, got string "seed=1"`},
	{"timeout S1\ncluster 3", `t.raft:2:1: cluster must come first, before any other command`},
	{"# comments first are fine\n\ntitle \"x\"\ncluster 3", `t.raft:4:1: cluster must come first, before any other command`},
	{"cluster 3\ncluster 3", `t.raft:2:1: cluster given twice`},

	// batch.
	{"batch", `t.raft:1:6: expected a batch size (the entries one AppendEntries carries at most), got end of line`},
	{"batch 0", `t.raft:1:7: expected a batch size (the entries one AppendEntries carries at most) between 1 and 64, got 0`},
	{"batch 65", `t.raft:1:7: expected a batch size (the entries one AppendEntries carries at most) between 1 and 64, got 65`},
	{"batch two", `t.raft:1:7: expected a batch size (the entries one AppendEntries carries at most), got "two"`},
	{"batch 2 entries", `t.raft:1:9: unexpected "entries"`},
	{"batch 2\nbatch 3", `t.raft:2:1: batch given twice`},
	{"timeout S1\nrun 1s\nbatch 2", `t.raft:3:1: batch sets the cluster up: write it before the first run or step`},
	{"step\nbatch 2", `t.raft:2:1: batch sets the cluster up: write it before the first run or step`},
	{"cluster 3\nbtach 2", `t.raft:2:1: unknown command "btach" (did you mean "batch"?)`},
	{"goal safe\nsolution\nbatch 2", `t.raft:3:1: "batch" is not allowed in the solution (only actions, run and step)`},
	{"batch 2\ncluster 3", `t.raft:2:1: cluster must come first, before any other command`},

	// Exercises.
	{"goal leader\ngoal safe", `t.raft:2:1: goal given twice (an exercise has one goal; join conditions with and)`},
	{"goal", `t.raft:1:5: expected a condition like leader or committed 3, got end of line`},
	{"goal leader within 1s", `t.raft:1:13: within is only allowed after run until`},
	{"goal leader\nallow crash\nallow heal", `t.raft:3:1: allow given twice (list all allowed actions on one line)`},
	{"goal leader\nallow crash crash", `t.raft:2:13: crash is listed twice`},
	{"goal leader\nallow crsh", `t.raft:2:7: unknown action "crsh" (did you mean "crash"?)`},
	{"goal leader\nallow clients", `t.raft:2:7: unknown action "clients" (did you mean "client"?)`},
	{"goal leader\nallow rule\nsolution\nclient every 100ms", `t.raft:4:1: the solution uses client, which the allow line does not list`},
	{"goal leader\nallow run", `t.raft:2:7: run needs no allow (run and step are always allowed)`},
	{"goal leader\nallow \"crash\"", `t.raft:2:7: expected an action like crash, got string "crash"`},
	{"goal leader\nallow crash\nsolution\npartition S1 | S2", `t.raft:4:1: the solution uses partition, which the allow line does not list`},
	{"goal leader\nallow drop\nsolution\ndrop next S1->S2\nlatency 5ms", `t.raft:5:1: the solution uses latency, which the allow line does not list`},
	{"goal leader\nsolution", `t.raft:2:1: solution has no commands (write the reference solution on the lines after it)`},
	{"goal leader\nsolution\n# only a comment\n", `t.raft:2:1: solution has no commands (write the reference solution on the lines after it)`},
	{"goal leader\nsolution\nsay \"x\"", `t.raft:3:1: "say" is not allowed in the solution (only actions, run and step)`},
	{"goal leader\nsolution\nexpect leader", `t.raft:3:1: "expect" is not allowed in the solution (only actions, run and step)`},
	{"goal leader\nsolution\nsolution", `t.raft:3:1: "solution" is not allowed in the solution (only actions, run and step)`},
	{"goal leader\nsolution now", `t.raft:2:10: unexpected "now"`},
	{"allow crash", `t.raft:1:1: allow without goal (allow, hint and solution are for exercises; add a goal line)`},
	{"hint \"x\"", `t.raft:1:1: hint without goal (allow, hint and solution are for exercises; add a goal line)`},
	{"solution\nrun 1s", `t.raft:1:1: solution without goal (allow, hint and solution are for exercises; add a goal line)`},
	{"goal leader\nhint", `t.raft:2:5: expected a hint in double quotes, like "...", got end of line`},
	{"goal leader\nhint x", `t.raft:2:6: expected a hint in double quotes, like "...", got "x"`},

	// Questions.
	{"choice \"a\" when leader", `t.raft:1:1: choice without a question (a choice must follow its question or another choice)`},
	{"question \"q\"\nrun 1s\nchoice \"a\" when leader", "t.raft:1:1: question has no choices (add lines like choice \"...\" when COND)\n" +
		"t.raft:3:1: choice without a question (a choice must follow its question or another choice)"},
	{"question", `t.raft:1:9: expected a question in double quotes, like "...", got end of line`},
	{"question \"q\"", `t.raft:1:1: question has no choices (add lines like choice "..." when COND)`},
	{"question \"q\"\nchoice \"a\"", `t.raft:2:11: expected "when", got end of line`},
	{"question \"q\"\nchoice \"a\" leader", `t.raft:2:12: expected "when", got "leader"`},
	{"question \"q\"\nchoice \"a\" when", `t.raft:2:16: expected a condition like leader or committed 3, got end of line`},
	{"question \"q\"\nchoice a when leader", `t.raft:2:8: expected a choice in double quotes, like "...", got "a"`},
	{"question \"q\"\nchoice \"a\" when leader within 1s", `t.raft:2:24: within is only allowed after run until`},
	{"question \"q\nchoice \"a\" when leader", `t.raft:1:10: unterminated string (missing closing ")`},
	{"question \"\"\nchoice \"a\" when leader", `t.raft:1:10: empty string`},
	{"goal leader\nsolution\nquestion \"q\"", `t.raft:3:1: "question" is not allowed in the solution (only actions, run and step)`},

	// Limits and error collection.
	{`say "` + strings.Repeat("x", 4100) + `"`, `t.raft:1:1: line too long (4106 bytes; max 4096)`},
	{strings.Repeat("\n", 10000) + "x", `t.raft:10001:1: too many lines (more than 10000)`},
	{"crsh S1\nrn 1s\n\nexpect leadr\ntimeout S9 S9\n", "t.raft:1:1: unknown command \"crsh\" (did you mean \"crash\"?)\n" +
		"t.raft:2:1: unknown command \"rn\" (did you mean \"run\"?)\n" +
		"t.raft:4:8: unknown condition \"leadr\" (did you mean \"leader\"?)\n" +
		"t.raft:5:9: S9: no such server (servers are S1..S5)"},
}

func TestErrorListShape(t *testing.T) {
	// At most MaxErrors errors, one per line, in line order.
	_, err := Parse("f.raft", strings.Repeat("bogus\n", 30))
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %T is not an ErrorList", err)
	}
	if len(list) != MaxErrors {
		t.Fatalf("got %d errors, want %d", len(list), MaxErrors)
	}
	for i, e := range list {
		if e.Pos.Line != i+1 || e.Pos.File != "f.raft" || e.Pos.Col != 1 {
			t.Errorf("error %d at %v", i, e.Pos)
		}
	}
	var one *Error
	if !errors.As(err, &one) || one.Msg != `unknown command "bogus"` {
		t.Errorf("errors.As(*Error) = %v", one)
	}
	if s := (&Error{Pos: Pos{"a.raft", 3, 7}, Msg: "boom"}).Error(); s != "a.raft:3:7: boom" {
		t.Errorf("Error() = %q", s)
	}

	// Good lines between bad ones still parse; only one error per line.
	_, err = Parse("f.raft", "timeout S1\ntimeout S9 extra\nrun 1s\n")
	if err == nil || err.Error() != "f.raft:2:9: S9: no such server (servers are S1..S5)" {
		t.Errorf("got %v", err)
	}
}

func TestLimitsAccepted(t *testing.T) {
	// Exactly at the limits is fine.
	src := strings.Repeat("# c\n", MaxLines-1) + "step 1000000\n"
	if _, err := Parse("t.raft", src); err != nil {
		t.Errorf("MaxLines lines: %v", err)
	}
	line := `say "` + strings.Repeat("x", MaxTextRunes) + `"`
	line += strings.Repeat(" ", MaxLineBytes-len(line))
	if _, err := Parse("t.raft", line); err != nil {
		t.Errorf("a %d-byte line: %v", len(line), err)
	}
	if _, err := Parse("t.raft", `say "`+strings.Repeat("字", MaxTextRunes)+`"`); err != nil {
		t.Errorf("%d runes of Chinese: %v", MaxTextRunes, err)
	}
	if _, err := Parse("t.raft", "run 86400000ms\nrun 86400s\nrun 86400.000s\nrun 0ms"); err != nil {
		t.Errorf("24h: %v", err)
	}
}
