// early.js: inlined into the head of every page with a live cluster (see
// layout.html), so that it runs before anything else on the page. It
// starts downloading and compiling the simulator in a worker: compiling
// several megabytes of WebAssembly is the longest part of opening a page,
// and done on the page's own thread it holds up everything else (style,
// layout, the page's script). engine.js takes the result from
// globalThis.__raftplayEarly; when there is none, or the worker fails,
// it loads the simulator itself.
//
// This file is not a module and imports nothing: it is minified and put
// in the page as it is. The wasm address is the script element's
// data-wasm attribute.

(() => {
  // worker is the worker's whole program; it runs in the worker's scope.
  // It reports {total}, then {loaded}, then {module} (with how it was
  // compiled) or {error}.
  const worker = () => {
    onmessage = async ({ data: url }) => {
      try {
        const res = await fetch(url);
        if (!res.ok) throw new Error('HTTP ' + res.status + ' (' + url + ')');
        const enc = res.headers.get('Content-Encoding');
        // A compressed body's length says nothing about the bytes read.
        const total = enc && enc !== 'identity' ? 0 : +res.headers.get('Content-Length') || 0;
        const type = (res.headers.get('Content-Type') || '').split(';')[0].trim().toLowerCase();
        postMessage({ total });
        const counted = res.clone();
        (async () => {
          const reader = counted.body.getReader();
          // Each report is a task on the page's busy thread: at most ten
          // a second.
          let loaded = 0, told = performance.now();
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            loaded += value.byteLength;
            if (performance.now() - told > 100) {
              told = performance.now();
              postMessage({ loaded });
            }
          }
        })().catch(() => {});
        // A host that serves .wasm with another MIME type makes the
        // streaming compile refuse: the bytes are then compiled as they are.
        const streaming = type === 'application/wasm' && typeof WebAssembly.compileStreaming === 'function';
        const module = streaming
          ? await WebAssembly.compileStreaming(res)
          : await WebAssembly.compile(await res.arrayBuffer());
        postMessage({ module, how: streaming ? 'worker-streaming' : 'worker-bytes' });
      } catch (e) {
        postMessage({ error: String((e && e.message) || e) });
      }
    };
  };

  const script = document.currentScript;
  const early = { progress: null, total: 0, loaded: 0, how: '' };
  try {
    const url = new URL(script.dataset.wasm, location.href).href;
    const source = URL.createObjectURL(new Blob(['(' + worker + ')()'], { type: 'text/javascript' }));
    const w = new Worker(source);
    early.module = new Promise((resolve, reject) => {
      w.onmessage = ({ data }) => {
        URL.revokeObjectURL(source);
        if (data.module) {
          early.how = data.how;
          resolve(data.module);
          w.terminate();
        } else if (data.error) {
          reject(new Error(data.error));
          w.terminate();
        } else {
          if (data.total) early.total = data.total;
          if (data.loaded) early.loaded = data.loaded;
          if (early.progress) early.progress();
        }
      };
      w.onerror = e => {
        reject(new Error(e.message || 'the loading worker failed'));
        e.preventDefault();
      };
    });
    early.module.catch(() => {}); // engine.js handles the failure
    w.postMessage(url);
    globalThis.__raftplayEarly = early;
  } catch (e) {
    // No worker here: engine.js loads the simulator on the page's thread.
  }
})();
