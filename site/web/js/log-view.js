// log-view.js: the servers' logs, one row per server and one cell per
// index, coloured by term (the term number is written in the cell too),
// committed entries solid and uncommitted ones dashed. Each row marks its
// commit index, and each follower row the leader's nextIndex and
// matchIndex for it. A position where an entry was removed (overwritten by
// a leader's, §5.3) is outlined, and so is an entry a safety violation is
// about; the cell's tip says which entry was there, or what broke. At the
// end of each row is the server's state machine: the last commands it
// applied, and how many. Only the visible window of indexes is drawn, and only
// that window is asked of the simulator, so 10,000 entries cost nothing
// more than 10. The window follows the end of the logs until the learner
// scrolls back (slider, drag or wheel).

import { h, set, txt, show, clamp, sname, iconSvg } from './dom.js';
import { t, tn, lang } from './i18n.js';
import { say } from './narrate.js';

export class LogView {
  constructor(host) {
    this.host = host;
    this.from = 1;
    this.count = 20;
    this.follow = true;
    this.maxLast = 0;
    this.cw = 34;
    this.rows = [];
    this.followBtn = h('button', { type: 'button', class: 'rw-btn rw-small', 'data-action': 'follow', title: t('followTip'), hidden: true,
      onclick: () => { this.follow = true; this.host.invalidate(); } }, iconSvg('follow'), h('span', { class: 'rw-btn-label' }, t('follow')));
    this.range = h('input', { type: 'range', class: 'rw-logscroll', min: 1, max: 1, value: 1, 'aria-label': t('logPos') });
    this.range.addEventListener('input', () => {
      this.from = +this.range.value;
      this.follow = this.from >= this.maxFrom();
      this.host.invalidate();
    });
    this.head = h('div', { class: 'rw-lhead', 'aria-hidden': 'true' });
    this.body = h('div', { class: 'rw-lrows' });
    this.grid = h('div', { class: 'rw-lgrid' }, this.head, this.body);
    this.el = h('section', { class: 'rw-log', 'aria-label': t('logs'), 'data-part': 'logs' },
      h('div', { class: 'rw-lbar' },
        h('h3', { class: 'rw-ptitle' }, t('logs')),
        h('span', { class: 'rw-legend rw-llegend' },
          h('span', { class: 'rw-lk c' }), t('lCommitted'),
          h('span', { class: 'rw-lk u' }), t('lUncommitted'),
          h('span', { class: 'rw-lk cm' }), t('lCommit'),
          h('span', { class: 'rw-lk mt' }), t('lMatch'),
          h('span', { class: 'rw-lk nx' }), t('lNext'),
          h('span', { class: 'rw-lk ow' }), t('lOverwritten')),
        this.range, this.followBtn),
      this.grid);
    this.grid.addEventListener('wheel', e => {
      const d = Math.abs(e.deltaX) > Math.abs(e.deltaY) ? e.deltaX : e.shiftKey ? e.deltaY : 0;
      if (!d || this.maxFrom() <= 1) return;
      e.preventDefault();
      this.scrollTo(this.from + Math.sign(d) * Math.max(1, Math.round(Math.abs(d) / 30)));
    }, { passive: false });
    this.grid.addEventListener('pointerdown', e => {
      if (e.button !== 0 || this.maxFrom() <= 1) return;
      const x0 = e.clientX, f0 = this.from;
      this.grid.setPointerCapture(e.pointerId);
      const move = ev => this.scrollTo(f0 - Math.round((ev.clientX - x0) / this.cw));
      const up = () => {
        this.grid.removeEventListener('pointermove', move);
        this.grid.removeEventListener('pointerup', up);
        this.grid.removeEventListener('pointercancel', up);
      };
      this.grid.addEventListener('pointermove', move);
      this.grid.addEventListener('pointerup', up);
      this.grid.addEventListener('pointercancel', up);
    });
    new ResizeObserver(() => this.measure()).observe(this.grid);
  }

  scrollTo(f) {
    const mf = this.maxFrom();
    f = clamp(f, 1, mf);
    if (f === this.from && this.follow === (f >= mf)) return;
    this.from = f;
    this.follow = f >= mf;
    this.host.invalidate();
  }

  maxFrom() {
    return Math.max(1, this.maxLast - this.count + 2);
  }

