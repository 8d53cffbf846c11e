// SPDX-License-Identifier: Apache-2.0
// Assembles the widget for serving: web/widget + the wasm module + vendored
// oauth4webapi → web/dist/widget, with Subresource Integrity on every script
// and stylesheet (an import map carries the hashes of the module graph, and
// js/core-integrity.js those of the core Worker's scripts and .wasm).
//
//   node web/build.mjs [--wasm build-wasm] [--out web/dist]
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const wasmDir = path.resolve(root, arg('--wasm', process.env.CHARTLOCK_WASM_BUILD ?? 'build-wasm'));
const out = path.resolve(root, arg('--out', 'web/dist'));
const widget = path.join(out, 'widget');

const sri = (file) => `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const p = path.join(dir, f);
  return statSync(p).isDirectory() ? walk(p) : [p];
});

rmSync(out, { recursive: true, force: true });
mkdirSync(widget, { recursive: true });
// Type declarations are for the checker (tsc), not for browsers.
cpSync(path.join(here, 'widget'), widget, { recursive: true, filter: (src) => !src.endsWith('.d.ts') });
cpSync(path.join(here, 'embed'), path.join(widget, 'embed'), { recursive: true });
mkdirSync(path.join(widget, 'wasm'));
for (const f of ['chartlock-core.js', 'chartlock-core.wasm']) {
  cpSync(path.join(wasmDir, f), path.join(widget, 'wasm', f));
}
// The hashes of what the core Worker runs, in a module that the import map
// pins in its turn (web/widget/js/core.js says why).
const coreIntegrity = { worker: 'js/core-worker.js', glue: 'wasm/chartlock-core.js', wasm: 'wasm/chartlock-core.wasm' };
writeFileSync(path.join(widget, 'js/core-integrity.js'), '// Written by web/build.mjs: the hashes of what the core Worker runs.\n' +
  `export default ${JSON.stringify(Object.fromEntries(Object.entries(coreIntegrity).map(([k, f]) => [k, sri(path.join(widget, f))])), null, 2)};\n`);
mkdirSync(path.join(widget, 'vendor'));
cpSync(path.join(root, 'node_modules/oauth4webapi/build/index.js'), path.join(widget, 'vendor/oauth4webapi.js'));

// Every ES module of the page, by URL relative to the page, with its hash.
// js/boot.js (the entry) is pinned by its <script integrity>; js/integrity-probe.js
// by a hash it does not have, so that boot.js can tell a browser that checks
// import-map integrity from one that does not.
const PROBE = 'js/integrity-probe.js';
const modules = walk(widget)
  .filter((f) => f.endsWith('.js') && !f.includes(`${path.sep}wasm${path.sep}`) && !f.endsWith('core-worker.js')
    && !f.endsWith('callback.js') && !f.includes(`${path.sep}embed${path.sep}`))
  .map((f) => path.relative(widget, f).split(path.sep).join('/'))
  .filter((m) => m !== PROBE);
const wrongHash = `sha384-${createHash('sha384').update('not the probe').digest('base64')}`;
// The vault's Argon2id cost (KDF_DEFAULT, KDF_FLOOR) lives in js/vault.js, so
// it is pinned here with it; config.json, served by the deployment without
// SRI, may only raise it (vault.js, kdfFor).
if (!modules.includes('js/vault.js')) throw new Error('js/vault.js must be pinned by the import map: it holds the vault\'s KDF cost');
const importMap = JSON.stringify({ integrity: {
  ...Object.fromEntries(modules.map((m) => [`./${m}`, sri(path.join(widget, m))])), [`./${PROBE}`]: wrongHash } });
const importMapHash = `sha256-${createHash('sha256').update(importMap).digest('base64')}`;

// The modules a page's entry imports statically, itself included, in the
// order they are found (relative to the widget folder).
function staticGraph(entry) {
  const found = new Set();
  const visit = (rel) => {
    if (found.has(rel)) return;
    found.add(rel);
    const text = readFileSync(path.join(widget, rel), 'utf8');
    for (const [, spec] of text.matchAll(/^\s*(?:import|export)\s+(?:[\w$*{},\s]+?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      visit(path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)));
    }
  };
  visit(entry);
  return [...found];
}

// The widget (index.html) and the SMART Health Link viewer (viewer.html)
// start from js/boot.js under the same import map. Each page also names its
// entry's whole static module graph as modulepreload links, each with the
// same hash as in the import map: otherwise the browser finds the graph one
// level of imports at a time, after boot.js's integrity probe (about 200 ms
// of the widget's start on localhost, docs/performance.md).
const entries = { 'index.html': 'js/app.js', 'viewer.html': 'js/viewer.js' };
for (const [page, entry] of Object.entries(entries)) {
  const file = path.join(widget, page);
  let html = readFileSync(file, 'utf8');
  const graph = staticGraph(entry);
  const coreModules = graph.includes('js/core.js') ? staticGraph('js/core.js') : [];
  // Over HTTP/1.1's six connections per origin the browser asks in order of
  // priority, then of the document, and the .wasm listed after the ~30
  // modules waited for all of them (docs/performance.md, "Widget start,
  // second round"). So after the stylesheet (the first paint waits for it):
  // the core's files, the .wasm at high priority. No `integrity` on them
  // (Chromium ignores it on a fetch preload and warns): core.js's fetch,
  // which takes over the preloaded response, checks the hash, and a changed
  // file stops the core.
  const corePreloads = coreModules.length
    ? [coreIntegrity.wasm, coreIntegrity.glue, coreIntegrity.worker].map((f) => `\n<link rel="preload" as="fetch" crossorigin href="${f}"`
      + `${f === coreIntegrity.wasm ? ' fetchpriority="high"' : ''}>`).join('')
    : '';
  html = html.replace('<link rel="stylesheet" href="styles.css">',
    `<link rel="stylesheet" href="styles.css" integrity="${sri(path.join(widget, 'styles.css'))}">${corePreloads}`);
  // Then the modules boot.js starts the core from (js/core.js and its
  // hashes), and the rest at low priority: boot.js's integrity probe, which
  // the core's start waits for, is asked for once boot.js runs, and at the
  // same priority it would queue behind all of them.
  const preloads = [...coreModules, ...graph.filter((m) => !coreModules.includes(m))].map((m) => {
    if (!modules.includes(m)) throw new Error(`${page}: ${m} is imported but not pinned by the import map`);
    const low = coreModules.length && !coreModules.includes(m) ? ' fetchpriority="low"' : '';
    return `<link rel="modulepreload" href="${m}" integrity="${sri(path.join(widget, m))}"${low}>`;
  });
  html = html.replace('<script type="module" src="js/boot.js"></script>',
    `<script type="importmap">${importMap}</script>\n<script type="module" src="js/boot.js" integrity="${sri(path.join(widget, 'js/boot.js'))}"></script>\n`
    + preloads.join('\n'));
  writeFileSync(file, html);
}

// The portal's redirect lands on callback.html: its one script gets SRI too.
const callbackFile = path.join(widget, 'callback.html');
writeFileSync(callbackFile, readFileSync(callbackFile, 'utf8').replace('<script src="js/callback.js"></script>',
  `<script src="js/callback.js" integrity="${sri(path.join(widget, 'js/callback.js'))}"></script>`));

// What the server needs to send a matching Content-Security-Policy, and what
// a tool page needs to load the embed script with SRI.
writeFileSync(path.join(widget, 'build.json'), JSON.stringify({
  importMapHash,
  embedIntegrity: sri(path.join(widget, 'embed/chartlock.js')),
}, null, 2));
console.log(`widget built in ${path.relative(root, widget)} (${modules.length} modules)`);
