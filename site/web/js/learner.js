// learner.js: the learner's progress on the pages, kept by progress.js.
// On every page: a polite notice if stored progress could not be taken
// as it was (what was kept, what was dropped, what was left alone), and
// the language switch remembers the language chosen. On the home pages:
// a return to the language chosen before, each lesson card's progress
// (done, started or not started, and the counts), "continue where you
// left off", and export / import. On lesson pages: the last lesson
// opened, the exercises the learner solves (with their solution codes)
// and the questions answered, from the widgets' events, and once an
// exercise is solved, where to go next.
//
// Nothing read from storage, a file or the address is ever written into
// the page as HTML: only as text, in elements made here.

import { h, show, button, iconSvg } from './dom.js';
import { t, tn } from './i18n.js';
import { call } from './engine.js';
import { Progress, solutionCode } from './progress.js';

const SLUG = /^[a-z0-9-]{1,64}$/;
const REDIRECTED = 'raftplay.langRedirect';

let progress = null;

// initProgress sets up what every page needs. It returns false when the
// page is being left for the other language's home page.
export function initProgress() {
  progress = new Progress();
  const body = document.body;
  const here = body.dataset.lang === 'zh' ? 'zh' : 'en';
  const sw = document.querySelector('a[data-lang-switch]');
  if (sw) {
    // Remember the choice first; the link then opens the other page, which
    // finds its own language stored and stays.
    sw.addEventListener('click', () => progress.setLang(sw.dataset.langSwitch));
  }
  if (body.dataset.page === 'home' && toChosenLanguage(sw, here)) return false;
  if (progress.notice) progressNotice(progress.notice);
  if (body.dataset.page === 'home') homePage();
  const slug = lessonSlug();
  if (slug) {
    progress.setLast(here, slug);
    const pager = [...document.querySelectorAll('.lesson-pager a[data-lesson]')];
    const paint = () => pager.forEach(paintPager);
    paint();
    progress.onChange(paint);
  }
  return true;
}

// paintPager says, on a link to the previous or next lesson, how far the
// learner has got in it (done, started, not started), as its card does.
function paintPager(a) {
  const slug = a.dataset.lesson;
  const ne = count(a.dataset.exercises), nq = count(a.dataset.questions);
  if (!SLUG.test(slug) || ne + nq === 0) return;
  const { state } = progress.lesson(slug, ne, nq);
  a.dataset.state = state;
  let el = a.querySelector('.lp-state');
  if (!el) {
    el = h('span', { class: 'lp-state' });
    a.firstElementChild.append(' ', el);
  }
  el.dataset.state = state;
  el.textContent = t(STATES[state]);
}

// toChosenLanguage goes to the other home page if the learner chose its
// language before. A page reached this way never sends the learner back
// (sessionStorage carries the mark over the one redirect).
function toChosenLanguage(sw, here) {
  const want = progress.data.lang;
  let came = false;
  try {
    came = sessionStorage.getItem(REDIRECTED) !== null;
    if (came) sessionStorage.removeItem(REDIRECTED);
  } catch (e) {
    return false; // no way to tell a loop: stay
  }
  if (came || !sw || !want || want === here || sw.dataset.langSwitch !== want) return false;
  try {
    sessionStorage.setItem(REDIRECTED, here);
  } catch (e) {
    return false;
  }
  location.replace(sw.href);
  return true;
}

function lessonSlug() {
  const art = document.querySelector('article.lesson[data-lesson]');
  const slug = art ? art.dataset.lesson : '';
  return SLUG.test(slug) ? slug : '';
}

// progressNotice says, once, what loading stored progress had to do.
function progressNotice(n) {
  const where = document.getElementById('main') || document.body;
  let text = t('progCorrupt');
  if (n.kind === 'newer') text = t('progNewer');
  else if (n.kind === 'partial') text = t('progPartial', n.kept, n.dropped);
  const box = h('div', { class: 'site-notice', role: 'status', 'data-notice': n.kind },
    h('p', null, text),
    h('button', { type: 'button', class: 'site-notice-x', 'aria-label': t('dismiss'), title: t('dismiss'),
      onclick: () => box.remove() }, '×'));
  where.prepend(box);
}

// ---------- Home page ----------

