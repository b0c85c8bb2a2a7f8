// testload.mjs lets node's test runner import the page's modules. They
// are ES modules named .js, which the node of Debian's package loads as
// CommonJS; so load copies every module of this folder into a temporary
// one, named .mjs, with their imports of each other renamed to match, and
// imports the copy of the one asked for. A module's import of a JSON file
// (which esbuild bundles, and that node would want an import attribute
// for) becomes the file's contents. Only modules that do not touch the
// page when imported can be loaded this way.
import { readFileSync, writeFileSync, readdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
let dir = '';

export async function load(name) {
  if (!dir) {
    dir = mkdtempSync(join(tmpdir(), 'raftplay-js-'));
    for (const f of readdirSync(here)) {
      if (!f.endsWith('.js')) continue;
      const src = readFileSync(join(here, f), 'utf8')
        .replace(/(from\s+'\.\/[\w-]+)\.js'/g, "$1.mjs'")
        .replace(/^import (\w+) from '([^']+\.json)';$/gm,
          (_, name, path) => `const ${name} = ${readFileSync(join(here, path), 'utf8')};`);
      writeFileSync(join(dir, f.replace(/\.js$/, '.mjs')), src);
    }
  }
  return import(pathToFileURL(join(dir, name.replace(/\.js$/, '.mjs'))).href);
}
