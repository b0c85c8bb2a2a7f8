// editor.js: the playground's scenario editor. A textarea with line
// numbers; the text is checked as you type (parse), and errors are listed
// with line:col, their lines highlighted. "Run" (or Ctrl+Enter) re-creates
// the cluster from the text. Cluster size and seed inputs write a fresh
// "cluster N seed=S" scenario and run it.

import { h, show, button, clamp } from './dom.js';
import { t } from './i18n.js';
import { call } from './engine.js';

export class Editor {
  constructor(host) {
    this.host = host;
    this.top = this.left = this.placedTop = 0; // the text's scroll position, read and placed
    const id = host.uid + '-ed';
    this.ta = h('textarea', { id, class: 'rw-code', spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off', wrap: 'off', rows: 10 });
    this.gutter = h('div', { class: 'rw-gutter', 'aria-hidden': 'true' });
    this.marks = h('div', { class: 'rw-emarks', 'aria-hidden': 'true' });
    this.errs = h('ul', { class: 'rw-errlist' });
    this.status = h('p', { class: 'rw-muted rw-estatus', 'aria-live': 'polite' });
    this.size = h('input', { type: 'number', class: 'rw-input', min: 1, max: 9, value: 5, 'aria-label': t('servers') });
    this.seed = h('input', { type: 'number', class: 'rw-input', min: 0, value: 1, 'aria-label': t('seed') });
    const regen = () => {
      const n = clamp(parseInt(this.size.value, 10) || 5, 1, 9);
      const sd = Math.max(0, parseInt(this.seed.value, 10) || 0);
      this.size.value = n;
      this.seed.value = sd;
      this.setText(`cluster ${n} seed=${sd}\n`);
      this.run();
    };
    this.size.addEventListener('change', regen);
    this.seed.addEventListener('change', regen);
    this.ta.addEventListener('input', () => {
      this.lines();
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.check(), 250);
    });
    this.ta.addEventListener('scroll', () => this.sync());
    this.ta.addEventListener('keydown', e => {
      e.stopPropagation(); // typing is not a shortcut
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.run();
      }
    });
    this.el = h('section', { class: 'rw-editor', 'aria-label': t('scenario') },
      h('div', { class: 'rw-ebar' },
        h('label', { class: 'rw-ptitle', for: id }, t('scenario')),
        h('label', { class: 'rw-field' }, t('servers'), this.size),
        h('label', { class: 'rw-field' }, t('seed'), this.seed),
        button('run', t('run'), { class: 'rw-btn primary', title: t('runTip'), onclick: () => this.run() }, 'run')),
      h('div', { class: 'rw-ebox' }, this.gutter, h('div', { class: 'rw-ewrap' }, this.marks, this.ta)),
      this.status, this.errs);
  }

  // setText puts text in the box. It neither reads the layout (a new
  // text starts scrolled to the top) nor parses at once: this runs while a
  // page starts, when both would hold it up, so the check comes a moment
  // later (and run() checks again anyway).
  setText(text) {
    this.ta.value = text;
    this.top = this.left = 0;
    this.lines(false);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), 0);
  }

  // syncFields shows the text's cluster size and seed in their inputs.
  syncFields() {
    const m = /^[ \t]*cluster[ \t]+(\d)\b([^\n#]*)/m.exec(this.ta.value);
    if (!m) return;
    const sd = /\bseed=(\d+)/.exec(m[2]);
    if (document.activeElement !== this.size) this.size.value = m[1];
    if (document.activeElement !== this.seed) this.seed.value = sd ? sd[1] : 1;
  }

  // lines numbers the lines in the gutter; measure says whether to read
  // the text's scroll position to follow it.
  lines(measure = true) {
    const n = this.ta.value.split('\n').length;
    if (n !== this.nlines) {
      this.nlines = n;
      // The box grows with the text, up to 17 lines; then it scrolls.
      this.ta.rows = Math.min(17, Math.max(8, n));
      let s = '';
      for (let i = 1; i <= n; i++) s += i + '\n';
      this.gutter.textContent = s;
    }
    if (measure) this.sync();
    else this.place();
  }

  sync() {
    this.top = this.ta.scrollTop;
    this.left = this.ta.scrollLeft;
    this.place();
  }

  // place moves the gutter and the error marks to the text's scroll
  // position as last read.
  place() {
    // Only write: reading a scroll position would force a layout.
    if (this.placedTop !== this.top) this.gutter.scrollTop = this.placedTop = this.top;
    this.marks.style.transform = this.top || this.left ? `translate(${-this.left}px, ${-this.top}px)` : '';
  }

  // check parses the text and shows its errors; it returns whether it is valid.
  check() {
    const r = call('parse', this.ta.value, this.host.name);
    this.syncFields();
    this.showErrors(r.error ? r.errors || [{ line: 0, col: 0, msg: r.error }] : []);
    return !r.error;
  }

  showErrors(list) {
    this.errs.textContent = '';
    this.marks.textContent = '';
    this.status.textContent = list.length ? t('nErrors', list.length) : t('valid');
    this.status.classList.toggle('rw-bad', list.length > 0);
    for (const e of list) {
      const li = h('li', null, h('button', { type: 'button', class: 'rw-link-btn', onclick: () => this.goto(e.line, e.col) },
        e.line ? `${e.line}:${e.col}` : '!'), ' ', e.msg);
      this.errs.append(li);
      if (e.line > 0) this.marks.append(h('div', { class: 'rw-emark', style: `top:calc(${e.line - 1} * var(--lh) + var(--pad))` }));
    }
    show(this.errs, list.length > 0);
  }

  goto(line, col) {
    const lines = this.ta.value.split('\n');
    let pos = 0;
    for (let i = 0; i < line - 1 && i < lines.length; i++) pos += lines[i].length + 1;
    // col counts bytes of UTF-8: turn it into characters.
    const bytes = new TextEncoder().encode(lines[line - 1] || '').slice(0, Math.max(0, col - 1));
    pos += new TextDecoder().decode(bytes).length;
    this.ta.focus();
    this.ta.setSelectionRange(pos, pos);
  }

  // run plays the text: a scenario of the learner's own, whose errors are
  // shown as they are, with their lines.
  run() {
    if (!this.check()) return;
    this.host.run(this.ta.value);
  }
}
