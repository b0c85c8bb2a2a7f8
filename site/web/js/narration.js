// narration.js: the live list of what happened, in plain words, newest at
// the bottom. It follows the end unless the learner has scrolled up; lost
// messages can be hidden; clicking a line goes back to its moment. It
// reads the simulator's trace with a cursor, and after a seek it re-reads
// just the tail it shows. Each record says what happened as a line (a
// sentence's key and its facts), which narrate.js writes in the page's
// language.

import { h, fmtTime } from './dom.js';
import { t, lang } from './i18n.js';
import { call } from './engine.js';
import { say } from './narrate.js';

const KEEP = 300; // lines kept on screen

export class Narration {
  constructor(host) {
    this.host = host;
    this.list = h('ol', { class: 'rw-events hide-lost', tabindex: 0, 'aria-live': 'off' });
    this.empty = h('p', { class: 'rw-muted rw-empty' }, t('noEvents'));
    // A long run keeps only its newest history (to bound memory): this
    // says from when.
    this.dropped = h('p', { class: 'rw-muted rw-dropped', 'data-part': 'events-dropped', hidden: true });
    // Messages lost because their receiver is crashed (every heartbeat to a
    // crashed server) are noise; they are hidden until asked for. Losses
    // to a cut or to the loss rate always show.
    const lost = h('input', { type: 'checkbox' });
    lost.addEventListener('change', () => this.list.classList.toggle('hide-lost', !lost.checked));
    this.el = h('div', { class: 'rw-narration' },
      h('label', { class: 'rw-check' }, lost, ' ', t('showLost')),
      this.dropped, this.empty, this.list);
    this.list.addEventListener('click', e => {
      const li = e.target.closest('li');
      if (li) this.host.seek(+li.dataset.t);
    });
    this.list.addEventListener('keydown', e => {
      const li = e.target.closest('li');
      if (li && e.key === 'Enter') this.host.seek(+li.dataset.t);
    });
    // Whether the list follows its end is decided when the learner
    // scrolls, not on every frame: reading the scroll position while
    // adding lines would force a layout in the middle of each frame.
    this.follow = true;
    this.list.addEventListener('scroll', () => {
      if (this.autoScrolling) { this.autoScrolling = false; return; }
      this.follow = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 8;
    }, { passive: true });
    this.reset();
  }

  reset() {
    this.cursor = 0;
    this.base = 0; // the trace index of times[0]
    this.times = []; // the time of every record read so far, in order
    this.list.textContent = '';
    this.empty.hidden = false;
    this.dropped.hidden = true;
    this.earliest = 0; // the earliest time the run keeps its history from
  }

  // trimmed follows the simulator's trace when it has dropped its oldest
  // records: the times before them go too, and the note says from when
  // the run keeps its history.
  trimmed(r) {
    const start = r.start || 0;
    if (start > this.base) {
      this.times.splice(0, Math.min(this.times.length, start - this.base));
      this.base = start;
    }
    if (start > 0) {
      this.earliest = r.earliest || 0;
      this.dropped.textContent = t('eventsDropped', fmtTime(this.earliest));
      this.dropped.hidden = false;
    }
  }

  // poll reads new trace records (one events call).
  poll(id) {
    const r = call('events', id, this.cursor);
    if (r.error) return;
    if (r.reset) {
      this.list.textContent = '';
      this.times = [];
      this.base = 0;
    }
    this.trimmed(r);
    this.add(r.records);
    this.cursor = r.cursor;
  }

  // resync is called after a seek to time tm: the trace before tm is
  // unchanged, so only the shown tail is read again.
  resync(id, tm) {
    let lo = 0, hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid] < tm) lo = mid + 1; else hi = mid;
    }
    const start = this.base + Math.max(0, lo - KEEP);
    const r = call('events', id, start);
    if (r.error) return;
    this.list.textContent = '';
    if (r.reset) {
      this.times.length = 0;
      this.base = 0;
    } else {
      this.times.length = start - this.base;
    }
    this.trimmed(r);
    this.add(r.records);
    this.cursor = r.cursor;
  }

  add(recs) {
    if (!recs.length) return;
    for (const rec of recs) this.times.push(rec.time);
    const frag = document.createDocumentFragment();
    for (const rec of recs.length > KEEP ? recs.slice(-KEEP) : recs) frag.append(this.line(rec));
    this.list.append(frag);
    let extra = this.list.childElementCount - KEEP;
    while (extra-- > 0) this.list.firstElementChild.remove();
    this.empty.hidden = true;
    // Scrolling now would force a layout in the middle of the frame (10 to
    // 25 ms for the first one): the list scrolls at the start of the next
    // frame instead (settle), when the layout is still clean.
    if (this.follow) this.toEnd = true;
  }

  // settle scrolls to the end if lines came in the last frame and the list
  // follows its end. The widgets' frame loop calls it before any widget
  // changes the page.
  settle() {
    if (!this.toEnd) return;
    this.toEnd = false;
    this.autoScrolling = true;
    this.list.scrollTop = 1e9; // clamped to the end
  }

  line(rec) {
    let kind = rec.kind;
    if (kind === 'event') {
      const w = rec.what;
      kind = w === 'became-leader' ? 'lead' : w === 'became-candidate' || w === 'became-precandidate' || w === 'timeout' ? 'cand'
        : w === 'committed' || w === 'applied' ? 'commit' : w === 'vote-denied' || w === 'append-rejected' || w === 'truncated' ? 'deny' : 'event';
    }
    const text = h('span', { class: 'rw-etext' });
    // Server names in bold; everything stays text.
    const parts = say(rec.say, lang).split(/\b(S[1-9])\b/);
    for (let i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      text.append(i % 2 ? h('b', null, parts[i]) : parts[i]);
    }
    const cls = 'k-' + kind + (rec.kind === 'lost' && rec.what === 'receiver-down' ? ' down' : '');
    return h('li', { class: cls, 'data-t': rec.time, title: t('seekTip'), tabindex: -1 },
      h('time', null, fmtTime(rec.time)), text);
  }
}
