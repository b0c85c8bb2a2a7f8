// controls.js: the player's bar: play/pause, step, speed (a logarithmic
// slider from 0.01x to 10x of real time), restart, and the share, copy
// and keyboard-help buttons. Every button has a visible label (a shorter
// one on a narrow widget). The timeline is a row of its own
// (timeline.js).

import { h, set, txt, button, iconSvg } from './dom.js';
import { t } from './i18n.js';

// The speed slider's 0..300 maps to 10^-2 .. 10^1 (0.1x at 100).
const toSpeed = v => Math.pow(10, -2 + v / 100);
const fmtSpeed = x => (x < 1 ? x.toFixed(x < 0.1 ? 3 : 2) : x.toFixed(1)).replace(/(\.\d*?[1-9])0+$|\.0+$/, '$1') + '×';

// labelled gives a button a short label too, shown on a narrow widget.
function labelled(b, short) {
  b.append(h('span', { class: 'rw-btn-short', 'aria-hidden': 'true' }, short));
  return b;
}

export class Controls {
  constructor(host) {
    this.host = host;
    this.play = button('play', t('play'), { class: 'rw-btn primary rw-play', title: t('playTip'), onclick: () => host.toggle() }, 'play');
    this.step = button('step', t('step'), { title: t('stepTip'), onclick: () => host.stepOnce() }, 'step');
    this.speed = h('input', { type: 'range', class: 'rw-range rw-speed', min: 0, max: 300, step: 1, value: 100, 'aria-label': t('speed') });
    this.speedOut = h('output', { class: 'rw-speedout' });
    this.speed.addEventListener('input', () => this.setSpeed(+this.speed.value));
    this.setSpeed(100);
    const more = h('div', { class: 'rw-more' },
      button('restart', t('restart'), { title: t('restartTip'), onclick: () => host.restart() }, 'restart'),
      labelled(button('share', t('share'), { title: t('shareTip'), onclick: () => host.share() }, 'share'), t('shareShort')),
      labelled(button('copy', t('copy'), { title: t('copyTip'), onclick: () => host.copy() }, 'copy'), t('copyShort')),
      button('help', t('keys'), { title: t('keysTitle'), onclick: () => host.toggleHelp() }, 'help'));
    this.el = h('div', { class: 'rw-controls', 'data-part': 'controls' },
      h('div', { class: 'rw-transport' }, this.play, this.step),
      h('label', { class: 'rw-speedbox', title: t('speed') }, h('span', { class: 'rw-muted' }, t('speed')), this.speed, this.speedOut),
      more);
  }

  setSpeed(v) {
    const x = toSpeed(v);
    this.host.setSpeed(x);
    set(this.speed, 'aria-valuetext', fmtSpeed(x));
    txt(this.speedOut, fmtSpeed(x));
    this.speed.style.setProperty('--p', (v / 3).toFixed(1) + '%');
  }

  update() {
    const playing = this.host.playing;
    if (this.shown !== playing) {
      this.shown = playing;
      const b = this.play;
      b.dataset.action = playing ? 'pause' : 'play';
      b.replaceChild(iconSvg(playing ? 'pause' : 'play'), b.firstChild);
      b.lastChild.textContent = playing ? t('pause') : t('play');
      b.setAttribute('aria-label', b.lastChild.textContent);
    }
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
