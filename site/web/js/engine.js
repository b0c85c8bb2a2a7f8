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

function fromBase64(b64) {
  const bin = atob(b64);
  const u = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
  return u;
}

async function fetchModule(url, importObject, progress) {
  const res = await fetch(url);
  if (!res.ok) throw new Error('HTTP ' + res.status + ' (' + url + ')');
  const enc = res.headers.get('Content-Encoding');
  // A compressed body's length says nothing about the bytes we read.
  const total = enc && enc !== 'identity' ? 0 : +res.headers.get('Content-Length') || 0;
  const type = (res.headers.get('Content-Type') || '').split(';')[0].trim().toLowerCase();
  let loaded = 0;
  progress(total ? 0 : null);
  let body = res;
  if (res.body && typeof TransformStream === 'function') {
    const counted = res.body.pipeThrough(new TransformStream({
      transform(chunk, ctl) {
        loaded += chunk.byteLength;
        if (total) progress(Math.min(1, loaded / total));
        ctl.enqueue(chunk);
      },
    }));
    body = new Response(counted, { headers: { 'Content-Type': 'application/wasm' } });
  }
  if (type === 'application/wasm' && WebAssembly.instantiateStreaming) {
    return (await WebAssembly.instantiateStreaming(body, importObject)).instance;
  }
  return (await WebAssembly.instantiate(await body.arrayBuffer(), importObject)).instance;
}

// load starts the simulator; progress(fraction | null) reports the
// download (null: size unknown). It resolves to the API object.
export async function load(wasmUrl, progress) {
  if (typeof globalThis.Go !== 'function') throw new Error('wasm_exec.js is missing');
  const go = new globalThis.Go();
  let instance;
  const packed = globalThis.__raftplayWasmGzipBase64;
  if (typeof packed === 'string') {
    progress(null);
    const stream = new Blob([fromBase64(packed)]).stream().pipeThrough(new DecompressionStream('gzip'));
    const bytes = await new Response(stream).arrayBuffer();
    instance = (await WebAssembly.instantiate(bytes, go.importObject)).instance;
  } else {
    instance = await fetchModule(wasmUrl, go.importObject, progress);
  }
  progress(1);
  const ready = new Promise(resolve => { globalThis.__raftplayReady = resolve; });
  const exited = go.run(instance).then(() => die('the Go program exited'), e => die(String(e)));
  const got = await Promise.race([ready, exited.then(() => null)]);
  if (!got || dead) throw new Error(dead || 'the simulator did not start');
  api = got;
  return api;
}
