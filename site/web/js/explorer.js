// explorer.js: runs one search of the explorer (raft/explore) in a worker
// of its own, so that the page stays free while it runs. Nothing of the
// explorer is loaded until a learner asks for a search: on the site, the
// worker's script and explorer.wasm (data-explorer-worker, data-explorer
// on the body); in an offline bundle, a script that carries both
// (data-explorer-script), since a page opened from file:// may neither
// fetch nor start a worker from a file: there the worker is made from a
// Blob of its script, and the wasm's bytes are posted to it.

let packed = null; // offline: a promise of { url, gzip }

// unpack adds the offline bundle's explorer script to the page, once,
// and makes the worker's Blob and the wasm's bytes from it.
function unpack(src) {
  if (packed) return packed;
  packed = new Promise((resolve, reject) => {
    const el = document.createElement('script');
    el.src = src;
    el.onload = () => {
      const p = globalThis.__raftplayExplorerPacked;
      if (!p || typeof p.gzip !== 'string' || typeof p.worker !== 'string') return reject(new Error('the explorer script is damaged'));
      let gzip;
      if (typeof Uint8Array.fromBase64 === 'function') {
        gzip = Uint8Array.fromBase64(p.gzip);
      } else {
        const bin = atob(p.gzip);
        gzip = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) gzip[i] = bin.charCodeAt(i);
      }
      const url = URL.createObjectURL(new Blob([p.worker], { type: 'text/javascript' }));
      delete globalThis.__raftplayExplorerPacked;
      resolve({ url, gzip });
    };
    el.onerror = () => reject(new Error('the explorer script could not be loaded'));
    document.head.append(el);
  });
  packed.catch(() => { packed = null; });
  return packed;
}

// available reports whether this page can run the explorer.
export function available() {
  const d = document.body.dataset;
  return !!((d.explorer && d.explorerWorker) || d.explorerScript) && typeof Worker === 'function';
}

// search runs a search (request: the job's JSON, see wasm/explorer/job),
// calling onProgress with each progress report. It returns { done, stop }:
// done resolves to the job's answer, or to { stopped: true } once stop is
// called, or to { error } if the worker failed; it never rejects.
export function search(request, onProgress) {
  const d = document.body.dataset;
  let worker = null, finish = null, stopped = false;
  const done = new Promise(resolve => { finish = resolve; });
  const end = answer => {
    if (worker) worker.terminate();
    worker = null;
    finish(answer);
  };
  (async () => {
    let msg;
    if (d.explorer && d.explorerWorker) {
      worker = new Worker(d.explorerWorker);
      msg = { request, url: new URL(d.explorer, location.href).href };
    } else {
      const p = await unpack(d.explorerScript);
      if (stopped) return;
      worker = new Worker(p.url);
      msg = { request, gzip: p.gzip };
    }
    worker.onmessage = e => {
      const m = e.data || {};
      if (m.progress) onProgress(m.progress);
      else end(m.result || { error: m.error || 'no answer' });
    };
    worker.onerror = e => { e.preventDefault(); end({ error: e.message || 'the explorer stopped' }); };
    worker.postMessage(msg);
  })().catch(e => end({ error: String(e && e.message || e) }));
  return {
    done,
    stop: () => {
      stopped = true;
      end({ stopped: true });
    },
  };
}