function homePage() {
  const cards = [...document.querySelectorAll('.lesson-card[data-lesson]')];
  const resume = document.querySelector('[data-resume]');
  const paint = () => {
    for (const c of cards) paintCard(c);
    if (resume) paintResume(resume, cards);
  };
  paint();
  progress.onChange(paint);
  const tools = document.querySelector('[data-progress-tools]');
  if (tools) buildTools(tools);
}

// count reads a small non-negative count from a data attribute.
function count(v) {
  const n = parseInt(v, 10);
  return n > 0 && n < 1000 ? n : 0;
}

// STATES are the words of a lesson's state (Progress.lesson).
const STATES = { done: 'stDone', started: 'stStarted', new: 'stNew' };

function paintCard(card) {
  const el = card.querySelector('[data-progress]');
  const slug = card.dataset.lesson;
  if (!el || !SLUG.test(slug)) return;
  const ne = count(card.dataset.exercises), nq = count(card.dataset.questions);
  const { state, e, q } = progress.lesson(slug, ne, nq);
  const started = state !== 'new';
  const done = state === 'done';
  // The state, on the card for its look and in words on it.
  card.dataset.state = state;
  const parts = [];
  if (ne) parts.push(started ? tn('exOf', ne, e, ne) : tn('nEx', ne, ne));
  if (nq) parts.push(started ? tn('qOf', nq, q, nq) : tn('nQ', nq, nq));
  el.textContent = '';
  if (ne + nq > 0) el.append(h('span', { class: 'lp-state', 'data-state': state }, t(STATES[state])));
  const text = h('span', { class: 'lp-text' });
  parts.forEach((p, i) => text.append(i ? ' · ' : '', h('span', { class: 'lp-part' }, p)));
  el.append(text);
  toggleAttr(el, 'data-done', done);
  toggleAttr(el, 'data-started', started && !done);
}

function toggleAttr(el, name, on) {
  if (on) el.setAttribute(name, '');
  else el.removeAttribute(name);
}

// paintResume offers the last lesson opened, in the language it was read in.
function paintResume(slot, cards) {
  const last = progress.data.last;
  const card = last && cards.find(c => c.dataset.lesson === last.slug);
  const title = card && card.querySelector('.lesson-text strong');
  slot.textContent = '';
  if (!card || !title) {
    show(slot, false);
    return;
  }
  const base = document.body.dataset.base || '';
  const href = base + (last.lang === 'zh' ? 'zh/' : '') + 'lessons/' + last.slug + '/index.html';
  const here = document.body.dataset.lang === 'zh' ? 'zh' : 'en';
  slot.append(t('resume'),
    h('a', { href, hreflang: last.lang }, title.textContent.trim(), h('span', { 'aria-hidden': 'true' }, ' →')));
  // The lesson was read in the other language: say so.
  if (last.lang !== here) {
    slot.append(' ', h('span', { class: 'resume-lang', lang: last.lang === 'zh' ? 'zh-CN' : 'en' }, t('langName_' + last.lang)));
  }
  show(slot, true);
}

function buildTools(box) {
  const status = h('p', { class: 'progress-status', role: 'status' });
  const file = h('input', { type: 'file', accept: '.json,application/json', class: 'sr-only', tabindex: '-1', 'aria-hidden': 'true' });
  const say = (key, kind) => {
    status.textContent = t(key);
    status.dataset.kind = kind;
  };
  file.addEventListener('change', async () => {
    const f = file.files && file.files[0];
    file.value = '';
    if (!f) return;
    let r;
    try {
      r = await progress.importFile(f);
    } catch (e) {
      r = 'unreadable';
    }
    if (r === '') say('imported', 'ok');
    else if (r === 'partial') say('importPartial', 'warn');
    else if (r === 'newer') say('importNewer', 'bad');
    else if (r === 'too-big') say('importTooBig', 'bad');
    else say('importFailed', 'bad');
  });
  const exp = h('button', { type: 'button', class: 'button small', 'data-action': 'export-progress',
    onclick: () => { status.textContent = ''; progress.exportFile(); } },
    iconSvg('download'), t('exportProgress'));
  const imp = h('button', { type: 'button', class: 'button small', 'data-action': 'import-progress',
    onclick: () => file.click() }, iconSvg('upload'), t('importProgress'));
  // The name the learner puts in their solution codes: entered once here,
  // kept with the progress.
  const name = h('input', { type: 'text', class: 'progress-name', id: 'progress-name', maxlength: '80',
    autocomplete: 'name', 'data-input': 'learner-name' });
  name.value = progress.data.name || '';
  const saveName = () => {
    progress.setName(name.value);
    name.value = progress.data.name;
  };
  name.addEventListener('change', saveName);
  progress.onChange(d => { if (document.activeElement !== name) name.value = d.name || ''; });
  box.textContent = '';
  box.append(
    h('h2', { class: 'progress-title' }, t('progressTitle')),
    h('p', { class: 'progress-help' }, t('progressHelp')),
    h('p', { class: 'progress-name-row' },
      h('label', { for: 'progress-name' }, t('yourName')), name,
      h('span', { class: 'progress-name-help' }, t('yourNameHelp'))),
    h('div', { class: 'progress-buttons' }, exp, imp, file),
    status);
}

