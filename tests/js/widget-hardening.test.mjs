// SPDX-License-Identifier: Apache-2.0
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

// OAuth mix-up (RFC 9207): a sign-in is bound to the portal the patient chose.
// `connect` runs here with a fake widget window and a fake popup: setting the
// popup's location is "the portal's authorize page", which answers at once.
const { connect, SmartError } = await import('../../web/widget/js/smart.js');
const WIDGET = 'https://widget.example';
const REDIRECT = `${WIDGET}/callback.html`;
const HONEST = 'https://portal.example/tenant-a/fhir';
const honestConf = { issuer: HONEST, authorization_endpoint: 'https://portal.example/tenant-a/authorize',
  token_endpoint: 'https://portal.example/tenant-a/token', code_challenge_methods_supported: ['S256'],
  authorization_response_iss_parameter_supported: true };
// A malicious portal in the directory: its discovery sends the sign-in to the
// honest portal's authorize endpoint, and the code to its own token endpoint.
const EVIL = 'https://evil.example/fhir';
const evilConf = (extra = {}) => ({ authorization_endpoint: honestConf.authorization_endpoint,
  token_endpoint: 'https://evil.example/token', code_challenge_methods_supported: ['S256'], ...extra });

function fakeWidgetWindow() {
  const listeners = new Set();
  globalThis.window = {
    location: { origin: WIDGET, href: `${WIDGET}/` },
    addEventListener: (type, fn) => { if (type === 'message') listeners.add(fn); },
    removeEventListener: (type, fn) => { if (type === 'message') listeners.delete(fn); },
  };
  // `answer(authorizeUrl)` gives the callback URL the portal redirects to, or null.
  const popup = (answer) => {
    const w = { closed: false, navigations: [], close() { w.closed = true; } };
    w.location = {
      set href(u) {
        w.navigations.push(u);
        Promise.resolve(answer(new URL(u))).then((url) => {
          if (url) setTimeout(() => { for (const fn of [...listeners]) fn({ origin: WIDGET, source: w, data: { type: 'chartlock-smart-callback', url } }); }, 1);
        });
      },
    };
    return w;
  };
  return { popup };
}
afterEach(() => { delete globalThis.window; });

const tokenAnswer = { access_token: 'at-honest', token_type: 'Bearer', expires_in: 60, scope: 'patient/*.rs', patient: 'p1' };
// The directory's portals as a fake fetch: discovery documents and token endpoints.
function portals(confs) {
  return fakeFetch((url) => {
    for (const [base, c] of Object.entries(confs)) {
      if (url === `${base}/.well-known/smart-configuration`) return jsonResponse(c);
      if (url === c.token_endpoint) return jsonResponse(tokenAnswer);
    }
    return jsonResponse({}, 404);
  });
}
const tokenCalls = (calls) => calls.filter((c) => !c.url.includes('/.well-known/'));
const callback = (params) => `${REDIRECT}?${new URLSearchParams(params)}`;
// The honest portal's answer to an authorization request: its code, the request's state, and (RFC 9207) its issuer.
const honestAnswer = (iss = HONEST) => (u) => callback({ code: 'honest-code', state: u.searchParams.get('state'), ...(iss ? { iss } : {}) });
const connectTo = (fhirBase, popup) => connect({ fhirBase, clientId: 'widget', redirectUri: REDIRECT, scope: 'patient/*.rs', popup });
const mixUp = (e) => e instanceof SmartError && e.code === 'mix-up' && e.message === 'The sign-in answered for another portal: Chartlock did not use it.';

test('mix-up: an answer whose iss is another portal is refused, and neither the code nor the verifier is sent anywhere', async () => {
  const EVIL_TENANT = 'https://portal.example/tenant-b/fhir';  // another tenant on the honest portal's host
  const cases = [
    [EVIL, evilConf(), HONEST],
    [EVIL_TENANT, evilConf({ token_endpoint: 'https://portal.example/tenant-b/token' }), HONEST],
    // A portal naming its host as issuer: the tenant next door has the same host.
    [EVIL_TENANT, evilConf({ token_endpoint: 'https://portal.example/tenant-b/token' }), 'https://portal.example'],
    [HONEST, honestConf, EVIL],
    [HONEST, honestConf, `${HONEST}/`],
  ];
  for (const [chosen, c, iss] of cases) {
    const { popup } = fakeWidgetWindow();
    const calls = portals({ [chosen]: c });
    const w = popup(honestAnswer(iss));
    await assert.rejects(connectTo(chosen, w), mixUp, `${chosen} answered with iss=${iss}`);
    assert.deepEqual(tokenCalls(calls), [], `no token request (${chosen}, iss=${iss})`);
    assert.ok(w.closed, 'the sign-in window is closed');
  }
});

