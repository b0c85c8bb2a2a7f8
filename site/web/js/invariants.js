// invariants.js: the safety monitor. A panel lists the five properties of
// the paper's Figure 3 (and the two extra ones the simulator checks),
// each ticked while it holds; on a violation a banner over the cluster
// names it, the servers involved and what was seen, and offers to jump
// back to the moment it first happened. The banner lies over the bar at
// the top of the cluster's picture (it moves nothing); it can be hidden,
// and the safety chip brings it back.

import { h, set, txt, show, fmtTime, sname } from './dom.js';
import { t, lang } from './i18n.js';
import { say, term } from './narrate.js';

const FIG3 = ['election-safety', 'leader-append-only', 'log-matching', 'leader-completeness', 'state-machine-safety'];
const EXTRA = ['term-monotonic', 'commit-monotonic'];

export class Invariants {
  constructor(host) {
    this.host = host;
    this.items = new Map();
    const row = name => {
      const li = h('li', { 'data-inv': name, 'data-ok': '' },
        h('span', { class: 'rw-inv-mark', 'aria-hidden': 'true' }),
        h('span', null, h('strong', null, term('inv.' + name, lang)), h('small', null, t('d-' + name))));
      this.items.set(name, li);
      return li;
    };
    this.el = h('div', { class: 'rw-invariants', 'data-violations': '0' },
      h('p', { class: 'rw-muted' }, t('fig3')),
      h('ul', { class: 'rw-invlist' }, ...FIG3.map(row)),
      h('p', { class: 'rw-muted rw-sub' }, t('alsoChecked')),
      h('ul', { class: 'rw-invlist rw-minor' }, ...EXTRA.map(row)));
    this.bannerText = h('strong');
    this.bannerDetail = h('span', { class: 'rw-bdetail' });
    this.banner = h('div', { class: 'rw-banner', role: 'alert', 'data-part': 'banner', hidden: true },
      h('span', { class: 'rw-bicon', 'aria-hidden': 'true' }, '!'),
      h('div', { class: 'rw-btext' }, this.bannerText, this.bannerDetail),
      h('button', { type: 'button', class: 'rw-btn rw-small', 'data-action': 'jump-violation', title: t('jumpFirst'),
        onclick: () => this.first && this.host.seek(this.first.time) }, t('jumpFirstShort')),
      h('button', { type: 'button', class: 'rw-x', 'data-action': 'hide-violation', 'aria-label': t('hideBanner'), title: t('hideBanner'),
        onclick: () => { this.hidden = true; show(this.banner, false); } }, '×'));
    this.key = '';
    this.hidden = false;
  }

  // update draws snapshot sn and returns the count of violations seen.
  update(sn) {
    const found = sn.found || [];
    const count = Math.max(sn.violations || 0, found.length);
    set(this.el, 'data-violations', String(count));
    const key = count + ':' + found.length;
    if (key === this.key) return count;
    this.key = key;
    const bad = new Set(found.map(v => v.kind));
    for (const [name, li] of this.items) {
      set(li, 'data-ok', bad.has(name) ? null : '');
      set(li, 'data-bad', bad.has(name) ? '' : null);
    }
    this.first = found[0] || null;
    if (!count) this.hidden = false;
    show(this.banner, count > 0 && !this.hidden);
    if (this.first) {
      const v = this.first;
      txt(this.bannerText, t('violated', term('inv.' + v.kind, lang)));
      const detail = [
        v.servers && v.servers.length ? t('involving', v.servers.map(sname).join(', ')) : '',
        t('atTime', fmtTime(v.time)),
        say(v.say, lang),
      ].filter(Boolean).join(' · ');
      txt(this.bannerDetail, detail);
      set(this.bannerDetail, 'title', detail); // the banner may cut it short
    }
    return count;
  }

  // reveal shows the banner again (the safety chip), if there is a
  // violation to show.
  reveal() {
    this.hidden = false;
    show(this.banner, this.key !== '' && !this.key.startsWith('0:'));
  }
}
