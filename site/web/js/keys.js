// keys.js: keyboard shortcuts and their help overlay. They work while
// focus is inside a widget, and on the playground page anywhere that is
// not a text field: space play/pause (or Continue), on a focused server
// too, "." step, arrows scrub 100 ms (with Shift 1 s), "?" help, Escape
// closes what is open. A focused button takes space and Enter itself, as
// buttons do, and a focused checkbox or switch (a rule's) takes space; Enter on a focused server opens its menu (cluster-view.js),
// and only a button of that menu, focused, acts on the server.

import { h } from './dom.js';
import { t } from './i18n.js';

const TYPING = /^(INPUT|TEXTAREA|SELECT)$/;

// helpOverlay makes the help's box; host is the widget's (host.js).
export function helpOverlay(host) {
  const rows = [
    ['Space', t('kSpace')], ['.', t('kStep')], ['← →', t('kArrows')], ['Shift ← →', t('kShift')],
    ['Tab', t('kTab')], ['Enter', t('kEnter')], ['← → Enter', t('kMarks')], ['?', t('kHelp')], ['Esc', t('kEsc')],
  ];
  const close = h('button', { type: 'button', class: 'rw-x', 'aria-label': t('close'), onclick: () => host.toggleHelp(false) }, '×');
  const el = h('div', { class: 'rw-pop rw-help', role: 'dialog', 'aria-label': t('keysTitle'), hidden: true },
    h('div', { class: 'rw-pophead' }, h('strong', null, t('keysTitle')), close),
    h('dl', null, ...rows.flatMap(([k, d]) => [h('dt', null, ...k.split(' ').map(x => h('kbd', null, x))), h('dd', null, d)])));
  el.addEventListener('keydown', e => {
    if (e.key === 'Escape') { e.stopPropagation(); host.toggleHelp(false); }
  });
  return el;
}

// handle runs a shortcut; it reports whether the key was used.
function handle(host, e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return false;
  const tag = e.target.tagName || '';
  const toggle = tag === 'INPUT' && /^(checkbox|radio)$/.test(e.target.type);
  const typing = TYPING.test(tag) && !toggle;
  switch (e.key) {
    case ' ':
      if (typing || toggle || tag === 'BUTTON' || tag === 'SUMMARY') return false;
      host.continueOrToggle();
      return true;
    case '.':
      if (typing) return false;
      host.stepOnce();
      return true;
    case 'ArrowLeft':
    case 'ArrowRight':
      if (typing) return false;
      host.scrub((e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 1000 : 100));
      return true;
    case '?':
      if (typing) return false;
      host.toggleHelp();
      return true;
    case 'Escape':
      return host.escape();
  }
  return false;
}

// attachKeys listens on the widget's root, and on the whole page for the
// playground.
export function attachKeys(root, host, global) {
  root.addEventListener('keydown', e => {
    if (handle(host, e)) { e.preventDefault(); e.stopPropagation(); }
  });
  if (global) {
    document.addEventListener('keydown', e => {
      if (e.defaultPrevented || root.contains(e.target)) return;
      if (e.target.closest && e.target.closest('.raft-widget')) return;
      if (handle(host, e)) e.preventDefault();
    });
  }
}