test('mix-up: no iss, when the portal\'s metadata says it sends one, is refused with no token request', async () => {
  const { popup } = fakeWidgetWindow();
  const calls = portals({ [HONEST]: honestConf });
  await assert.rejects(connectTo(HONEST, popup(honestAnswer(null))), mixUp);
  assert.deepEqual(tokenCalls(calls), []);
});

test('mix-up: the right iss signs in, and the code and verifier go to the chosen portal\'s token endpoint only', async () => {
  for (const [c, iss] of [[honestConf, HONEST], [{ ...honestConf, issuer: undefined, authorization_response_iss_parameter_supported: undefined }, null],
    [{ ...honestConf, issuer: undefined }, HONEST], [{ ...honestConf, issuer: `${HONEST}/` }, `${HONEST}/`]]) {
    const { popup } = fakeWidgetWindow();
    const calls = portals({ [HONEST]: JSON.parse(JSON.stringify(c)) });
    let challenge;
    const w = popup((u) => { challenge = u.searchParams.get('code_challenge'); return honestAnswer(iss)(u); });
    const connection = await connectTo(HONEST, w);
    assert.equal(connection.fhirBase, HONEST);
    assert.equal(connection.tokens.access_token, 'at-honest');
    const sent = tokenCalls(calls);
    assert.deepEqual(sent.map((x) => x.url), [honestConf.token_endpoint]);
    const form = new URLSearchParams(String(sent[0].init.body));
    assert.equal(form.get('code'), 'honest-code');
    const { createHash } = await import('node:crypto');
    assert.equal(createHash('sha256').update(form.get('code_verifier')).digest('base64url'), challenge);
  }
});

test('mix-up: a discovery naming another issuer than the chosen FHIR base is refused before the sign-in window goes anywhere', async () => {
  for (const issuer of [HONEST, 'https://evil.example', 'https://evil.example/fhir/other', 7]) {
    const { popup } = fakeWidgetWindow();
    const calls = portals({ [EVIL]: evilConf({ issuer }) });
    const w = popup(honestAnswer(HONEST));
    await assert.rejects(connectTo(EVIL, w), (e) => e instanceof SmartError && e.code === 'mix-up', String(issuer));
    assert.deepEqual(w.navigations, [], 'the popup was not sent to any authorize endpoint');
    assert.deepEqual(tokenCalls(calls), []);
    assert.ok(w.closed);
  }
});

test('mix-up: a state minted for one portal is refused for another', async () => {
  const OTHER = 'https://other.example/fhir';
  const otherConf = { issuer: OTHER, authorization_endpoint: 'https://other.example/authorize', token_endpoint: 'https://other.example/token',
    code_challenge_methods_supported: ['S256'], authorization_response_iss_parameter_supported: true };
  const { popup } = fakeWidgetWindow();
  const calls = portals({ [HONEST]: honestConf, [OTHER]: otherConf });
  let stateA;
  let gotA;
  const sawA = new Promise((resolve) => { gotA = resolve; });
  // Portal A's sign-in: answers only once B's has been refused.
  let releaseA;
  const aMayAnswer = new Promise((resolve) => { releaseA = resolve; });
  const a = connectTo(HONEST, popup(async (u) => { stateA = u.searchParams.get('state'); gotA(); await aMayAnswer; return honestAnswer(HONEST)(u); }));
  await sawA;
  // Portal B's window comes back with A's state, whether naming B or A as issuer.
  for (const iss of [OTHER, HONEST]) {
    const b = connectTo(OTHER, popup(() => callback({ code: 'some-code', state: stateA, iss })));
    await assert.rejects(b, (e) => e instanceof SmartError && ['authorization', 'mix-up'].includes(e.code), iss);
  }
  assert.deepEqual(tokenCalls(calls), [], 'nothing sent for B');
  releaseA();
  assert.equal((await a).fhirBase, HONEST, 'A\'s own sign-in still completes');
  assert.deepEqual(tokenCalls(calls).map((x) => x.url), [honestConf.token_endpoint]);
});
