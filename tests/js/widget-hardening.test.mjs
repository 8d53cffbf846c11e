// The widget's portal code and manifest check in Node, on a fake `fetch`
// (web/widget/js/fhir-fetch.js, smart.js, consent.js): every portal request
// bypasses the HTTP cache, a refresh answer without a new refresh token keeps
// the old one, `next` links stay under the FHIR base, and a tool manifest is
// accepted only from a secure origin and rebuilt from its checked fields.
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { afterEach, test } from 'node:test';

// smart.js imports ../vendor/oauth4webapi.js, which web/build.mjs copies from
// node_modules into the built widget: resolve it to the package here.
register(`data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('/vendor/oauth4webapi.js')) return next('oauth4webapi', context);
  return next(specifier, context);
}`)}`, import.meta.url);
const { fetchPatientRecords, checkNext, FetchError } = await import('../../web/widget/js/fhir-fetch.js');
const { discover, refresh } = await import('../../web/widget/js/smart.js');
const { checkManifest, ManifestError } = await import('../../web/widget/js/consent.js');

const BASE = 'https://portal.example/tenant-a/fhir';
const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

const jsonResponse = (body, status = 200, headers = {}) => new Response(JSON.stringify(body),
  { status, headers: { 'content-type': 'application/json', ...headers } });
const searchset = (entries, next) => ({ resourceType: 'Bundle', type: 'searchset',
  entry: entries.map((resource) => ({ resource })), link: next ? [{ relation: 'next', url: next }] : [] });
const conf = { issuer: 'https://portal.example', authorization_endpoint: 'https://portal.example/authorize',
  token_endpoint: 'https://portal.example/token', code_challenge_methods_supported: ['S256'] };
const connection = (tokens = {}) => ({ fhirBase: BASE, conf, tokens: { access_token: 'at-1', refresh_token: 'rt-1',
  expires_at: null, scope: 'patient/*.rs offline_access', patient: 'p1', ...tokens } });

// Records every call; `answer(url, init, n)` gives the Response.
function fakeFetch(answer) {
  const calls = [];
  globalThis.fetch = async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url;
    calls.push({ url, init });
    return answer(url, init, calls.length);
  };
  return calls;
}

// What a portal sends: Patient, one Condition over two pages, nothing else;
// the first FHIR request gets a 401 (expired token), so a refresh happens.
function portal({ refreshAnswer = { access_token: 'at-2', token_type: 'Bearer', refresh_token: 'rt-2', expires_in: 60 } } = {}) {
  let expired = true;
  return (url, init) => {
    if (url === conf.token_endpoint) { expired = false; return jsonResponse(refreshAnswer); }
    if (url.endsWith('/.well-known/smart-configuration')) return jsonResponse(conf, 200, { 'cache-control': 'max-age=3600' });
    if (expired) return jsonResponse({ resourceType: 'OperationOutcome' }, 401);
    const u = new URL(url);
    if (u.pathname.endsWith('/Patient/p1')) return jsonResponse({ resourceType: 'Patient', id: 'p1' }, 200, { etag: '"1"' });
    if (u.pathname.endsWith('/Condition') && !u.searchParams.has('page')) {
      return jsonResponse(searchset([{ resourceType: 'Condition', id: 'c1' }], `${BASE}/Condition?page=2`));
    }
    if (u.pathname.endsWith('/Condition')) return jsonResponse(searchset([{ resourceType: 'Condition', id: 'c2' }]));
    return jsonResponse(searchset([]));
  };
}

test('every request to a portal (FHIR pages, the token refresh, discovery) is made with cache: no-store', async () => {
  const calls = fakeFetch(portal());
  const { bundle, errors } = await fetchPatientRecords(connection(), { clientId: 'widget', retryDelayMs: 1 });
  assert.deepEqual(errors, []);
  assert.deepEqual(bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`).sort(), ['Condition/c1', 'Condition/c2', 'Patient/p1']);
  await discover(BASE);
  const kinds = new Set(calls.map((c) => (c.url === conf.token_endpoint ? 'token' : c.url.includes('.well-known') ? 'discovery' : 'fhir')));
  assert.deepEqual([...kinds].sort(), ['discovery', 'fhir', 'token'], 'all three kinds of request were made');
  assert.ok(calls.some((c) => c.url === `${BASE}/Condition?page=2`), 'the next page was fetched');
  for (const c of calls) assert.equal(c.init.cache, 'no-store', `${c.init.method ?? 'GET'} ${c.url}`);
});

