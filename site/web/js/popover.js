// popover.js: what the cluster's two popovers share, the server menu and
// the message panel. Each shows the selected server or message (its
// kind of selection), closes on Escape, and selects nothing once closed.
// Closing never leaves the focus on a hidden button: it goes back where
// asked (the server of a menu), or else to the popover's stage, so that
// the widget's keys (space, ".", the arrows) still work.

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
  // popover was open. back, if given (and still on the page), takes the
  // focus; else the stage does, if the focus was in the popover.
  hide(back) {
    if (this.el.hidden) return false;
    const active = globalThis.document ? document.activeElement : null;
    const inside = !!active && this.el.contains(active);
    show(this.el, false);
    this.host.select(this.kind, 0);
    if (back && back.isConnected) back.focus();
    else if (inside) {
      const stage = this.el.parentElement && this.el.parentElement.closest('[tabindex]');
      if (stage) stage.focus({ preventScroll: true });
    }
    return true;
  }
}
