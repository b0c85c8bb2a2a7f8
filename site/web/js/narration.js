// narration.js: the live list of what happened, in plain words, newest at
// the bottom. It follows the end unless the learner has scrolled up;
// clicking a line goes back to its moment. Lost messages are grouped:
// consecutive losses make one line that counts them and says why (a cut,
// a crashed server...), and opens in place to list them (losses.js); the
// learner can ungroup them. It reads the simulator's trace with a
// cursor, and after a seek it reads just the tail it shows (the trace
// then ends at the new moment). Each record says what happened as a line
// (a sentence's key and its facts), which narrate.js writes in the page's
// language.

import { h, fmtTime } from './dom.js';
import { t, lang } from './i18n.js';
import { call } from './engine.js';
import { say } from './narrate.js';
import { Grouper, LossRun } from './losses.js';

const KEEP = 300; // lines kept on screen (a run of losses is one)
// The records read after a seek: the lines shown, or, losses being
// grouped (many records to a line), more of them.
const TAIL = KEEP, TAIL_GROUPED = 1000;
const WHO_MAX = 4; // servers or pairs a run's line names at most
const RUN_KEEP = 100; // losses a run keeps to list (it counts them all)

export class Narration {
  constructor(host) {
    this.host = host;
    this.list = h('ol', { class: 'rw-events', tabindex: 0, 'aria-live': 'off' });
    this.empty = h('p', { class: 'rw-muted rw-empty' }, t('noEvents'));
    // A long run keeps only its newest history (to bound memory): this
    // says from when.
    this.dropped = h('p', { class: 'rw-muted rw-dropped', 'data-part': 'events-dropped', hidden: true });
    this.grouper = new Grouper(RUN_KEEP);
    this.grouped = true;
    const group = h('input', { type: 'checkbox', checked: true, 'data-input': 'group-lost' });
    group.addEventListener('change', () => {
      this.grouped = group.checked;
      if (this.id) this.resync(this.id);
    });
    this.el = h('div', { class: 'rw-narration' },
      h('label', { class: 'rw-check' }, group, ' ', t('groupLost')),
      this.dropped, this.empty, this.list);
    this.list.addEventListener('click', e => {
      if (e.target.closest('.rw-lostbtn')) return;
      const li = e.target.closest('li');
      if (li) this.host.seek(+li.dataset.t);
    });
    this.list.addEventListener('keydown', e => {
      const li = e.target.closest('li');
      if (li && e.key === 'Enter' && !e.target.closest('.rw-lostbtn')) this.host.seek(+li.dataset.t);
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
    this.clear();
    this.dropped.hidden = true;
    this.earliest = 0; // the earliest time the run keeps its history from
  }

  clear() {
    this.list.textContent = '';
    this.grouper.reset();
    this.empty.hidden = false;
  }

  // trimmed follows the simulator's trace when it has dropped its oldest
  // records: the note says from when the run keeps its history.
  trimmed(r) {
    if (r.start > 0) {
      this.earliest = r.earliest || 0;
      this.dropped.textContent = t('eventsDropped', fmtTime(this.earliest));
      this.dropped.hidden = false;
    }
  }

  // poll reads new trace records (one events call). Records that came
  // faster than one call reads (a long jump) would scroll away unseen:
  // then only the tail is read.
  poll(id) {
    this.id = id;
    const r = call('events', id, this.cursor);
    if (r.error) return;
    if (r.cursor < r.total) return this.resync(id);
    if (r.reset) this.clear();
    this.trimmed(r);
    this.add(r.records);
    this.cursor = r.cursor;
  }

  // resync is called after a seek: the trace now ends at the new moment,
  // so the list is read afresh from its last records, at once, however
  // far the seek went.
  resync(id) {
    this.id = id;
    const r = call('events', id, -(this.grouped ? TAIL_GROUPED : TAIL));
    if (r.error) return;
    this.clear();
    this.trimmed(r);
    this.add(r.records);
    this.cursor = r.cursor;
  }

  add(recs) {
    if (!recs.length) return;
    // The new lines: records, and runs of losses (a run already shown may
    // grow). Only the last KEEP of them are made.
    const items = [];
    const grown = new Set();
    for (const rec of recs) {
      const g = this.grouped ? this.grouper.push(rec) : { rec };
      if (g.rec) items.push(rec);
      else {
        if (g.fresh) items.push(g.run);
        grown.add(g.run);
      }
    }
    const frag = document.createDocumentFragment();
    for (const x of items.length > KEEP ? items.slice(-KEEP) : items) {
      if (x instanceof LossRun) {
        x.el = h('li', { class: 'k-lost rw-lostrun', title: t('seekTip'), tabindex: -1 });
        frag.append(x.el);
      } else {
        frag.append(this.line(x));
      }
    }
    for (const run of grown) if (run.el) this.drawRun(run);
    this.list.append(frag);
    let extra = this.list.childElementCount - KEEP;
    while (extra-- > 0) this.list.firstElementChild.remove();
    this.empty.hidden = true;
    // Scrolling now would force a layout in the middle of the frame (10 to
    // 25 ms for the first one): the list scrolls at the start of the next
    // frame instead (settle), when the layout is still clean.
    if (this.follow) this.toEnd = true;
  }

  // drawRun draws a run of losses: one loss as its own line; more as a
  // line that counts them and says why, with a button that lists them
  // in place (drawn when first opened, and kept up as the run grows).
  drawRun(run) {
    const li = run.el;
    li.dataset.t = String(run.first);
    if (run.count === 1) {
      li.replaceChildren(...this.line(run.recs[0]).childNodes);
      return;
    }
    if (!run.btn) {
      run.btn = h('button', { type: 'button', class: 'rw-lostbtn', 'aria-expanded': 'false', 'data-action': 'expand-lost', title: t('lostTip') });
      run.text = h('span');
      run.btn.append(h('span', { class: 'rw-lostarrow', 'aria-hidden': 'true' }), run.text);
      run.btn.addEventListener('click', () => this.openRun(run, run.btn.getAttribute('aria-expanded') !== 'true'));
      run.items = h('ol', { class: 'rw-lostlist', hidden: true });
      li.replaceChildren(h('time', null, fmtTime(run.first)), h('span', { class: 'rw-etext' }, run.btn), run.items);
      li.dataset.lost = '';
    }
    run.text.textContent = t('nLost', run.count, this.why(run));
    li.dataset.count = String(run.count);
    if (run.shown != null) this.listRun(run);
  }

  // why says why a run's messages were lost: each reason, with the
  // servers or links it names.
  why(run) {
    return run.reasons().map(({ kind, who }) => {
      const names = who.slice(0, WHO_MAX).join(t('listSep')) + (who.length > WHO_MAX ? '…' : '');
      return kind === 'cut' ? t('lostCut', names) : kind === 'crashed' ? t('lostCrashed', names)
        : kind === 'random' ? t('lostRandom') : kind === 'dropped' ? t('lostDropped') : t('lostOther');
    }).join(' · ');
  }

  openRun(run, on) {
    run.btn.setAttribute('aria-expanded', String(on));
    run.items.hidden = !on;
    if (on) this.listRun(run);
  }

  // listRun lists the run's losses under its line (those it keeps), adding
  // only those not listed yet.
  listRun(run) {
    const kept = run.kept();
    if (run.shown == null || run.shown < run.count - kept.length) {
      run.items.textContent = '';
      run.shown = run.count - kept.length;
      if (run.shown > 0) run.items.append(h('li', { class: 'rw-muted rw-lostmore', 'data-t': String(run.first) }, t('lostEarlier', run.shown)));
    }
    const frag = document.createDocumentFragment();
    for (const rec of kept.slice(kept.length - (run.count - run.shown))) frag.append(this.line(rec));
    run.items.append(frag);
    run.shown = run.count;
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
    return h('li', { class: 'k-' + kind, 'data-t': rec.time, title: t('seekTip'), tabindex: -1 },
      h('time', null, fmtTime(rec.time)), text);
  }
}