// ---------- Lesson pages ----------

// attachWidgets follows the widgets of a lesson page: each exercise gets
// a note of what progress remembers, solves and answers are recorded.
export function attachWidgets(widgets) {
  const slug = lessonSlug();
  if (!progress || !slug) return;
  // The scenarios the page was made with: a widget showing something
  // else (a shared run) is not one of the lesson's exercises.
  const sources = new Map(widgets.map(w => [w, w.text]));
  const exercises = [...document.querySelectorAll('.raft-widget.raft-exercise')];
  const notes = new Map();
  for (const w of widgets) {
    const n = exercises.indexOf(w.root) + 1;
    if (n > 0) {
      const note = new ExerciseNote(slug + '/' + n);
      notes.set(w, note);
      w.attachNote(note);
    }
  }
  const widgetOf = e => {
    const root = e.target && e.target.closest && e.target.closest('.raft-widget');
    const w = root && widgets.find(x => x.root === root);
    return w && sources.get(w) === w.text ? w : null;
  };
  document.addEventListener('raft-solved', e => {
    const w = widgetOf(e), note = w && notes.get(w), d = e.detail || {};
    if (!note) return;
    if (!d.bySolution) note.solvedNow(d);
    note.showNext(nextStep(w.root));
  });
  // The questions of the lesson, numbered across its widgets in page
  // order; read from the scenarios the first time a question is answered.
  let lines = null;
  document.addEventListener('raft-answered', e => {
    const w = widgetOf(e), d = e.detail || {};
    if (!w || !Number.isInteger(d.choice) || d.choice < 0) return;
    if (!lines) {
      lines = widgets.map(x => {
        const r = call('parse', sources.get(x), x.name);
        return r.error || !Array.isArray(r.questions) ? [] : r.questions.map(q => q.line);
      });
    }
    const i = widgets.indexOf(w), at = lines[i].indexOf(d.line);
    if (at < 0) return;
    let n = at + 1;
    for (let j = 0; j < i; j++) n += lines[j].length;
    progress.recordAnswer(slug + '#' + n, d.choice, d.right);
  });
}

// nextStep says where to go once the exercise of widget root is solved:
// the next exercise on the page, else the next lesson, else the list of
// lessons (found by their links: rel="next", the lessons' anchor).
function nextStep(root) {
  const all = [...document.querySelectorAll('.raft-widget.raft-exercise')];
  const ex = all.slice(all.indexOf(root) + 1).find(x => x.id);
  if (ex) return { href: '#' + ex.id, text: t('nextExercise'), kind: 'exercise', target: ex };
  const next = document.querySelector('a[rel="next"][href]');
  if (next) {
    const title = (next.querySelector('strong') || next).textContent.trim();
    return { href: next.getAttribute('href'), text: t('nextLesson', title), kind: 'lesson' };
  }
  const home = document.querySelector('a[href$="#lessons"]');
  return home ? { href: home.getAttribute('href'), text: t('allLessons'), kind: 'lessons' } : null;
}

// copyToClipboard writes text with the async clipboard; false if it can't.
async function copyToClipboard(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (e) { /* refused: the learner copies by hand */ }
  return false;
}

