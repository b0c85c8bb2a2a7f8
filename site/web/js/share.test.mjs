// Unit tests of share.js's encoding, run by node's test runner (make
// jstest), on a copy named .mjs (see progress.test.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';

const dir = mkdtempSync(join(tmpdir(), 'raftplay-share-'));
writeFileSync(join(dir, 'share.mjs'), readFileSync(new URL('./share.js', import.meta.url), 'utf8'));
const { encodeRun, decodeRun } = await import(pathToFileURL(join(dir, 'share.mjs')).href);

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
