// widget.js: one live cluster widget, the same in lessons and on the
// playground. It enhances the server-rendered markup (a figure holding the
// scenario as code), owns the cluster's state on the page (virtual time,
// playing or not, what the script waits for, what is selected), runs the
// frame loop (at most one advance, one snapshot, one events and one marks
// call per frame), and wires the views and controls together. The views
// are given the widget's host (host.js), never the widget itself. It fits
// one screen: the cluster, the logs, the timeline and the player's bar
// (and on a wide widget what the script says, beside the cluster), and
// what comes and goes lies over the picture rather than moving it.

import { h, s, set, txt, show, clamp, sname, button, fmtTime } from './dom.js';
import { t } from './i18n.js';
import { call, isDead } from './engine.js';
import { ClusterView, legend } from './cluster-view.js';
import { LogView } from './log-view.js';
import { Controls } from './controls.js';
import { Timeline } from './timeline.js';
import { Motion } from './motion.js';
import { SearchPanel } from './search-panel.js';
import { Narration } from './narration.js';
import { Invariants } from './invariants.js';
import { RulesPanel } from './rules-panel.js';
import { ServerMenu } from './server-menu.js';
import { MessagePanel } from './message-panel.js';
import { PartitionTool } from './partition-tool.js';
import { ScriptPanel } from './script-panel.js';
import { Editor } from './editor.js';
import { helpOverlay, attachKeys } from './keys.js';
import { encodeRun, linkFor, copyText } from './share.js';
import { makeHost, Selection } from './host.js';

const MAXT = 1 << 30;
// SHARED_MAX is the virtual time a shared run is played to at most (one
// hour): a link is a few characters, and what it asks to run must not be
// the page's whole evening. Past it the run stops, and says so.
const SHARED_MAX = 3_600_000;
// SLICE_MS is the work done between two looks at the page while a shared
// run loads: the page stays responsive, and Stop works.
const SLICE_MS = 30;
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

// The frame loop: one requestAnimationFrame for every widget that moves.
// A playing widget needs a frame only when something is due (the
// simulator's next event, the clock's next tick): in between, what moves
// is animated by the compositor (motion.js), and the loop sleeps on a
// timer rather than run the page's rendering in every frame.
const active = new Set();
let raf = 0, timer = 0;
function loop(now) {
  raf = 0;
  // What only reads or scrolls the page comes first, while its layout is
  // still clean from the last frame; then the widgets change it.
  for (const w of active) {
    try { w.narration.settle(); } catch (e) { console.error(e); }
  }
  let soonest = Infinity;
  for (const w of active) {
    let next = -1;
    try { next = w.frame(now); } catch (e) { console.error(e); }
    if (next < 0) active.delete(w);
    else soonest = Math.min(soonest, next);
  }
  if (!active.size) return;
  if (soonest <= now + 12) {
    raf = requestAnimationFrame(loop);
  } else if (!timer) {
    // A frame's worth early: the frame itself comes at the next vsync.
    timer = setTimeout(() => {
      timer = 0;
      if (!raf) raf = requestAnimationFrame(loop);
    }, soonest - now - 8);
  }
}

// TICK_MS is how often a playing widget's clock is drawn anew, at the
// least, when nothing else happens.
const TICK_MS = 100;
// MAX_DT bounds the real time one frame plays (a late frame, a tab come
// back), in ms; the loop wakes far more often than that while playing.
const MAX_DT = 250;

// Autoplay and the page's visibility, one observer and one listener for
// every widget: a widget marked data-autoplay="visible" plays the first
// time a third of it scrolls into view; one that is playing pauses while
// it is scrolled away, or while the page's tab is hidden, and plays on
// when it is back (see Widget.autoplay).
const mounted = new Map(); // root -> widget
let watcher = null;

function watch(w) {
  if (!watcher) {
    watcher = new IntersectionObserver(entries => {
      for (const e of entries) {
        const x = mounted.get(e.target);
        if (x) x.inView(e.isIntersecting);
      }
    }, { threshold: 0.35 });
  }
  watcher.observe(w.root);
}

function pageShown() {
  for (const w of mounted.values()) w.pageShown(!document.hidden);
}

let uids = 0;

export class Widget {
  constructor(root, index) {
    this.root = root;
    this.index = index;
    this.uid = 'rw' + ++uids;
    this.name = root.dataset.name || 'scenario';
    this.playground = root.classList.contains('raft-playground');
    const code = root.querySelector('.raft-source code') || root.querySelector('.raft-source');
    this.text = code ? code.textContent : '';
    this.id = 0;
    this.speed = 0.1;
    this.playing = false;
    this.vt = this.t = this.horizon = this.events = this.quiet = 0;
    this.snap = null;
    // Where the script is, as the simulator last said: an exercise's setup
    // still running (moves wait), or the learner having taken over.
    this.setup = false;
    this.takenOver = false;
    // Whether a failed script may be shown as it is, with its file, line
    // and wording: only for scenarios written in the playground's editor.
    // A lesson's widget and a shared run say it in plain words.
    this.technical = false;
    // The server and the message selected in the picture.
    this.selection = new Selection();
    this.motion = new Motion();
    // The widget's own scenario while it shows a schedule the explorer
    // found (null: it shows its own).
    this.home = null;
    // What the views are given: not the widget itself (see host.js).
    this.host = makeHost(this);
    this.build();
  }

