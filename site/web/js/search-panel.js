// search-panel.js: the Rules tab's "find the shortest way to break it":
// a search of the explorer from a new cluster or from the widget's
// present moment, its progress and a Stop button while it runs, and what
// it found: the shortest schedule that breaks a safety property (with
// Play it, which loads it into the widget as a narrated scenario), or
// that none breaks one within the bounds it reports.

import { h, txt, show, button } from './dom.js';
import { t, lang } from './i18n.js';
import { term } from './narrate.js';
import { available, search } from './explorer.js';

const num = n => n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en');

export class SearchPanel {
  constructor(host) {
    this.host = host;
    this.job = null;
    this.startBtn = button('search-start', t('searchStart'), { title: t('searchStartTip'), onclick: () => this.run('start') });
    this.hereBtn = button('search-here', t('searchHere'), { title: t('searchHereTip'), onclick: () => this.run('here') });
    this.stopBtn = button('search-stop', t('searchStop'), { onclick: () => this.stop() });
    this.status = h('p', { class: 'rw-searchstatus', role: 'status', 'aria-live': 'polite' });
    this.result = h('div', { class: 'rw-searchresult' });
    this.backBtn = button('search-back', t('searchBack'), { onclick: () => this.host.backHome() });
    this.el = h('section', { class: 'rw-search', 'data-part': 'search' },
      h('h4', null, t('searchTitle')),
      h('p', { class: 'rw-muted' }, t('searchHelp')),
      h('div', { class: 'rw-row' }, this.startBtn, this.hereBtn, this.stopBtn),
      this.status, this.result, this.backBtn);
    show(this.stopBtn, false);
    show(this.backBtn, false);
    show(this.el, available());
  }

  // update follows the widget: no search in an exercise (it would give the
  // answer away), and the way back once a found schedule is loaded.
  update() {
    const info = this.host.info;
    show(this.el, available() && !(info && info.exercise));
    show(this.backBtn, this.host.away);
  }

  run(from) {
    if (this.job) return;
    if (from === 'here') this.host.pause();
    const text = this.host.record();
    if (!text) return;
    txt(this.status, t('searchLoading'));
    this.result.textContent = '';
    this.busy(true);
    const job = search(JSON.stringify({ from, run: text, lang }), p => {
      txt(this.status, t('searching', p.depth, num(p.states), num(p.rate)));
    });
    this.job = job;
    job.done.then(r => {
      if (this.job !== job) return;
      this.job = null;
      this.busy(false);
      this.show(r);
    });
  }

  stop() {
    if (this.job) this.job.stop();
  }

  busy(on) {
    this.startBtn.disabled = on;
    this.hereBtn.disabled = on;
    show(this.stopBtn, on);
    this.el.toggleAttribute('data-busy', on);
  }

  // show says what a search found, in the page's words.
  show(r) {
    this.result.textContent = '';
    this.el.dataset.verdict = r.verdict || (r.stopped ? 'stopped-by-you' : 'error');
    if (r.stopped) return txt(this.status, t('searchStopped'));
    if (r.error) {
      if (r.code !== 'time-rule') console.error('raftplay explorer:', r.error);
      return txt(this.status, r.code === 'time-rule' ? t('searchTimeRule') : t('searchFailed'));
    }
    let line;
    if (r.verdict === 'broken') line = t('searchBroken', r.depth, term('inv.' + r.violation, lang));
    else if (r.verdict === 'holds') line = r.exhausted ? t('searchHoldsAll', num(r.states), r.depth) : t('searchHoldsDepth', r.depth, num(r.states));
    else if (r.reason === 'time') line = t('searchStoppedTime', r.depth, Math.round(r.ms / 1000), num(r.states));
    else line = t('searchStoppedMemory', r.depth, num(r.states));
    txt(this.status, line);
    const b = r.bounds || {};
    if (r.healed) this.result.append(h('p', { class: 'rw-muted' }, t('searchHealed')));
    this.result.append(h('p', { class: 'rw-muted' }, t('searchBounds', r.servers, b.terms, b.log, b.requests, b.crashes, b.restarts, b.inflight)));
    if (b.batch) this.result.append(h('p', { class: 'rw-muted' }, t('searchBatch', b.batch)));
    this.result.append(
      h('p', { class: 'rw-muted' }, r.switched && r.switched.length ? t('searchRules', r.switched.join(', ')) : t('searchAllRules')));
    if (r.verdict === 'broken' && r.scenario) {
      this.result.append(button('search-play', t('searchPlay'), {
        class: 'rw-btn primary', title: t('searchPlayTip'), onclick: () => this.host.playFound(r.scenario),
      }, 'play'));
    }
    this.reveal();
  }

  // reveal scrolls the tab's panel (not the page) to what was found.
  reveal() {
    const panel = this.el.closest('.rw-panel');
    if (!panel || panel.hidden) return;
    const p = panel.getBoundingClientRect(), from = this.status.getBoundingClientRect(), end = this.el.getBoundingClientRect();
    const pad = 8;
    if (end.bottom + pad > p.bottom) panel.scrollTop += Math.min(from.top - p.top - pad, end.bottom + pad - p.bottom);
  }

  // reset forgets what was found when the widget loads another scenario.
  reset() {
    this.stop();
    this.job = null;
    this.busy(false);
    txt(this.status, '');
    this.result.textContent = '';
    delete this.el.dataset.verdict;
  }
}