// ExerciseNote is the foot of an exercise box: after the learner solves
// it, "Copy solution code"; before that, if they solved it on an earlier
// visit, "Solved before (N actions) — copy code".
class ExerciseNote {
  constructor(id) {
    this.id = id;
    this.now = null; // this run's solve: {moves, time, code, error}
    this.status = h('span', { class: 'rw-exnote-status', role: 'status' });
    this.box = h('input', { type: 'text', class: 'rw-input rw-codebox', readonly: true, spellcheck: 'false',
      'aria-label': t('codeLabel'), hidden: true });
    this.box.addEventListener('focus', () => this.box.select());
    this.line = h('p', { class: 'rw-exnote-line' });
    this.nextEl = h('p', { class: 'rw-next', hidden: true });
    this.el = h('div', { class: 'rw-exnote', 'data-exercise': id }, this.line, this.box, this.nextEl);
    this.next = null; // where to go next, once solved in this run
    this.render();
  }

  reset() {
    this.now = null;
    this.next = null;
    this.render();
  }

  // showNext offers where to go now that the exercise is solved.
  showNext(next) {
    this.next = next;
    this.render();
  }

  renderNext() {
    const next = this.next;
    this.nextEl.textContent = '';
    show(this.nextEl, !!next);
    if (!next) return;
    const a = h('a', { href: next.href, class: 'rw-nextlink', 'data-next': next.kind }, next.text);
    // The next exercise may sit in a closed section: open it first.
    if (next.target) {
      a.addEventListener('click', () => {
        for (let d = next.target.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;
      });
    }
    this.nextEl.append(a);
  }

  // solvedNow: the learner reached the goal by themselves in this run.
  solvedNow(d) {
    const moves = Number.isInteger(d.moves) ? d.moves : 0, time = Number.isInteger(d.time) ? d.time : 0;
    const now = { moves, time, code: '', error: '' };
    this.now = now;
    const sol = d.solution;
    if (!sol || sol.error || typeof sol.digest !== 'string' || typeof sol.moves !== 'string') {
      now.error = (sol && sol.error) || 'no moves';
      progress.markSolved(this.id, { moves, time });
      this.render();
      return;
    }
    this.render();
    solutionCode(this.id, sol.digest, progress.data.name, sol.moves).then(code => {
      now.code = code;
      progress.markSolved(this.id, { moves, time, code });
      if (this.now === now) this.render();
    }, err => {
      now.error = String((err && err.message) || err);
      progress.markSolved(this.id, { moves, time });
      if (this.now === now) this.render();
    });
  }

  render() {
    const line = this.line;
    line.textContent = '';
    show(this.box, false);
    this.status.textContent = '';
    this.renderNext();
    const now = this.now;
    if (now) {
      show(line, true);
      if (now.error) {
        // The reason is for authors (the console, once), in the
        // simulator's or the browser's words; the learner reads the page's.
        if (!now.warned) console.warn('raftplay: no solution code for ' + this.id + ': ' + now.error);
        now.warned = true;
        line.append(h('span', { class: 'rw-muted' }, t('codeFailed')));
      } else {
        const b = button('copy-code', t('copyCode'), { class: 'rw-btn rw-small', title: t('copyCodeTip'),
          disabled: !now.code, onclick: () => this.copy(now.code) }, 'copy');
        line.append(b, this.status);
      }
      show(this.el, true);
      return;
    }
    const saved = progress.exercise(this.id);
    if (!saved) {
      show(this.line, false);
      show(this.el, !!this.next);
      return;
    }
    show(this.line, true);
    line.append(h('span', { class: 'rw-before' }, iconSvg('check'), t('solvedBefore', tn('nActions', saved.moves, saved.moves))));
    if (saved.code) {
      line.append(h('span', { class: 'rw-muted', 'aria-hidden': 'true' }, ' — '),
        h('button', { type: 'button', class: 'rw-linkbtn', 'data-action': 'copy-code', title: t('copyCodeTip'),
          onclick: () => this.copy(saved.code) }, t('copyCodeShort')));
    }
    line.append(this.status);
    show(this.el, true);
  }

  async copy(code) {
    if (!code) return;
    if (await copyToClipboard(code)) {
      show(this.box, false);
      this.status.textContent = t('codeCopied');
      this.status.dataset.kind = 'ok';
      return;
    }
    // No clipboard: the code, selected, in a read-only box to copy by hand.
    this.box.value = code;
    show(this.box, true);
    this.status.textContent = t('codeManual');
    this.status.dataset.kind = 'manual';
    this.box.focus();
    this.box.select();
  }
}
