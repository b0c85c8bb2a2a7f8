// popover.js: what the cluster's two popovers share, the server menu and
// the message panel. Each shows the selected server or message (its
// kind of selection), closes on Escape, and selects nothing once closed.

import { show } from './dom.js';

export class Popover {
  // host: the widget's (host.js); kind: 'server' or 'msg'.
  constructor(host, kind) {
    this.host = host;
    this.kind = kind;
  }

  // id is the server or the message shown: the one selected.
  get id() {
    return this.host.selection[this.kind];
  }

  isOpen() {
    return !this.el.hidden;
  }

  // closeOnEscape makes Escape inside the popover close it (with the
  // focus given back).
  closeOnEscape() {
    this.el.addEventListener('keydown', e => {
      if (e.key === 'Escape') { e.stopPropagation(); this.close(true); }
    });
  }

  // hide hides the popover and selects nothing; it reports whether the
  // popover was open.
  hide() {
    if (this.el.hidden) return false;
    show(this.el, false);
    this.host.select(this.kind, 0);
    return true;
  }
}
