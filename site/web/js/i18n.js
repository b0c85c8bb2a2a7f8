// i18n.js: the interface's words. They are data, one table per language
// in site/web/text (which the server-rendered pages read too, under
// page.*); the names of rules and safety properties are the narration's
// glossary (narrate.js). The page's <html lang> picks the language;
// t(key, ...args) fills {0}, {1}... with the arguments.

import en from '../text/en.json';
import zh from '../text/zh.json';

export const lang = /^zh/i.test(document.documentElement.lang || '') ? 'zh' : 'en';
const dict = lang === 'zh' ? zh : en;

export function t(key, ...args) {
  const s = dict[key] || en[key] || key;
  return args.length ? s.replace(/\{(\d)\}/g, (_, i) => args[i]) : s;
}

// touch is whether the page is used with a finger rather than a mouse.
const touch = typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;

// tp is t for a phrase that names the pointer's action: on a touch
// screen it takes the key's touch form, key + 'Touch', where the language
// has one ("Tap" rather than "Click").
export function tp(key, ...args) {
  return t(touch && dict[key + 'Touch'] ? key + 'Touch' : key, ...args);
}

// tn is t for a phrase about a count n: it takes the key's singular
// form, key + '1', when n is 1 and the language has one.
export function tn(key, n, ...args) {
  return t(n === 1 && dict[key + '1'] ? key + '1' : key, ...args);
}
