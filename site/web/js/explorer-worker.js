// explorer-worker.js: the explorer's worker (after Go's wasm_exec.js, in
// one script). The page posts one message: {request, url} (the site: the
// worker fetches and compiles explorer.wasm itself) or {request, gzip}
// (the offline bundle: the wasm's bytes, gzipped, since a worker made
// from a Blob on a page opened from file:// may not fetch). The worker
// starts the Go program, runs the search, and posts {progress} as it goes
// and then {result} or {error}. A search cannot be interrupted from
// inside: to stop one, the page ends the worker.
//
// This file is not a module and imports nothing: it is minified and
// appended to wasm_exec.js as it is.

(() => {
  const compile = async msg => {
    if (msg.url) {
      const res = await fetch(msg.url);
      if (!res.ok) throw new Error('explorer.wasm: HTTP ' + res.status);
      return WebAssembly.compileStreaming(res);
    }
    const unzip = new DecompressionStream('gzip');
    const writer = unzip.writable.getWriter();
    writer.write(msg.gzip).catch(() => {});
    writer.close().catch(() => {});
    return WebAssembly.compileStreaming(new Response(unzip.readable, { headers: { 'Content-Type': 'application/wasm' } }));
  };
  self.onmessage = async e => {
    const msg = e.data || {};
    try {
      const module = await compile(msg);
      const go = new self.Go();
      const instance = await WebAssembly.instantiate(module, go.importObject);
      const ready = new Promise(resolve => { self.__raftplayExplorerReady = resolve; });
      go.run(instance);
      const api = await ready;
      const answer = api.search(String(msg.request), p => self.postMessage({ progress: JSON.parse(p) }));
      self.postMessage({ result: JSON.parse(answer) });
    } catch (err) {
      self.postMessage({ error: String(err && err.message || err) });
    }
  };
})();
