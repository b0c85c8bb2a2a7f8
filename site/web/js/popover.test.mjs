// Unit tests of popover.js, run by node's own test runner (make jstest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './testload.mjs';

const { Popover } = await load('popover.js');
const { Selection } = await load('host.js');

// hostWith is the part of a host a popover uses, over a real Selection.
function hostWith(sel) {
  return {
    get selection() { return sel.now; },
    select: (kind, id) => sel.set(kind, id),
  };
}

test('a popover shows the selection of its kind, and selects nothing of it once closed', () => {
  for (const [kind, other] of [['msg', 'server'], ['server', 'msg']]) {
    const sel = new Selection();
    const p = new Popover(hostWith(sel), kind);
    p.el = { hidden: false };
    sel.set(kind, 4);
    sel.set(other, 3);
    assert.equal(p.id, 4);
    assert.ok(p.isOpen());
    assert.equal(p.hide(), true);
    assert.equal(p.el.hidden, true);
    assert.equal(sel.now[kind], 0, kind + ': nothing selected');
    assert.equal(sel.now[other], 3, kind + ': the other kind stays selected');
    assert.equal(p.hide(), false, 'closed already');
  }
});

test('a closed popover that hides again leaves the selection alone', () => {
  const sel = new Selection();
  const p = new Popover(hostWith(sel), 'server');
  p.el = { hidden: true };
  sel.set('server', 2);
  assert.equal(p.hide(), false);
  assert.deepEqual(sel.now, { server: 2, msg: 0 });
});

test('Escape in a popover closes it, giving the focus back, and goes no further', () => {
  const p = new Popover(hostWith(new Selection()), 'server');
  let handler = null, closed = null, stopped = false;
  p.el = { hidden: false, addEventListener: (type, f) => { if (type === 'keydown') handler = f; } };
  p.close = focusBack => { closed = focusBack; };
  p.closeOnEscape();
  handler({ key: 'Enter', stopPropagation() { stopped = true; } });
  assert.equal(closed, null);
  handler({ key: 'Escape', stopPropagation() { stopped = true; } });
  assert.equal(closed, true);
  assert.ok(stopped);
});

// A closing popover gives the focus back: to the element asked (a menu's
// server), or, when the focus was inside it, to its stage, never leaving
// it on a hidden button (the widget's keys would stop working).
test('a closing popover never leaves the focus on a hidden button', () => {
  const focused = [];
  const el = name => ({ name, isConnected: true, focus: () => focused.push(name) });
  const stage = el('stage'), server = el('server'), button = el('button');
  const pop = () => {
    const p = new Popover(hostWith(new Selection()), 'server');
    p.el = { hidden: false, contains: x => x === button, parentElement: { closest: sel => (sel === '[tabindex]' ? stage : null) } };
    return p;
  };
  const was = globalThis.document;
  try {
    globalThis.document = { activeElement: button };
    pop().hide(server);
    assert.deepEqual(focused.splice(0), ['server'], 'to the element asked');
    pop().hide();
    assert.deepEqual(focused.splice(0), ['stage'], 'to the stage, the focus being inside');
    pop().hide({ isConnected: false, focus: () => focused.push('gone') });
    assert.deepEqual(focused.splice(0), ['stage'], 'an element no longer on the page does not take it');
    globalThis.document = { activeElement: stage };
    pop().hide();
    assert.deepEqual(focused, [], 'the focus elsewhere is left alone');
  } finally {
    globalThis.document = was;
  }
});
