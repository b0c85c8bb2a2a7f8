// early.js: inlined at the top of the head of every page with a live
// cluster (see layout.html), so that it runs before the page's stylesheet
// and script are even requested. It starts downloading the simulator and
// compiling it as the bytes arrive: compiling several megabytes of
// WebAssembly is the longest part of opening a page, and this way it
// overlaps the page's own loading, styling and layout. engine.js takes the
// result from globalThis.__raftplayEarly; when there is none, it loads the
// simulator itself in the same way (see begin there).
//
// Measured on the start-up benchmark, this did better than compiling in
// a worker, whose own start-up took longer than the compile it saved.
//
// This file is not a module and imports nothing: it is minified and put
// in the page as it is. The wasm address is the script element's
// data-wasm attribute.

(() => {
  try {
    const url = new URL(document.currentScript.dataset.wasm, location.href).href;
    const response = fetch(url);
    // The compile reads a copy of the body; engine.js reads the other one,
    // for the progress bar, and compiles those bytes if the host's MIME
    // type makes the streaming compile refuse.
    const module = WebAssembly.compileStreaming(response.then(r => r.clone()));
    response.catch(() => {}); // engine.js handles failures
    module.catch(() => {});
    globalThis.__raftplayEarly = { url, response, module };
  } catch (e) {
    // Nothing started: engine.js loads the simulator when its turn comes.
  }
})();
