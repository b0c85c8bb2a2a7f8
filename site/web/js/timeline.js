// timeline.js: the run's timeline, the width of the widget. Its scale
// runs from 0 to a round duration past the furthest moment reached (the
// horizon): 1 s, 2 s, 5 s, 10 s, 20 s, 30 s, 1 min and so on, so that
// while the cluster runs the knob moves along a still track, and the
// scale (and the marks on it) changes only when the horizon outgrows it.
// The track shows what was played, the future already run (after a
// rewind) and, past the horizon, what has not run yet. Dragging the knob,
// or clicking the track, goes to that moment, no further than the
// horizon (rewinding, or replaying the future already run); acting in the
// past forks a new future, which the "Rewound" chip says. Above the track are the moments worth finding
// again: elections won, crashes and restarts, partitions and heals, the
// script's pauses and questions, safety violations. Clicking one jumps
// there; from the keyboard, Tab reaches them as one stop, the arrow keys
// move along them and Enter jumps. They come from the simulator (the
// marks call), read with a cursor: a frame asks only for what is new.
// Marks closer together than a glyph are drawn as one, which names them
// all. Under the track, once the run has a client workload or elects
// leader after leader, a readout counts the leaders elected and the
// client requests answered over the last minute of virtual time (over the
// run so far while it is shorter): the elections and commits per minute
// of the outage replay. It comes from the simulator (the rates call), at
// most a few times a second.

import { h, s, set, txt, show, fmtTime, sname } from './dom.js';
import { t, tp, tn, lang } from './i18n.js';
import { call } from './engine.js';
import { term } from './narrate.js';

// The kinds of marks, the more important first (a group of marks shows
// its most important), and their glyphs in a 12x12 box centred on 0.
const KINDS = ['violation', 'question', 'pause', 'leader', 'crash', 'restart', 'partition', 'heal'];
const GLYPH = {
  violation: 'M0-5.6L5.8 4.6H-5.8Z',
  question: 'M-4.6 0a4.6 4.6 0 1 0 9.2 0a4.6 4.6 0 1 0-9.2 0',
  pause: 'M-3.6-4.4h2.6v8.8h-2.6zM1-4.4h2.6v8.8H1z',
  leader: 'M-5.2 3.6v-7l2.6 2.6L0-4.8l2.6 4 2.6-2.6v7z',
  crash: 'M-3.8-3.8l7.6 7.6M3.8-3.8l-7.6 7.6',
  restart: 'M3.9 1.4A4.2 4.2 0 1 1 2.6-3.3M3.4-5.4l-.6 2.5 2.5.5',
  partition: 'M-5 0h2.6M2.4 0H5M-1.6-4.6l-1 9.2M2.6-4.6l-1 9.2',
  heal: 'M-5 0h10M-1.8-3.6v7.2M1.8-3.6v7.2',
};
// The glyphs drawn with lines rather than filled.
const STROKED = { crash: 1, restart: 1, partition: 1, heal: 1 };
// Marks closer than this many pixels are drawn as one.
const NEAR = 14;

// The readout's window of virtual time (a minute: counts over it are per
// minute), how often it is asked for at most (real ms), and how many
// leaders elected within it make it worth showing in a run without a
// client (the churn of a partial network failure; a lesson on the
// paper's core elects a handful at most in a whole run).
const RATES_WINDOW = 60_000;
const RATES_MS = 250;
const RATES_CHURN = 10;

// The round durations the scale ends at, in ms; past the last, whole
// multiples of it.
const SCALES = [1e3, 2e3, 5e3, 1e4, 2e4, 3e4, 6e4, 12e4, 3e5, 6e5, 12e5, 18e5, 36e5];

// scaleFor is the round duration at or past the horizon hz (0 for 0: an
// empty track).
export function scaleFor(hz) {
  if (hz <= 0) return 0;
  for (const x of SCALES) if (hz <= x) return x;
  const top = SCALES[SCALES.length - 1];
  return Math.ceil(hz / top) * top;
}

// fmtScale writes a scale's end: "5 s", "2 min", "1 h".
function fmtScale(ms) {
  if (ms < 6e4) return ms / 1e3 + ' s';
  if (ms < 36e5) return ms / 6e4 + ' min';
  return +(ms / 36e5).toFixed(1) + ' h';
}

