// Unit tests of narrate.js, run by node's test runner (make jstest). That
// the script and the command line write every sentence alike, from the
// same tables, is tested from Go (wasm/bridge, TestNarrationAgrees).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './testload.mjs';

const { tables, render, say, term } = await load('narrate.js');

test('every language has a template for every key, and no other', () => {
  const keys = Object.keys(tables.en).sort();
  assert.ok(keys.length > 100, `only ${keys.length} keys in English`);
  for (const [lang, table] of Object.entries(tables)) {
    assert.deepEqual(Object.keys(table).sort(), keys, `${lang} has other keys than English`);
  }
});

test('a line is written with each kind of argument', () => {
  const table = { 'list-sep': '; ', g: 'glossed', top: '{n} {s} {g} [{one}] [{many}] {missing}', item: '<{n}>' };
  const line = {
    key: 'top',
    args: {
      n: 7, s: 'S2', g: { gloss: 'g' }, one: { key: 'item', args: { n: 1 } },
      many: [{ key: 'item', args: { n: 2 } }, { key: 'item', args: { n: 3 } }],
    },
  };
  assert.equal(render(table, line), '7 S2 glossed [<1>] [<2>; <3>] {missing}');
  assert.equal(render(table, { key: 'nokey', args: {} }), 'nokey');
  // Names from the prototype are not arguments.
  assert.equal(render({ k: '{constructor}' }, { key: 'k', args: {} }), '{constructor}');
});

test('a real sentence in both languages', () => {
  const line = { key: 'event.became-leader', args: { s: 'S3', term: 2, votes: 3 } };
  assert.equal(say(line, 'en'), 'S3 wins the election for term 2 with 3 votes and becomes leader (§5.2).');
  assert.equal(say(line, 'zh'), 'S3 以 3 票赢得任期 2 的选举，成为领导者（§5.2）。');
  assert.equal(say(line, 'xx'), say(line, 'en'), 'an unknown language falls back to English');
});

test('a glossary term, with the paper\'s English name on other pages', () => {
  assert.equal(term('inv.election-safety', 'en'), 'Election Safety');
  assert.equal(term('inv.election-safety', 'zh'), '选举安全性 Election Safety');
});
