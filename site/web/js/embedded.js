// embedded.js: the end of the offline bundle's wasm script (see
// wasmScript in bundle.go), which first sets
// globalThis.__raftplayWasmGzipBase64 to the simulator, gzipped and in
// base64: pages opened from file:// may not fetch it. This part starts
// decoding, unzipping and compiling it at once, while the page's own
// script builds the widgets; engine.js takes the module from
// globalThis.__raftplayEmbedded.
//
// This file is not a module and imports nothing: it is minified and
// appended to the data as it is.

(() => {
  const packed = globalThis.__raftplayWasmGzipBase64;
  if (typeof packed !== 'string') return;
  const module = (async () => {
    let gz;
    if (typeof Uint8Array.fromBase64 === 'function') {
      gz = Uint8Array.fromBase64(packed);
    } else {
      const bin = atob(packed);
      gz = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) gz[i] = bin.charCodeAt(i);
    }
    // One write of the whole input: fed in small pieces, each piece waits
    // for a turn of the page's busy thread. The compile reads the unzipped
    // bytes as they come (measured: the first widget is usable ~0.2 s
    // sooner than unzipping everything first).
    const unzip = new DecompressionStream('gzip');
    const writer = unzip.writable.getWriter();
    writer.write(gz).catch(() => {});
    writer.close().catch(() => {});
    return WebAssembly.compileStreaming(new Response(unzip.readable, { headers: { 'Content-Type': 'application/wasm' } }));
  })();
  module.catch(() => {}); // engine.js reports the failure
  globalThis.__raftplayEmbedded = module;
})();