export class Timeline {
  constructor(host) {
    this.host = host;
    this.input = h('input', { type: 'range', class: 'rw-range rw-timeline', min: 0, max: 0, step: 1, value: 0,
      'aria-label': t('timeline'), title: t('timelineTip'), 'data-action': 'timeline' });
    this.now = h('output', { class: 'rw-now' });
    // The track as drawn: the played part, the future already run and
    // the knob. The played part and the knob are animated over the whole
    // scale in virtual time (motion.js), so that the compositor moves them
    // as the cluster runs. The slider over them, transparent, is what the
    // pointer, the keyboard and assistive technology use.
    this.played = h('div', { class: 'rw-tplayed' });
    this.run = h('div', { class: 'rw-trun' });
    this.knob = h('div', { class: 'rw-tknob' }, h('span'));
    this.bar = h('div', { class: 'rw-tbar', 'aria-hidden': 'true' }, h('div', { class: 'rw-tfill' }, this.run, this.played), this.knob);
    this.end = h('span', { class: 'rw-hz' });
    this.past = h('span', { class: 'rw-past', title: t('past'), 'data-part': 'rewound' }, t('rewound'));
    set(this.past, 'data-off', '');
    this.lane = h('div', { class: 'rw-marks', role: 'group', 'aria-label': t('marksLabel') });
    this.tip = h('div', { class: 'rw-tip', role: 'tooltip', id: host.uid + '-tip', hidden: true });
    this.input.addEventListener('pointerdown', () => {
      this.drag = true;
      this.host.pause();
      addEventListener('pointerup', () => { this.drag = false; }, { once: true });
    });
    // The scale runs past the horizon; the knob goes no further.
    this.input.addEventListener('input', () => {
      const to = Math.min(+this.input.value, this.hzNow);
      if (to !== +this.input.value) this.input.value = String(to);
      this.host.seekSoon(to);
    });
    this.input.addEventListener('keydown', e => {
      // Arrow keys on the slider scrub like the widget's own keys.
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        e.stopPropagation();
        this.host.scrub((e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 1000 : 100));
      }
    });
    this.lane.addEventListener('click', e => {
      const b = e.target.closest('.rw-tmark');
      if (b) this.jump(b);
    });
    this.lane.addEventListener('keydown', e => this.key(e));
    this.lane.addEventListener('pointerover', e => {
      const b = e.target.closest('.rw-tmark');
      if (b) this.showTip(b);
    });
    this.lane.addEventListener('pointerout', e => {
      const b = e.target.closest('.rw-tmark');
      if (b && !b.contains(e.relatedTarget) && document.activeElement !== b) this.showTip(null);
    });
    this.lane.addEventListener('focusin', e => this.showTip(e.target.closest('.rw-tmark')));
    this.lane.addEventListener('focusout', () => this.showTip(null));
    this.rates = h('p', { class: 'rw-rates', 'data-part': 'rates', title: t('ratesTip'), hidden: true });
    this.el = h('div', { class: 'rw-time', 'data-part': 'timeline' },
      h('div', { class: 'rw-tside' }, this.past, this.now),
      h('div', { class: 'rw-tmain' }, this.lane, this.bar, this.input, this.tip),
      h('div', { class: 'rw-tside rw-tend' }, this.end),
      this.rates);
    new ResizeObserver(() => {
      const w = this.lane.clientWidth;
      if (w && w !== this.width) {
        this.width = w;
        this.layout();
      }
    }).observe(this.lane);
    this.reset();
  }

  // reset forgets the marks (a new cluster).
  reset() {
    this.cursor = 0;
    this.marks = [];
    this.stops = [];
    this.stopsKey = '';
    this.time = this.scale = this.hzNow = -1;
    this.valueAt = this.clockAt = 0;
    this.groups = [];
    this.focusAt = -1;
    this.lane.textContent = '';
    this.showTip(null);
    // The readout: hidden until the run gives it a meaning, then kept
    // (so that it does not come and go as the learner rewinds).
    this.ratesOn = false;
    this.ratesAt = 0;
    clearTimeout(this.ratesTimer);
    this.ratesTimer = 0;
    txt(this.rates, '');
    show(this.rates, false);
  }

  // pollRates brings the readout up to date (one rates call), at most
  // every RATES_MS: a call put off is made once that time has passed, so
  // that the readout ends on the moment shown when the run stops.
  pollRates(id) {
    this.ratesId = id;
    const now = performance.now(), wait = this.ratesAt + RATES_MS - now;
    if (wait > 0) {
      if (!this.ratesTimer) {
        this.ratesTimer = setTimeout(() => {
          this.ratesTimer = 0;
          this.pollRates(this.ratesId);
        }, wait);
      }
      return;
    }
    this.ratesAt = now;
    const r = call('rates', id, RATES_WINDOW);
    if (r.error) return;
    if (!this.ratesOn && !(r.client || r.elections >= RATES_CHURN)) return;
    this.ratesOn = true;
    const e = tn('rateElections', r.elections, r.elections), a = tn('rateCommits', r.answered, r.answered);
    txt(this.rates, r.span >= RATES_WINDOW ? t('ratesLast', e, a) : t('ratesSoFar', (r.span / 1000).toFixed(1) + ' s', e, a));
    show(this.rates, true);
  }

  // poll reads the marks that are new since the last call (one marks
  // call); it reports whether there are more to read (the next frame
  // asks again).
  poll(id) {
    const r = call('marks', id, this.cursor);
    if (r.error) return false;
    let changed = false;
    if (r.reset) {
      this.marks = [];
      changed = true;
    }
    if (r.marks.length) {
      for (const m of r.marks) this.marks.push(m);
      changed = true;
    }
    this.cursor = r.cursor;
    const key = r.stops.map(x => x.t + x.kind + x.line).join();
    if (key !== this.stopsKey) {
      this.stopsKey = key;
      this.stops = r.stops;
      changed = true;
    }
    if (changed) this.layout();
    return !!r.more;
  }

  update(time, horizon) {
    const hz = Math.max(horizon, time);
    this.hzNow = hz;
    const scale = scaleFor(hz);
    if (scale !== this.scale) {
      // Marks are placed in proportion to the scale by the stylesheet;
      // which of them are drawn as one changes only with it.
      this.scale = scale;
      set(this.input, 'max', String(scale));
      this.lane.style.setProperty('--hz', String(Math.max(1, scale)));
      txt(this.end, scale ? fmtScale(scale) : '');
      this.layout();
      const m = this.host.motion;
      if (scale) {
        m.set('played', this.played, [{ transform: 'scaleX(0)' }, { transform: 'scaleX(1)' }], 0, scale);
        m.set('knob', this.knob, [{ transform: 'translateX(0)' }, { transform: 'translateX(100%)' }], 0, scale);
      } else {
        m.drop('played');
        m.drop('knob');
      }
    }
    // The future already run, after a rewind (none while the time is the
    // horizon: the played part moves on by itself).
    set(this.run, 'style', `transform:scaleX(${(scale && time < hz ? hz / scale : 0).toFixed(4)})`);
    this.tick(time, true);
    set(this.past, 'data-off', time < horizon ? null : '');
    set(this.past, 'aria-hidden', time < horizon ? null : 'true');
    set(this.past, 'title', time < horizon ? t('past') + ' (' + fmtTime(horizon) + ')' : t('past'));
    if (time !== this.time) {
      this.time = time;
      for (const g of this.groups) set(g.el, 'data-future', g.t > time ? '' : null);
      if (!this.lane.contains(document.activeElement)) this.rove(-1);
    }
  }

  // tick follows the time between the simulator's events: the clock's
  // words change ten times a second while the time runs, and the slider's
  // value, which costs a layout each time it changes, twice (for assistive
  // technology); both at once when the time stops (exact).
  tick(time, exact) {
    time = Math.floor(time);
    const now = performance.now();
    const still = exact && !this.host.playing;
    if (still || now - this.clockAt > 100) {
      this.clockAt = now;
      txt(this.now, fmtTime(time));
    }
    if (!this.drag && +this.input.value !== time && (still || now - this.valueAt > 500)) {
      this.valueAt = now;
      this.input.value = String(time);
      set(this.input, 'aria-valuetext', fmtTime(time));
    }
  }

  // rove makes one mark the marks' tab stop: the one at time at, or else
  // the latest one reached.
  rove(at) {
    const groups = this.groups;
    let stop = groups.findIndex(x => x.t === at);
    if (stop < 0) {
      stop = 0;
      for (let i = 0; i < groups.length; i++) if (groups[i].t <= Math.max(0, this.time)) stop = i;
    }
    groups.forEach((g, i) => { g.el.tabIndex = i === stop ? 0 : -1; });
    return groups[stop];
  }

  // layout groups the marks that lie closer than a glyph and draws one
  // button for each group.
  layout() {
    const hz = Math.max(1, this.scale), w = this.width || 0;
    const all = merge(this.marks, this.stops);
    const groups = [];
    let g = null;
    for (const m of all) {
      const x = (m.t / hz) * w;
      if (g && x - g.x < NEAR) {
        g.marks.push(m);
        if (KINDS.indexOf(m.kind) < KINDS.indexOf(g.kind)) g.kind = m.kind;
      } else {
        g = { x, t: m.t, kind: m.kind, marks: [m] };
        groups.push(g);
      }
    }
    const focused = this.lane.contains(document.activeElement) ? +document.activeElement.dataset.t : -1;
    const tipAt = this.tip.hidden ? -1 : this.tipAt;
    this.lane.textContent = '';
    for (const x of groups) {
      const label = x.marks.map(m => this.label(m)).join('; ') + ' · ' + fmtTime(x.t);
      x.el = h('button', { type: 'button', class: 'rw-tmark', 'data-kind': x.kind, 'data-t': x.t, tabindex: -1,
        'aria-label': label, 'aria-describedby': this.tip.id, 'data-future': x.t > this.time ? '' : null },
        s('svg', { viewBox: '-6 -6 12 12', 'aria-hidden': 'true', focusable: 'false', class: STROKED[x.kind] ? 'rw-stroked' : null },
          s('path', { d: GLYPH[x.kind] || GLYPH.pause }),
          x.kind === 'question' ? s('text', { y: 2.6 }, '?') : null,
          x.kind === 'violation' ? s('text', { y: 3.8 }, '!') : null),
        x.marks.length > 1 ? h('span', { class: 'rw-mmore', 'aria-hidden': 'true' }) : null);
      x.el.style.setProperty('--mt', String(x.t));
      x.el._group = x;
      this.lane.append(x.el);
    }
    this.groups = groups;
    // One tab stop for all the marks: the one focused before, or the
    // latest one reached.
    const stop = this.rove(focused);
    if (stop && focused >= 0) stop.el.focus({ preventScroll: true });
    // The tip stays on the marks it showed, drawn anew.
    const tipped = groups.find(x => x.t === tipAt);
    this.showTip(tipped ? tipped.el : null);
  }

  // label says what a mark is, in the page's language.
  label(m) {
    const sv = m.server ? sname(m.server) : '';
    switch (m.kind) {
      case 'leader': return t('mLeader', sv, m.term);
      case 'crash': return t('mCrash', sv);
      case 'restart': return t('mRestart', sv);
      case 'partition':
        return m.what === 'isolate' ? t('mIsolate', sv) : m.what === 'link' ? t('mLinkDown', sv, sname(m.to))
          : m.what === 'link-both' ? t('mLinkDownBoth', sv, sname(m.to)) : t('mPartition');
      case 'heal':
        return m.what === 'link' ? t('mLinkUp', sv, sname(m.to)) : m.what === 'link-both' ? t('mLinkUpBoth', sv, sname(m.to)) : t('mHeal');
      case 'violation': return t('violated', term('inv.' + m.what, lang));
      case 'pause': return t('mPause');
      case 'question': {
        const q = ((this.host.info && this.host.info.questions) || []).find(x => x.line === m.line);
        return q ? t('mQuestion', short(q.text)) : t('mQuestionBare');
      }
    }
    return m.kind;
  }

  jump(b) {
    const g = b._group;
    if (!g) return;
    this.rove(g.t);
    this.host.seek(g.t);
  }

  // key moves along the marks (one tab stop) and jumps with Enter or
  // Space (which the button does by itself).
  key(e) {
    const b = e.target.closest('.rw-tmark');
    if (!b) return;
    const els = this.groups.map(g => g.el);
    let i = els.indexOf(b);
    if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') i = Math.max(0, i - 1);
    else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') i = Math.min(els.length - 1, i + 1);
    else if (e.key === 'Home') i = 0;
    else if (e.key === 'End') i = els.length - 1;
    else return;
    e.preventDefault();
    e.stopPropagation();
    for (const x of els) x.tabIndex = -1;
    els[i].tabIndex = 0;
    els[i].focus();
  }

  // showTip shows what a group of marks is, over it (null: hides it).
  showTip(b) {
    if (!b || !b._group) {
      show(this.tip, false);
      return;
    }
    const g = b._group;
    this.tipAt = g.t;
    this.tip.textContent = '';
    const max = 6;
    for (const m of g.marks.slice(0, max)) {
      this.tip.append(h('span', { class: 'rw-tipline', 'data-kind': m.kind }, this.label(m)));
    }
    if (g.marks.length > max) this.tip.append(h('span', { class: 'rw-tipline rw-muted' }, t('marksMore', g.marks.length - max)));
    this.tip.append(h('span', { class: 'rw-tiptime' }, fmtTime(g.t) + ' · ' + tp('markJump')));
    show(this.tip, true);
    // Over the mark, kept inside the timeline.
    const lane = this.lane.getBoundingClientRect(), r = b.getBoundingClientRect();
    const main = this.tip.parentNode.getBoundingClientRect();
    const w = this.tip.offsetWidth;
    const x = Math.min(Math.max(r.left + r.width / 2 - main.left - w / 2, lane.left - main.left - 40), main.width - w + 40);
    this.tip.style.left = x + 'px';
  }
}

// merge puts the marks and the script's stops in the order of time.
function merge(a, b) {
  const out = [];
  let i = 0, j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].t <= b[j].t)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

// short cuts a question to a tooltip's length.
function short(text) {
  return text.length > 90 ? text.slice(0, 88).trimEnd() + '…' : text;
}
