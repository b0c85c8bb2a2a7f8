// Unit tests of share.js's encoding, run by node's test runner (make
// jstest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './testload.mjs';
import { deflateRawSync } from 'node:zlib';

const { encodeRun, decodeRun } = await load('share.js');

const b64url = buf => Buffer.from(buf).toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

test('a run survives the trip through a link', async () => {
  const text = 'cluster 3\ntimeout S1\nrun 1s\nsay "S1 成为了领导者。"\n';
  assert.equal(await decodeRun(await encodeRun(text)), text);
});

test('a link that inflates past the limit is refused without inflating all of it', async () => {
  const bomb = b64url(deflateRawSync(Buffer.alloc(64 << 20, 0x61))); // 64 MB of "a"
  assert.ok(bomb.length < 400000, 'the bomb fits in a link');
  const before = process.memoryUsage().arrayBuffers;
  await assert.rejects(decodeRun(bomb), /too long/);
  assert.ok(process.memoryUsage().arrayBuffers - before < 16 << 20, 'it was not inflated in full');
});

test('bad links are errors, not crashes', async () => {
  for (const bad of ['', '%%%', 'AAAA', 'x'.repeat(400001)]) {
    await assert.rejects(decodeRun(bad));
  }
});
