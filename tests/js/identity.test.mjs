// SPDX-License-Identifier: Apache-2.0
// The widget's identity verification (web/widget/js/identity.js) in Node:
// the claims → Patient mapping, the checks on the redirect back (state, iss,
// error), and the whole OpenID Connect flow against the real demo verifier,
// with "the person" filling in its form over HTTP and a fake popup.
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { after, afterEach, before, test } from 'node:test';

import { demoIdCard, demoSelfie } from '../../demo/identity-verifier/demo-documents.mjs';
import { verifyIdToken } from '../../demo/identity-verifier/id-token.mjs';
import { startVerifier } from '../../demo/identity-verifier/server.mjs';

// identity.js imports ../vendor/oauth4webapi.js, which web/build.mjs copies
// from node_modules into the built widget: resolve it to the package here.
register(`data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('/vendor/oauth4webapi.js')) return next('oauth4webapi', context);
  return next(specifier, context);
}`)}`, import.meta.url);
const { IdentityError, identityFromClaims, readVerifiedClaims, checkCallback, beginVerification, finishVerification,
  verifyIdentity, DENIED_MESSAGE } = await import('../../web/widget/js/identity.js');

const CLIENT = 'chartlock-widget';
const WIDGET = 'http://127.0.0.1:9';
const REDIRECT = `${WIDGET}/callback.html`;
const PERSON = { given: 'Ana Lucía', family: 'Ortiz', birthDate: '1979-11-23' };
let demo;
let config;
before(async () => {
  demo = await startVerifier({ clients: { [CLIENT]: { redirectUris: [REDIRECT] } }, name: 'Demo ID check' });
  config = { issuer: demo.issuer, clientId: CLIENT, name: 'Demo ID check' };
});
after(async () => { await demo?.close(); });

// Every request the widget makes, checked for cache: 'no-store'.
const realFetch = globalThis.fetch;
let requests = [];
globalThis.fetch = (url, init = {}) => {
  requests.push({ url: String(url), cache: init.cache });
  return realFetch(url, init);
};
afterEach(() => { requests = []; delete globalThis.window; });
after(() => { globalThis.fetch = realFetch; });

const refused = (code, message) => (e) => {
  assert.ok(e instanceof IdentityError, `${e?.constructor?.name}: ${e?.message}`);
  assert.equal(e.code, code, e.message);
  if (message) assert.match(e.message, message);
  return true;
};

test('identityFromClaims: verified claims as a Patient, other names and previous addresses as "old"', () => {
  const patient = identityFromClaims({
    given_name: 'Ana  Lucía', family_name: 'Ortiz', birthdate: '1979-11-23', gender: 'female',
    address: { street_address: '9 Pine Road\nApt 2', locality: 'Springfield', region: 'IL', postal_code: '62701', country: 'US' },
    phone_number: '+1 217 555 0199', email: 'ana@example.org',
  }, {
    chartlock_other_names: [{ family_name: 'Reyes', given_name: 'Ana Lucía' }, { family_name: '' }, 'junk'],
    chartlock_previous_addresses: [{ street_address: '1 Old Way', locality: 'Peoria', region: 'IL', postal_code: '61602', country: 'US' }, {}],
  });
  assert.deepEqual(patient, {
    resourceType: 'Patient',
    name: [{ use: 'official', family: 'Ortiz', given: ['Ana', 'Lucía'] }, { use: 'old', family: 'Reyes', given: ['Ana', 'Lucía'] }],
    birthDate: '1979-11-23',
    gender: 'female',
    address: [
      { use: 'home', line: ['9 Pine Road', 'Apt 2'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' },
      { use: 'old', line: ['1 Old Way'], city: 'Peoria', state: 'IL', postalCode: '61602', country: 'US' },
    ],
    telecom: [{ system: 'phone', value: '+1 217 555 0199' }, { system: 'email', value: 'ana@example.org' }],
  });
});

test('identityFromClaims: the minimum, gender codes, and what is refused', () => {
  const minimal = identityFromClaims({ given_name: 'Bo', family_name: 'Li', birthdate: '2001-01-01' });
  assert.deepEqual(minimal, { resourceType: 'Patient', name: [{ use: 'official', family: 'Li', given: ['Bo'] }],
    birthDate: '2001-01-01', address: [], telecom: [] });
  const gender = (g) => identityFromClaims({ given_name: 'Bo', family_name: 'Li', birthdate: '2001-01-01', gender: g }).gender;
  assert.equal(gender('Male'), 'male');
  assert.equal(gender('unknown'), 'unknown');
  assert.equal(gender('nonbinary'), 'other');
  assert.throws(() => identityFromClaims({ given_name: 'Bo', birthdate: '2001-01-01' }), refused('claims', /your name/));
  assert.throws(() => identityFromClaims({ given_name: 'Bo', family_name: 'Li', birthdate: '2001' }), refused('claims', /date of birth/));
  assert.throws(() => identityFromClaims({ given_name: 'Bo', family_name: 'Li', birthdate: '0000-03-04' }), refused('claims', /date of birth/));
  assert.throws(() => identityFromClaims(null), refused('claims'));
});

test('readVerifiedClaims: verified_claims with an assurance level are required (or a configured acr)', () => {
  const proven = { given_name: 'Bo', family_name: 'Li', birthdate: '2001-01-01' };
  const base = { iss: 'https://v.example', sub: 's', aud: CLIENT, iat: 1_800_000_000, exp: 1_800_086_400 };
  const ok = readVerifiedClaims({ ...base, verified_claims: { verification: { trust_framework: 'x', assurance_level: 'ial2', time: '2027-01-15T10:00:00Z' }, claims: proven } }, config);
  assert.equal(ok.assurance, 'ial2');
  assert.equal(ok.verifiedAt, Date.parse('2027-01-15T10:00:00Z'));
  assert.equal(ok.expiresAt, 1_800_086_400_000);
  assert.equal(ok.identity.name[0].family, 'Li');
  // Several verified_claims: the first with an assurance level.
  const many = readVerifiedClaims({ ...base, verified_claims: [{ verification: {}, claims: {} }, { verification: { assurance_level: 'ial2' }, claims: proven }] }, config);
  assert.equal(many.verifiedAt, 1_800_000_000_000);
  assert.throws(() => readVerifiedClaims({ ...base, ...proven }, config), refused('claims', /who you are/));
  assert.throws(() => readVerifiedClaims({ ...base, verified_claims: { verification: { trust_framework: 'x' }, claims: proven } }, config), refused('claims'));
  // A verifier without OIDC4IDA, configured to trust an identity-proofed acr.
  const acr = 'urn:acr.login.gov:verified';
  const viaAcr = readVerifiedClaims({ ...base, ...proven, acr }, { ...config, verifiedAcr: [acr] });
  assert.equal(viaAcr.assurance, acr);
  assert.throws(() => readVerifiedClaims({ ...base, ...proven, acr: 'urn:acr.login.gov:auth-only' }, { ...config, verifiedAcr: [acr] }), refused('claims'));
});

// The redirect back, checked before any code is exchanged.
const pendingFor = (extra = {}) => ({
  verifier: config, state: 'the-state', nonce: 'n', codeVerifier: 'v',
  as: { issuer: 'https://verifier.example', authorization_endpoint: 'https://verifier.example/authorize',
    token_endpoint: 'https://verifier.example/token', authorization_response_iss_parameter_supported: true, ...extra },
});
const back = (params) => new URL(`${REDIRECT}?${new URLSearchParams(params)}`);

test('checkCallback: state, iss (RFC 9207) and errors', () => {
  const iss = 'https://verifier.example';
  const params = checkCallback(pendingFor(), back({ code: 'c1', state: 'the-state', iss }));
  assert.equal(params.get('code'), 'c1');
  assert.throws(() => checkCallback(pendingFor(), back({ code: 'c1', state: 'another-state', iss })), refused('authorization', /state/));
  assert.throws(() => checkCallback(pendingFor(), back({ code: 'c1', iss })), refused('authorization', /state/));
  assert.throws(() => checkCallback(pendingFor(), back({ code: 'c1', state: 'the-state', iss: 'https://evil.example' })), refused('mix-up'));
  assert.throws(() => checkCallback(pendingFor(), back({ code: 'c1', state: 'the-state' })), refused('mix-up'), 'iss promised, missing');
  // A verifier that does not promise iss may leave it out, but never name another.
  const noIss = pendingFor({ authorization_response_iss_parameter_supported: false });
  assert.equal(checkCallback(noIss, back({ code: 'c2', state: 'the-state' })).get('code'), 'c2');
  assert.throws(() => checkCallback(noIss, back({ code: 'c2', state: 'the-state', iss: 'https://evil.example' })), refused('mix-up'));
  assert.throws(() => checkCallback(pendingFor(), back({ error: 'access_denied', state: 'the-state', iss })), (e) => {
    refused('denied')(e);
    assert.equal(e.message, DENIED_MESSAGE);
    assert.equal(e.message, 'You cancelled the identity check.');
    return true;
  });
  assert.throws(() => checkCallback(pendingFor(), back({ error: 'server_error', state: 'the-state', iss })), refused('authorization', /did not finish/));
});

// The person's part at the demo verifier: the form, filled in, with the photos.
async function personAnswers(authorizeUrl, { decision = 'verify', selfieFace = 'face-ana' } = {}) {
  const html = await (await realFetch(authorizeUrl)).text();
  const form = new FormData();
  const fields = { request: /name="request" value="([^"]+)"/.exec(html)[1], given: PERSON.given, family: PERSON.family,
    birthDate: PERSON.birthDate, street: '9 Pine Road', city: 'Springfield', state: 'IL', zip: '62701',
    phone: '217 555 0199', email: 'ana@example.org', otherFamily: 'Reyes', decision };
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  form.set('idPhoto', new Blob([demoIdCard({ ...PERSON, expires: '2099-01-01', face: 'face-ana' })]), 'id.png');
  form.set('selfie', new Blob([demoSelfie({ face: selfieFace })]), 'selfie.png');
  const r = await realFetch(new URL('authorize', authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
  return r.status === 302 ? r.headers.get('location') : null;
}

test('against the demo verifier: discovery, the code flow, a checked id_token, the identity as a Patient', async () => {
  const { url, pending } = await beginVerification({ verifier: config, redirectUri: REDIRECT });
  assert.equal(url.origin, demo.origin);
  for (const k of ['state', 'nonce', 'code_challenge']) assert.ok(url.searchParams.get(k), k);
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  assert.match(url.searchParams.get('scope'), /\bopenid\b/);
  const location = await personAnswers(url);
  const result = await finishVerification(pending, new URL(location), { redirectUri: REDIRECT });
  assert.equal(result.verifier, 'Demo ID check');
  assert.equal(result.assurance, 'ial2');
  assert.ok(Math.abs(result.verifiedAt - Date.now()) < 60_000);
  assert.ok(Math.abs(result.expiresAt - (Date.now() + 24 * 3600_000)) < 60_000);
  assert.deepEqual(result.identity.name, [{ use: 'official', family: 'Ortiz', given: ['Ana', 'Lucía'] },
    { use: 'old', family: 'Reyes', given: ['Ana', 'Lucía'] }]);
  assert.equal(result.identity.birthDate, PERSON.birthDate);
  assert.deepEqual(result.identity.address, [{ use: 'home', line: ['9 Pine Road'], city: 'Springfield', state: 'IL', postalCode: '62701', country: 'US' }]);
  assert.deepEqual(result.identity.telecom, [{ system: 'phone', value: '217 555 0199' }, { system: 'email', value: 'ana@example.org' }]);
  // The id_token is the verifier's, for this client: what a provider's $match checks.
  assert.equal((await verifyIdToken(result.idToken, demo.jwks, { issuer: demo.issuer, audience: CLIENT })).nonce, pending.nonce);
  // Discovery, token and keys were all asked for uncached.
  const paths = requests.map((r) => new URL(r.url).pathname);
  assert.deepEqual(paths, ['/.well-known/openid-configuration', '/token', '/.well-known/jwks.json']);
  assert.ok(requests.every((r) => r.cache === 'no-store'));
});

test('a verifier configured with userinfo: the identity claims are read there too, for the id_token\'s subject', async () => {
  const verifier = { ...config, userinfo: true };
  const { url, pending } = await beginVerification({ verifier, redirectUri: REDIRECT });
  const result = await finishVerification(pending, new URL(await personAnswers(url)), { redirectUri: REDIRECT });
  assert.equal(result.identity.name[0].family, 'Ortiz');
  assert.equal(result.assurance, 'ial2');
  assert.deepEqual(requests.map((r) => new URL(r.url).pathname),
    ['/.well-known/openid-configuration', '/token', '/.well-known/jwks.json', '/userinfo']);
  assert.ok(requests.every((r) => r.cache === 'no-store'));
  // A UserInfo answer about someone else (another sub) is refused.
  const again = await beginVerification({ verifier, redirectUri: REDIRECT });
  const location = await personAnswers(again.url);
  globalThis.fetch = async (u, init) => (String(u).endsWith('/userinfo')
    ? new Response(JSON.stringify({ sub: 'someone-else', given_name: 'X' }), { headers: { 'content-type': 'application/json' } })
    : realFetch(u, init));
  try {
    await assert.rejects(finishVerification(again.pending, new URL(location), { redirectUri: REDIRECT }), refused('token', /sub/));
  } finally {
    globalThis.fetch = (u, init = {}) => { requests.push({ url: String(u), cache: init.cache }); return realFetch(u, init); };
  }
});

test('a tampered id_token (or one with another nonce) is refused: the signature and nonce are checked', async () => {
  const tamper = (mutate) => async (url, init) => {
    const r = await realFetch(url, init);
    if (!String(url).endsWith('/token')) return r;
    const body = await r.json();
    const [h, p, s] = body.id_token.split('.');
    const claims = mutate(JSON.parse(Buffer.from(p, 'base64url')));
    body.id_token = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  for (const [mutate, message] of [
    [(c) => ({ ...c, verified_claims: { ...c.verified_claims, claims: { ...c.verified_claims.claims, family_name: 'Someone' } } }), /signature/i],
    [(c) => ({ ...c, nonce: 'another' }), /nonce/],
    [(c) => ({ ...c, aud: 'another-app' }), /aud/],
  ]) {
    const { url, pending } = await beginVerification({ verifier: config, redirectUri: REDIRECT });
    const location = await personAnswers(url);
    globalThis.fetch = tamper(mutate);
    try {
      await assert.rejects(finishVerification(pending, new URL(location), { redirectUri: REDIRECT }), refused('token', message));
    } finally {
      globalThis.fetch = (u, init = {}) => { requests.push({ url: String(u), cache: init.cache }); return realFetch(u, init); };
    }
  }
});

test('discovery: a verifier naming another issuer is a mix-up; an unreachable or plain-http one is refused', async () => {
  await assert.rejects(beginVerification({ verifier: { ...config, issuer: `${demo.issuer}/tenant` }, redirectUri: REDIRECT }), refused('discovery'));
  const other = `http://localhost:${new URL(demo.origin).port}`;  // same server, another name: its discovery names 127.0.0.1
  await assert.rejects(beginVerification({ verifier: { ...config, issuer: other }, redirectUri: REDIRECT }), refused('mix-up'));
  await assert.rejects(beginVerification({ verifier: { ...config, issuer: 'http://verifier.example' }, redirectUri: REDIRECT }),
    refused('discovery', /secure/));
  await assert.rejects(beginVerification({ verifier: { ...config, issuer: 'not a url' }, redirectUri: REDIRECT }), refused('discovery'));
});

