// SPDX-License-Identifier: Apache-2.0
// Writes the static demo: a folder any static host serves as it is, at an
// origin's root or under a path, that runs the demo with no server (issue 14).
//
//   node demo/static/build.mjs [--out dist] [--wasm build-wasm] [--chartlock build/chartlock]
//     [--widget-url URL --tool-url URL --relay-url URL]
//   (npm run build:static -- --out DIR; scripts/demo --static DIR)
//
// By default the folder serves everything from one origin, which suits a
// demo only (its pages say so). With --widget-url, --tool-url and
// --relay-url the same folder is published on two sites (README, "Two
// sites"): the widget's (its start page starts the demo there) and the
// tool's (its tool page embeds the widget from the widget's site), sharing
// a relay server, as a Service Worker answers its own site's pages only.
//
// It holds the built widget (web/build.mjs, with SRI), the demo tool's page,
// an index.html that starts the demo, a web app manifest, the Service Worker
// (service-worker.js: the demo portals and identity verifier, the same code
// as the Node demo's, the native relay's protocol layer in wasm, and the
// offline cache) with the modules it imports, and the patients the generator
// made at build time (_demo/data).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { generateToolKeys } from '../../tool/index.mjs';
import { NETWORK_PROVIDERS, networkDemographics, networkOf, patientOf } from '../record-network.mjs';
import { CLIENT_ID, DEMO_PASSWORD, DEMO_USER, FAMILY_PROVIDER, PROVIDERS, WIDGET_SCOPE } from '../stack.mjs';
import { thirdPartyNotices } from './notices.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const out = path.resolve(arg('--out', 'dist'));
const wasm = path.resolve(root, arg('--wasm', process.env.CHARTLOCK_WASM_BUILD ?? 'build-wasm'));
const chartlock = path.resolve(root, arg('--chartlock', path.join(process.env.CHARTLOCK_BUILD ?? 'build', 'chartlock')));
// The records are about "today" (the build's day), as the Node demo's are.
const today = new Date().toISOString().slice(0, 10);
// The size this folder must stay within (README, "The static demo").
export const BUDGET = { total: 12 * 1024 * 1024, gzip: 3 * 1024 * 1024 };
// The directory's portal addresses are written with this origin and path;
// the Service Worker replaces it with its scope.
const PLACEHOLDER = 'https://chartlock-static.invalid/';
const SEED = 2026;

// The folder's URL on the widget's and on the tool's site, and the relay both use; null: one origin.
function twoSites() {
  const given = { widget: arg('--widget-url'), tool: arg('--tool-url'), relay: arg('--relay-url') };
  if (!given.widget && !given.tool && !given.relay) return null;
  const missing = Object.entries(given).filter(([, v]) => !v).map(([k]) => `--${k}-url`);
  if (missing.length) {
    throw new Error(`two sites need --widget-url, --tool-url and --relay-url (missing ${missing.join(', ')}): `
      + "a Service Worker's relay answers its own site's pages only");
  }
  const url = (/** @type {string} */ v, /** @type {string} */ name) => {
    let u;
    try { u = new URL(v); } catch { throw new Error(`${name} ${v} is not a URL`); }
    if (!/^https?:$/.test(u.protocol)) throw new Error(`${name} ${v} is not an http(s) URL`);
    return u;
  };
  const widget = url(given.widget, '--widget-url');
  const tool = url(given.tool, '--tool-url');
  const relay = url(given.relay, '--relay-url');
  if (widget.origin === tool.origin) throw new Error('--widget-url and --tool-url must be two origins: the widget keeps its own');
  const folder = (/** @type {URL} */ u) => u.href.replace(/\/?$/, '/');
  return { widget: folder(widget), tool: folder(tool), relay: relay.href.replace(/\/$/, '') };
}
let sites;
try {
  sites = twoSites();
} catch (e) {
  console.error(e.message);
  process.exit(2);
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')}: ${r.stderr || r.error}`);
}
const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const p = path.join(dir, f);
  return statSync(p).isDirectory() ? walk(p) : [p];
});
const copy = (from, to) => {
  mkdirSync(path.dirname(path.join(out, to)), { recursive: true });
  cpSync(path.join(root, from), path.join(out, to), { recursive: true });
};

