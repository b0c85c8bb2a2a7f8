//go:build browser

package main

import (
	"encoding/json"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceEvent is the part of a Chrome trace event the busy benchmark reads.
type traceEvent struct {
	Name string          `json:"name"`
	Ph   string          `json:"ph"`
	Ts   float64         `json:"ts"`  // µs
	Dur  float64         `json:"dur"` // µs, for complete events
	Pid  int             `json:"pid"`
	Tid  int             `json:"tid"`
	Args json.RawMessage `json:"args"`
}

// scriptEvents are the trace events in which the page's script runs.
var scriptEvents = map[string]bool{
	"FunctionCall": true, "EvaluateScript": true, "FireAnimationFrame": true, "TimerFire": true,
	"EventDispatch": true, "v8.callFunction": true, "V8.Execute": true,
}

// mainThreadShares reads a trace of the renderer's main thread over a
// window of ms milliseconds: the share of it spent in tasks (busy), in
// script, and in style, layout and paint.
func mainThreadShares(evs []traceEvent, ms float64) (busy, script, layout float64) {
	main := map[[2]int]bool{}
	for _, e := range evs {
		if e.Ph == "M" && e.Name == "thread_name" {
			var a struct{ Name string }
			if json.Unmarshal(e.Args, &a) == nil && a.Name == "CrRendererMain" {
				main[[2]int{e.Pid, e.Tid}] = true
			}
		}
	}
	// The time inside each kind, counting nested events once.
	union := func(keep func(string) bool) float64 {
		type span struct{ a, b float64 }
		var ss []span
		for _, e := range evs {
			if e.Ph == "X" && main[[2]int{e.Pid, e.Tid}] && keep(e.Name) {
				ss = append(ss, span{e.Ts, e.Ts + e.Dur})
			}
		}
		sort.Slice(ss, func(i, j int) bool { return ss[i].a < ss[j].a })
		total, end := 0.0, -1.0
		for _, s := range ss {
			if s.a > end {
				total += s.b - s.a
				end = s.b
			} else if s.b > end {
				total += s.b - end
				end = s.b
			}
		}
		return total / 1000 / ms
	}
	busy = union(func(n string) bool { return n == "RunTask" })
	script = union(func(n string) bool { return scriptEvents[n] })
	layout = union(func(n string) bool {
		return n == "Layout" || n == "UpdateLayoutTree" || n == "Paint" || n == "PrePaint" || n == "Layerize" || n == "Commit"
	})
	return
}

// BenchmarkBrowserBusy plays the playground (five servers, normal speed)
// for 10 s under a trace of the renderer and reports how busy its main
// thread was, and how much of that was script and how much style, layout
// and paint: medians over b.N runs (-benchtime 5x for the README).
func BenchmarkBrowserBusy(b *testing.B) {
	site := staticSite(b)
	br := newBrowser(b, 1280, 800, false)
	br.do(b, chromedp.Navigate(site+"/playground/index.html"))
	waitFor(b, br, `document.querySelector('.raft-widget').dataset.leader`, 30*time.Second)
	var mu sync.Mutex
	var evs []traceEvent
	done := make(chan struct{}, 1)
	if err := chromedp.Listen(br.ctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			for _, v := range e.Value {
				var te traceEvent
				if json.Unmarshal(v, &te) == nil {
					evs = append(evs, te)
				}
			}
			mu.Unlock()
		case *tracing.EventTracingComplete:
			done <- struct{}{}
		}
	}); err != nil {
		b.Fatal(err)
	}
	const window = 10 * time.Second
	var busy, script, layout []float64
	for i := 0; i < b.N; i++ {
		mu.Lock()
		evs = nil
		mu.Unlock()
		if _, err := chromedp.Call(br.ctx, tracing.Start, tracing.StartParams{
			TransferMode: tracing.StartTransferModeReportEvents,
			TraceConfig:  &tracing.TraceConfig{IncludedCategories: []string{"devtools.timeline", "disabled-by-default-devtools.timeline", "toplevel", "v8.execute"}},
		}); err != nil {
			b.Fatal(err)
		}
		time.Sleep(window)
		if _, err := chromedp.Call(br.ctx, tracing.End, cdp.Empty{}); err != nil {
			b.Fatal(err)
		}
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			b.Fatal("the trace did not complete")
		}
		if eval[bool](b, br, `!document.querySelector('.raft-widget [data-action="pause"]')`) {
			b.Fatal("the playground stopped playing")
		}
		mu.Lock()
		bu, sc, la := mainThreadShares(evs, float64(window/time.Millisecond))
		mu.Unlock()
		busy, script, layout = append(busy, bu), append(script, sc), append(layout, la)
	}
	b.ReportMetric(100*median(busy), "%busy")
	b.ReportMetric(100*median(script), "%script")
	b.ReportMetric(100*median(layout), "%layout+paint")
}