  build() {
    const root = this.root;
    root.classList.add('rw-live');
    const host = this.host;
    this.cluster = new ClusterView(host);
    this.logView = new LogView(host);
    this.controls = new Controls(host);
    this.narration = new Narration(host);
    this.invariants = new Invariants(host);
    this.menu = new ServerMenu(host);
    this.msgPanel = new MessagePanel(host);
    this.partition = new PartitionTool(host);
    this.script = new ScriptPanel(host);
    this.help = helpOverlay(host);
    this.timeline = new Timeline(host);
    this.leaderChip = h('span', { class: 'rw-chip rw-leaderchip' });
    this.safetyChip = h('button', { type: 'button', class: 'rw-chip rw-safechip', onclick: () => { this.tab('safety'); this.invariants.reveal(); } });
    this.toastEl = h('div', { class: 'rw-toast', role: 'status', hidden: true });
    this.prompt = h('button', { type: 'button', class: 'rw-bigplay', 'aria-label': t('play'), hidden: true, onclick: () => this.play() },
      s('svg', { viewBox: '0 0 48 48', 'aria-hidden': 'true' }, s('circle', { cx: 24, cy: 24, r: 23 }), s('path', { d: 'M19 14v20l16-10z' })));
    // The stage: the cluster's picture, under a bar of chips and tools
    // and over the legend. What comes and goes over it (the violation
    // banner, the partition draft, notices, menus) lies over those bars
    // or floats, so that nothing in the picture moves.
    this.stage = h('div', { class: 'rw-stage', tabindex: -1, 'data-part': 'cluster' },
      h('div', { class: 'rw-topbar' },
        h('div', { class: 'rw-status' }, this.leaderChip, this.safetyChip),
        this.partition.tools),
      this.cluster.el, legend('rw-legend-stage'),
      this.invariants.banner, this.partition.bar, this.prompt,
      this.menu.el, this.msgPanel.el, this.help, this.toastEl);
    new ResizeObserver(() => this.cluster.resize(this.stage.clientWidth)).observe(this.stage);
    // A click on the picture gives the widget the keyboard.
    this.stage.addEventListener('mousedown', e => {
      if (!e.target.closest('button, input, select, textarea, [tabindex="0"]')) this.stage.focus({ preventScroll: true });
    });
    // Side panels, as tabs.
    this.netPanel = this.buildNet();
    this.rulesBox = h('div');
    this.tabs = {};
    const tabList = h('div', { class: 'rw-tabs', role: 'tablist' });
    const panels = h('div', { class: 'rw-panels' });
    const add = (key, label, body) => {
      const b = h('button', { type: 'button', role: 'tab', class: 'rw-tab', id: `${this.uid}-t-${key}`, 'aria-controls': `${this.uid}-p-${key}`, onclick: () => this.tab(key) }, label);
      const p = h('div', { role: 'tabpanel', class: 'rw-panel', id: `${this.uid}-p-${key}`, 'aria-labelledby': b.id, hidden: true }, body);
      this.tabs[key] = { b, p };
      tabList.append(b);
      panels.append(p);
    };
    add('events', t('tabEvents'), this.narration.el);
    add('safety', t('tabSafety'), this.invariants.el);
    add('rules', t('tabRules'), this.rulesBox);
    add('net', t('tabNet'), this.netPanel.el);
    tabList.addEventListener('keydown', e => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      e.stopPropagation();
      const keys = Object.keys(this.tabs), i = keys.indexOf(this.current);
      const k = keys[(i + (e.key === 'ArrowLeft' ? keys.length - 1 : 1)) % keys.length];
      this.tab(k);
      this.tabs[k].b.focus();
    });
    this.tab('events');
    // On a wide widget the script (what it says, its questions, an
    // exercise) and the tabs share a column of the stage's height beside
    // it; on a narrow one they come after the player's bar.
    const shell = h('div', { class: 'rw-shell' },
      this.stage,
      h('div', { class: 'rw-side' },
        h('div', { class: 'rw-scriptbox', 'data-part': 'narration' }, this.script.el),
        h('div', { class: 'rw-tabbox' }, tabList, panels)),
      this.logView.el, this.timeline.el, this.controls.el,
      legend('rw-legend-below'));
    if (this.root.dataset.editor === 'true') {
      this.editor = new Editor(this.host);
      shell.append(this.editor.el);
    }
    this.shell = shell;
    this.overlay = h('div', { class: 'rw-overlay' });
    const src = root.querySelector('.raft-source');
    if (src && src.parentNode === root) root.insertBefore(shell, src); else root.append(shell);
    root.append(this.overlay);
    // Until the simulator is there, the servers are drawn idle.
    const m = /^[ \t]*cluster[ \t]+([1-9])\b/m.exec(this.text);
    this.cluster.setSize(m ? +m[1] : 5);
    this.logView.setSize(m ? +m[1] : 5);
    txt(this.leaderChip, t('noLeader'));
    this.setSafety(0);
    this.loading(null);
    attachKeys(this.root, this.host, this.playground);
  }

  buildNet() {
    const err = h('p', { class: 'rw-err', role: 'alert', hidden: true });
    // An option is a value, written after the word to make the command,
    // or [value, label].
    const sel = (word, label, opts) => {
      const el = h('select', { class: 'rw-input', 'data-net': word },
        h('option', { value: '' }, '—'), ...opts.map(o => (Array.isArray(o) ? h('option', { value: o[0] }, o[1]) : h('option', { value: o }, o))));
      el.addEventListener('change', () => {
        if (el.value) this.act(`${word} ${el.value}`, err);
      });
      return { el, row: h('label', { class: 'rw-field' }, label, el) };
    };
    const drop = sel('drop', t('drop'), ['0', '0.05', '0.1', '0.2', '0.3', '0.5']);
    const dup = sel('duplicate', t('duplicate'), ['0', '0.05', '0.1', '0.2']);
    const lat = sel('latency', t('latency'), ['5ms', '10-20ms', '20-50ms', '50-100ms', '100-300ms']);
    // The election timeout range (§5.6: broadcastTime ≪ electionTimeout),
    // from each server's next draw.
    const elec = sel('election', t('election'), ['50-100ms', '150-300ms', '300-600ms', '500-1000ms', '1000-2000ms']);
    const range = (lo, hi) => (lo === hi ? lo + 'ms' : `${lo}-${hi}ms`);
    // The client workload (§8): a request at the interval chosen, to the
    // server the client believes leads; the commands client every 100ms
    // and client off.
    const every = ms => (ms % 1000 ? ms + 'ms' : ms / 1000 + 's');
    const client = sel('client', t('client'), [['off', t('clientOff')],
      ...[50, 100, 200, 500, 1000].map(ms => ['every ' + every(ms), t('clientEvery', every(ms))])]);
    client.row.title = t('clientTip');
    return {
      el: h('div', { class: 'rw-netpanel' }, h('p', { class: 'rw-muted' }, t('netHelp')), drop.row, dup.row, lat.row, elec.row, client.row, err),
      update: (net, cl) => {
        const cv = cl == null ? '' : cl ? 'every ' + every(cl) : 'off';
        for (const [x, v, w] of [[drop, String(net.drop), 'drop'], [dup, String(net.duplicate), 'duplicate'],
          [lat, range(net.latMin, net.latMax), 'latency'], [elec, range(net.electionMin, net.electionMax), 'election'],
          [client, cv, 'client']]) {
          // Only what changed is written: selecting an option, even the
          // same one, costs a style and layout pass every frame.
          const value = [...x.el.options].some(o => o.value === v) ? v : '';
          if (document.activeElement !== x.el && x.el.value !== value) x.el.value = value;
          const off = !this.allowed(w);
          if (x.el.disabled !== off) x.el.disabled = off;
          set(x.el, 'title', off ? this.whyNot() : null);
        }
      },
    };
  }

  tab(key) {
    this.current = key;
    for (const k in this.tabs) {
      const { b, p } = this.tabs[k];
      b.setAttribute('aria-selected', String(k === key));
      b.tabIndex = k === key ? 0 : -1;
      p.hidden = k !== key;
    }
  }

  loading(frac) {
    if (!this.bar) {
      this.barFill = h('span');
      this.barText = h('p');
      this.bar = h('div', { class: 'rw-progress', role: 'progressbar', 'aria-label': t('loading') }, this.barFill);
      this.overlay.append(h('div', { class: 'rw-card' }, this.barText, this.bar));
      this.shell.inert = true;
    }
    const pct = frac == null ? null : Math.round(frac * 100);
    this.bar.classList.toggle('indeterminate', pct == null);
    set(this.bar, 'aria-valuenow', pct == null ? null : String(pct));
    this.barFill.style.width = pct == null ? '' : pct + '%';
    txt(this.barText, pct == null ? t('loading') : t('loadingPct', pct));
  }

  // die shows that the simulator is gone, for good.
  die(reason, loadError) {
    this.playing = false;
    active.delete(this);
    this.overlay.textContent = '';
    this.overlay.append(h('div', { class: 'rw-card rw-dead', role: 'alert' },
      h('p', null, h('strong', null, loadError ? t('loadFailed', reason) : t('dead'))),
      loadError ? null : h('p', { class: 'rw-muted' }, t('deadWhy', reason)),
      h('button', { type: 'button', class: 'rw-btn primary', 'data-action': 'reload', onclick: () => location.reload() }, t('reload'))));
    show(this.overlay, true);
    this.shell.inert = true;
    this.root.setAttribute('data-dead', '');
  }

  // mount starts the widget once the simulator is there. run: text of a
  // shared run to show instead of the scenario (bad: a link that could
  // not be read).
  mount(run, bad) {
    show(this.overlay, false);
    this.shell.inert = false;
    this.rules = new RulesPanel(this.host);
    this.search = new SearchPanel(this.host);
    this.rulesBox.append(this.rules.el, this.search.el);
    if (this.editor) this.editor.setText(this.text);
    let shared = false;
    if (run != null && !bad) shared = this.load(run, true);
    if (shared) {
      if (this.editor) this.editor.setText(run);
      this.toast(t('loadedLink'), 6000);
    } else {
      if (run != null || bad) this.toast(t('badLink'), 8000);
      this.technical = !!this.editor;
      this.load(this.text);
    }
    this.root._rw = this; // for the browser tests, and for authors in the console
    this.autoplay(shared);
  }

  // autoplay starts the widget as the page asks, once it is mounted: a
  // shared run is scrolled to (below the first widget); otherwise
  // data-autoplay="load" plays at once and "visible" when scrolled into
  // view, unless the learner prefers reduced motion. From then on, the
  // widget pauses while its page is hidden and plays on when it is back.
  autoplay(shared) {
    this.still = reducedMotion.matches;
    // Set by inView and pageShown: seen once, paused while out of view,
    // paused while the page is hidden.
    this.seen = this.autoPaused = this.hiddenPaused = false;
    if (!mounted.size) document.addEventListener('visibilitychange', pageShown);
    mounted.set(this.root, this);
    if (shared) {
      if (this.index > 1) this.root.scrollIntoView({ block: 'start' });
    } else if (this.root.dataset.autoplay === 'load') {
      if (!this.still) this.play();
    } else if (this.root.dataset.autoplay === 'visible') {
      watch(this);
    }
  }

  // inView follows the widget's coming into view (on) and leaving it.
  inView(on) {
    if (on) {
      if (!this.seen) {
        this.seen = true;
        if (!this.still && !this.played) this.play();
      } else if (this.autoPaused) {
        this.autoPaused = false;
        this.play();
      }
    } else if (this.playing) {
      this.pause();
      this.autoPaused = true;
    }
  }

  // pageShown follows the page's tab being shown (on) or hidden.
  pageShown(on) {
    if (!on && this.playing) {
      this.pause();
      this.hiddenPaused = true;
    } else if (on && this.hiddenPaused) {
      this.hiddenPaused = false;
      this.play();
    }
  }

  // load (re)creates the cluster from scenario text; toEnd plays it to its
  // end at once (for shared runs); keepFound keeps what a search found in
  // view (a found schedule loaded, or the way back from one). It reports
  // success.
  load(text, toEnd, keepFound) {
    const c = call('create', text, this.name);
    if (c.error) {
      if (this.editor && c.errors) this.editor.showErrors(c.errors);
      else if (!toEnd) this.showFatal(c.error);
      return false;
    }
    this.setup = !!c.exercise;
    this.takenOver = false;
    if (this.id) call('dispose', this.id);
    this.id = c.id;
    this.info = c;
    this.text = text;
    this.playing = false;
    this.failed = '';
    this.vt = this.t = this.horizon = this.events = this.quiet = 0;
    this.played = false;
    this.cluster.setSize(c.servers);
    this.logView.setSize(c.servers);
    this.narration.reset();
    this.timeline.reset();
    this.script.reset(c, this.playground);
    this.rules && this.rules.reset();
    if (this.search) {
      // What a search found stays in view while its schedule plays, and
      // after going back.
      if (!keepFound) this.search.reset();
      this.search.update();
    }
    this.menu.close();
    this.msgPanel.close();
    if (this.partition.active()) this.partition.stop();
    this.root.removeAttribute('data-solved');
    if (this.replaying) this.replaying.stop();
    if (toEnd) this.replayShared();
    this.vt = this.t;
    // Drawn at once, not at the next frame: the browser then lays the new
    // cluster out with the rest of the page, once, instead of laying the
    // page out and then the cluster again (which at a page's start is
    // tens of milliseconds more).
    this.render(performance.now());
    this.wake();
    return true;
  }

  // replayShared plays a shared run to its end, or to SHARED_MAX, in
  // slices that leave the page free between them, with its progress and a
  // Stop button in view. Stopping keeps the run where it got to.
  replayShared() {
    const id = this.id;
    const status = h('span', { class: 'rw-loading-text' });
    const box = h('div', { class: 'rw-loading', role: 'status', 'data-part': 'replay' }, status);
    let done = false;
    const finish = note => {
      if (done) return;
      done = true;
      box.remove();
      this.replaying = null;
      if (this.id !== id) return;
      this.script.onSeek(this.t);
      // A shared run whose script fails says so (onSeek hid it).
      if (this.failed) this.script.failed(this.failed);
      this.played = true;
      this.vt = this.t;
      this.narration.resync(this.id, this.t);
      this.invalidate();
      if (note) this.toast(note, 8000);
    };
    const stop = button('stop-replay', t('stopReplay'), { class: 'rw-btn rw-small', onclick: () => finish(t('replayStopped')) }, 'pause');
    box.append(' ', stop);
    this.stage.append(box);
    this.replaying = { stop: () => finish('') };
    const step = () => {
      if (done) return;
      if (this.id !== id) return finish('');
      const t0 = performance.now();
      while (performance.now() - t0 < SLICE_MS) {
        const r = call('advance', this.id, SHARED_MAX - this.t);
        if (r.error) return finish('');
        this.handle(r);
        if (r.ended || r.failed) return finish('');
        if (this.t >= SHARED_MAX) return finish(t('replayCapped'));
      }
      txt(status, t('replaying', fmtTime(this.t)));
      this.vt = this.t;
      this.invalidate(); // the picture follows the run as it loads
      setTimeout(step, 0);
    };
    txt(status, t('replaying', fmtTime(0)));
    setTimeout(step, 0);
  }

  // showFatal says that the scenario could not be started (its text is
  // wrong): as it is in the playground's editor, in plain words elsewhere.
  showFatal(msg) {
    this.script.failed(msg, true);
  }

  // trouble reports an answer of the simulator that went wrong where the
  // learner did nothing wrong: in plain words, with the details for
  // authors in the console.
  trouble(r) {
    console.warn('raftplay:', this.name, r.error);
    this.toast(t('internalError'));
  }

  // refusal words an action the simulator refused.
  refusal(r) {
    if (r.code === 'setup') return t('settingUp');
    if (r.code === 'not-allowed') return t('notAllowed');
    console.warn('raftplay:', this.name, r.error);
    return t('actFailed');
  }

  // invalidate asks for the widget to be drawn again in the next frame.
  invalidate() {
    this.dirty = true;
    this.wake();
  }

  wake() {
    if (!this.id || isDead()) return;
    active.add(this);
    if (!raf) raf = requestAnimationFrame(loop);
  }

  // handle takes an advance-shaped answer: the time, and what the script said.
  handle(r) {
    if (r.error) return;
    this.t = r.time;
    this.horizon = r.horizon;
    this.events = r.events;
    this.quiet = r.quiet == null ? r.time : r.quiet;
    this.follow(r);
    let stop = false;
    for (const o of r.outputs || []) {
      if (this.script.output(o)) stop = true;
      // The end of an exercise's setup: the learner's turn. The player
      // stops there, so that the first move meets the cluster as the
      // setup left it (and as the reference solution starts from).
      if (o.kind === 'end' && this.info.exercise && !r.solution) stop = true;
    }
    if (r.failed) {
      this.failed = r.failed;
      this.script.failed(r.failed);
      stop = true;
    }
    if (r.solved && this.info.exercise) this.script.solved();
    if (stop) {
      this.playing = false;
      this.vt = this.t;
      if (this.info.exercise) this.script.refreshGoal();
    }
    this.dirty = true;
  }

  // follow takes where the script is from an answer or a snapshot.
  follow(r) {
    if (typeof r.setup === 'boolean') this.setup = r.setup;
    if (typeof r.takenOver === 'boolean' && r.takenOver !== this.takenOver) {
      this.takenOver = r.takenOver;
      this.script.takeover(r.takenOver);
    }
  }

  // frame draws the widget in a frame of the page, and plays it on. It
  // returns when it wants its next frame: 0 at once (the next vsync), a
  // time of performance.now() later, or -1 not until something wakes it.
  frame(now) {
    if (!this.id) return -1;
    const dt = this.last ? clamp(now - this.last, 0, MAX_DT) : 16;
    this.last = now;
    if (this.pendingSeek != null) {
      const to = this.pendingSeek;
      this.pendingSeek = null;
      this.seek(to);
    }
    if (this.playing) {
      if (this.script.blocked() || this.failed) {
        this.playing = false;
        this.dirty = true;
      } else {
        const target = this.vt + dt * this.speed;
        const ms = Math.floor(target) - this.t;
        if (ms >= 1) {
          const { r, changed } = this.advanceBy(ms);
          if (r.error) {
            this.playing = false;
            this.trouble(r);
          } else {
            this.vt = r.time >= Math.floor(target) ? target : r.time;
            if (changed || !this.playing) this.dirty = true;
          }
        } else {
          this.vt = target;
        }
        if (!this.dirty) this.tick(now);
      }
    }
    if (this.dirty) this.render(now);
    this.motion.sync(this.playing ? this.vt : this.t, this.playing, this.speed);
    if (!this.playing) this.last = 0;
    if (this.dirty || this.pendingSeek != null || this.narration.toEnd) return 0;
    if (!this.playing) return -1;
    // The next thing due: the end of the simulator's quiet stretch (in
    // real time), or the clock's tick.
    const quiet = (this.quiet - this.vt) / this.speed;
    return quiet < 16 ? 0 : now + Math.min(quiet, TICK_MS);
  }

  // tick follows the time between the simulator's events, where nothing
  // of the cluster changes: the clock, the timers' last quarter, and (for
  // an exercise) the goal's word once a second.
  tick(now) {
    this.root.dataset.time = String(this.t);
    this.cluster.tick(this.vt);
    this.timeline.tick(this.vt);
    if (this.info.exercise && !(this.snap && this.snap.solved) && (!this.goalAt || now - this.goalAt > 1000)) this.dirty = true;
  }

  render(now) {
    this.dirty = false;
    const [from, to] = this.logView.window();
    const sn = call('snapshot', this.id, from, to);
    if (sn.error) return;
    this.snap = sn;
    this.t = sn.time;
    this.horizon = sn.horizon;
    this.follow(sn);
    this.root.toggleAttribute('data-setup', this.setup);
    this.root.toggleAttribute('data-taken-over', this.takenOver);
    if (!this.playing) this.vt = sn.time;
    this.cluster.update(sn, this.playing ? this.vt : sn.time, this.partition.sides);
    if (this.logView.update(sn)) this.dirty = true;
    this.setSafety(this.invariants.update(sn));
    if (this.rules) this.rules.update(sn.rules, this.allowed('rule'));
    this.netPanel.update(sn.net, sn.client);
    this.partition.update();
    this.controls.update();
    this.timeline.update(sn.time, sn.horizon);
    if (this.timeline.poll(this.id)) this.dirty = true;
    this.timeline.pollRates(this.id);
    this.menu.update(sn);
    this.msgPanel.update(sn);
    const ld = sn.leader ? sn.servers[sn.leader - 1] : null;
    const chip = leaderChip(sn.servers);
    txt(this.leaderChip, chip.text);
    set(this.leaderChip, 'data-on', chip.leaders.length ? '' : null);
    set(this.leaderChip, 'data-warn', chip.warn ? '' : null);
    this.root.dataset.time = String(sn.time);
    // The leader in the sense of the scenario language (no up server has
    // a higher term), and every up server that is in the leader role.
    this.root.dataset.leader = ld ? sname(ld.id) : '';
    this.root.dataset.leaders = chip.leaders.map(x => sname(x.id)).join(' ');
    show(this.prompt, !this.played && !this.playing && sn.time === 0 && !this.script.blocked());
    this.narration.poll(this.id);
    if (this.info.exercise) {
      this.script.update(sn);
      if (!sn.solved && now && (!this.goalAt || now - this.goalAt > 1000)) {
        this.goalAt = now;
        this.script.refreshGoal();
      }
    }
  }

  setSafety(count) {
    txt(this.safetyChip, count ? '! ' + t('violations', count) : '✓ ' + t('safe'));
    set(this.safetyChip, 'data-bad', count ? '' : null);
  }

  // Playing.

  play() {
    if (!this.id || isDead() || this.failed) return;
    if (this.script.blocked() === 'pause') return this.script.cont();
    if (this.script.blocked() === 'question') return this.script.needAnswer();
    this.resume();
  }

  resume() {
    if (!this.id || isDead()) return;
    this.playing = true;
    this.played = true;
    this.last = 0;
    this.invalidate();
  }

  // catchUp brings the simulator's clock to the time shown while playing:
  // between events the page lets it lag behind (nothing happens there),
  // and what the learner does must act at the moment they see.
  catchUp() {
    if (!this.playing || !this.id || !this.last) return;
    const now = performance.now();
    this.vt += clamp(now - this.last, 0, MAX_DT) * this.speed;
    this.last = now;
    const ms = Math.floor(this.vt) - this.t;
    if (ms >= 1 && this.advanceBy(ms).changed) this.invalidate();
  }

  // advanceBy runs the simulator ms on and takes its answer. It reports
  // whether the cluster or the script changed (an event, an output, more
  // to run): only that is drawn anew, since between events what moves is
  // animated and the clock ticks. A refusal is left in r.
  advanceBy(ms) {
    const before = this.events;
    const r = call('advance', this.id, ms);
    if (r.error) return { r, changed: false };
    this.handle(r);
    return { r, changed: r.events !== before || !!(r.outputs && r.outputs.length) || !!r.more };
  }

  pause() {
    if (!this.playing) return;
    this.catchUp();
    this.playing = false;
    this.vt = this.t;
    this.invalidate();
  }

  toggle() {
    if (this.playing) this.pause(); else this.play();
  }

  // continueOrToggle is the space key: Continue at a script's pause, or
  // else play or pause.
  continueOrToggle() {
    if (this.script.blocked() === 'pause') this.script.cont(); else this.toggle();
  }

  setSpeed(x) {
    this.speed = x;
    if (this.playing) this.wake();
  }

  stepOnce() {
    if (!this.id) return;
    if (this.script.blocked() === 'question') return this.script.needAnswer();
    this.pause();
    if (this.script.blocked() === 'pause') show(this.script.pause, false);
    const r = call('step', this.id);
    if (r.error) return this.trouble(r);
    this.played = true;
    this.handle(r);
    this.vt = this.t;
    if (this.info.exercise) this.script.refreshGoal();
    this.wake();
  }

  // seekSoon asks for a seek in the next frame (the timeline's drag).
  seekSoon(tm) {
    this.pendingSeek = tm;
    this.wake();
  }

  seek(tm) {
    if (!this.id) return;
    // A long run keeps its history from `earliest` on (to bound memory).
    tm = clamp(Math.round(tm), this.narration.earliest, MAXT);
    // A question waiting for its answer is not skipped: forward, the
    // answer comes first (back is free).
    if (tm >= this.t && this.script.blocked() === 'question') {
      this.pendingSeek = null;
      this.invalidate();
      if (tm > this.t) this.script.needAnswer();
      return;
    }
    // Nor is one asked before and left without an answer (the learner
    // went back from it): a seek forward stops there and asks it again.
    const open = this.script.unanswered();
    if (open && this.t <= open.time && tm > open.time) tm = open.time;
    this.playing = false;
    let r = call('seek', this.id, tm);
    // Seeking forward stops at pauses and questions. It goes on past a
    // pause; a question met on the way (past the future already run,
    // where the script plays on) stops the seek there, and is asked. A
    // seek past what has been run plays on in calls of bounded work
    // (more): after a frame's worth of them, the rest waits for the next
    // frame, so that a long seek never freezes the page.
    const asked = x => (x.outputs || []).find(o => o.kind === 'question');
    const t0 = performance.now();
    for (let i = 0; i < 50 && !r.error && r.time < tm && !r.failed && !asked(r); i++) {
      if (r.more && performance.now() - t0 > SLICE_MS) {
        this.pendingSeek = tm;
        break;
      }
      r = call('seek', this.id, tm);
    }
    if (r.error) return this.trouble(r);
    this.t = this.vt = r.time;
    this.horizon = r.horizon;
    this.failed = r.failed || '';
    this.played = true;
    this.script.onSeek(r.time);
    if (this.failed) this.script.failed(this.failed);
    this.follow(r);
    this.narration.resync(this.id, r.time);
    const q = !r.error && (asked(r) || (open && r.time === open.time && open));
    if (q) {
      this.pendingSeek = null;
      this.script.output(q);
    }
    this.invalidate();
  }

  scrub(d) {
    this.pause();
    this.seek(this.t + d);
  }

  restart() {
    if (this.load(this.text) && !reducedMotion.matches) this.play();
  }

  // run plays a scenario of the learner's own (the playground's editor),
  // whose errors are shown as they are.
  run(text) {
    this.home = null;
    this.technical = true;
    if (this.load(text)) this.play();
  }

  // record returns the run so far as scenario text, at the moment shown.
  record() {
    if (!this.id) return '';
    this.catchUp();
    const r = call('record', this.id);
    return r.error ? '' : r.text;
  }

  // playFound loads a schedule the explorer found (a scenario it wrote)
  // in place of the widget's own, and plays it; backHome goes back.
  playFound(text) {
    const home = this.home == null ? this.text : this.home;
    this.technical = false;
    this.home = home;
    if (this.load(text, false, true)) {
      if (this.editor) this.editor.setText(text);
      this.play();
    } else {
      this.home = null;
      this.search.update();
    }
  }

  backHome() {
    const home = this.home;
    if (home == null) return;
    this.home = null;
    if (!this.load(home, false, true)) this.search.update();
    else if (this.editor) this.editor.setText(home);
  }

  // act runs a learner's action; a refusal shows in errEl (or a toast),
  // in the page's words.
  act(cmd, errEl) {
    if (!this.id) return false;
    this.catchUp();
    const r = call('act', this.id, cmd);
    if (r.error) {
      this.showErr(errEl, this.refusal(r));
      return false;
    }
    if (errEl) show(errEl, false);
    this.handle(r);
    this.vt = this.t;
    if (this.info.exercise) this.script.refreshGoal();
    this.wake();
    return true;
  }

  // allowed says whether the learner may take an action now: an exercise
  // allows its own actions, once its setup has run.
  allowed(word) {
    const ex = this.info && this.info.exercise;
    return !ex || (!this.setup && ex.allow.includes(word));
  }

  // whyNot says why an action's control is disabled.
  whyNot() {
    return this.setup ? t('settingUp') : t('notAllowed');
  }

  showErr(el, msg) {
    if (!el) return this.toast(msg);
    el.textContent = msg;
    show(el, true);
    clearTimeout(el._timer);
    el._timer = setTimeout(() => show(el, false), 6000);
  }

  toast(msg, ms) {
    txt(this.toastEl, msg);
    show(this.toastEl, true);
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => show(this.toastEl, false), ms || 3500);
  }

  // Sharing.

  async share() {
    this.catchUp();
    const rec = call('record', this.id);
    if (rec.error) return this.trouble(rec);
    try {
      const url = linkFor(await encodeRun(rec.text), this.index);
      try { history.replaceState(history.state, '', url); } catch (e) { location.hash = url.slice(url.indexOf('#') + 1); }
      this.toast((await copyText(url)) ? t('shared') : t('sharedNoClip'));
    } catch (e) {
      this.trouble({ error: String(e.message || e) });
    }
  }

  async copy() {
    this.catchUp();
    const rec = call('record', this.id);
    if (rec.error) return this.trouble(rec);
    this.toast((await copyText(rec.text)) ? t('copied') : t('copyFailed'));
  }

  // Menus and panels.

  serverClicked(id, el) {
    if (!this.id) return;
    if (this.partition.active()) return this.partition.toggle(id);
    this.msgPanel.close(false);
    if (this.menu.isOpen() && this.selection.now.server === id) return this.menu.close(true);
    this.menu.open(id, el);
  }

  msgClicked(id, ev) {
    if (this.partition.active()) return;
    this.menu.close(false);
    this.msgPanel.open(id, ev);
  }

  // select selects id (0: nothing) of a kind, 'server' or 'msg'; the
  // picture is drawn again to show it.
  select(kind, id) {
    if (this.selection.set(kind, id)) this.invalidate();
  }

  toggleHelp(on) {
    on = on == null ? this.help.hidden : on;
    show(this.help, on);
    if (on) {
      this.help.style.left = '';
      this.help.style.top = '';
      this.help.querySelector('button').focus();
    } else if (this.root.contains(document.activeElement) || document.activeElement === document.body) {
      this.controls.play.focus();
    }
  }

  escape() {
    if (!this.help.hidden) return this.toggleHelp(false), true;
    if (this.menu.isOpen()) return this.menu.close(true), true;
    if (this.msgPanel.isOpen()) return this.msgPanel.close(true), true;
    if (this.partition.active()) return this.partition.stop(), true;
    return false;
  }

  // placeAt puts a popover in the stage under the point x, y of the page
  // (or over it, at above, if there is no room under it).
  placeAt(el, x, y, above) {
    const sr = this.stage.getBoundingClientRect();
    el.style.left = '0px';
    el.style.top = '0px';
    const w = el.offsetWidth, ht = el.offsetHeight;
    let left = clamp(x - sr.left - w / 2, 4, Math.max(4, sr.width - w - 4));
    let top = y - sr.top + 8;
    if (top + ht > sr.height + 40) {
      const up = (above == null ? y - 8 : above) - sr.top - ht;
      if (up > 0) top = up;
    }
    el.style.left = left + 'px';
    el.style.top = top + 'px';
  }

  // The script and the exercise.

  // solve plays the exercise's reference solution, unless the simulator
  // refuses; it returns the simulator's answer.
  solve() {
    const r = call('solve', this.id);
    if (r.error) return r;
    this.script.solving();
    this.handle(r);
    this.play();
    return r;
  }

  goal() {
    return call('goal', this.id);
  }

  // solved marks the widget solved and, given detail, tells the page.
  solved(detail) {
    this.root.setAttribute('data-solved', '');
    if (detail) this.emit('raft-solved', detail);
  }

  answered(detail) {
    this.emit('raft-answered', detail);
  }

  // attachNote puts the page's own note at the foot of the exercise box
  // (see ScriptPanel.attachNote).
  attachNote(note) {
    this.script.attachNote(note);
  }

  hasFocus() {
    return this.root.contains(document.activeElement);
  }

  // emit tells the page what the learner achieved, as a DOM event on the
  // widget that bubbles: "raft-solved" {moves, time, bySolution, text,
  // solution} (solution: the simulator's {digest, moves, solved, count}
  // for a solution code, or {error}) and "raft-answered" {line, choice,
  // right}; both carry name and index.
  emit(type, detail) {
    detail = Object.assign({ name: this.name, index: this.index }, detail);
    if (type === 'raft-solved') {
      const rec = call('record', this.id);
      if (!rec.error) detail.text = rec.text;
      detail.solution = call('solution', this.id);
    }
    this.root.dispatchEvent(new CustomEvent(type, { bubbles: true, detail }));
  }
}

