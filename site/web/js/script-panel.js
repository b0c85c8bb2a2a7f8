// script-panel.js: what the scenario's script says to the learner. "say"
// lines appear in a callout; a "pause" shows Continue; a "question" shows
// its choices, and once the script has run on, marks the right ones and
// whether the learner's pick was right, with the explanations of both; a
// "fail" is shown in red (in plain words, outside the playground's
// editor). When the learner acts while the script plays, it says they took
// over and offers to replay the script. While a question waits, Play and
// Step say that an answer is needed (needAnswer). An exercise shows its
// goal, the allowed actions, that it is being set up, hints one by one, a
// "Show solution" button and, once the goal holds, a clear Solved state:
// why it holds, and the learner's actions against the reference
// solution's.

import { h, txt, show, button, fmtTime } from './dom.js';
import { t, tn, lang } from './i18n.js';
import { say } from './narrate.js';

export class ScriptPanel {
  constructor(host) {
    this.host = host;
    this.sayText = h('p');
    this.say = h('div', { class: 'rw-say', hidden: true, 'aria-live': 'polite' },
      h('span', { class: 'rw-say-icon', 'aria-hidden': 'true' }), this.sayText);
    this.contBtn = button('continue', t('cont'), { class: 'rw-btn primary', onclick: () => this.cont() }, 'play');
    this.pause = h('div', { class: 'rw-pause', hidden: true }, this.contBtn);
    this.qText = h('p', { class: 'rw-qtext' });
    this.qChoices = h('div', { class: 'rw-choices', role: 'group' });
    this.qNote = h('p', { class: 'rw-qnote', 'aria-live': 'polite' });
    this.question = h('div', { class: 'rw-question', hidden: true },
      h('span', { class: 'rw-kicker' }, t('predict')), this.qText, this.qChoices, this.qNote);
    this.question.addEventListener('animationend', () => this.question.classList.remove('rw-nudge'));
    this.fail = h('div', { class: 'rw-fail', role: 'alert', hidden: true });
    this.end = h('p', { class: 'rw-muted rw-end', hidden: true }, t('ended'));
    this.overText = h('strong');
    this.over = h('div', { class: 'rw-takeover', role: 'status', hidden: true },
      h('p', null, this.overText, ' ', h('span', { class: 'rw-muted' }, t('tookOverHow'))),
      this.replayButton());
    this.ex = h('div', { class: 'rw-exercise', hidden: true });
    this.el = h('div', { class: 'rw-script' }, this.ex, this.say, this.question, this.pause, this.over, this.fail, this.end);
  }

  // replayButton starts the scenario again from its beginning: a fresh run
  // of the same text, without the learner's actions.
  replayButton() {
    return button('replay', t('replay'), { class: 'rw-btn primary', title: t('replayTip'), onclick: () => this.host.restart() }, 'restart');
  }

  reset(info, playground) {
    this.info = info;
    this.playground = playground;
    this.says = [];
    this.q = null;
    this.solvedShown = false;
    this.hints = 0;
    this.bySolution = false;
    this.turnAt = -1; // when the exercise's setup ended and the player stopped
    [this.say, this.pause, this.question, this.fail, this.end, this.over].forEach(e => show(e, false));
    this.ex.textContent = '';
    show(this.ex, !!info.exercise);
    if (info.exercise) this.buildExercise(info.exercise);
    if (this.note) {
      this.note.reset();
      if (info.exercise) this.ex.append(this.note.el);
    }
  }

  // attachNote puts the page's own element (what the learner's progress
  // says about this exercise) at the foot of the exercise box. note is
  // {el, reset()}; reset is called whenever the exercise starts over.
  attachNote(note) {
    this.note = note;
    if (this.info && this.info.exercise) this.ex.append(note.el);
  }

  buildExercise(ex) {
    this.exStatus = h('p', { class: 'rw-exstatus', 'aria-live': 'polite' });
    this.exCompare = h('p', { class: 'rw-excompare', 'data-part': 'solved-compare', hidden: true });
    this.exWhyText = h('p', { class: 'rw-goalwhy' });
    this.exWhy = h('div', { class: 'rw-solvedwhy', 'data-part': 'solved-why', hidden: true },
      h('span', { class: 'rw-kicker' }, t('whyHolds')), this.exWhyText);
    this.hintList = h('ol', { class: 'rw-hints' });
    this.hintBtn = button('hint', t('hint'), { onclick: () => this.hint() }, 'bulb');
    this.solveBtn = button('solve', t('solution'), { onclick: () => this.solve() }, 'flag');
    show(this.hintBtn, ex.hints.length > 0);
    show(this.solveBtn, ex.hasSolution);
    const chips = ex.allow.length ? ex.allow.map(a => h('code', { class: 'rw-chip' }, a)) : [h('span', null, t('allowedNone'))];
    this.ex.append(
      h('div', { class: 'rw-goal' }, h('span', { class: 'rw-kicker' }, t('goal')), h('code', null, ex.goal)),
      h('p', { class: 'rw-allowed' }, h('span', { class: 'rw-muted' }, t('allowed') + ' '), ...chips),
      this.exStatus, this.exCompare, this.exWhy, this.hintList,
      h('div', { class: 'rw-row' }, this.hintBtn, this.solveBtn));
    this.updateHintBtn();
  }

