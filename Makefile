# raftplay: a Raft playground that runs in the browser.
# The two commands that matter: `make serve` and `make test`.

GO        ?= go
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec

.PHONY: serve site bundle test vet unit wasmtest check browser sweep wasm bench bench-wasm fuzz

# serve: build the wasm and the site, and serve them (rebuilt as sources change).
serve:
	$(GO) run ./site serve

site:
	$(GO) run ./site build -out dist/site

bundle:
	$(GO) run ./site bundle -out dist/raftplay-offline.zip

test: vet unit wasmtest check browser sweep

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...

unit:
	$(GO) test -count=1 ./...

# The engine, simulator, scenarios and the bridge under WebAssembly (node),
# including the check that trace hashes equal the native ones.
wasmtest:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASM_EXEC)" ./wasm/... ./raft/...

# Every scenario of the scenario tests and of the lessons runs and holds.
check:
	$(GO) run ./site check raft/scenario/testdata lessons

# The pages in headless Chromium (chromedp): the playground, every lesson in
# both languages, an exercise and the progress kept, the static site under a
# sub-path (and its 404 page), the offline bundle from file://, a lost wasm,
# phone width and dark mode (screenshots in dist/screenshots). Skipped, saying so, when chromium is missing, unless
# RAFTPLAY_REQUIRE_BROWSER=1 (as in CI), which makes that a failure.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		$(GO) test -count=1 -tags browser -run '^TestBrowser' ./site; \
	elif [ "$$RAFTPLAY_REQUIRE_BROWSER" = 1 ]; then \
		echo "browser tests: chromium is not installed and RAFTPLAY_REQUIRE_BROWSER=1"; exit 1; \
	else \
		echo "browser tests SKIPPED: chromium is not installed (apt-get install -y chromium)"; \
	fi

# The safety sweep: 10,000 seeded runs of 10 s of virtual time under random
# faults, every invariant checked after every event, and liveness checked
# in each run's quiet tail.
sweep:
	$(GO) run ./site sweep -seeds 10000

wasm:
	$(GO) run ./site wasm -out dist/raftplay.wasm

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./raft/... ./wasm/bridge

# The same 5-server workload natively and under node: events per second
# of each (medians of 5) and the ratio.
bench-wasm:
	@$(GO) test -run '^$$' -bench 'Events/notrace' -count 5 ./raft/sim | tee dist-bench-native.txt
	@GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench 'Events/notrace' -count 5 -exec="$(WASM_EXEC)" ./raft/sim | tee dist-bench-wasm.txt
	@n=$$(grep -o '[0-9.]* events/s' dist-bench-native.txt | awk '{print $$1}' | sort -n | sed -n 3p); \
	 w=$$(grep -o '[0-9.]* events/s' dist-bench-wasm.txt | awk '{print $$1}' | sort -n | sed -n 3p); \
	 echo "median events/s: native $$n, wasm $$w, wasm is $$(echo "scale=2; $$n/$$w" | bc)x slower"; \
	 rm -f dist-bench-native.txt dist-bench-wasm.txt

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./raft/scenario/
