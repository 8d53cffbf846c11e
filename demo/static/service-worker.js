// SPDX-License-Identifier: Apache-2.0
// The static demo's Service Worker (a module worker at the folder's root;
// demo/static/build.mjs writes the folder). It is the second front door of
// the demo's servers: the same portal code as the Node demo's
// (demo/smart-provider/portal.mjs) answers under ./_demo/portal/NAME/ inside
// the worker's scope, with the records generated at build time, and the same
// identity verifier (demo/identity-verifier/verifier.mjs) under
// ./_demo/verifier/, and the relay's protocol layer — the native relay's C++
// (relay/service.cpp) compiled to wasm over a memory store — under
// ./_demo/relay/. The portals answer Patient/$match (record location) with
// the wasm core's matcher and the verifier's keys, as the Node demo's do
// (patient-match.mjs, portalMatch); the core is the widget's own .wasm, its
// Emscripten glue made importable by the build (core-wasm/). It caches
// every file of the folder at install, so that
// after the first visit the demo works with the network off, and it serves
// the widget's files with the headers the widget relies on
// (demo/widget-headers.mjs), which a static host does not send. Every URL
// derives from the scope: the folder may be served at an origin's root or
// under any path.
//
// The servers' state (sign-ins in progress, codes, tokens, the verifier's
// key, the relay's grants and ciphertext) is kept in IndexedDB after every
// answer, so that it outlives the worker: a browser stops an idle worker
// whenever it likes.
import { FhirStore } from './demo/smart-provider/fhir-store.mjs';
import { serveNotesAsBinary } from './demo/smart-provider/notes.mjs';
import { portalMatch } from './demo/smart-provider/patient-match.mjs';
import { createPortal, newPortalState } from './demo/smart-provider/portal.mjs';
import { createVerifier, newVerifierState } from './demo/identity-verifier/verifier.mjs';
import { widgetCsp, widgetHeaders } from './demo/widget-headers.mjs';
import ChartlockCore from './core-wasm/chartlock-core.mjs';
import ChartlockRelay from './relay-wasm/chartlock-relay.mjs';

// Written by the build: its id (a hash of every file) and the files to cache.
const BUILD = /* BUILD */ { id: 'unbuilt', files: [] } /* BUILD */;
const CACHE = `chartlock-static-${BUILD.id}`;
const sw = /** @type {any} */ (self);
/** @type {string} */
const scope = sw.registration.scope;  // ends with '/'

sw.addEventListener('install', (/** @type {any} */ event) => event.waitUntil((async () => {
  const cache = await caches.open(CACHE);
  await cache.addAll(BUILD.files.map((f) => new URL(f, scope).href));
  await sw.skipWaiting();
})()));

sw.addEventListener('activate', (/** @type {any} */ event) => event.waitUntil((async () => {
  for (const key of await caches.keys()) if (key.startsWith('chartlock-static-') && key !== CACHE) await caches.delete(key);
  await sw.clients.claim();
})()));

/** A file of the folder, from the cache (or, before it is cached, the host). */
async function folderFile(rel) {
  const url = new URL(rel, scope).href;
  const r = (await caches.match(url, { cacheName: CACHE })) ?? await fetch(url);
  if (!r.ok) throw new Error(`${rel}: ${r.status}`);
  return r;
}

// The demo servers' state in IndexedDB, by name ('portal:riverside', 'verifier', 'relay').
/** @type {Promise<IDBDatabase> | null} */
let stateDb = null;
const openStateDb = () => (stateDb ??= new Promise((resolve, reject) => {
  const r = indexedDB.open('chartlock-static-demo', 1);
  r.onupgradeneeded = () => r.result.createObjectStore('state');
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
}));
/** @param {'readonly' | 'readwrite'} mode @param {(store: IDBObjectStore) => IDBRequest} op */
async function stateOp(mode, op) {
  const tx = (await openStateDb()).transaction('state', mode);
  const request = op(tx.objectStore('state'));
  await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
  return request.result;
}
const loadState = (/** @type {string} */ name) => stateOp('readonly', (s) => s.get(name));
const saveState = (/** @type {string} */ name, /** @type {any} */ state) => stateOp('readwrite', (s) => s.put(state, name));

