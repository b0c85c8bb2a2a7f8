// message-panel.js: the fields of a message in flight, opened by clicking
// it, with "Drop this message" (act "drop message ID"); in the manual
// network also "Deliver now" and "Deliver a copy", which act as a script
// names the message ("deliver S3->S2 vote", with its place among those of
// its type on the link when there are several), so that a solution code
// reads like the reference solution. The player pauses while it is open,
// and plays on when it closes if it was playing.

import { h, txt, show, button, fmtTime, sname } from './dom.js';
import { t } from './i18n.js';
import { Popover } from './popover.js';

const FIELDS = ['term', 'sent', 'at', 'lastIndex', 'lastTerm', 'transfer', 'prevIndex', 'prevTerm', 'entries', 'commit',
  'granted', 'success', 'match', 'hintIndex', 'hintTerm'];

export class MessagePanel extends Popover {
  constructor(host) {
    super(host, 'msg');
    this.title = h('strong');
    this.fields = h('dl', { class: 'rw-fields' });
    this.note = h('p', { class: 'rw-muted' });
    this.err = h('p', { class: 'rw-err', role: 'alert', hidden: true });
    this.drop = button('drop-message', t('msgDrop'), { onclick: () => {
      if (this.host.act('drop message ' + this.id, this.err)) this.close(false);
    } }, 'cut');
    const pick = verb => () => {
      const cmd = this.named(verb);
      if (!cmd) return txt(this.note, t('msgGone'));
      if (this.host.act(cmd, this.err)) this.close(false);
    };
    this.deliver = button('deliver-message', t('msgDeliver'), { onclick: pick('deliver') });
    this.dup = button('duplicate-message', t('msgDuplicate'), { onclick: pick('duplicate') });
    this.el = h('div', { class: 'rw-pop rw-msgpanel', role: 'dialog', 'aria-label': t('msgDrop'), hidden: true },
      h('div', { class: 'rw-pophead' }, this.title,
        h('button', { type: 'button', class: 'rw-x', 'aria-label': t('close'), onclick: () => this.close(true) }, '×')),
      this.fields, this.note, h('div', { class: 'rw-menu-acts' }, this.deliver, this.dup, this.drop), this.err);
    this.closeOnEscape();
  }

  open(id, ev) {
    const m = this.host.snap && this.host.snap.msgs.find(x => x.id === id);
    if (!m) return;
    this.host.select('msg', id);
    this.resume = this.host.playing;
    this.host.pause();
    txt(this.title, `${t(m.kind)} · ${sname(m.from)} → ${sname(m.to)}`);
    this.fields.textContent = '';
    for (const f of FIELDS) {
      // A message of the manual network arrives when it is delivered,
      // not at a time of its own.
      if (!(f in m) || (f === 'at' && m.waiting)) continue;
      let v = m[f];
      if (typeof v === 'boolean') v = v ? t('yes') : t('no');
      else if (f === 'sent' || f === 'at') v = fmtTime(v);
      this.fields.append(h('dt', null, t('f_' + f)), h('dd', null, String(v)));
    }
    txt(this.note, m.cut ? t('msgLost') : '');
    show(this.err, false);
    const manual = !!this.host.snap.manual;
    for (const [b, word] of [[this.drop, 'drop'], [this.deliver, 'deliver'], [this.dup, 'duplicate']]) {
      b.disabled = !this.host.allowed(word);
      b.title = b.disabled ? this.host.whyNot() : '';
    }
    show(this.deliver, manual);
    show(this.dup, manual);
    show(this.el, true);
    this.host.placeAt(this.el, ev.clientX, ev.clientY);
    (manual && !this.deliver.disabled ? this.deliver : this.drop).focus();
  }

  // named writes the action on this message as a script would: the link,
  // the type, and its place in the order sent among the messages of that
  // type on the link, when there is more than one.
  named(verb) {
    const m = this.host.snap.msgs.find(x => x.id === this.id);
    if (!m) return '';
    const same = this.host.snap.msgs.filter(x => x.from === m.from && x.to === m.to && x.kind === m.kind).sort((a, b) => a.id - b.id);
    const nth = same.length > 1 ? ' ' + (same.findIndex(x => x.id === m.id) + 1) : '';
    return `${verb} ${sname(m.from)}->${sname(m.to)} ${m.kind}${nth}`;
  }

  close(resume) {
    if (this.hide() && resume && this.resume) this.host.play();
  }

  // update notes when the message has arrived.
  update(sn) {
    if (this.el.hidden) return;
    const there = sn.msgs.some(x => x.id === this.id);
    if (!there) {
      txt(this.note, t('msgGone'));
      this.drop.disabled = this.deliver.disabled = this.dup.disabled = true;
    }
  }
}