// leaderChip describes who leads: every up server in the leader role,
// with its term, newest term first. Two leaders of one term (a safety rule
// off) are named together and marked (warn). A leader that has not yet
// heard of a newer term is still a leader: the chip then names the up
// server with the highest term too.
export function leaderChip(servers) {
  const up = servers.filter(x => x.up);
  const leaders = up.filter(x => x.role === 'leader').sort((a, b) => b.term - a.term || a.id - b.id);
  if (!leaders.length) return { text: t('noLeader'), leaders, warn: false };
  const parts = [];
  let warn = false;
  for (let i = 0; i < leaders.length;) {
    let j = i;
    while (j < leaders.length && leaders[j].term === leaders[i].term) j++;
    const names = leaders.slice(i, j).map(x => sname(x.id));
    const term = leaders[i].term;
    if (names.length > 1) {
      warn = true;
      const list = names.slice(0, -1).join(t('listSep')) + t('and') + names[names.length - 1];
      parts.push(names.length === 2 ? t('nLeaders2', list, term) : t('nLeaders', list, term, names.length));
    } else {
      parts.push(leaders.length === 1 ? `${t('leaderIs', names[0])} · ${t('term')} ${term}` : t('leadsTerm', names[0], term));
    }
    i = j;
  }
  let top = up[0];
  for (const x of up) if (x.term > top.term) top = x;
  if (top.term > leaders[0].term) {
    if (parts.length === 1 && !warn) parts[0] = t('leadsTerm', sname(leaders[0].id), leaders[0].term);
    parts.push(t('atTerm', sname(top.id), top.term));
  }
  return { text: parts.join(' · '), leaders, warn };
}
