// Unit tests of losses.js, run by node's own test runner (make jstest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './testload.mjs';

const { lossOf, reasonOf, LossRun, Grouper } = await load('losses.js');

// lost makes a lost record as the bridge sends it.
const lost = (time, what, from, to) => ({
  time, kind: 'lost', what,
  say: { key: 'lost.' + what, args: { msg: { key: 'message.heartbeat', args: { from, to } }, from, to } },
});
const event = (time, what) => ({ time, kind: 'event', what, say: { key: 'event.' + what, args: {} } });

test('a loss is read from its record; other records are not losses', () => {
  assert.deepEqual(lossOf(lost(5, 'cut', 'S3', 'S1')), { what: 'cut', from: 'S3', to: 'S1' });
  assert.equal(lossOf(event(5, 'timeout')), null);
  assert.equal(lossOf(null), null);
  // Arguments that are not server names are left out, not shown.
  const odd = lost(5, 'cut', '<b>', 7);
  assert.deepEqual(lossOf(odd), { what: 'cut', from: '', to: '' });
  assert.deepEqual(reasonOf(lossOf(odd)), { kind: 'cut', who: '' });
});

test('every kind of loss has its reason', () => {
  const why = (what, from, to) => reasonOf(lossOf(lost(1, what, from, to)));
  assert.deepEqual(why('cut', 'S3', 'S1'), { kind: 'cut', who: 'S1↔S3' });
  assert.deepEqual(why('cut', 'S1', 'S3'), { kind: 'cut', who: 'S1↔S3' });
  assert.deepEqual(why('receiver-down', 'S1', 'S4'), { kind: 'crashed', who: 'S4' });
  assert.deepEqual(why('sender-crashed', 'S2', 'S4'), { kind: 'crashed', who: 'S2' });
  assert.deepEqual(why('random', 'S1', 'S2'), { kind: 'random', who: '' });
  assert.deepEqual(why('drop-next', 'S1', 'S2'), { kind: 'dropped', who: '' });
  assert.deepEqual(why('by-hand', 'S1', 'S2'), { kind: 'dropped', who: '' });
  assert.deepEqual(why('unknown', 'S1', 'S2'), { kind: 'other', who: '' });
});

test('consecutive losses make one run; anything else ends it', () => {
  const g = new Grouper(300);
  const recs = [
    event(1, 'became-leader'),
    lost(2, 'cut', 'S1', 'S3'), lost(3, 'cut', 'S3', 'S1'), lost(4, 'cut', 'S1', 'S4'), lost(5, 'receiver-down', 'S1', 'S5'),
    event(6, 'timeout'),
    lost(7, 'random', 'S2', 'S1'),
  ];
  const out = recs.map(r => g.push(r));
  assert.equal(out[0].rec, recs[0]);
  assert.equal(out[1].fresh, true);
  assert.ok([2, 3, 4].every(i => out[i].run === out[1].run && out[i].fresh === false));
  const run = out[1].run;
  assert.equal(run.count, 4);
  assert.equal(run.first, 2);
  assert.equal(run.last, 5);
  assert.deepEqual(run.reasons(), [{ kind: 'cut', who: ['S1↔S3', 'S1↔S4'] }, { kind: 'crashed', who: ['S5'] }]);
  assert.equal(out[5].rec, recs[5]);
  assert.ok(out[6].fresh && out[6].run !== run && out[6].run.count === 1);
  // After a reset (the list read again) a loss starts a new run.
  g.reset();
  assert.equal(g.push(lost(8, 'random', 'S2', 'S1')).fresh, true);
});

test('a long run counts every loss and keeps only the newest', () => {
  const run = new LossRun(10);
  for (let i = 0; i < 1000; i++) run.add(lost(i, 'cut', 'S1', 'S2'));
  assert.equal(run.count, 1000);
  const kept = run.kept();
  assert.equal(kept.length, 10);
  assert.deepEqual(kept.map(r => r.time), [990, 991, 992, 993, 994, 995, 996, 997, 998, 999]);
  assert.ok(run.recs.length < 20, 'what is kept stays bounded');
  assert.deepEqual(run.reasons(), [{ kind: 'cut', who: ['S1↔S2'] }]);
});
