// engine.js: loads the WebAssembly simulator (fetched with a progress
// report, or decoded from the offline bundle's embedded gzip), starts the
// Go program, and notices if it ever stops. call() is the only way the
// rest of the page talks to globalThis.raftplay.

let api = null;
let dead = '';
const hooks = [];

// onDeath registers f(reason), called once if the simulator stops.
export function onDeath(f) {
  hooks.push(f);
  if (dead) f(dead);
}

export const isDead = () => !!dead;

function die(why) {
  if (dead) return;
  dead = why || 'stopped';
  api = null;
  for (const f of hooks) {
    try { f(dead); } catch (e) { console.error(e); }
  }
}

// call runs one API function; it never throws. A throw from the Go side
// means the program has exited: every widget is told.
export function call(name, ...args) {
  if (!api) return { error: dead ? 'the simulator stopped' : 'the simulator is not loaded' };
  try {
    const r = api[name](...args);
    return r && typeof r === 'object' ? r : { error: 'no answer from ' + name };
  } catch (e) {
    die(String(e && e.message || e));
    return { error: String(e) };
  }
}

// readAll reads a response's body, reporting progress, and resolves to
// its chunks (which only a refused streaming compile needs).
async function readAll(res, progress) {
  const enc = res.headers.get('Content-Encoding');
  // A compressed body's length says nothing about the bytes we read.
  const total = enc && enc !== 'identity' ? 0 : +res.headers.get('Content-Length') || 0;
  progress(total ? 0 : null);
  if (!res.body) return [await res.arrayBuffer()];
  const reader = res.body.getReader();
  const chunks = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    if (total) progress(Math.min(1, loaded / total));
  }
  return chunks;
}

// begin starts the download and, beside it, a streaming compile of a copy
// of the body, as early.js does in the page's head.
function begin(url) {
  const response = fetch(url);
  const module = WebAssembly.compileStreaming
    ? WebAssembly.compileStreaming(response.then(r => r.clone()))
    : Promise.reject(new Error('no streaming compile'));
  response.catch(() => {});
  module.catch(() => {});
  return { response, module };
}

// compile waits for a download begun by begin (or early.js), reports its
// progress, and resolves to the module and how it was compiled.
async function compile(started, progress) {
  const res = await started.response;
  if (!res.ok) throw new Error('HTTP ' + res.status + ' (' + res.url + ')');
  const chunks = readAll(res, progress);
  chunks.catch(() => {});
  try {
    return { module: await started.module, how: 'streaming' };
  } catch (e) {
    // A host that serves .wasm with another MIME type makes the streaming
    // compile refuse: the bytes are then compiled as they are.
    const bytes = await new Blob(await chunks).arrayBuffer();
    return { module: await WebAssembly.compile(bytes), how: 'bytes' };
  }
}

// mark notes a moment of the page's start on the performance timeline
// (raftplay:script, :compiled, :ready, :interactive (the first widget is
// mounted), :mounted (all are)); the start-up benchmarks report them.
export function mark(name) {
  try { performance.mark('raftplay:' + name); } catch (e) { /* no timeline */ }
}

// how says how the simulator was loaded: early-streaming or early-bytes
// (begun by early.js), page-streaming or page-bytes (begun here), or
// embedded (the offline bundle). Tests read it.
export let how = '';

// load starts the simulator; progress(fraction | null) reports the
// download (null: size unknown). It resolves to the API object.
export async function load(wasmUrl, progress) {
  if (typeof globalThis.Go !== 'function') throw new Error('wasm_exec.js is missing');
  const go = new globalThis.Go();
  let module;
  const embedded = globalThis.__raftplayEmbedded;
  if (embedded) {
    // The offline bundle: embedded.js is already unpacking and compiling.
    progress(null);
    module = await embedded;
    how = 'embedded';
  } else {
    const early = globalThis.__raftplayEarly;
    const mine = !(early && early.response && early.module && early.url === new URL(wasmUrl, location.href).href);
    const got = await compile(mine ? begin(wasmUrl) : early, progress);
    module = got.module;
    how = (mine ? 'page-' : 'early-') + got.how;
  }
  mark('compiled');
  const instance = await WebAssembly.instantiate(module, go.importObject);
  progress(1);
  const ready = new Promise(resolve => { globalThis.__raftplayReady = resolve; });
  const exited = go.run(instance).then(() => die('the Go program exited'), e => die(String(e)));
  const got = await Promise.race([ready, exited.then(() => null)]);
  if (!got || dead) throw new Error(dead || 'the simulator did not start');
  api = got;
  return api;
}