test('a refresh answer without a refresh token (a portal that does not rotate them) keeps the one we have', async () => {
  fakeFetch(portal({ refreshAnswer: { access_token: 'at-2', token_type: 'Bearer', expires_in: 60 } }));
  const c = connection();
  await refresh(c, 'widget');
  assert.equal(c.tokens.access_token, 'at-2');
  assert.equal(c.tokens.refresh_token, 'rt-1', 'the old refresh token is kept');
  assert.equal(c.tokens.scope, 'patient/*.rs offline_access', 'no scope in the answer: unchanged');
  assert.equal(c.tokens.patient, 'p1');
  // And it still works for the next refresh.
  const calls = fakeFetch(portal({ refreshAnswer: { access_token: 'at-3', token_type: 'Bearer', expires_in: 60 } }));
  await refresh(c, 'widget');
  assert.equal(new URLSearchParams(String(calls[0].init.body)).get('refresh_token'), 'rt-1');
  assert.equal(c.tokens.access_token, 'at-3');
});

test('a rotating portal\'s new refresh token (and narrower scope) replaces the old', async () => {
  fakeFetch(portal({ refreshAnswer: { access_token: 'at-2', token_type: 'Bearer', refresh_token: 'rt-2', scope: 'patient/Condition.rs' } }));
  const c = connection();
  await refresh(c, 'widget');
  assert.equal(c.tokens.refresh_token, 'rt-2');
  assert.equal(c.tokens.scope, 'patient/Condition.rs');
});

test('next links: only under the portal\'s FHIR base, not another tenant on the same host', async () => {
  const ok = [`${BASE}/Condition?page=2`, `${BASE}?_getpages=abc&_getpagesoffset=100`, `${BASE}/`];
  for (const link of ok) assert.equal(checkNext(link, BASE), link);
  const otherTenant = /pointed outside its own records service/;
  const refused = {
    'https://portal.example/tenant-b/fhir/Condition?page=2': otherTenant,
    'https://portal.example/tenant-a/fhir-b/Condition': otherTenant,
    'https://portal.example/tenant-a/fhir/../../tenant-b/fhir/Condition': otherTenant,
    'https://portal.example/tenant-a/fhir/%2e%2e/%2e%2e/tenant-b/fhir/Condition': otherTenant,
    'https://portal.example/tenant-a/fhir/..%2f..%2ftenant-b/fhir/Condition': otherTenant,
    'https://portal.example/Condition': otherTenant,
    'https://other.example/tenant-a/fhir/Condition': /another site/,
    'http://portal.example/tenant-a/fhir/Condition': /another site/,
  };
  for (const [link, message] of Object.entries(refused)) {
    assert.throws(() => checkNext(link, BASE), (e) => e instanceof FetchError && e.code === 'malformed' && message.test(e.message), link);
  }
  // A portal at the root of its host: any path on it.
  assert.equal(checkNext('https://portal.example/Condition?page=2', 'https://portal.example'), 'https://portal.example/Condition?page=2');
});

test('a next link to another tenant on the same host: not followed, the type reported, the token not sent', async () => {
  const calls = fakeFetch((url) => {
    const u = new URL(url);
    if (u.pathname.endsWith('/Patient/p1')) return jsonResponse({ resourceType: 'Patient', id: 'p1' });
    if (u.pathname === '/tenant-a/fhir/Condition') {
      return jsonResponse(searchset([{ resourceType: 'Condition', id: 'c1' }], 'https://portal.example/tenant-b/fhir/Condition?page=2'));
    }
    return jsonResponse(searchset([]));
  });
  const { bundle, errors } = await fetchPatientRecords(connection(), { clientId: 'widget', retryDelayMs: 1 });
  assert.deepEqual(calls.filter((c) => !c.url.startsWith(`${BASE}/`)), [], 'no request outside the FHIR base');
  assert.deepEqual(errors.map((e) => e.type), ['Condition']);
  assert.match(errors[0].message, /pointed outside its own records service/);
  assert.ok(bundle.entry.some((e) => e.resource.id === 'p1'), 'the rest is kept');
});

const KEY = 'k'.repeat(43);
const manifest = (extra = {}) => ({
  type: 'chartlock-tool-manifest', version: 1, name: 'Coach', origin: 'https://coach.example', purpose: 'coaching',
  retention: '30 days', scopes: ['patient/Condition.rs'], keys: { x25519: KEY, ed25519: KEY }, ...extra,
});
const covered = async (scopes) => (scopes.length ? ['conditions'] : []);
const refusedWith = (pattern) => (e) => e instanceof ManifestError && e.code === 'bad-manifest' && pattern.test(e.message);

