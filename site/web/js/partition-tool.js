// partition-tool.js: split the network in two by hand. "Partition" starts
// a draft (by default the leader and a minority on side A); clicking
// servers moves them between sides A and B; "Apply" acts
// "partition S1 S2 | S3 S4 S5", side A first, so that the picture, which
// names the network's groups in the order they were given, keeps the
// letters of the draft. "Heal" removes every cut. The draft's bar lies
// over the bar of the cluster's picture, not over the servers.

import { h, show, button, sname } from './dom.js';
import { t, tp } from './i18n.js';

export class PartitionTool {
  constructor(host) {
    this.host = host;
    this.sides = null; // Map id -> 0 (A) | 1 (B) while drafting
    this.partBtn = button('partition', t('partition'), { title: t('partitionTip'), onclick: () => this.start() }, 'split');
    this.healBtn = button('heal', t('heal'), { title: t('healTip'), onclick: () => this.host.act('heal', this.err) }, 'heal');
    this.tools = h('div', { class: 'rw-tools' }, this.partBtn, this.healBtn);
    this.err = h('p', { class: 'rw-err', role: 'alert', hidden: true });
    this.applyBtn = button('apply-partition', t('apply'), { class: 'rw-btn primary', onclick: () => this.apply() }, 'check');
    this.bar = h('div', { class: 'rw-pbar', 'data-part': 'partition-draft', hidden: true },
      h('span', null, tp('partitionHelp')),
      h('span', { class: 'rw-pbar-btns' },
        this.applyBtn,
        button('cancel-partition', t('cancel'), { onclick: () => this.stop() })),
      this.err);
  }

  active() {
    return !!this.sides;
  }

  start() {
    const sn = this.host.snap;
    if (!sn) return;
    const n = sn.servers.length;
    this.sides = new Map();
    const g = sn.net.groups;
    if (g.some(x => x > 0)) {
      // The first group given is side A, as the picture names it.
      let first = 0;
      for (let i = 1; i <= n; i++) if (!sn.net.isolated[i] && g[i] > 0 && (!first || g[i] < first)) first = g[i];
      for (let i = 1; i <= n; i++) this.sides.set(i, g[i] === first ? 0 : 1);
    } else {
      // The leader (or S1) and the servers after it, a minority, on side A.
      const first = sn.leader || 1, minority = Math.max(1, Math.floor((n - 1) / 2));
      for (let i = 1; i <= n; i++) this.sides.set(i, 1);
      for (let k = 0; k < minority; k++) this.sides.set(((first - 1 + k) % n) + 1, 0);
    }
    show(this.err, false);
    show(this.bar, true);
    this.host.invalidate();
    this.bar.querySelector('button').focus();
  }

  toggle(id) {
    this.sides.set(id, 1 - this.sides.get(id));
    show(this.err, false);
    this.host.invalidate();
  }

  apply() {
    const a = [], b = [];
    for (const [id, side] of this.sides) (side ? b : a).push(sname(id));
    if (!a.length || !b.length) {
      this.err.textContent = t('oneSide');
      show(this.err, true);
      return;
    }
    if (this.host.act(`partition ${a.join(' ')} | ${b.join(' ')}`, this.err)) this.stop();
  }

  stop() {
    this.sides = null;
    show(this.bar, false);
    this.host.invalidate();
    this.partBtn.focus();
  }

  update() {
    const p = this.host.allowed('partition'), hl = this.host.allowed('heal');
    this.partBtn.disabled = !p;
    this.healBtn.disabled = !hl;
    this.applyBtn.disabled = !p;
    this.partBtn.title = p ? t('partitionTip') : this.host.whyNot();
    this.healBtn.title = hl ? t('healTip') : this.host.whyNot();
    this.applyBtn.title = p ? '' : this.host.whyNot();
  }
}
