// message-panel.js: the fields of a message in flight, opened by clicking
// it, with "Drop this message" (act "drop message ID"). The player pauses
// while it is open, and plays on when it closes if it was playing.

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
    this.el = h('div', { class: 'rw-pop rw-msgpanel', role: 'dialog', 'aria-label': t('msgDrop'), hidden: true },
      h('div', { class: 'rw-pophead' }, this.title,
        h('button', { type: 'button', class: 'rw-x', 'aria-label': t('close'), onclick: () => this.close(true) }, '×')),
      this.fields, this.note, this.drop, this.err);
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
    this.drop.disabled = !this.host.allowed('drop');
    this.drop.title = this.drop.disabled ? this.host.whyNot() : '';
    show(this.el, true);
    this.host.placeAt(this.el, ev.clientX, ev.clientY);
    this.drop.focus();
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
      this.drop.disabled = true;
    }
  }
}