// The folder is emptied first: refuse one that holds anything but an earlier static demo.
if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(path.join(out, 'service-worker.js'))) {
  console.error(`${out} is not empty and holds no earlier static demo: choose another --out`);
  process.exit(2);
}
// The widget, with its SRI (web/build.mjs empties its --out first).
run(process.execPath, [path.join(root, 'web/build.mjs'), '--wasm', wasm, '--out', out]);
const widgetBuild = JSON.parse(readFileSync(path.join(out, 'widget/build.json'), 'utf8'));

// The server modules the Service Worker imports, at the same relative paths as in the repository.
for (const f of ['demo/web-crypto.mjs', 'demo/request-body.mjs', 'demo/widget-headers.mjs', 'demo/tool-site/manifest.mjs',
  'demo/tool-site/received.mjs', 'demo/tool-site/render.js',
  ...['portal', 'fhir-store', 'notes', 'ccda', 'oauth', 'pages', 'patient-match', 'scope-words'].map((m) => `demo/smart-provider/${m}.mjs`),
  ...['verifier', 'demo-documents', 'id-token', 'pages'].map((m) => `demo/identity-verifier/${m}.mjs`)]) {
  copy(f, f);
}
for (const f of ['index.js', 'start.js', 'static.css', 'manifest.webmanifest', 'icon.svg', 'tool/tool.js']) {
  copy(`demo/static/${f}`, f);
}
copy('demo/tool-site/style.css', 'tool/style.css');
// The "for demos only" banners say that the folder serves everything from one origin: not so on two sites.
const withoutBanner = (/** @type {string} */ html) => (sites ? html.replace(/<p class="banner" role="note">[\s\S]*?<\/p>\n/, '') : html);
writeFileSync(path.join(out, 'index.html'), withoutBanner(readFileSync(path.join(here, 'index.html'), 'utf8'))
  .replace('href="tool/"', `href="${sites ? sites.tool : ''}tool/"`));
// The relay's protocol layer in wasm (wasm/relay_bindings.cpp), which the Service Worker imports.
if (!existsSync(path.join(wasm, 'chartlock-relay.mjs'))) {
  throw new Error(`${wasm} has no chartlock-relay.mjs: cmake --build ${path.relative(root, wasm)} --target chartlock_relay_wasm`);
}
mkdirSync(path.join(out, 'relay-wasm'));
for (const f of ['chartlock-relay.mjs', 'chartlock-relay.wasm']) cpSync(path.join(wasm, f), path.join(out, 'relay-wasm', f));
// The wasm core, for the portals' Patient/$match (the matcher). The
// widget's classic Emscripten glue does not load in a module worker; with an
// export appended it is an ES module (what -sEXPORT_ES6 writes is the same
// glue with that export), and it runs the widget's own .wasm
// (widget/wasm/chartlock-core.wasm): one core in the folder, no second link.
const coreGlue = readFileSync(path.join(wasm, 'chartlock-core.js'), 'utf8');
if (!/^var ChartlockCore = /m.test(coreGlue)) throw new Error(`${wasm}/chartlock-core.js does not define ChartlockCore as the build expects`);
mkdirSync(path.join(out, 'core-wasm'));
writeFileSync(path.join(out, 'core-wasm/chartlock-core.mjs'), `${coreGlue}\nexport default ChartlockCore;\n`);
// The tool SDK's platform-free part, which the tool page runs (no Node).
for (const f of ['share-client.mjs', 'relay-url.mjs']) copy(`tool/${f}`, `tool-sdk/${f}`);
writeFileSync(path.join(out, 'tool/index.html'), withoutBanner(readFileSync(path.join(here, 'tool/index.html'), 'utf8'))
  .replace('{{WIDGET}}', sites ? sites.widget : '../')
  .replace('{{RELAY}}', sites ? sites.relay : '../_demo/relay')
  .replace('{{EMBED_INTEGRITY}}', widgetBuild.embedIntegrity)
  .replace('{{CORE_INTEGRITY}}', `sha384-${createHash('sha384').update(readFileSync(path.join(out, 'widget/wasm/chartlock-core.js'))).digest('base64')}`));
// The demo tool's keys. Published: a demo key opens demo records only.
const keys = await generateToolKeys({ wasm: path.join(wasm, 'chartlock-core.js') });
writeFileSync(path.join(out, 'tool/demo-tool.pub.json'), keys.public);
writeFileSync(path.join(out, 'tool/demo-tool.key'), keys.secret);

// The patients, made now by the seeded generator, as the Node demo makes
// them (demo/stack.mjs): two portals share one patient (overlapping
// records), a third holds a family member; the record-location network's
// portals hold the same patient with other details on file, or a namesake.
const data = path.join(out, '_demo/data');
const generate = (seed, size, providers, dir) => run(chartlock, ['generate', '--now', today, '--seed', String(seed),
  '--size', size, '--providers', String(providers), '--out', dir]);
