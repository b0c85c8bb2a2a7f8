// main.js: the entry point, bundled (with everything it imports) into one
// script. It turns every .raft-widget of the page into a live widget,
// loads the simulator (showing its progress in each widget), opens a
// shared run from the #run= fragment and mounts the widgets (which start
// playing as their page asks: see Widget.autoplay).
// Widgets report what the learner achieves as DOM events (see widget.js),
// which learner.js records as the learner's progress.

import { load, onDeath, isDead, how, mark } from './engine.js';
import { Widget } from './widget.js';
import { readFragment, decodeRun } from './share.js';
import { initProgress, attachWidgets } from './learner.js';
import { printOpen } from './print.js';

async function start() {
  mark('script');
  printOpen(window, document);
  let stay = true;
  try {
    stay = initProgress();
  } catch (e) {
    // Progress is an extra: the page works without it.
    console.error(e);
  }
  if (!stay) return;
  const roots = [...document.querySelectorAll('.raft-widget')];
  if (!roots.length) return;
  // Start loading the simulator first: the widgets are built while it
  // downloads and compiles.
  let widgets = [];
  const loading = load(document.body.dataset.wasm || 'raftplay.wasm', f => widgets.forEach(w => w.loading(f)));
  loading.catch(() => {}); // handled where it is awaited below
  widgets = roots.map((r, i) => new Widget(r, i + 1));
  try {
    attachWidgets(widgets);
  } catch (e) {
    console.error(e);
  }
  // A shared run goes to the playground, or to the widget it names.
  const frag = readFragment();
  let target = null, run = null, bad = false;
  if (frag) {
    target = widgets[Math.min(frag.w, widgets.length) - 1];
    try { run = await decodeRun(frag.run); } catch (e) { bad = true; }
  }
  try {
    await loading;
  } catch (e) {
    console.error(e);
    widgets.forEach(w => w.die(String(e && e.message || e), true));
    return;
  }
  document.body.dataset.wasmLoad = how;
  mark('ready');
  onDeath(reason => widgets.forEach(w => w.die(reason)));
  // The widget a shared run names, or else the first, is mounted first;
  // the page then takes a breath between widgets, so that it can draw the
  // first and answer the learner while the rest are set up.
  const order = target ? [target, ...widgets.filter(w => w !== target)] : widgets;
  for (const [i, w] of order.entries()) {
    if (i > 0) await new Promise(r => setTimeout(r, 0));
    if (isDead()) break;
    if (w === target) w.mount(run, bad); else w.mount();
    // The home page's cluster (data-autoplay="always") runs from the start
    // even for a learner who prefers reduced motion: the page is about it.
    // Its messages are then not drawn moving (see site.css).
    if (w.root.dataset.autoplay === 'always' && !w.playing && !isDead()) w.play();
    if (i === 0) mark('interactive');
  }
  mark('mounted');
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