  updateHintBtn() {
    const n = this.info.exercise.hints.length;
    txt(this.hintBtn.lastChild, this.hints < n ? t('hint') + ` (${this.hints + 1}/${n})` : t('hintN', n, n));
    this.hintBtn.disabled = this.hints >= n;
  }

  hint() {
    const hs = this.info.exercise.hints;
    if (this.hints >= hs.length) return;
    this.hintList.append(h('li', null, hs[this.hints++]));
    this.updateHintBtn();
  }

  solve() {
    const r = this.host.solve();
    if (r.error) txt(this.exStatus, r.code === 'setup' ? t('solveWait') : this.host.refusal(r));
  }

  // solving: the simulator plays the solution (the widget calls it before
  // it takes the solution's first events).
  solving() {
    txt(this.exStatus, t('solving'));
    this.bySolution = true;
  }

  // update follows the run: the solution can only be shown once the
  // exercise's setup has finished.
  update(sn) {
    if (!this.info.exercise) return;
    const wait = !sn.ended && !sn.solved;
    this.solveBtn.disabled = wait || this.solvedShown;
    this.solveBtn.title = wait ? t('solveWait') : '';
    if (sn.solved) this.solved();
    else if (sn.setup) txt(this.exStatus, t('settingUp'));
  }

  // refreshGoal asks the simulator whether the goal holds yet.
  refreshGoal() {
    if (!this.info || !this.info.exercise || this.solvedShown) return;
    if (this.host.setup) return txt(this.exStatus, t('settingUp'));
    const g = this.host.goal();
    if (g.error) return;
    if (g.solved) return this.solved(g);
    // Stopped where the setup ended: the learner's turn.
    const turn = this.turnAt === this.host.time && !this.host.playing ? t('yourTurn') + ' ' : '';
    txt(this.exStatus, turn + (g.seen ? t('notYet', say(g.seen, lang)) : ''));
  }

  solved(g) {
    if (this.solvedShown) return;
    g = g || this.host.goal();
    this.solvedShown = true;
    // The virtual time the learner took: from the end of the setup to the
    // goal (what raftplay verify reports too).
    const took = Number.isInteger(g.taken) ? g.taken : g.time;
    this.exStatus.textContent = '';
    this.exStatus._t = null;
    // (The reference solution's actions are not the learner's: it says
    // only how long it took.)
    this.exStatus.append(h('strong', { class: 'rw-solved', 'data-solved': '' }, t('solved')), ' ',
      g.error ? '' : this.bySolution ? t('solvedAt', fmtTime(took)) + ' · ' + t('bySolution') : tn('solvedIn', g.moves, g.moves, fmtTime(took)));
    // The learner's actions against the reference solution's.
    const ref = this.info.exercise.solutionMoves || 0;
    let compare = '';
    if (ref > 0 && !g.error) {
      const acts = n => tn('nActions', n, n);
      if (this.bySolution) compare = t('refUses', acts(ref));
      else {
        compare = t('youVsRef', acts(g.moves), acts(ref));
        if (g.moves < ref) compare += ' ' + t('fewerThanRef');
        else if (g.moves === ref) compare += ' ' + t('sameAsRef');
      }
    }
    txt(this.exCompare, compare);
    show(this.exCompare, compare !== '');
    // Why the goal holding means the exercise is done (when the lesson
    // says).
    const why = this.info.exercise.why || '';
    txt(this.exWhyText, why);
    show(this.exWhy, why !== '');
    this.host.solved(g.error ? null : { moves: g.moves, time: took, bySolution: this.bySolution });
  }

  // output handles one output of the script; it returns true when the
  // player must stop and wait for the learner.
  output(o) {
    switch (o.kind) {
      case 'say': {
        const last = this.says[this.says.length - 1];
        if (!last || last.line !== o.line || last.time !== o.time) this.says.push(o);
        txt(this.sayText, o.text);
        show(this.say, true);
        return false;
      }
      case 'pause':
        show(this.pause, true);
        return true;
      case 'question':
        this.ask(o.question, o.time);
        return true;
      case 'answer':
        this.answer(o);
        return false;
      case 'fail':
        this.failed(o.text ? `${this.host.name}:${o.line}: ${o.text}` : '');
        return true;
      case 'takeover':
        this.takeover(true);
        return false;
      case 'solved':
        this.solved();
        return false;
      case 'grading-over':
        this.host.toast(t('gradingOver'), 12000);
        return false;
      case 'end':
        show(this.end, !this.playground && !this.info.exercise && this.info.commands > 0);
        if (this.info.exercise && !this.bySolution) this.turnAt = o.time;
        this.refreshGoal();
        return false;
    }
    return false;
  }

