// Command raftplay is the Raft playground's tool: it serves and builds the
// site, runs and checks scenarios, and sweeps the engine for safety bugs.
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
)

// command is one subcommand: run it with its arguments, get an exit status.
type command struct {
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

var commands = map[string]command{
	"sweep":   {"run seeded simulations with random faults and check every invariant", runSweep},
	"explore": {"search every schedule of a small cluster for the shortest that breaks an invariant", runExplore},
	"demo":    {"run a cluster and print its narrated trace", runDemo},
	"run":     {"run the scenarios of .raft or .md files, printing the narrated trace", runRun},
	"check":   {"check every scenario, exercise and question under the given paths", runCheck},
	"wasm":    {"build raftplay.wasm and report its size against the budgets", runWasm},
	"serve":   {"build the site and serve it, rebuilding what changes", runServe},
	"build":   {"write the static site (default dist/site)", runBuild},
	"bundle":  {"write the offline lesson bundle, a zip that opens from file://", runBundle},
	"verify":  {"replay exercise solution codes and say which solve their exercise", runVerify},
	"rules":   {"list the engine's rules: name, default, kind and what each does", runRules},
	"outage":  {"replay a partial network failure: elections and commits per minute, with and without prevote and check-quorum", runOutage},
}

func main() {
	os.Exit(dispatch(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses shared by the subcommands.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func dispatch(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "raftplay: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	return cmd.run(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: raftplay <command> [flags]")
	fmt.Fprintln(w, "\ncommands:")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-8s %s\n", name, commands[name].summary)
	}
	fmt.Fprintln(w, "\nrun 'raftplay <command> -h' for a command's flags")
}
