// Unit tests of host.js, run by node's own test runner (make jstest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { load } from './testload.mjs';

const { makeHost, Selection } = await load('host.js');

// documented lists the members the JSDoc of Host names (@property).
function documented() {
  const src = readFileSync(new URL('./host.js', import.meta.url), 'utf8');
  const doc = src.slice(src.indexOf('@typedef {object} Host'), src.indexOf('*/', src.indexOf('@typedef {object} Host')));
  return [...doc.matchAll(/@property\s+\{(?:[^{}]|\{[^{}]*\})*\}\s+(\w+)/g)].map(m => m[1]);
}

// fakeWidget is a widget's state, and methods of any name that record
// their calls (with this) and answer with their name.
function fakeWidget() {
  const calls = [];
  const state = {
    snap: { time: 5 }, t: 5, playing: false, setup: true, info: { servers: 3 }, technical: false,
    name: 'demo', uid: 'rw1', selection: new Selection(), motion: {},
    dirty: false, cluster: {}, id: 7,
  };
  const w = new Proxy(state, {
    get(o, k) {
      if (k in o) return o[k];
      return function (...args) { calls.push([k, args, this]); return 'answer of ' + String(k); };
    },
  });
  return { w, state, calls };
}

test('the host has exactly the members its documentation names', () => {
  const names = documented();
  assert.ok(names.length > 20, 'the JSDoc is read: ' + names.join(' '));
  assert.equal(new Set(names).size, names.length, 'no member is documented twice');
  const { w } = fakeWidget();
  assert.deepEqual(Object.keys(makeHost(w)).sort(), [...names].sort());
});

test("the host reads the widget's state as it is now, and cannot write it", () => {
  const { w, state } = fakeWidget();
  const host = makeHost(w);
  assert.equal(host.playing, false);
  state.playing = true;
  state.t = 120;
  assert.equal(host.playing, true);
  assert.equal(host.time, 120);
  assert.equal(host.snap, state.snap);
  for (const k of Object.keys(host)) {
    const d = Object.getOwnPropertyDescriptor(host, k);
    if (d.get) assert.equal(d.set, undefined, k + ' is read only');
    else assert.equal(typeof d.value, 'function', k + ' is a getter or a function');
    assert.throws(() => { host[k] = 1; }, TypeError, k + ' cannot be assigned');
  }
  assert.throws(() => { host.dirty = true; }, TypeError);
  assert.throws(() => { delete host.seek; }, TypeError);
  assert.equal(state.playing, true);
  assert.equal(state.dirty, false);
});

test("the host gives nothing else of the widget: no views, no fields, no plumbing", () => {
  const host = makeHost(fakeWidget().w);
  for (const k of ['w', 'widget', 'dirty', 'wake', 'cluster', 'msgPanel', 'script', 'root', 'id', 'load', 'handle', 'render', 'frame', 't']) {
    assert.ok(!(k in host), k + ' is not on the host');
  }
});

test("the host's functions are the widget's, with their arguments and answers", () => {
  const { w, calls } = fakeWidget();
  const host = makeHost(w);
  const err = {};
  assert.equal(host.act('crash S1', err), 'answer of act');
  host.seek(250);
  host.invalidate();
  const { seek } = host; // detached, as an event handler holds it
  seek(300);
  assert.deepEqual(calls.map(([k, args]) => [k, args]), [['act', ['crash S1', err]], ['seek', [250]], ['invalidate', []], ['seek', [300]]]);
  for (const [, , self] of calls) assert.equal(self, w, 'called on the widget');
});

test('the selection changes only through set, which says whether it changed', () => {
  const sel = new Selection();
  const first = sel.now;
  assert.deepEqual(first, { server: 0, msg: 0 });
  assert.equal(sel.set('msg', 4), true);
  assert.deepEqual(sel.now, { server: 0, msg: 4 });
  assert.deepEqual(first, { server: 0, msg: 0 }, 'what was read before is not changed');
  assert.equal(sel.set('msg', 4), false);
  assert.equal(sel.set('server', 2), true);
  assert.deepEqual(sel.now, { server: 2, msg: 4 });
  assert.throws(() => { sel.now.msg = 0; }, TypeError);
  assert.throws(() => sel.set('link', 1), /no selection of link/);
});

test("the host's selection is the widget's", () => {
  const { w, state, calls } = fakeWidget();
  const host = makeHost(w);
  state.selection.set('server', 3);
  assert.deepEqual(host.selection, { server: 3, msg: 0 });
  host.select('msg', 9);
  assert.deepEqual(calls.map(([k, args]) => [k, args]), [['select', ['msg', 9]]], 'the widget selects');
});