  // failed shows that the script stopped on an error (an expect or a run
  // until that did not hold, an action that could not be taken), or, with
  // fatal, that the scenario could not be started. The playground's editor
  // shows the error as it is, with its line; elsewhere the learner reads
  // plain words, and the details go to the console for authors.
  failed(text, fatal) {
    if (!this.fail.hidden) return;
    this.fail.textContent = '';
    if (this.host.technical) {
      this.fail.append(h('strong', null, t('scriptError')), ' ', h('code', null, text));
    } else {
      console.warn('raftplay: the scenario ' + (fatal ? 'could not start' : 'stopped') + ': ' + text);
      this.fail.append(h('p', null, h('strong', null, t(fatal ? 'demoBroken' : 'demoFailed'))));
      if (!fatal) this.fail.append(this.replayButton());
    }
    show(this.fail, true);
  }

  // takeover shows (or, after a rewind to before it, hides) that the
  // learner took the cluster over from the script.
  takeover(on) {
    if (on) {
      txt(this.overText, this.host.info && this.host.info.exercise ? t('tookOverSolution') : t('tookOver'));
      show(this.pause, false);
      if (this.q && !this.q.answered) show(this.question, false);
      show(this.end, false);
    }
    show(this.over, on);
  }

  ask(q, time) {
    this.q = { line: q.line, pick: -1, answered: false, whys: Array.isArray(q.whys) ? q.whys : [], time, src: q };
    txt(this.qText, q.text);
    this.qChoices.textContent = '';
    q.choices.forEach((c, i) => {
      this.qChoices.append(h('button', { type: 'button', class: 'rw-choice', 'data-choice': i,
        onclick: () => this.pick(i, c) }, c));
    });
    // Until an answer is picked the script waits: said here, and by Play
    // and Step (see needAnswer).
    txt(this.qNote, t('pickToGoOn'));
    this.qNote.dataset.wait = '';
    show(this.question, true);
    const first = this.qChoices.firstChild;
    if (first && this.host.hasFocus()) first.focus();
  }

  pick(i, text) {
    if (!this.q || this.q.pick >= 0) return;
    this.q.pick = i;
    for (const b of this.qChoices.querySelectorAll('.rw-choice')) {
      b.disabled = true;
      if (+b.dataset.choice === i) b.setAttribute('aria-pressed', 'true');
    }
    txt(this.qNote, t('yourPick', text));
    delete this.qNote.dataset.wait;
    this.host.resume();
  }

  answer(o) {
    if (!this.q || this.q.line !== o.line) return;
    this.q.answered = true;
    const right = new Set(o.right || []);
    const pick = this.q.pick;
    const whys = o.question && Array.isArray(o.question.whys) ? o.question.whys : this.q.whys;
    for (const b of [...this.qChoices.querySelectorAll('.rw-choice')]) {
      const i = +b.dataset.choice;
      b.disabled = true;
      b.setAttribute('data-right', right.has(i) ? 'yes' : 'no');
      // The explanation of the learner's pick and of the right answer.
      const why = typeof whys[i] === 'string' ? whys[i] : '';
      if (why && (i === pick || right.has(i)) && !(b.nextSibling && b.nextSibling.dataset && b.nextSibling.dataset.why)) {
        const el = h('p', { class: 'rw-why', 'data-why': String(i), id: `${this.host.uid}-why-${i}` }, why);
        b.after(el);
        b.setAttribute('aria-describedby', el.id);
      }
    }
    this.qNote.textContent = '';
    this.qNote._t = null;
    delete this.qNote.dataset.wait;
    if (pick < 0) this.qNote.append(t('noPick'));
    else if (right.has(pick)) this.qNote.append(h('strong', { class: 'rw-good' }, t('right')));
    else this.qNote.append(h('strong', { class: 'rw-bad' }, t('wrong')), ' ', t('rightMarked'));
    this.host.answered({ line: o.line, choice: pick, right: right.has(pick), rightChoices: [...right] });
  }

  cont() {
    show(this.pause, false);
    this.host.resume();
  }

  // needAnswer: Play or Step was pressed while a question waits. The
  // script goes on once an answer is picked: that is said, and the
  // choices are shown and focused.
  needAnswer() {
    this.host.toast(t('answerFirst'), 2500);
    const first = this.qChoices.querySelector('.rw-choice:not([disabled])');
    if (first) first.focus();
    this.question.classList.add('rw-nudge');
  }

  // blocked says what the player waits for: 'pause', 'question' or ''.
  blocked() {
    if (!this.pause.hidden) return 'pause';
    if (!this.question.hidden && this.q && this.q.pick < 0 && !this.q.answered) return 'question';
    return '';
  }

  // unanswered is the question asked last, while it has no answer: the
  // output that asked it (a seek forward stops there and asks it again).
  unanswered() {
    const q = this.q;
    if (!q || q.pick >= 0 || q.answered || q.time == null) return null;
    return { kind: 'question', question: q.src, time: q.time, line: q.line };
  }

  // onSeek: the script went back or forward with the cluster.
  onSeek(time) {
    show(this.pause, false);
    if (this.q && !this.q.answered) show(this.question, false);
    show(this.fail, false);
    this.says = this.says.filter(x => x.time <= time);
    const last = this.says[this.says.length - 1];
    show(this.say, !!last);
    if (last) txt(this.sayText, last.text);
  }
}
