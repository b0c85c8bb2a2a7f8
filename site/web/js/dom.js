// dom.js: tiny helpers to make HTML and SVG elements. Text is only ever
// set with textContent, never parsed as HTML. A style is set through the
// CSSOM (el.style.cssText), which the pages' Content-Security-Policy
// allows, never as a style attribute, which it refuses.

const SVGNS = 'http://www.w3.org/2000/svg';

function fill(el, attrs, kids) {
  if (attrs) {
    for (const k in attrs) {
      const v = attrs[k];
      if (v == null || v === false) continue;
      if (k === 'text') el.textContent = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'style') el.style.cssText = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
  }
  for (const c of kids) {
    if (c == null || c === false) continue;
    el.append(typeof c === 'object' ? c : String(c));
  }
  return el;
}

// h('button', {class: 'x', onclick: f}, 'text', child...)
export const h = (tag, attrs, ...kids) => fill(document.createElement(tag), attrs, kids);

// s('circle', {r: 4})
export const s = (tag, attrs, ...kids) => fill(document.createElementNS(SVGNS, tag), attrs, kids);

// set changes an attribute only when its value changes (less DOM churn).
export function set(el, name, value) {
  const key = '_' + name;
  if (el[key] === value) return;
  el[key] = value;
  if (name === 'style') el.style.cssText = value == null ? '' : value;
  else if (value == null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

// txt changes an element's text only when it changes. An element that
// holds one text node keeps it and has its data changed: replacing the
// node (textContent) would take it out of the layout tree and put a new
// one in, every frame for a clock.
export function txt(el, value) {
  if (el._t === value) return;
  el._t = value;
  const n = el.firstChild;
  if (n && n === el.lastChild && n.nodeType === 3 && value !== '') n.data = value;
  else el.textContent = value;
}

// show hides or shows an element with the hidden attribute.
export function show(el, on) {
  if (el.hidden === !!on) el.hidden = !on;
}

// button with a data-action, an icon and a label.
export function button(action, label, attrs, icon) {
  const b = h('button', Object.assign({ type: 'button', class: 'rw-btn', 'data-action': action, 'aria-label': label || null }, attrs));
  if (icon) b.append(iconSvg(icon));
  if (label) b.append(h('span', { class: 'rw-btn-label' }, label));
  return b;
}

// Small line icons, drawn in a 16x16 box with currentColor.
const ICONS = {
  play: 'M5 3.5v9l7.5-4.5z',
  pause: 'M4.5 3.5h2.5v9H4.5zM9 3.5h2.5v9H9z',
  step: 'M3.5 3.5v9l6-4.5zM11 3.5h2v9h-2z',
  restart: 'M3.5 8a4.5 4.5 0 1 0 1.4-3.3M3.5 2.5v3h3',
  share: 'M11.5 5.5a2 2 0 1 0 0-.01M4.5 10a2 2 0 1 0 0-.01M11.5 14a2 2 0 1 0 0-.01M6.3 9l3.5 -2.3M6.3 11l3.5 2.3',
  copy: 'M5.5 5.5h7v8h-7zM3.5 10.5v-8h7',
  help: 'M6 6a2 2 0 1 1 2.8 1.8c-.6.3-.8.7-.8 1.3v.4M8 11.8v.4',
  cut: 'M3 3l10 10M13 3L3 13',
  heal: 'M1.5 8a2 2 0 1 0 4 0a2 2 0 1 0-4 0M10.5 8a2 2 0 1 0 4 0a2 2 0 1 0-4 0M5.5 8h5',
  split: 'M1.5 8a2 2 0 1 0 4 0a2 2 0 1 0-4 0M10.5 8a2 2 0 1 0 4 0a2 2 0 1 0-4 0M8 1.5v2.5M8 6.75v2.5M8 12v2.5',
  check: 'M3 8.5l3 3 7-7',
  follow: 'M3 8h9M9 4.5l3.5 3.5L9 11.5M13.5 3v10',
  run: 'M5 3.5v9l7.5-4.5z',
  bulb: 'M6 12.5h4M6.5 14.5h3M8 1.5a4.5 4.5 0 0 0-2.5 8.2c.4.3.5.8.5 1.3h4c0-.5.1-1 .5-1.3A4.5 4.5 0 0 0 8 1.5z',
  flag: 'M4 14.5v-12M4 2.5h8l-2 3 2 3H4',
  download: 'M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10',
  upload: 'M8 10.5v-8M4.5 6 8 2.5 11.5 6M3 13.5h10',
};

const FILLED = { play: 1, pause: 1, step: 1, run: 1 };

export function iconSvg(name) {
  return s('svg', { class: 'rw-icon' + (FILLED[name] ? ' rw-fill' : ''), viewBox: '0 0 16 16', 'aria-hidden': 'true', focusable: 'false' },
    s('path', { d: ICONS[name] || '' }));
}

// clamp a number.
export const clamp = (x, lo, hi) => (x < lo ? lo : x > hi ? hi : x);

// fmtTime writes virtual ms as "1.234 s" or "85 ms".
export function fmtTime(ms) {
  ms = Math.max(0, Math.floor(ms));
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(3) + ' s';
}

export const sname = id => 'S' + id;
