//go:build js && wasm

// Command explorer is the exhaustive search (raft/explore) in the
// browser, in a worker of its own: the page loads it only when a learner
// asks for a search, so the page's simulator carries none of it.
//
// It puts one object, globalThis.raftplayExplorer, in the worker, with one
// function: search(request, progress) runs a search (package job) and
// answers with its JSON text, calling progress(json) as it goes. It then
// calls globalThis.__raftplayExplorerReady(api), if the worker left one.
package main

import (
	"github.com/hack-pad/safejs"

	"raftplay/wasm/explorer/job"
)

func main() {
	search, err := safejs.FuncOf(func(_ safejs.Value, args []safejs.Value) any {
		if len(args) < 1 || args[0].Type() != safejs.TypeString {
			return `{"code":"bad-request","error":"search takes a request as a JSON text"}`
		}
		req, err := args[0].String()
		if err != nil {
			return `{"code":"bad-request","error":"the request could not be read"}`
		}
		var progress func(string)
		if len(args) > 1 && args[1].Type() == safejs.TypeFunction {
			report := args[1]
			progress = func(p string) { _, _ = report.Invoke(p) }
		}
		return job.Run(req, progress)
	})
	if err != nil {
		panic(err)
	}
	api, err := safejs.ValueOf(map[string]any{})
	if err != nil {
		panic(err)
	}
	if err := api.Set("search", search.Value()); err != nil {
		panic(err)
	}
	global := safejs.Global()
	if err := global.Set("raftplayExplorer", api); err != nil {
		panic(err)
	}
	if ready, err := global.Get("__raftplayExplorerReady"); err == nil && ready.Type() == safejs.TypeFunction {
		_, _ = ready.Invoke(api)
	}
	select {}
}
