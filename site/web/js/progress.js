// progress.js — what the learner has done, kept in localStorage under one
// versioned key: solved exercises (with their solution codes), answered
// questions, the chosen language and the last lesson opened. Stored data is
// never trusted: anything malformed is dropped, and data that cannot be read
// at all is reset with a notice. Progress can be exported to a file and
// imported back.

const KEY = 'raftplay.progress';
const VERSION = 1;

const EXERCISE_ID = /^[a-z0-9-]{1,64}\/[0-9]{1,3}$/;
const QUESTION_ID = /^[a-z0-9-]{1,64}#[0-9]{1,3}$/;
const SLUG = /^[a-z0-9-]{1,64}$/;

function empty() {
  return { v: VERSION, lang: '', last: null, exercises: {}, answers: {} };
}

function isInt(x, max) {
  return Number.isInteger(x) && x >= 0 && x <= max;
}

// clean returns a valid progress object made from untrusted data, keeping
// only the parts that check out, and whether anything had to be dropped.
export function clean(raw) {
  const out = empty();
  if (!raw || typeof raw !== 'object' || Array.isArray(raw) || raw.v !== VERSION) {
    return { data: out, dropped: raw !== null && raw !== undefined };
  }
  let dropped = false;
  if (raw.lang === 'en' || raw.lang === 'zh') out.lang = raw.lang;
  else if (raw.lang !== undefined && raw.lang !== '') dropped = true;
  if (raw.last && typeof raw.last === 'object' && (raw.last.lang === 'en' || raw.last.lang === 'zh') &&
      typeof raw.last.slug === 'string' && SLUG.test(raw.last.slug)) {
    out.last = { lang: raw.last.lang, slug: raw.last.slug };
  } else if (raw.last) dropped = true;
  const ex = raw.exercises && typeof raw.exercises === 'object' ? raw.exercises : {};
  for (const id of Object.keys(ex)) {
    const e = ex[id];
    if (EXERCISE_ID.test(id) && e && e.solved === true && isInt(e.moves, 1e6) && isInt(e.time, 1e10) &&
        (e.code === undefined || (typeof e.code === 'string' && e.code.length <= 20000 && /^[A-Za-z0-9_-]*$/.test(e.code)))) {
      out.exercises[id] = { solved: true, moves: e.moves, time: e.time, code: e.code || '' };
    } else {
      dropped = true;
    }
  }
  const an = raw.answers && typeof raw.answers === 'object' ? raw.answers : {};
  for (const id of Object.keys(an)) {
    const a = an[id];
    if (QUESTION_ID.test(id) && a && isInt(a.choice, 50) && typeof a.right === 'boolean') {
      out.answers[id] = { choice: a.choice, right: a.right };
    } else {
      dropped = true;
    }
  }
  return { data: out, dropped };
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
  constructor() {
    this.store = storage();
    this.notice = '';
    this.listeners = [];
    let raw = null;
    const text = this.store.getItem(KEY);
    if (text !== null) {
      try {
        raw = JSON.parse(text);
      } catch (e) {
        raw = undefined;
        this.notice = 'reset';
      }
    }
    const { data, dropped } = clean(raw === undefined ? {} : raw);
    if (dropped || (text !== null && raw === undefined)) {
      this.notice = 'reset';
    }
    this.data = data;
    if (this.notice) this.save();
    // Another tab changed the progress: take its version, so that saving
    // here does not undo what was done there.
    try {
      globalThis.addEventListener('storage', e => {
        if (e.key !== KEY) return;
        let next = null;
        try { next = e.newValue === null ? null : JSON.parse(e.newValue); } catch (err) { return; }
        this.data = clean(next).data;
        for (const f of this.listeners) f(this.data);
      });
    } catch (e) {
      // No window events (a worker, a test): nothing to follow.
    }
  }

  save() {
    try {
      this.store.setItem(KEY, JSON.stringify(this.data));
    } catch (e) {
      // Storage full or refused: keep going in memory.
    }
    for (const f of this.listeners) f(this.data);
  }

  onChange(f) {
    this.listeners.push(f);
  }

  solved(id) {
    return !!this.data.exercises[id];
  }

  exercise(id) {
    return this.data.exercises[id] || null;
  }

  markSolved(id, info) {
    if (!EXERCISE_ID.test(id) || !info || !isInt(info.moves, 1e6) || !isInt(info.time, 1e10)) return;
    // A code that clean would refuse is not kept (the solve still is).
    const code = typeof info.code === 'string' && info.code.length <= 20000 && /^[A-Za-z0-9_-]*$/.test(info.code) ? info.code : '';
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
  // 'partial' when some entries were malformed and left out, 'too-big'
  // or 'unreadable'.
  async importFile(file) {
    if (!file || file.size > 1 << 20) return 'too-big';
    let raw;
    try {
      raw = JSON.parse(await file.text());
    } catch (e) {
      return 'unreadable';
    }
    if (!raw || typeof raw !== 'object' || raw.v !== VERSION) return 'unreadable';
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
    this.save();
    return dropped ? 'partial' : '';
  }
}

// base64url writes bytes as base64url without padding.
function base64url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// solutionCode makes the code a teacher checks with raftplay verify:
// base64url(deflate-raw(header and moves)).
export async function solutionCode(exerciseId, digest, moves) {
  const text = 'raftplay solution 1\nexercise ' + exerciseId + '\ndigest ' + digest + '\n' + moves;
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const buf = new Uint8Array(await new Response(stream).arrayBuffer());
  return base64url(buf);
}