  measure() {
    const width = this.grid.clientWidth;
    if (!width) return;
    // A narrow widget has narrower cells, and room for more of them.
    const narrow = width < 500;
    this.cw = narrow ? 28 : 34;
    const names = narrow ? 40 : 52;
    const sm = narrow ? 52 : 150;
    this.smChars = narrow ? 0 : 20;
    this.narrow = narrow;
    this.grid.style.setProperty('--lname', names + 'px');
    this.grid.style.setProperty('--lsm', sm + 'px');
    const count = clamp(Math.floor((width - names - sm) / this.cw), 4, 200);
    if (count !== this.count || !this.cells || this.cw !== this.builtCw) {
      this.count = count;
      this.build();
      this.host.invalidate();
    }
  }

  setSize(n) {
    this.n = n;
    this.from = 1;
    this.follow = true;
    this.maxLast = 0;
    this.build();
  }

  // build makes the row and cell elements for n servers and count cells.
  build() {
    const n = this.n || 0, count = this.count;
    this.builtCw = this.cw;
    // Rows are lower in a bigger cluster, so that every row stays on the
    // screen with the cluster.
    this.grid.dataset.rows = n > 7 ? 'dense' : n > 5 ? 'compact' : '';
    this.grid.style.setProperty('--cw', this.cw + 'px');
    this.head.textContent = '';
    this.heads = [];
    for (let k = 0; k < count; k++) {
      const e = h('span', { style: `left:${k * this.cw}px` });
      this.heads.push(e);
      this.head.append(e);
    }
    this.head.append(h('span', { class: 'rw-smhead', title: t('sm') }, this.narrow ? t('smShort') : t('sm')));
    this.body.textContent = '';
    this.rows = [];
    for (let i = 1; i <= n; i++) {
      const cells = [];
      const track = h('div', { class: 'rw-lcells' });
      for (let k = 0; k < count; k++) {
        const c = h('span', { class: 'rw-cell', style: `left:${k * this.cw}px` },
          h('b'), h('i'));
        cells.push(c);
        track.append(c);
      }
      const commit = h('span', { class: 'rw-cmark', hidden: true });
      const next = h('span', { class: 'rw-nmark', hidden: true });
      const match = h('span', { class: 'rw-mmark', hidden: true });
      track.append(commit, next, match);
      const glyph = h('span', { class: 'rw-glyph' });
      const sm = h('span', { class: 'rw-sm', 'data-part': 'machine' });
      const row = h('div', { class: 'rw-lrow', 'data-row': sname(i) },
        h('span', { class: 'rw-lname' }, glyph, sname(i)), track, sm);
      this.body.append(row);
      this.rows.push({ row, cells, commit, next, match, sm });
    }
    this.cells = true;
  }

  // window returns the indexes to ask the simulator for: the visible ones,
  // and a few more when following, in case the logs grow this frame.
  window() {
    if (this.follow) this.from = this.maxFrom();
    this.asked = this.from;
    return [this.from, this.from + this.count - 1 + (this.follow ? 16 : 0)];
  }