test('a manifest from a secure origin (https, or http on loopback) is accepted', async () => {
  for (const origin of ['https://coach.example', 'https://coach.example:8443', 'http://localhost:3000', 'http://127.0.0.1:9000',
    'http://127.8.9.10', 'http://[::1]:8080']) {
    const m = await checkManifest(manifest({ origin }), origin, covered);
    assert.equal(m.origin, origin);
  }
});

test('a manifest from null, file: or plain http elsewhere is refused, with a clear reason', async () => {
  const insecure = /which is not a secure website \(https\)\. Chartlock will not share with it\./;
  for (const origin of ['null', 'file://', 'file:///home/me/tool.html', 'http://coach.example', 'http://192.168.1.10:8080',
    'http://10.0.0.1', 'http://localhost.evil.example', 'http://127.0.0.1.nip.io', 'ftp://coach.example', 'data:text/html,hi']) {
    await assert.rejects(checkManifest(manifest({ origin }), origin, covered), refusedWith(insecure), origin);
  }
  await assert.rejects(checkManifest(manifest({ origin: 'null' }), 'null', covered),
    refusedWith(/^The tool says it is null, which is not a secure website/));
  for (const origin of ['https://coach.example/', 'https://coach.example/path', 'coach.example', 'https://COACH.example']) {
    await assert.rejects(checkManifest(manifest({ origin }), origin, covered), refusedWith(/no valid "origin"/), origin);
  }
});

test('the manifest returned is rebuilt from its checked fields only', async () => {
  const cyclic = { big: 'x'.repeat(1 << 20) };
  cyclic.self = cyclic;
  const sent = manifest({ extra: cyclic, keys: { x25519: KEY, ed25519: KEY, other: cyclic }, scopes: ['patient/Condition.rs', 'patient/Observation.rs'] });
  const m = await checkManifest(sent, 'https://coach.example', covered);
  assert.deepEqual(m, {
    type: 'chartlock-tool-manifest', version: 1, name: 'Coach', origin: 'https://coach.example', purpose: 'coaching',
    retention: '30 days', scopes: ['patient/Condition.rs', 'patient/Observation.rs'], keys: { x25519: KEY, ed25519: KEY },
  });
  assert.notEqual(m, sent);
  assert.notEqual(m.scopes, sent.scopes, 'a copy, not the page\'s array');
  assert.notEqual(m.keys, sent.keys);
  assert.ok(JSON.stringify(m).length < 400, 'serializable and small');
});

test('scopes: strings, at most 100 of them, each at most 200 characters', async () => {
  const scopes = /does not say what it asks for \(scopes: 1 to 100, each at most 200 characters\)/;
  const ok = Array.from({ length: 100 }, (_, i) => `patient/Condition.rs?x=${i}`.padEnd(200, 'x'));
  assert.equal((await checkManifest(manifest({ scopes: ok }), 'https://coach.example', covered)).scopes.length, 100);
  const sparse = ['patient/Condition.rs'];
  sparse[2] = 'patient/Observation.rs';
  for (const bad of [[], undefined, 'patient/*.rs', [...ok, 'patient/Goal.rs'], ['x'.repeat(201)], [''], ['patient/Condition.rs', 7], sparse,
    Object.assign([], { length: 1e6 })]) {
    await assert.rejects(checkManifest(manifest({ scopes: bad }), 'https://coach.example', covered), refusedWith(scopes));
  }
  let calledWith;
  await assert.rejects(checkManifest(manifest(), 'https://coach.example', async (s) => { calledWith = s; return []; }),
    refusedWith(/asks for nothing Chartlock can share/));
  assert.deepEqual(calledWith, ['patient/Condition.rs']);
});

test('the rest of the check is as before: type and version, text fields, keys, the sender\'s origin', async () => {
  const at = 'https://coach.example';
  await assert.rejects(checkManifest(null, at, covered), refusedWith(/not a Chartlock tool manifest/));
  await assert.rejects(checkManifest('manifest', at, covered), refusedWith(/not a Chartlock tool manifest/));
  await assert.rejects(checkManifest(manifest({ version: 2 }), at, covered), refusedWith(/not a Chartlock tool manifest/));
  await assert.rejects(checkManifest(manifest({ name: 'n'.repeat(501) }), at, covered), refusedWith(/no valid "name"/));
  await assert.rejects(checkManifest(manifest({ keys: { x25519: KEY } }), at, covered), refusedWith(/no valid public keys/));
  await assert.rejects(checkManifest(manifest({ keys: null }), at, covered), refusedWith(/no valid public keys/));
  await assert.rejects(checkManifest(manifest(), 'https://other.example', covered),
    refusedWith(/^The tool says it is https:\/\/coach\.example, but the page asking is https:\/\/other\.example\./));
});
