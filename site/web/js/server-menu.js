// server-menu.js: the small menu that opens on a server (click it, or
// focus it and press Enter): time out now (on a leader, send heartbeats
// now), propose a command, crash or
// restart, isolate; on a follower while there is a leader, transfer
// leadership here (transfer S1 to S3); and, while persist-before-send is
// off, crash after sending (the crash that shows that mistake). Actions an exercise does not allow are disabled, and
// so is every action while an exercise is being set up.
// Errors from the simulator show in the menu for a few seconds.

import { h, txt, show, button, sname } from './dom.js';
import { t } from './i18n.js';
import { Popover } from './popover.js';

export class ServerMenu extends Popover {
  constructor(host) {
    super(host, 'server');
    this.cmdN = 1; // the number of the next command proposed by default
    this.title = h('strong', { id: host.uid + '-menu-title' });
    this.info = h('p', { class: 'rw-muted rw-menu-info' });
    this.err = h('p', { class: 'rw-err', role: 'alert', hidden: true });
    this.cmd = h('input', { type: 'text', class: 'rw-input', size: 6, maxlength: 60, spellcheck: 'false', autocomplete: 'off', 'aria-label': t('command') });
    const act = (cmd, after) => {
      if (this.host.act(cmd, this.err)) {
        if (after) after();
        this.close(true);
      }
    };
    this.b = {
      timeout: button('timeout', t('timeout'), { title: t('timeoutTip'), onclick: () => act('timeout ' + sname(this.id)) }),
      heartbeat: button('heartbeat', t('heartbeatNow'), { title: t('heartbeatNowTip'), onclick: () => act('heartbeat ' + sname(this.id)) }),
      propose: button('propose', t('propose'), { title: t('proposeTip'), onclick: () => this.propose(act) }),
      crash: button('crash', t('crash'), { title: t('crashTip'), onclick: () => act('crash ' + sname(this.id)) }),
      crashAfterSend: button('crash-after-send', t('crashAfterSend'), { title: t('crashAfterSendTip'), onclick: () => act('crash ' + sname(this.id) + ' after-send') }),
      restart: button('restart-server', t('restartServer'), { title: t('restartServerTip'), onclick: () => act('restart ' + sname(this.id)) }),
      isolate: button('isolate', t('isolate'), { title: t('isolateTip'), onclick: () => act('isolate ' + sname(this.id)) }),
      transfer: button('transfer', t('transferHere'), { title: t('transferHereTip'), onclick: () => {
        const l = this.host.snap && this.host.snap.leader;
        if (l) act(`transfer ${sname(l)} to ${sname(this.id)}`);
      } }),
    };
    this.cmd.addEventListener('keydown', e => {
      if (e.key === 'Enter') { e.preventDefault(); this.propose(act); }
    });
    this.el = h('div', { class: 'rw-pop rw-menu', role: 'dialog', 'aria-labelledby': this.title.id, hidden: true },
      h('div', { class: 'rw-pophead' }, this.title,
        h('button', { type: 'button', class: 'rw-x', 'aria-label': t('close'), onclick: () => this.close(true) }, '×')),
      this.info,
      h('div', { class: 'rw-menu-acts' },
        this.b.timeout, this.b.heartbeat,
        h('div', { class: 'rw-propose' }, this.cmd, this.b.propose),
        this.b.crash, this.b.crashAfterSend, this.b.restart, this.b.isolate, this.b.transfer),
      this.err);
    this.closeOnEscape();
    // A key held down (Enter on the server, kept pressed) repeats: the
    // repeats must not press the action focused once the menu opens.
    this.el.addEventListener('keydown', e => {
      if (e.repeat && (e.key === 'Enter' || e.key === ' ')) e.preventDefault();
    });
  }

  propose(act) {
    const v = this.cmd.value.trim() || this.nextCommand();
    const quoted = /^[\p{L}_][\p{L}\p{N}_.-]*$/u.test(v) && !/^(and|within|to|on|when|empty|[sS][1-9])$/.test(v) ? v : JSON.stringify(v);
    act(`propose ${quoted} to ${sname(this.id)}`, () => this.usedCommand(v));
  }

  nextCommand() {
    return 'x' + this.cmdN;
  }

  usedCommand(v) {
    if (v === 'x' + this.cmdN) this.cmdN++;
  }

  open(id, anchor) {
    this.host.select('server', id);
    this.anchor = anchor;
    show(this.err, false);
    this.cmd.value = this.nextCommand();
    show(this.el, true);
    this.update(this.host.snap);
    const ar = anchor.getBoundingClientRect();
    this.host.placeAt(this.el, ar.left + ar.width / 2, ar.bottom + 4, ar.top - 4);
    // Focus the first action after this key press is over, so that the
    // Enter that opened the menu does not also press it.
    setTimeout(() => {
      const first = [...this.el.querySelectorAll('.rw-menu-acts button')].find(b => !b.disabled && !b.hidden);
      if (first && this.isOpen()) first.focus();
    }, 30);
  }

  close(focusBack) {
    this.hide(focusBack ? this.anchor : null);
  }

  update(sn) {
    if (this.el.hidden || !sn) return;
    const sv = sn.servers[this.id - 1];
    // A server gone from the picture: the menu hides (drawing changes
    // no selection; the next click on a server opens the menu afresh).
    if (!sv) return show(this.el, false);
    txt(this.title, t('serverLabel', sname(sv.id), sv.up ? t(sv.role) : t('crashed'), sv.term));
    txt(this.info, [sv.vote ? t('votedFor', sname(sv.vote)) : t('votedNone'), t('commitIs', sv.commit), t('lastIs', sv.last)].join(' · '));
    const put = (b, word, tip, visible) => {
      const ok = this.host.allowed(word);
      show(b, visible);
      b.disabled = !ok;
      b.title = ok ? t(tip) : t(tip) + ' · ' + this.host.whyNot();
    };
    put(this.b.timeout, 'timeout', 'timeoutTip', sv.up);
    // A leader's heartbeat timer, fired by hand: most useful in the
    // manual network, where no timer runs by itself.
    put(this.b.heartbeat, 'heartbeat', 'heartbeatNowTip', sv.up && sv.role === 'leader');
    put(this.b.propose, 'propose', 'proposeTip', sv.up);
    this.cmd.disabled = this.b.propose.disabled;
    show(this.cmd.parentNode, sv.up);
    put(this.b.crash, 'crash', 'crashTip', sv.up);
    // With the rule on, a crash after sending shows nothing that a crash
    // does not: the button shows only while the mistake can be made.
    put(this.b.crashAfterSend, 'crash', 'crashAfterSendTip', sv.up && !!sn.rules && sn.rules['persist-before-send'] === false);
    put(this.b.restart, 'restart', 'restartServerTip', !sv.up);
    put(this.b.isolate, 'isolate', 'isolateTip', sv.up);
    // The leader a client would find (none while a server is in a later
    // term) hands leadership over; the simulator says why it cannot, if
    // it cannot (a transfer under way).
    put(this.b.transfer, 'transfer', 'transferHereTip', sv.up && !!sn.leader && sn.leader !== sv.id);
  }
}
