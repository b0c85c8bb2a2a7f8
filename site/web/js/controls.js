// controls.js: the player's bar: play/pause, step, the timeline, speed
// (a logarithmic slider from 0.01x to 10x of real time), restart, and the
// share, copy and keyboard-help buttons.

import { h, set, txt, button, iconSvg } from './dom.js';
import { t } from './i18n.js';
import { Timeline } from './timeline.js';

// The speed slider's 0..300 maps to 10^-2 .. 10^1 (0.1x at 100).
const toSpeed = v => Math.pow(10, -2 + v / 100);
const fmtSpeed = x => (x < 1 ? x.toFixed(x < 0.1 ? 3 : 2) : x.toFixed(1)).replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1') + '×';

export class Controls {
  constructor(host) {
    this.host = host;
    this.play = button('play', t('play'), { class: 'rw-btn primary rw-play', title: t('playTip'), onclick: () => host.toggle() }, 'play');
    this.step = button('step', t('step'), { title: t('stepTip'), onclick: () => host.stepOnce() }, 'step');
    this.timeline = new Timeline(host);
    this.speed = h('input', { type: 'range', class: 'rw-range rw-speed', min: 0, max: 300, step: 1, value: 100, 'aria-label': t('speed') });
    this.speedOut = h('output', { class: 'rw-speedout' });
    this.speed.addEventListener('input', () => this.setSpeed(+this.speed.value));
    this.setSpeed(100);
    const more = h('div', { class: 'rw-more' },
      button('restart', t('restart'), { title: t('restartTip'), onclick: () => host.restart() }, 'restart'),
      button('share', t('share'), { title: t('shareTip'), onclick: () => host.share() }, 'share'),
      button('copy', t('copy'), { title: t('copyTip'), onclick: () => host.copy() }, 'copy'),
      button('help', '', { class: 'rw-btn rw-icon-only', title: t('keys'), 'aria-label': t('keys'), onclick: () => host.toggleHelp() }, 'help'));
    this.el = h('div', { class: 'rw-controls' },
      h('div', { class: 'rw-transport' }, this.play, this.step),
      this.timeline.el,
      h('label', { class: 'rw-speedbox', title: t('speed') }, h('span', { class: 'rw-muted' }, t('speed')), this.speed, this.speedOut),
      more);
  }

  setSpeed(v) {
    const x = toSpeed(v);
    this.host.setSpeed(x);
    set(this.speed, 'aria-valuetext', fmtSpeed(x));
    txt(this.speedOut, fmtSpeed(x));
  }

  update(time, horizon) {
    const playing = this.host.playing;
    if (this.shown !== playing) {
      this.shown = playing;
      const b = this.play;
      b.dataset.action = playing ? 'pause' : 'play';
      b.replaceChild(iconSvg(playing ? 'pause' : 'play'), b.firstChild);
      b.lastChild.textContent = playing ? t('pause') : t('play');
      b.setAttribute('aria-label', b.lastChild.textContent);
    }
    this.timeline.update(time, horizon);
    this.showWait(this.host.waiting, playing);
  }

  // showWait shows that the script waits for the learner: at a pause the
  // one control that goes on is Continue (by the script's words), so Play
  // steps back; while a question waits, Play and Step say that an answer
  // is needed. They stay focusable (pressing them says so too).
  showWait(kind, playing) {
    const key = playing ? '' : kind;
    if (this.waitShown === key) return;
    this.waitShown = key;
    set(this.play, 'data-wait', key || null);
    set(this.play, 'aria-disabled', key ? 'true' : null);
    set(this.step, 'aria-disabled', key === 'question' ? 'true' : null);
    this.play.title = key === 'pause' ? t('contFirst') : key === 'question' ? t('answerFirst') : t('playTip');
    this.step.title = key === 'question' ? t('answerFirst') : t('stepTip');
  }
}
