// narrate.js: puts the simulator's narration into words. The simulator
// says what happened as a line: the key of a sentence and its arguments
// (sim.Line, written by the bridge). The words are data: one table per
// language in raft/sim/narration, which the command line's narration
// reads too, so both languages say the same thing from the same facts.

import en from '../../../raft/sim/narration/en.json';
import zh from '../../../raft/sim/narration/zh.json';

export const tables = { en, zh };

// render writes a line in a table's language. Arguments are numbers,
// strings (a server's name, a quoted command), {gloss: key} for a term of
// the glossary, a line of their own, or a list of lines (joined with the
// table's list-sep, or {sep: key, list: [...]} with the separator it names).
export function render(table, line) {
  const tmpl = table[line.key];
  if (typeof tmpl !== 'string') return line.key;
  const args = line.args || {};
  return tmpl.replace(/\{(\w+)\}/g, (whole, name) => Object.hasOwn(args, name) ? arg(table, args[name]) : whole);
}

function arg(table, v) {
  if (typeof v === 'number' || typeof v === 'string') return String(v);
  if (Array.isArray(v)) return list(table, v, 'list-sep');
  if (v && Array.isArray(v.list)) return list(table, v.list, v.sep);
  if (v && typeof v.gloss === 'string') return gloss(table, v.gloss);
  if (v && typeof v.key === 'string') return render(table, v);
  return '';
}

// list joins lines with the table's separator under sep.
const list = (table, lines, sep) => lines.map(l => render(table, l)).join(typeof table[sep] === 'string' ? table[sep] : '');

const gloss = (table, key) => typeof table[key] === 'string' ? table[key] : key;

// say writes a line in a language (English if there is no table for it).
export const say = (line, lang) => render(tables[lang] || en, line);

// term names a glossary entry (a rule, a safety property) in a language;
// on a page not in English the paper's English name follows, so that the
// reader can find it there.
export function term(key, lang) {
  const own = gloss(tables[lang] || en, key);
  return lang === 'en' || !tables[lang] ? own : own + ' ' + gloss(en, key);
}
