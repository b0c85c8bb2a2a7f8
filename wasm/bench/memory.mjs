// memory.mjs measures the page's simulator over a long run, through the
// bridge as the page calls it: a 9-server playground left running for 24
// hours of virtual time, advanced one virtual second a call (the page
// advances a frame's worth at a time; a second is 60 frames at normal
// speed, and the calls stop short when their event budget runs out), with
// the events and a snapshot polled after each, as the page polls them. It
// prints the WebAssembly memory (memory.buffer.byteLength, what the tab
// holds) every 6 hours, then times 100 seeks to random moments of what
// the run keeps.
//
//   node wasm/bench/memory.mjs GOROOT dist/raftplay.wasm [hours]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [goroot, wasmPath, hoursArg] = process.argv.slice(2);
if (!goroot || !wasmPath) {
  console.error('usage: node wasm/bench/memory.mjs GOROOT path/to/raftplay.wasm [hours]');
  process.exit(2);
}
const hours = Number(hoursArg || 24);
createRequire(import.meta.url)(join(goroot, 'lib', 'wasm', 'wasm_exec.js')); // defines globalThis.Go
const go = new globalThis.Go();
const { instance } = await WebAssembly.instantiate(readFileSync(wasmPath), go.importObject);
go.run(instance); // main sets globalThis.raftplay and waits
const rp = globalThis.raftplay;
const mb = () => (instance.exports.mem.buffer.byteLength / 1e6).toFixed(1);

const created = rp.create('cluster 9\n', 'memory');
if (created.error) throw new Error(created.error);
const id = created.id;
let cursor = 0;
const poll = () => {
  const ev = rp.events(id, cursor);
  if (ev.error) throw new Error(ev.error);
  cursor = ev.cursor;
  const sn = rp.snapshot(id, 1, 200);
  if (sn.error) throw new Error(sn.error);
};
const started = performance.now();
let t = 0;
console.log(`start: ${mb()} MB of wasm memory`);
for (let h = 1; h <= hours; h++) {
  const end = h * 3_600_000;
  while (t < end) {
    const r = rp.advance(id, Math.min(1000, end - t));
    if (r.error) throw new Error(r.error);
    t = r.time;
    poll();
  }
  if (h % 6 === 0 || h === hours) {
    console.log(`${h} h: ${mb()} MB of wasm memory (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}
const earliest = rp.events(id, 0).earliest || 0;
const times = [];
let seed = 7;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
for (let i = 0; i < 100; i++) {
  const to = Math.floor(earliest + rand() * (t - earliest));
  const s = performance.now();
  let r = rp.seek(id, to);
  while (!r.error && r.more) r = rp.seek(id, to);
  if (r.error) throw new Error(r.error);
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
console.log(`seeks: median ${times[50].toFixed(1)} ms, slowest ${times[99].toFixed(1)} ms (100 random, from ${earliest} ms on); wasm memory ${mb()} MB`);
process.exit(0);
