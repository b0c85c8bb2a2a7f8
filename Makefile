# raftplay: a Raft playground that runs in the browser.
# The two commands that matter: `make serve` and `make test`.

GO        ?= go
WASM_EXEC := $(shell $(GO) env GOROOT)/lib/wasm/go_js_wasm_exec

.PHONY: serve site bundle test vet unit jstest wasmtest check browser sweep wasm bench bench-wasm bench-memory fuzz

# serve: build the wasm and the site, and serve them (rebuilt as sources change).
serve:
	$(GO) run ./site serve

site:
	$(GO) run ./site build -out dist/site

bundle:
	$(GO) run ./site bundle -out dist/raftplay-offline.zip

test: vet unit jstest wasmtest check browser sweep

vet:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...

unit:
	$(GO) test -count=1 ./...

# The front end's modules that do not touch the page, tested by node's own
# test runner (no packages).
jstest:
	node --test site/web/js/*.test.mjs

# The engine, simulator, scenarios and the bridge under WebAssembly (node),
# including the check that trace hashes equal the native ones.
wasmtest:
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(WASM_EXEC)" ./wasm/... ./raft/...

# Every scenario of the scenario tests and of the lessons runs and holds,
# under each of the seeds 1..500, not only the one it ships with.
check:
	$(GO) run ./site check -seeds 500 raft/scenario/testdata lessons

# The pages in headless Chromium (chromedp): the playground, every lesson in
# both languages, an exercise and the progress kept, the static site under a
# sub-path (and its 404 page), the offline bundle from file://, a lost wasm,
# phone width and dark mode (screenshots in dist/screenshots). They take
# about ten minutes on two cores, longer on a loaded machine, so go test's
# default ten-minute limit is raised. Skipped, saying so, when chromium is
# missing, unless RAFTPLAY_REQUIRE_BROWSER=1 (as in CI), which makes that a
# failure.
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then \
		$(GO) test -count=1 -timeout 40m -tags browser -run '^TestBrowser' ./site; \
	elif [ "$$RAFTPLAY_REQUIRE_BROWSER" = 1 ]; then \
		echo "browser tests: chromium is not installed and RAFTPLAY_REQUIRE_BROWSER=1"; exit 1; \
	else \
		echo "browser tests SKIPPED: chromium is not installed (apt-get install -y chromium)"; \
	fi

# The safety sweep: 10,000 seeded runs of 10 s of virtual time under random
# faults, every invariant checked after every event, and liveness checked
# in each run's quiet tail; then 3,000 runs with every optional rule on;
# then 2,000 runs of the partial style (links cut one way or both, flaky
# links), kept out of the default rotation, with the default rules and
# with every optional rule on.
ALLRULES = -rule leader-noop=on -rule prevote=on -rule check-quorum=on -rule vote-lease=on
sweep:
	$(GO) run ./site sweep -seeds 10000
	$(GO) run ./site sweep -seeds 3000 $(ALLRULES)
	$(GO) run ./site sweep -seeds 2000 -style partial
	$(GO) run ./site sweep -seeds 2000 -style partial $(ALLRULES)

wasm:
	$(GO) run ./site wasm -out dist/raftplay.wasm

bench:
	$(GO) test -run '^$$' -bench . -skip 'Memory' -benchmem ./raft/... ./wasm/bridge

# Memory over long runs: the crash workload's live heap at 60 to 2,400 s of
# virtual time (linear: the last two within 2.2x), and a 9-server cluster
# left running 24 hours (live heap, and 100 random seeks), natively and
# through the bridge under node (the wasm memory, as the page holds it).
bench-memory: wasm
	$(GO) test -run '^$$' -bench 'Memory' -benchtime 1x ./raft/sim
	node wasm/bench/memory.mjs "$$($(GO) env GOROOT)" dist/raftplay.wasm 24

# The same 5-server workload natively and under node: events per second
# of each and the ratio. Two rounds, native and wasm in turn (spreading
# the shared machine's changing load over both sides), of ten runs of 40
# clusters in one process. The first five runs of each process are
# warm-up: under node the code runs ~1.6x slower until V8 has optimized
# its hottest functions, which here took from one to six runs. The
# figures are the medians of the other ten runs per side; a wasm
# process's first run is reported too, as "cold".
bench-wasm:
	@rm -f dist-bench-*.txt; for round in 1 2; do \
	  $(GO) test -run '^$$' -bench 'Events/notrace' -benchtime 40x -count 10 ./raft/sim | tee dist-bench-run.txt || exit 1; \
	  grep -o '[0-9.]* events/s' dist-bench-run.txt | sed 1,5d >> dist-bench-native.txt; \
	  GOOS=js GOARCH=wasm $(GO) test -run '^$$' -bench 'Events/notrace' -benchtime 40x -count 10 -exec="$(WASM_EXEC)" ./raft/sim | tee dist-bench-run.txt || exit 1; \
	  grep -o '[0-9.]* events/s' dist-bench-run.txt | sed -n 1p >> dist-bench-cold.txt; \
	  grep -o '[0-9.]* events/s' dist-bench-run.txt | sed 1,5d >> dist-bench-wasm.txt; \
	done
	@n=$$(awk '{print $$1}' dist-bench-native.txt | sort -n | sed -n 5p); \
	 w=$$(awk '{print $$1}' dist-bench-wasm.txt | sort -n | sed -n 5p); \
	 c=$$(awk '{print $$1}' dist-bench-cold.txt | sort -n | sed -n 1p); \
	 echo "median events/s after warm-up: native $$n, wasm $$w: wasm is $$(echo "scale=2; $$n/$$w" | bc)x slower"; \
	 echo "a wasm process's first run (cold, the slower of two): $$c events/s, $$(echo "scale=2; $$n/$$c" | bc)x slower"; \
	 rm -f dist-bench-*.txt

# Every fuzzer for a short while: the engine's Step and state encoding, the scenario parser,
# solution codes as verify reads them, and a lesson's ::: details sections.
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzStep$$' -fuzztime 30s ./raft/
	$(GO) test -run '^$$' -fuzz '^FuzzLoadState$$' -fuzztime 30s ./raft/
	$(GO) test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s ./raft/scenario/
	$(GO) test -run '^$$' -fuzz '^FuzzSolutionCode$$' -fuzztime 30s ./site/
	$(GO) test -run '^$$' -fuzz '^FuzzDetails$$' -fuzztime 30s ./site/