  // update draws snapshot sn. It returns true when the window it drew is
  // not the one to show (the logs grew or shrank too much since it was
  // asked for): the widget then draws again in the next frame.
  update(sn) {
    let again = false;
    let maxLast = 0;
    for (const sv of sn.servers) maxLast = Math.max(maxLast, sv.last);
    const asked = this.asked || 1;
    this.maxLast = maxLast;
    const mf = this.maxFrom();
    let from = asked;
    if (this.follow) {
      // The window asked for holds 16 more indexes: enough unless the
      // logs grew (or shrank) a lot since the last frame.
      if (mf >= asked && mf <= asked + 16) from = mf;
      else again = true;
    } else if (asked > mf) {
      again = true; // the logs shrank: scroll back next frame
    }
    this.from = Math.min(from, mf);
    const count = this.count, cw = this.cw;
    show(this.followBtn, !this.follow);
    show(this.range, mf > 1);
    set(this.range, 'max', String(mf));
    if (+this.range.value !== from) this.range.value = String(from);
    // Long index numbers: label every other cell.
    const every = String(from + count).length > 4 ? 2 : 1;
    for (let k = 0; k < count; k++) txt(this.heads[k], (from + k) % every ? '' : String(from + k));
    // Positions where an entry was removed, and entries a violation is
    // about, by server and index.
    const over = new Map(), bad = new Map();
    for (const r of sn.removed || []) over.set(r.server + ':' + r.index, r);
    for (const v of sn.found || []) {
      if (v.index > 0) for (const id of v.servers) if (!bad.has(id + ':' + v.index)) bad.set(id + ':' + v.index, v);
    }
    // The leader whose nextIndex/matchIndex are shown.
    let ld = sn.leader ? sn.servers[sn.leader - 1] : null;
    if (!ld || !ld.next) ld = sn.servers.find(x => x.next && x.up && x.role === 'leader') || null;
    for (let i = 0; i < this.rows.length; i++) {
      const sv = sn.servers[i], r = this.rows[i];
      if (!sv) continue;
      set(r.row, 'data-r', sv.role);
      set(r.row, 'data-st', sv.up ? 'up' : 'crashed');
      for (let k = 0; k < count; k++) {
        const idx = from + k, c = r.cells[k];
        const e = idx >= sv.logFrom && idx <= sv.last ? sv.log[idx - sv.logFrom] : null;
        const ow = over.get(sv.id + ':' + idx), v = bad.get(sv.id + ':' + idx);
        const marks = (ow ? ' o' : '') + (v ? ' v' : '');
        const key = (e ? (idx <= sv.commit ? 'c' : 'u') + e[0] + '|' + e[1] : '') + marks + (ow ? ow.term + '|' + ow.cmd : '') + (v ? v.seq : '');
        if (c._k === key) continue;
        c._k = key;
        const tips = [];
        if (e) {
          const cmd = e[1] == null ? '' : e[1];
          c.className = 'rw-cell on ' + (idx <= sv.commit ? 'c' : 'u') + (e[1] == null ? ' noop' : '') + marks;
          c.setAttribute('data-tc', String(e[0] % 8));
          c.firstChild.textContent = String(e[0]);
          c.lastChild.textContent = cmd || '·';
          tips.push(t('cellTip', idx, e[0], cmd || t('noop')) + ' · ' + (idx <= sv.commit ? t('lCommitted') : t('lUncommitted')));
        } else {
          c.className = 'rw-cell' + marks;
          c.firstChild.textContent = c.lastChild.textContent = '';
        }
        if (ow) tips.push(t('cellOverwritten', idx, ow.term, ow.cmd == null ? t('noop') : ow.cmd));
        if (v) tips.push(t('cellBroken', say(v.say, lang)));
        if (tips.length) c.title = tips.join('\n');
        else c.removeAttribute('title');
      }
      this.machine(r.sm, sv, sn.machines && sn.machines[i]);
      const place = (el, idx, on) => {
        const k = idx - from;
        const vis = on && k >= 0 && k < count;
        show(el, vis);
        if (vis) set(el, 'style', `left:${k * cw}px`);
      };
      place(r.commit, sv.commit, sv.commit > 0);
      set(r.commit, 'title', t('lCommit') + ' ' + sv.commit);
      const f = ld && ld !== sv && ld.next;
      place(r.next, f ? ld.next[sv.id] : 0, f);
      place(r.match, f ? ld.match[sv.id] : 0, f && ld.match[sv.id] > 0);
      if (f) {
        set(r.next, 'title', `${t('lNext')} ${ld.next[sv.id]} (${sname(ld.id)})`);
        set(r.match, 'title', `${t('lMatch')} ${ld.match[sv.id]} (${sname(ld.id)})`);
      }
    }
    return again;
  }

  // machine shows what a server's state machine has applied: the last
  // commands (the latest at the right), and how many in all.
  machine(el, sv, m) {
    const n = m ? m.n : 0, last = m ? m.last : [];
    // As many of the last commands as fit (a narrow widget: the count).
    let words = '', k = last.length;
    while (k > 0 && words.length + last[k - 1].length + 1 <= this.smChars) words = last[--k] + (words ? ' ' + words : '');
    if (!words) words = String(n);
    else if (k > 0 || n > last.length) words = '… ' + words;
    txt(el, n ? words : '∅');
    set(el, 'data-n', String(n));
    set(el, 'title', n ? tn('smTip', n, sname(sv.id), n, (n > last.length ? '… ' : '') + last.join(', ')) : t('smEmpty', sname(sv.id)));
  }
}
