//go:build browser

package main

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

func TestDiagStartup(t *testing.T) {
	site := staticSite(t)
	all := map[string][]float64{}
	var order []string
	for i := 0; i < 7; i++ {
		br := newBrowser(t, 1280, 900, false)
		if _, err := chromedp.Call(br.ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{Source: runningProbe}); err != nil {
			t.Fatal(err)
		}
		br.do(t, chromedp.Navigate("about:blank"))
		if _, err := chromedp.Call(br.ctx, network.ClearBrowserCache, cdp.Empty{}); err != nil {
			t.Fatal(err)
		}
		br.do(t, chromedp.Navigate(site+"/playground/index.html"))
		waitFor(t, br, `window.__runningAt > 0`, 20*time.Second)
		s := eval[string](t, br, `(() => { const n = performance.getEntriesByType('navigation')[0]; const r = performance.getEntriesByType('resource'); const w = r.find(e => e.name.endsWith('.wasm')) || {}; const a = r.find(e => e.name.includes('app.')) || {}; let s = 'app-arrived ' + a.responseEnd + '\nwasm-arrived ' + w.responseEnd + '\nfcp ' + (performance.getEntriesByName('first-contentful-paint')[0]||{}).startTime + '\n'; for (const e of performance.getEntriesByType('mark')) s += e.name + ' ' + e.startTime + '\n'; s += 'dcl ' + n.domContentLoadedEventEnd + '\nrunning ' + window.__runningAt; return s; })()`)
		for _, l := range strings.Split(s, "\n") {
			var k string
			var v float64
			fmt.Sscanf(l, "%s %f", &k, &v)
			if _, ok := all[k]; !ok {
				order = append(order, k)
			}
			all[k] = append(all[k], v)
		}
		br.close()
	}
	sort.SliceStable(order, func(i, j int) bool { return median(all[order[i]]) < median(all[order[j]]) })
	for _, k := range order {
		fmt.Printf("%-16s %6.0f\n", k, median(all[k]))
	}
}