/** @type {Promise<any> | null} */
let demoState = null;
// The demo as demo/static/build.mjs described it (_demo/demo.json): its
// portals, made once per worker start.
function demo() {
  demoState ??= (async () => {
    const d = await (await folderFile('_demo/demo.json')).json();
    const build = await (await folderFile('widget/build.json')).json();
    const clients = { [d.clientId]: { redirectUris: [new URL('widget/callback.html', scope).href] } };
    // The verifier first: the portals' $match checks the identity it signed.
    const verifierState = (await loadState('verifier')) ?? newVerifierState();
    const issuer = new URL('_demo/verifier', scope).href;
    const made = await createVerifier({ issuer, clients, samplePerson: d.samplePerson, state: verifierState });
    await saveState('verifier', verifierState);  // its new key, if it made one
    const verifier = { ...made, handle: (/** @type {Request} */ r) => kept(made.handle(r), 'verifier', verifierState) };
    const core = await ChartlockCore({ wasmBinary: await (await folderFile('widget/wasm/chartlock-core.wasm')).arrayBuffer() });
    const match = portalMatch(core, made, d.clientId);
    const portals = new Map();
    for (const p of d.portals) {
      const store = new FhirStore({ text: await (await folderFile(p.data)).text(), source: p.data, loadedAt: d.builtAt });
      serveNotesAsBinary(store, { sensitiveNote: p.sensitiveNote });
      const name = `portal:${p.slug}`;
      const state = (await loadState(name)) ?? newPortalState();
      const portal = createPortal({ store, base: new URL(`_demo/portal/${p.slug}`, scope).href, name: p.name, clients,
        user: d.user, password: d.password, allowedOrigins: [new URL(scope).origin], state, match, demographics: p.demographics });
      // The portal's demo controls (a new result, injected faults) answer this site's own pages, as the
      // Node portal answers loopback: the worker sees only its pages' fetches; a navigation may come from anywhere.
      portals.set(p.slug, { handle: (/** @type {Request} */ r) => kept(portal.handle(r, { loopback: r.mode !== 'navigate' }), name, state) });
    }
    const relayModule = await ChartlockRelay({ wasmBinary: await (await folderFile('relay-wasm/chartlock-relay.wasm')).arrayBuffer() });
    const ownRelay = new URL('_demo/relay', scope).href;
    const relay = new relayModule.Relay((await loadState('relay')) ?? null, ownRelay);
    // Published as two sites, the widget uses the relay server both sites share (build.mjs, --relay-url).
    const relayUrl = d.relayUrl ?? ownRelay;
    const config = { clientId: d.clientId, scope: d.scope, directoryUrl: new URL('_demo/directory.json', scope).href,
      relayUrl, verifier: { issuer: verifier.issuer, clientId: d.clientId, name: verifier.name },
      networkUrl: new URL('_demo/network.json', scope).href };
    const connectSrc = d.relayUrl ? [new URL(d.relayUrl).origin] : [];
    return { d, portals, verifier, relay, config, csp: widgetCsp({ importMapHash: build.importMapHash, connectSrc }) };
  })();
  demoState.catch(() => { demoState = null; });
  return demoState;
}

// An answer, once the state it left is saved.
async function kept(/** @type {Promise<Response>} */ answer, /** @type {string} */ name, /** @type {any} */ state) {
  const response = await answer;
  await saveState(name, state);
  return response;
}

const json = (status, body, headers = {}) => new Response(JSON.stringify(body), { status,
  headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers } });

/** @param {Request} request */
async function answer(request) {
  const url = new URL(request.url);
  let rel = `${url.origin}${url.pathname}`.slice(scope.length);
  if (rel === '' || rel.endsWith('/')) rel += 'index.html';
  const portal = /^_demo\/portal\/([a-z0-9-]+)(?:\/|$)/.exec(rel);
  if (portal) {
    const p = (await demo()).portals.get(portal[1]);
    return p ? p.handle(request) : json(404, { error: 'no such demo portal' });
  }
  if (rel === '_demo/verifier' || rel.startsWith('_demo/verifier/')) return (await demo()).verifier.handle(request);
  if (rel === 'widget/config.json') {
    const { config, csp } = await demo();
    return json(200, config, widgetHeaders(csp));
  }
  if (rel === '_demo/directory.json' || rel === '_demo/network.json') {  // the portals' listings, at this scope
    const { d } = await demo();
    const text = (await (await folderFile(rel)).text()).split(d.placeholder).join(scope);
    return new Response(text, { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
  }
  if (rel === '_demo/relay' || rel.startsWith('_demo/relay/')) return relayAnswer(request, url);
  const cached = await caches.match(new URL(rel, scope).href, { cacheName: CACHE });
  if (!cached) return fetch(request);
  if (!rel.startsWith('widget/')) return cached;
  // The widget's own files, with the headers its Node server would send.
  const { csp } = await demo();
  const headers = { 'Content-Type': cached.headers.get('Content-Type') ?? 'application/octet-stream', ...widgetHeaders(csp) };
  // Tool pages load the embed script with SRI, which needs CORS on another origin.
  if (rel.startsWith('widget/embed/')) headers['Access-Control-Allow-Origin'] = '*';
  return new Response(cached.body, { status: cached.status, headers });
}

// A relay request, as the native relay's protocol layer answers it: the
// target below ./_demo/relay is what the client signed (/v1/grants/…).
async function relayAnswer(/** @type {Request} */ request, /** @type {URL} */ url) {
  const { relay } = await demo();
  const target = url.pathname.slice(new URL('_demo/relay', scope).pathname.length) + url.search;
  try {
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : new Uint8Array(await request.arrayBuffer());
    const out = relay.handle({ method: request.method, target, authorization: request.headers.get('authorization') ?? undefined, body });
    if (out.changed) await saveState('relay', relay.save());
    const headers = new Headers(out.headers);
    if (out.contentType) headers.set('Content-Type', out.contentType);
    headers.set('Cache-Control', 'no-store');
    return new Response(out.body.length ? out.body : null, { status: out.status, headers });
  } catch (e) {
    // Nothing about the request (it carries ciphertext and keys' signatures).
    console.error(`relay: ${request.method}: ${e}`);
    return json(500, { error: 'internal', message: `the demo relay failed: ${e}` });
  }
}

sw.addEventListener('fetch', (/** @type {any} */ event) => {
  const request = /** @type {Request} */ (event.request);
  if (!request.url.startsWith(scope)) return;  // not the folder's: the network's
  event.respondWith(answer(request));
});
