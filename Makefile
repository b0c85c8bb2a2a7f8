# raftplay: a Raft playground that runs in the browser.
# The two commands that matter: `make serve` and `make test`.

GO        ?= go
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec

.PHONY: serve test vet unit wasmtest sweep bench fuzz

# serve: until the site lands, run a narrated demo cluster in the terminal.
serve:
	$(GO) run ./site demo

test: vet unit sweep

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

unit:
	$(GO) test -count=1 ./...

# The safety sweep of the engine issue: 10,000 seeded runs of 10 s of
# virtual time under random faults, every invariant checked after every
# event, and liveness checked in each run's quiet tail.
sweep:
	$(GO) run ./site sweep -seeds 10000

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./raft/...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./raft/scenario/
