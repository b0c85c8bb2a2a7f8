// base64url.js: bytes as base64url text without padding, and back. Share
// links and solution codes are written with it.

export function encode(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// decode reads base64url text; anything else is an error.
export function decode(s) {
  if (!/^[A-Za-z0-9_-]*$/.test(s)) throw new Error('bad characters');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
  const u = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
  return u;
}
