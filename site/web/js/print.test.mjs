// Unit tests of print.js, run by node's own test runner (make jstest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './testload.mjs';

const { printOpen } = await load('print.js');

// A window that only dispatches events, and a document of sections.
function fakeWindow() {
  const on = {};
  return {
    addEventListener: (k, f) => { on[k] = f; },
    removeEventListener: (k, f) => { if (on[k] === f) delete on[k]; },
    fire: k => on[k] && on[k](),
    on,
  };
}

test('closed sections open for printing and close again after; open ones stay open', () => {
  const a = { open: false }, b = { open: true }, c = { open: false };
  const doc = { querySelectorAll: sel => (assert.equal(sel, 'details.aside'), [a, b, c]) };
  const win = fakeWindow();
  const stop = printOpen(win, doc);
  win.fire('beforeprint');
  assert.deepEqual([a.open, b.open, c.open], [true, true, true]);
  win.fire('afterprint');
  assert.deepEqual([a.open, b.open, c.open], [false, true, false]);
  // A second print, after the reader opened c: c stays open.
  c.open = true;
  win.fire('beforeprint');
  win.fire('afterprint');
  assert.deepEqual([a.open, b.open, c.open], [false, true, true]);
  stop();
  assert.deepEqual(Object.keys(win.on), []);
});