// verifyIdentity with a fake widget window and popup: navigating the popup is
// "the person at the verifier", whose answer the callback page posts back.
function fakeWidget(answer) {
  const listeners = new Set();
  globalThis.window = {
    location: { origin: WIDGET, href: `${WIDGET}/` },
    addEventListener: (type, fn) => { if (type === 'message') listeners.add(fn); },
    removeEventListener: (type, fn) => { if (type === 'message') listeners.delete(fn); },
  };
  const popup = { closed: false, close() { popup.closed = true; } };
  popup.location = {
    set href(u) {
      Promise.resolve(answer(new URL(u))).then((url) => {
        if (url === 'close') { popup.closed = true; return; }
        for (const fn of [...listeners]) fn({ origin: 'http://evil.example', source: popup, data: { type: 'chartlock-smart-callback', url: `${REDIRECT}?code=forged` } });
        for (const fn of [...listeners]) fn({ origin: WIDGET, source: popup, data: { type: 'chartlock-smart-callback', url } });
      });
    },
  };
  return popup;
}

test('verifyIdentity: the popup flow; a cancel is "denied"; closing the popup is "popup-closed"', async () => {
  let popup = fakeWidget((u) => personAnswers(u));
  const result = await verifyIdentity({ verifier: config, redirectUri: REDIRECT, popup });
  assert.equal(result.identity.name[0].family, 'Ortiz');
  assert.equal(popup.closed, true);

  popup = fakeWidget((u) => personAnswers(u, { decision: 'cancel' }));
  await assert.rejects(verifyIdentity({ verifier: config, redirectUri: REDIRECT, popup }), refused('denied', /^You cancelled the identity check\.$/));
  assert.equal(popup.closed, true);

  popup = fakeWidget(() => 'close');
  await assert.rejects(verifyIdentity({ verifier: config, redirectUri: REDIRECT, popup }), refused('popup-closed'));
});
