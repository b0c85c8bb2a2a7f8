// Unit tests of progress.js, run by node's own test runner (make jstest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './testload.mjs';

const { Progress, clean, cleanName } = await load('progress.js');

const KEY = 'raftplay.progress', BACKUP = 'raftplay.progress.backup';

// store is a Storage in memory, with what was stored to begin with.
function store(initial) {
  const m = new Map(Object.entries(initial || {}));
  return {
    getItem: k => (m.has(k) ? m.get(k) : null),
    setItem: (k, v) => { m.set(k, String(v)); },
    removeItem: k => { m.delete(k); },
    map: m,
  };
}

const solve = { solved: true, moves: 3, time: 1200, code: 'abc_-9' };

test('version 1 progress is read in full and kept, as version 2', () => {
  const v1 = { v: 1, lang: 'zh', last: { lang: 'en', slug: 'election' }, exercises: { 'election/1': solve }, answers: { 'election#1': { choice: 2, right: true } } };
  const s = store({ [KEY]: JSON.stringify(v1) });
  const p = new Progress(s);
  assert.equal(p.notice, null);
  assert.deepEqual(p.data.exercises['election/1'], solve);
  assert.equal(JSON.parse(s.getItem(KEY)).v, 2);
  assert.equal(s.getItem(BACKUP), null);
});

test('progress of a newer version is left untouched, and the page still works', () => {
  const newer = JSON.stringify({ v: 3, exercises: { 'election/1': solve }, whatever: [1, 2] });
  const s = store({ [KEY]: newer });
  const p = new Progress(s);
  assert.deepEqual(p.notice, { kind: 'newer' });
  p.markSolved('overview/1', { moves: 1, time: 5, code: 'x' });
  p.setName('Ada');
  assert.ok(p.solved('overview/1'), 'the page keeps what is done here, in memory');
  assert.equal(s.getItem(KEY), newer, 'the stored value is exactly as it was');
  assert.equal(s.getItem(BACKUP), null);
});

test('unreadable progress is backed up before the page starts afresh', () => {
  const s = store({ [KEY]: '{bad' });
  const p = new Progress(s);
  assert.deepEqual(p.notice, { kind: 'corrupt' });
  assert.equal(s.getItem(BACKUP), '{bad');
  assert.equal(JSON.parse(s.getItem(KEY)).v, 2);
});

test('only the bad entries go, after a backup, and the notice counts them', () => {
  const raw = JSON.stringify({
    v: 2, lang: 'en', name: 'Ada',
    exercises: { 'election/1': solve, 'election/2': { solved: true, moves: -1, time: 0 }, '../../x': solve },
    answers: { 'election#1': { choice: 1, right: false }, 'election#2': { choice: 'a', right: true } },
  });
  const s = store({ [KEY]: raw });
  const p = new Progress(s);
  assert.deepEqual(p.notice, { kind: 'partial', kept: 4, dropped: 3 });
  assert.equal(s.getItem(BACKUP), raw);
  assert.deepEqual(Object.keys(p.data.exercises), ['election/1']);
  assert.deepEqual(Object.keys(p.data.answers), ['election#1']);
  assert.equal(p.data.name, 'Ada');
});

test('a solve whose code is too long keeps the solve, without the code', () => {
  const { data, kept, dropped } = clean({ v: 2, exercises: { 'election/1': { ...solve, code: 'A'.repeat(20001) } } });
  assert.deepEqual(data.exercises['election/1'], { ...solve, code: '' });
  assert.equal(kept, 1);
  assert.equal(dropped, 1);
  const p = new Progress(store());
  p.markSolved('election/2', { moves: 2, time: 9, code: 'B'.repeat(20001) });
  assert.deepEqual(p.exercise('election/2'), { solved: true, moves: 2, time: 9, code: '' });
});

test('names are one line of at most 80 characters', () => {
  assert.equal(cleanName('  Ada\nLovelace\u001b[31m '), 'Ada Lovelace [31m');
  assert.equal(cleanName('x'.repeat(200)).length, 80);
  assert.equal(cleanName(42), '');
  const s = store();
  const p = new Progress(s);
  p.setName('Grace\u2028Hopper');
  assert.equal(JSON.parse(s.getItem(KEY)).name, 'Grace Hopper');
  assert.deepEqual(clean({ v: 2, name: 'bad\nname' }).dropped, 1);
});

test("a lesson's state: done, started or new, from what is solved and answered", () => {
  const p = new Progress(store());
  assert.deepEqual(p.lesson('election', 2, 3), { state: 'new', e: 0, q: 0 });
  p.recordAnswer('election#2', 1, false);
  assert.deepEqual(p.lesson('election', 2, 3), { state: 'started', e: 0, q: 1 });
  // Another lesson's progress, or numbers past the lesson's, do not count.
  p.markSolved('overview/1', { moves: 1, time: 10 });
  p.markSolved('election/3', { moves: 1, time: 10 });
  assert.deepEqual(p.lesson('election', 2, 3), { state: 'started', e: 0, q: 1 });
  p.markSolved('election/1', { moves: 2, time: 10 });
  p.markSolved('election/2', { moves: 2, time: 10 });
  p.recordAnswer('election#1', 0, true);
  assert.equal(p.lesson('election', 2, 3).state, 'started');
  p.recordAnswer('election#3', 0, true);
  assert.deepEqual(p.lesson('election', 2, 3), { state: 'done', e: 2, q: 3 });
  // A wrong answer is an answer: the lesson is done all the same.
  assert.equal(p.answer('election#2').right, false);
  assert.deepEqual(p.lesson('overview', 1, 0), { state: 'done', e: 1, q: 0 });
  assert.equal(p.lesson('empty', 0, 0).state, 'new');
});
