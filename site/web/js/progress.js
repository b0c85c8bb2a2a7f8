// progress.js — what the learner has done, kept in localStorage under one
// versioned key: solved exercises (with their solution codes), answered
// questions, the chosen language, the last lesson opened and the name the
// learner puts in solution codes. Stored data is never trusted, and never
// silently destroyed: an entry that does not check out is dropped alone,
// after the stored text has been copied to a backup key; a value that
// cannot be read at all is backed up before the page starts afresh; data
// of a newer version (written by a newer raftplay) is left untouched, and
// the page works without it. Each case is reported in `notice`. Progress
// can be exported to a file and imported back.

import { encode as base64url } from './base64url.js';

const KEY = 'raftplay.progress';
const BACKUP = 'raftplay.progress.backup';
const VERSION = 2; // 2 added the learner's name; version 1 data is read as it is
const NAME_MAX = 80;

const EXERCISE_ID = /^[a-z0-9-]{1,64}\/[0-9]{1,3}$/;
const QUESTION_ID = /^[a-z0-9-]{1,64}#[0-9]{1,3}$/;
const SLUG = /^[a-z0-9-]{1,64}$/;

function empty() {
  return { v: VERSION, lang: '', last: null, name: '', exercises: {}, answers: {} };
}

// cleanName returns a name fit for a solution code's one line: at most
// NAME_MAX characters, no control characters, trimmed.
export function cleanName(s) {
  if (typeof s !== 'string') return '';
  return [...s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')].slice(0, NAME_MAX).join('').trim();
}

// versionOf says what the stored value is: 'ours' (a version this code
// reads), 'newer' (a later version: leave it be) or 'unknown'.
function versionOf(raw) {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'unknown';
  if (raw.v === 1 || raw.v === VERSION) return 'ours';
  if (Number.isInteger(raw.v) && raw.v > VERSION) return 'newer';
  return 'unknown';
}

function isInt(x, max) {
  return Number.isInteger(x) && x >= 0 && x <= max;
}

// A solution code as progress keeps it: base64url text of bounded length.
const CODE_MAX = 20000;
function validCode(c) {
  return typeof c === 'string' && c.length <= CODE_MAX && /^[A-Za-z0-9_-]*$/.test(c);
}

// clean returns a valid progress object made from untrusted data of a
// version this code reads, keeping every part that checks out: kept and
// dropped count the entries (solves, answers, settings) taken and left
// out. A solve whose code is bad is kept without its code, and counted
// as dropped too (the code is lost).
export function clean(raw) {
  const out = empty();
  let kept = 0, dropped = 0;
  if (versionOf(raw) !== 'ours') {
    return { data: out, kept, dropped: raw === null || raw === undefined ? 0 : 1 };
  }
  if (raw.lang === 'en' || raw.lang === 'zh') { out.lang = raw.lang; kept++; }
  else if (raw.lang !== undefined && raw.lang !== '') dropped++;
  if (raw.last && typeof raw.last === 'object' && (raw.last.lang === 'en' || raw.last.lang === 'zh') &&
      typeof raw.last.slug === 'string' && SLUG.test(raw.last.slug)) {
    out.last = { lang: raw.last.lang, slug: raw.last.slug };
    kept++;
  } else if (raw.last) dropped++;
  if (typeof raw.name === 'string' && raw.name !== '' && cleanName(raw.name) === raw.name) { out.name = raw.name; kept++; }
  else if (raw.name !== undefined && raw.name !== '') dropped++;
  const ex = raw.exercises && typeof raw.exercises === 'object' && !Array.isArray(raw.exercises) ? raw.exercises : {};
  if (raw.exercises !== undefined && ex !== raw.exercises) dropped++;
  for (const id of Object.keys(ex)) {
    const e = ex[id];
    if (EXERCISE_ID.test(id) && e && e.solved === true && isInt(e.moves, 1e6) && isInt(e.time, 1e10)) {
      const codeOK = e.code === undefined || validCode(e.code);
      out.exercises[id] = { solved: true, moves: e.moves, time: e.time, code: codeOK ? (e.code || '') : '' };
      kept++;
      if (!codeOK) dropped++;
    } else {
      dropped++;
    }
  }
  const an = raw.answers && typeof raw.answers === 'object' && !Array.isArray(raw.answers) ? raw.answers : {};
  if (raw.answers !== undefined && an !== raw.answers) dropped++;
  for (const id of Object.keys(an)) {
    const a = an[id];
    if (QUESTION_ID.test(id) && a && isInt(a.choice, 50) && typeof a.right === 'boolean') {
      out.answers[id] = { choice: a.choice, right: a.right };
      kept++;
    } else {
      dropped++;
    }
  }
  return { data: out, kept, dropped };
}

// storage is localStorage when the browser allows it, else memory.
function storage() {
  try {
    const s = globalThis.localStorage;
    const probe = KEY + '.probe';
    s.setItem(probe, '1');
    s.removeItem(probe);
    return s;
  } catch (e) {
    const mem = new Map();
    return { getItem: k => (mem.has(k) ? mem.get(k) : null), setItem: (k, v) => mem.set(k, String(v)), removeItem: k => mem.delete(k) };
  }
}

export class Progress {
  // store is a Storage-like object (getItem, setItem, removeItem); the
  // browser's localStorage when it is left out.
  constructor(store) {
    this.store = store || storage();
    // notice says what loading had to do, for the page to tell the
    // learner: null, or { kind: 'newer' } (data of a later version, left
    // as it is: this page keeps progress in memory only), { kind:
    // 'corrupt' } (unreadable; backed up, then started afresh) or
    // { kind: 'partial', kept, dropped } (the bad entries left out, after
    // a backup).
    this.notice = null;
    this.readOnly = false; // true: never write the key (it holds a newer version)
    this.listeners = [];
    this.data = empty();
    const text = this.store.getItem(KEY);
    if (text !== null) this.load(text);
    // Another tab changed the progress: take its version, so that saving
    // here does not undo what was done there.
    try {
      globalThis.addEventListener('storage', e => {
        if (e.key !== KEY) return;
        let next = null;
        try { next = e.newValue === null ? null : JSON.parse(e.newValue); } catch (err) { return; }
        if (versionOf(next) === 'newer') {
          this.readOnly = true; // a newer page writes here now: leave its data alone
          return;
        }
        this.data = clean(next).data;
        for (const f of this.listeners) f(this.data);
      });
    } catch (e) {
      // No window events (a worker, a test): nothing to follow.
    }
  }

  load(text) {
    let raw;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      raw = undefined;
    }
    const version = raw === undefined ? 'unknown' : versionOf(raw);
    if (version === 'newer') {
      this.readOnly = true;
      this.notice = { kind: 'newer' };
      return;
    }
    if (version === 'unknown') {
      this.backup(text);
      this.notice = { kind: 'corrupt' };
      this.save();
      return;
    }
    const { data, kept, dropped } = clean(raw);
    this.data = data;
    if (dropped > 0) {
      this.backup(text);
      this.notice = { kind: 'partial', kept, dropped };
      this.save();
    } else if (raw.v !== VERSION) {
      this.save(); // an older version, read in full: write it as the current one
    }
  }

  // backup keeps a copy of stored text before anything of it is dropped.
  backup(text) {
    try {
      this.store.setItem(BACKUP, text);
    } catch (e) {
      // No room for it: the data is dropped all the same, but the notice
      // still says so.
    }
  }

  save() {
    if (!this.readOnly) {
      try {
        this.store.setItem(KEY, JSON.stringify(this.data));
      } catch (e) {
        // Storage full or refused: keep going in memory.
      }
    }
    for (const f of this.listeners) f(this.data);
  }

  onChange(f) {
    this.listeners.push(f);
  }

  solved(id) {
    return !!this.data.exercises[id];
  }

  // lesson says how far the learner is in lesson slug, which has ne
  // exercises and nq questions: {state, e, q}, e and q counting those
  // solved and answered; state is 'done' (all of them), 'started' (some)
  // or 'new' (none yet, or a lesson with neither).
  lesson(slug, ne, nq) {
    let e = 0, q = 0;
    for (let i = 1; i <= ne; i++) if (this.solved(slug + '/' + i)) e++;
    for (let i = 1; i <= nq; i++) if (this.answer(slug + '#' + i)) q++;
    const state = ne + nq > 0 && e === ne && q === nq ? 'done' : e + q > 0 ? 'started' : 'new';
    return { state, e, q };
  }

  exercise(id) {
    return this.data.exercises[id] || null;
  }

  markSolved(id, info) {
    if (!EXERCISE_ID.test(id) || !info || !isInt(info.moves, 1e6) || !isInt(info.time, 1e10)) return;
    // A code that clean would refuse is not kept (the solve still is).
    const code = validCode(info.code) ? info.code : '';
    const prev = this.data.exercises[id];
    // Keep the best solution: the fewest moves (or the same, now with a code).
    if (prev && (prev.moves < info.moves || (prev.moves === info.moves && (prev.code || !code)))) return;
    this.data.exercises[id] = { solved: true, moves: info.moves, time: info.time, code };
    this.save();
  }

  answer(id) {
    return this.data.answers[id] || null;
  }

  recordAnswer(id, choice, right) {
    if (!QUESTION_ID.test(id) || !isInt(choice, 50)) return;
    this.data.answers[id] = { choice, right: !!right };
    this.save();
  }

  setLang(lang) {
    if ((lang !== 'en' && lang !== 'zh') || this.data.lang === lang) return;
    this.data.lang = lang;
    this.save();
  }

  // setName keeps the name the learner wants in their solution codes.
  setName(name) {
    const n = cleanName(name);
    if (n === this.data.name) return;
    this.data.name = n;
    this.save();
  }

  setLast(lang, slug) {
    if ((lang !== 'en' && lang !== 'zh') || typeof slug !== 'string' || !SLUG.test(slug)) return;
    const l = this.data.last;
    if (l && l.lang === lang && l.slug === slug) return;
    this.data.last = { lang, slug };
    this.save();
  }

  // export offers the progress as a JSON file to download.
  exportFile() {
    const blob = new Blob([JSON.stringify(this.data, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = 'raftplay-progress.json';
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  // importFile adds a file's progress to this browser's, if it can be
  // read: nothing done here is lost (of two solves of an exercise, the one
  // with fewer moves is kept). It resolves to '' when all was taken,
  // 'partial' when some entries were malformed and left out, 'newer' for
  // a file of a later version, 'too-big' or 'unreadable'.
  async importFile(file) {
    if (!file || file.size > 1 << 20) return 'too-big';
    let raw;
    try {
      raw = JSON.parse(await file.text());
    } catch (e) {
      return 'unreadable';
    }
    const version = versionOf(raw);
    if (version === 'newer') return 'newer';
    if (version !== 'ours') return 'unreadable';
    const { data, dropped } = clean(raw);
    const mine = this.data;
    for (const id of Object.keys(data.exercises)) {
      const a = mine.exercises[id], b = data.exercises[id];
      if (!a || b.moves < a.moves || (b.moves === a.moves && !a.code && b.code)) mine.exercises[id] = b;
    }
    for (const id of Object.keys(data.answers)) {
      if (!mine.answers[id]) mine.answers[id] = data.answers[id];
    }
    if (!mine.lang) mine.lang = data.lang;
    if (!mine.last) mine.last = data.last;
    if (!mine.name) mine.name = data.name;
    this.save();
    return dropped ? 'partial' : '';
  }
}

// solutionCode makes the code a teacher checks with raftplay verify:
// base64url(deflate-raw(header and moves)), version 2, which carries the
// learner's name (see docs/teachers.md for what it proves).
export async function solutionCode(exerciseId, digest, name, moves) {
  const text = 'raftplay solution 2\nexercise ' + exerciseId + '\ndigest ' + digest + '\nname ' + cleanName(name) + '\n' + moves;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const buf = new Uint8Array(await new Response(stream).arrayBuffer());
  return base64url(buf);
}
