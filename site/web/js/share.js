// share.js: runs as links. A run's scenario text is compressed
// (deflate-raw) and written base64url in the page's fragment, #run=...;
// a second widget of a lesson adds &w=N. Decoding never touches the page:
// the text goes to the simulator, which parses it like any scenario.

import { encode as b64url, decode as unb64url } from './base64url.js';

async function pump(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function encodeRun(text) {
  return b64url(await pump(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

// MAX_RUN is the most scenario text a link may hold (the bridge's limit).
const MAX_RUN = 256 << 10;

// inflateLimited decompresses bytes, stopping as soon as the output would
// pass limit: a small link that inflates to gigabytes is refused after
// limit bytes, not after all of them.
async function inflateLimited(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.length;
    if (n > limit) {
      reader.cancel().catch(() => {});
      throw new Error('too long');
    }
    parts.push(value);
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export async function decodeRun(s) {
  if (!s || s.length > 400000) throw new Error('empty or too long');
  const bytes = await inflateLimited(unb64url(s), MAX_RUN);
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

// readFragment returns {run, w} from a #run=...[&w=N] fragment, or null.
export function readFragment() {
  const f = location.hash.slice(1);
  if (!/(^|&)run=/.test(f)) return null;
  const p = {};
  for (const part of f.split('&')) {
    const i = part.indexOf('=');
    if (i > 0) p[part.slice(0, i)] = part.slice(i + 1);
  }
  return { run: p.run || '', w: Math.max(1, parseInt(p.w, 10) || 1) };
}

export function linkFor(code, index) {
  const url = new URL(location.href);
  url.hash = 'run=' + code + (index > 1 ? '&w=' + index : '');
  return url.href;
}

// copyText copies to the clipboard, with a fallback for pages where the
// async clipboard is unavailable (insecure contexts).
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (e) { /* fall back */ }
  const ta = document.createElement('textarea');
  ta.value = text;
  ta.setAttribute('readonly', '');
  ta.style.cssText = 'position:fixed;left:-9999px;top:0';
  document.body.append(ta);
  ta.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  ta.remove();
  return ok;
}