generate(SEED, '400KB', 2, data);
generate(SEED + 1, '150KB', 1, path.join(data, 'family'));
const held = NETWORK_PROVIDERS.filter((p) => p.variant !== 'namesake');
generate(SEED, '100KB', held.length, path.join(data, 'network'));
generate(SEED + 3, '100KB', 1, path.join(data, 'network/namesake'));
// The first portals' patient: the one the verifier's demo documents and the network's variations are about.
const patient = patientOf(path.join(data, 'provider-1.json'));
const portals = [
  ...PROVIDERS.map((p, i) => ({ ...p, file: `provider-${i + 1}.json`, sensitiveNote: i === 0 })),
  { ...FAMILY_PROVIDER, file: 'family/provider-1.json' },
  ...NETWORK_PROVIDERS.map((p) => ({ ...p, demographics: networkDemographics(p.variant, patient),
    file: p.variant === 'namesake' ? 'network/namesake/provider-1.json' : `network/provider-${held.indexOf(p) + 1}.json` })),
].map((p) => ({ ...p, slug: p.name.split(' ')[0].toLowerCase() }));
for (const p of portals) renameSync(path.join(data, p.file), path.join(data, `${p.slug}.json`));
for (const dir of ['family', 'network']) rmSync(path.join(data, dir), { recursive: true });
rmSync(path.join(data, 'truth.json'));
const fhirBase = (p) => `${PLACEHOLDER}_demo/portal/${p.slug}/fhir`;
const directoryFile = path.join(out, '_demo/directory.json');
run(chartlock, ['directory', 'generate', '--out', directoryFile, '--count', '1000',
  ...portals.flatMap((p) => ['--listing', `${p.name}|${p.city}|${p.state}|${fhirBase(p)}`])]);
// The record-location network: every portal, as in the Node demo.
writeFileSync(path.join(out, '_demo/network.json'), JSON.stringify(networkOf(JSON.parse(readFileSync(directoryFile, 'utf8')),
  portals.map((p) => ({ ...p, fhirBase: fhirBase(p) }))), null, 1));
const official = patient.name.find((n) => n.use === 'official') ?? patient.name[0];
writeFileSync(path.join(out, '_demo/demo.json'), JSON.stringify({
  clientId: CLIENT_ID, scope: WIDGET_SCOPE, user: DEMO_USER, password: DEMO_PASSWORD, placeholder: PLACEHOLDER,
  relayUrl: sites?.relay ?? null,  // null: the worker's own, ./_demo/relay
  builtAt: Date.now(),  // the data's meta.lastUpdated where it has none, the same at every start of the worker
  samplePerson: { given: official.given.join(' '), family: official.family, birthDate: patient.birthDate },
  portals: portals.map((p) => ({ slug: p.slug, name: p.name, data: `_demo/data/${p.slug}.json`, sensitiveNote: p.sensitiveNote === true,
    ...(p.demographics ? { demographics: p.demographics } : {}) })),
}, null, 1));

copy('LICENSE', 'LICENSE');
writeFileSync(path.join(out, 'THIRD-PARTY-NOTICES'), thirdPartyNotices(root, wasm));

// The Service Worker last: it names every other file, and its id changes with any of them.
const files = walk(out).map((f) => path.relative(out, f).split(path.sep).join('/')).sort();
const id = createHash('sha256');
for (const f of files) id.update(f).update(readFileSync(path.join(out, f)));
const build = { id: id.digest('base64url').slice(0, 16), files };
const worker = readFileSync(path.join(here, 'service-worker.js'), 'utf8')
  .replace(/\/\* BUILD \*\/.*\/\* BUILD \*\//, JSON.stringify(build));
writeFileSync(path.join(out, 'service-worker.js'), worker);

let total = 0;
let gzip = 0;
for (const f of walk(out)) {
  const bytes = readFileSync(f);
  total += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MB`;
console.log(`static demo written to ${out}: ${files.length + 1} files, ${mb(total)} (${mb(gzip)} gzipped; budget ${mb(BUDGET.total)}, ${mb(BUDGET.gzip)})`);
if (total > BUDGET.total || gzip > BUDGET.gzip) {
  console.error('the static demo is over its size budget (demo/static/build.mjs, BUDGET)');
  process.exit(1);
}
