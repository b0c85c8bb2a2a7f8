// timeline.js: the time slider, from 0 to the furthest moment reached
// (the horizon). Dragging it rewinds (or replays) the cluster to that
// moment; acting in the past forks a new future, which the tooltip and a
// small notice say.

import { h, set, txt, show, fmtTime } from './dom.js';
import { t } from './i18n.js';

export class Timeline {
  constructor(host) {
    this.host = host;
    this.input = h('input', { type: 'range', class: 'rw-range rw-timeline', min: 0, max: 0, step: 1, value: 0,
      'aria-label': t('timeline'), title: t('timelineTip'), 'data-action': 'timeline' });
    this.now = h('output', { class: 'rw-now' });
    this.end = h('span', { class: 'rw-muted rw-hz' });
    this.past = h('span', { class: 'rw-past', hidden: true, title: t('timelineTip') }, t('past'));
    this.input.addEventListener('pointerdown', () => {
      this.drag = true;
      this.host.pause();
      addEventListener('pointerup', () => { this.drag = false; }, { once: true });
    });
    this.input.addEventListener('input', () => this.host.seekSoon(+this.input.value));
    this.input.addEventListener('keydown', e => {
      // Arrow keys on the slider scrub like the widget's own keys.
      if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        e.stopPropagation();
        this.host.scrub((e.key === 'ArrowLeft' ? -1 : 1) * (e.shiftKey ? 1000 : 100));
      }
    });
    this.el = h('div', { class: 'rw-time' }, this.now, this.input, this.end);
  }

  update(time, horizon) {
    const hz = Math.max(horizon, time);
    set(this.input, 'max', String(hz));
    if (!this.drag && +this.input.value !== time) this.input.value = String(time);
    set(this.input, 'aria-valuetext', fmtTime(time));
    this.input.style.setProperty('--p', hz ? ((time / hz) * 100).toFixed(2) + '%' : '100%');
    txt(this.now, fmtTime(time));
    txt(this.end, fmtTime(hz));
    show(this.past, time < horizon);
  }
}
