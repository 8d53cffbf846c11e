// SPDX-License-Identifier: Apache-2.0
// The demo identity verifier is a real OpenID Connect provider: discovery,
// an Ed25519 JWK Set, the code flow with PKCE S256 and nonce, an id_token
// with OIDC4IDA verified_claims, and each failure a person can meet.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';

import { demoIdCard, demoSelfie, demoUnreadablePhoto, readDemoDocument } from '../../demo/identity-verifier/demo-documents.mjs';
import { verifyIdToken } from '../../demo/identity-verifier/id-token.mjs';
import { startVerifier } from '../../demo/identity-verifier/server.mjs';

const CLIENT = 'chartlock-widget';
const REDIRECT = 'http://127.0.0.1:9/callback.html';
const TODAY = '2026-12-04';
const PERSON = { given: 'María Elena', family: 'Núñez', birthDate: '1984-03-12' };
const FACE = 'face-maria';
let verifier;

before(async () => {
  verifier = await startVerifier({ clients: { [CLIENT]: { redirectUris: [REDIRECT] } }, today: () => TODAY,
    samplePerson: PERSON, tokenTtlSeconds: 300 });
});
after(async () => { await verifier?.close(); });

const pkce = () => {
  const v = randomBytes(32).toString('base64url');
  return { verifier: v, challenge: createHash('sha256').update(v).digest('base64url') };
};

function authorizeUrl({ challenge, nonce = 'n-1', state = 'st-1', extra = {} } = {}) {
  const u = new URL(`${verifier.origin}/authorize`);
  const params = { response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, scope: 'openid profile email phone address',
    state, nonce, code_challenge: challenge, code_challenge_method: 'S256', ...extra };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u;
}

const typed = {
  given: 'maria  elena', family: 'NUNEZ', otherFamily: 'Lopez, García', birthDate: PERSON.birthDate, sex: 'female',
  street: '12 Elm Street', city: 'Springfield', state: 'il', zip: '62701',
  prevStreet: '4 Oak Avenue', prevCity: 'Chicago', prevState: 'IL', prevZip: '60601',
  phone: '+1 217 555 0100', email: 'maria@example.org',
};
const validId = () => demoIdCard({ ...PERSON, expires: '2030-01-31', face: FACE });
const matchingSelfie = () => demoSelfie({ face: FACE });

// The person's part: open the form, fill it in, upload the photos (a real multipart body).
async function submit({ challenge, fields = {}, idPhoto = validId(), selfie = matchingSelfie(), decision = 'verify', urlOptions = {} } = {}) {
  const page = await fetch(authorizeUrl({ challenge, ...urlOptions }));
  assert.equal(page.status, 200);
  const html = await page.text();
  const request = /name="request" value="([^"]+)"/.exec(html)[1];
  const form = new FormData();
  for (const [k, v] of Object.entries({ request, ...typed, ...fields, decision })) form.set(k, v);
  if (idPhoto) form.set('idPhoto', new Blob([idPhoto], { type: 'image/png' }), 'id.png');
  if (selfie) form.set('selfie', new Blob([selfie], { type: 'image/png' }), 'selfie.png');
  const r = await fetch(`${verifier.origin}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  return { response: r, request };
}

async function tokenRequest(form) {
  const r = await fetch(`${verifier.origin}/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: r.status, body: await r.json(), headers: r.headers };
}

async function verify() {
  const { verifier: codeVerifier, challenge } = pkce();
  const { response } = await submit({ challenge });
  assert.equal(response.status, 302, await response.clone().text());
  const back = new URL(response.headers.get('location'));
  const code = back.searchParams.get('code');
  return { back, code, codeVerifier };
}

test('discovery is OpenID Connect with Identity Assurance; the JWK Set holds one Ed25519 key', async () => {
  const r = await fetch(`${verifier.origin}/.well-known/openid-configuration`, { headers: { Origin: 'https://anyone.example' } });
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('access-control-allow-origin'), '*');
  const conf = await r.json();
  assert.equal(conf.issuer, verifier.issuer);
  assert.equal(conf.authorization_endpoint, `${verifier.origin}/authorize`);
  assert.equal(conf.token_endpoint, `${verifier.origin}/token`);
  assert.equal(conf.userinfo_endpoint, `${verifier.origin}/userinfo`);
  assert.equal(conf.jwks_uri, `${verifier.origin}/.well-known/jwks.json`);
  assert.deepEqual(conf.response_types_supported, ['code']);
  assert.deepEqual(conf.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(conf.id_token_signing_alg_values_supported, ['EdDSA']);
  assert.equal(conf.authorization_response_iss_parameter_supported, true);
  assert.equal(conf.verified_claims_supported, true);
  assert.deepEqual(conf.trust_frameworks_supported, ['chartlock_demo']);
  assert.deepEqual(conf.evidence_supported, ['document']);
  for (const c of ['given_name', 'family_name', 'birthdate', 'address', 'phone_number', 'email']) assert.ok(conf.claims_supported.includes(c), c);

  const keys = await (await fetch(conf.jwks_uri)).json();
  assert.equal(keys.keys.length, 1);
  const [k] = keys.keys;
  assert.equal(k.kty, 'OKP');
  assert.equal(k.crv, 'Ed25519');
  assert.equal(k.use, 'sig');
  assert.equal(k.alg, 'EdDSA');
  assert.ok(k.kid);
  assert.equal(k.d, undefined, 'no private part');
  assert.deepEqual(keys, verifier.jwks);
});

test('the identity form: its own page, strict CSP, no-store, labels, autofocus, and the demo documents', async () => {
  const { challenge } = pkce();
  const r = await fetch(authorizeUrl({ challenge }));
  assert.equal(r.status, 200);
  const csp = r.headers.get('content-security-policy');
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /script-src/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  const html = await r.text();
  assert.doesNotMatch(html, /<script/);
  assert.match(html, /<meta name="viewport"/);
  const inputs = [...html.matchAll(/<(?:input|select) id="([^"]+)"/g)].map((m) => m[1]);
  for (const id of ['given', 'family', 'otherFamily', 'birthDate', 'sex', 'street', 'city', 'state', 'zip', 'prevStreet', 'phone', 'email', 'idPhoto', 'selfie']) {
    assert.ok(inputs.includes(id), id);
    assert.match(html, new RegExp(`<label for="${id}">`), `label for ${id}`);
  }
  assert.match(html, /<input id="given"[^>]* autofocus/);
  assert.equal(html.match(/autofocus/g).length, 1);
  // The demo documents, clearly labelled, for the sample person.
  assert.match(html, /<details><summary>Demo documents \(demo only\)/);
  const links = [...html.matchAll(/<a href="([^"]+)" download/g)].map((m) => m[1].replaceAll('&amp;', '&'));
  assert.equal(links.length, 5);
  const docs = await Promise.all(links.map(async (l) => {
    const d = await fetch(l);
    assert.equal(d.headers.get('content-type'), 'image/png');
    assert.equal(d.headers.get('cache-control'), 'no-store');
    return readDemoDocument(new Uint8Array(await d.arrayBuffer()));
  }));
  const [valid, expired, unreadable, selfie, other] = docs;
  assert.equal(valid.kind, 'id');
  assert.equal(valid.given, PERSON.given);
  assert.ok(valid.expires > TODAY);
  assert.ok(expired.expires < TODAY);
  assert.equal(unreadable, null);
  assert.equal(selfie.face, valid.face);
  assert.notEqual(other.face, valid.face);
});

test('the code flow over HTTP: PKCE S256, state, iss, a signed id_token with verified_claims', async () => {
  const { back, code, codeVerifier } = await verify();
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('state'), 'st-1');
  assert.equal(back.searchParams.get('iss'), verifier.issuer);
  assert.ok(code);
  const t = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: codeVerifier });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  assert.equal(t.headers.get('cache-control'), 'no-store');
  assert.equal(t.body.token_type, 'Bearer');
  assert.equal(t.body.expires_in, 300);
  assert.ok(t.body.access_token);

  const [header] = t.body.id_token.split('.').map((p, i) => (i < 2 ? JSON.parse(Buffer.from(p, 'base64url')) : p));
  assert.deepEqual(header, { alg: 'EdDSA', kid: verifier.jwks.keys[0].kid, typ: 'JWT' });
  const claims = await verifyIdToken(t.body.id_token, verifier.jwks, { issuer: verifier.issuer, audience: CLIENT });
  assert.equal(claims.iss, verifier.issuer);
  assert.equal(claims.aud, CLIENT);
  assert.equal(claims.nonce, 'n-1');
  assert.equal(claims.acr, 'urn:chartlock:demo:ial2');
  assert.equal(claims.exp - claims.iat, 24 * 3600);
  assert.ok(claims.sub.length >= 32);
  const { verification, claims: proven } = claims.verified_claims;
  assert.equal(verification.trust_framework, 'chartlock_demo');
  assert.equal(verification.assurance_level, 'ial2');
  assert.ok(!Number.isNaN(Date.parse(verification.time)));
  assert.equal(verification.evidence[0].type, 'document');
  assert.equal(verification.evidence[0].document_details.type, 'driving_permit');
  // The name and birth date as the ID shows them; the rest as typed.
  assert.deepEqual(proven, {
    given_name: 'María Elena', family_name: 'Núñez', birthdate: '1984-03-12', gender: 'female',
    address: { street_address: '12 Elm Street', locality: 'Springfield', region: 'IL', postal_code: '62701', country: 'US' },
    phone_number: '+1 217 555 0100', email: 'maria@example.org',
  });
  assert.deepEqual(claims.chartlock_other_names, [{ family_name: 'Lopez', given_name: 'María Elena' }, { family_name: 'García', given_name: 'María Elena' }]);
  assert.deepEqual(claims.chartlock_previous_addresses,
    [{ street_address: '4 Oak Avenue', locality: 'Chicago', region: 'IL', postal_code: '60601', country: 'US' }]);
  // UserInfo: the same claims, for the access token's subject.
  const info = await (await fetch(`${verifier.origin}/userinfo`, { headers: { Authorization: `Bearer ${t.body.access_token}` } })).json();
  assert.equal(info.sub, claims.sub);
  assert.deepEqual(info.verified_claims, claims.verified_claims);
  const noToken = await fetch(`${verifier.origin}/userinfo`, { headers: { Authorization: 'Bearer not-a-token-at-all-xxxxxxxx' } });
  assert.equal(noToken.status, 401);
  // Each verification is a new subject.
  const again = await verify();
  const t2 = await tokenRequest({ grant_type: 'authorization_code', code: again.code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: again.codeVerifier });
  assert.notEqual((await verifyIdToken(t2.body.id_token, verifier.jwks, { issuer: verifier.issuer, audience: CLIENT })).sub, claims.sub);
});

test('the optional fields may be left out', async () => {
  const { verifier: codeVerifier, challenge } = pkce();
  const { response } = await submit({ challenge, fields: { otherFamily: '', sex: '', prevStreet: '', prevCity: '', prevState: '', prevZip: '' } });
  assert.equal(response.status, 302);
  const code = new URL(response.headers.get('location')).searchParams.get('code');
  const t = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: codeVerifier });
  const claims = await verifyIdToken(t.body.id_token, verifier.jwks, { issuer: verifier.issuer, audience: CLIENT });
  assert.equal(claims.verified_claims.claims.gender, undefined);
  assert.equal(claims.chartlock_other_names, undefined);
  assert.equal(claims.chartlock_previous_addresses, undefined);
});

// Each failure: its own code and plain message on the verifier's page, with
// "try again" and what was typed kept; and no code issued.
const FAILURE_CASES = [
  ['an ID photo that is not a PNG', { idPhoto: Buffer.from('not an image at all') }, 'unreadable-photo', /could not read your ID in this photo/, /four corners visible/],
  ['a photo without demo text', { idPhoto: demoUnreadablePhoto() }, 'unreadable-photo', /could not read your ID/, /good light/],
  ['a truncated ID photo', { idPhoto: validId().subarray(0, 300) }, 'unreadable-photo', /could not read your ID/, /four corners/],
  ['no ID photo', { idPhoto: null }, 'unreadable-photo', /could not read your ID/, /four corners/],
  ['an unreadable selfie', { selfie: demoUnreadablePhoto() }, 'unreadable-photo', /could not see your face clearly in this selfie/, /new selfie in good light/],
  ['a selfie used as the ID', { idPhoto: matchingSelfie() }, 'unreadable-photo', /could not read your ID/, /four corners/],
  ['an expired ID', { idPhoto: demoIdCard({ ...PERSON, expires: '2026-12-03', face: FACE }) }, 'expired-id', /expired on 2026-12-03/, /still valid/],
  ['someone else\'s selfie', { selfie: demoSelfie({ face: 'someone-else' }) }, 'selfie-mismatch', /does not match the photo on your ID/, /your own face/],
  ['another name', { fields: { given: 'Mary' } }, 'name-differs', /You entered &quot;Mary NUNEZ&quot;, but your ID says &quot;María Elena Núñez&quot;/, /exactly as it is printed on your ID/],
  ['another birth date', { fields: { birthDate: '1984-03-21' } }, 'birthdate-differs', /You entered 1984-03-21, but your ID says 1984-03-12/, /as it is printed on your ID/],
];
for (const [what, opts, code, message, todo] of FAILURE_CASES) {
  test(`failure: ${what} → ${code}`, async () => {
    const { challenge } = pkce();
    const { response, request } = await submit({ challenge, ...opts });
    assert.equal(response.status, 422);
    assert.equal(response.headers.get('location'), null);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const html = await response.text();
    assert.match(html, new RegExp(`<div class="failure" role="alert" data-code="${code}">`));
    assert.match(html, message);
    assert.match(html, todo);
    assert.match(html, /Try again/);
    // What was typed is kept (files never are); the same request can be tried again.
    assert.match(html, /<input id="street" name="street" type="text" value="12 Elm Street"/);
    assert.match(html, /<option value="female" selected>/);
    assert.match(html, new RegExp(`name="request" value="${request}"`));
    assert.doesNotMatch(html, /value="[^"]*PNG/);
  });
}

test('try again after a failure: the same form request succeeds with the right photos', async () => {
  const { verifier: codeVerifier, challenge } = pkce();
  const first = await submit({ challenge, selfie: demoSelfie({ face: 'someone-else' }) });
  assert.equal(first.response.status, 422);
  const form = new FormData();
  for (const [k, v] of Object.entries({ request: first.request, ...typed, decision: 'verify' })) form.set(k, v);
  form.set('idPhoto', new Blob([validId()]), 'id.png');
  form.set('selfie', new Blob([matchingSelfie()]), 'selfie.png');
  const r = await fetch(`${verifier.origin}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(r.status, 302);
  const code = new URL(r.headers.get('location')).searchParams.get('code');
  const t = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: codeVerifier });
  assert.equal(t.status, 200);
});

test('a missing required field is asked for again, with role=alert', async () => {
  const { challenge } = pkce();
  const { response } = await submit({ challenge, fields: { email: '', zip: '' } });
  assert.equal(response.status, 400);
  const html = await response.text();
  assert.match(html, /role="alert">Please fill in: ZIP code, email\./);
});

test('cancel → access_denied with state and iss; the request is then gone', async () => {
  const { challenge } = pkce();
  const { response, request } = await submit({ challenge, decision: 'cancel', idPhoto: null, selfie: null });
  assert.equal(response.status, 302);
  const back = new URL(response.headers.get('location'));
  assert.equal(back.searchParams.get('error'), 'access_denied');
  assert.equal(back.searchParams.get('state'), 'st-1');
  assert.equal(back.searchParams.get('iss'), verifier.issuer);
  assert.equal(back.searchParams.get('code'), null);
  const form = new FormData();
  for (const [k, v] of Object.entries({ request, ...typed, decision: 'verify' })) form.set(k, v);
  const again = await fetch(`${verifier.origin}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  assert.equal(again.status, 400);
  assert.match(await again.text(), /This page has expired/);
});

test('codes: a wrong PKCE verifier, another redirect_uri or client, and reuse are refused', async () => {
  const exchange = (code, extra) => tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, ...extra });
  let { code, codeVerifier } = await verify();
  let t = await exchange(code, { code_verifier: pkce().verifier });
  assert.equal(t.status, 400);
  assert.equal(t.body.error, 'invalid_grant');
  assert.match(t.body.error_description, /code_verifier/);
  t = await exchange(code, { code_verifier: codeVerifier });
  assert.equal(t.status, 400, 'a code is single-use, even after a failed exchange');

  ({ code, codeVerifier } = await verify());
  t = await exchange(code, { code_verifier: codeVerifier, redirect_uri: 'http://127.0.0.1:9/other' });
  assert.equal(t.body.error, 'invalid_grant');

  ({ code, codeVerifier } = await verify());
  t = await exchange(code, { code_verifier: codeVerifier, client_id: 'someone-else' });
  assert.equal(t.body.error, 'invalid_grant');

  ({ code, codeVerifier } = await verify());
  t = await exchange(code, { code_verifier: codeVerifier });
  assert.equal(t.status, 200);
  t = await exchange(code, { code_verifier: codeVerifier });
  assert.equal(t.status, 400);
  assert.match(t.body.error_description, /unknown, used or expired/);

  t = await tokenRequest({ grant_type: 'refresh_token', refresh_token: 'x', client_id: CLIENT });
  assert.equal(t.body.error, 'unsupported_grant_type');
});

test('authorize requests: an unregistered client or redirect_uri gets an error page, never a redirect', async () => {
  const { challenge } = pkce();
  for (const extra of [{ redirect_uri: 'http://127.0.0.1:9/evil' }, { client_id: 'unknown' }, { client_id: '__proto__' }]) {
    const r = await fetch(authorizeUrl({ challenge, extra }), { redirect: 'manual' });
    assert.equal(r.status, 400);
    assert.equal(r.headers.get('location'), null);
    assert.match(await r.text(), /role="alert"/);
  }
  // Errors the client may hear about are redirected, with state and iss.
  for (const [extra, error] of [[{ code_challenge: undefined }, 'invalid_request'], [{ scope: 'profile' }, 'invalid_scope'],
    [{ nonce: '' }, 'invalid_request'], [{ response_type: 'token' }, 'unsupported_response_type'], [{ code_challenge_method: 'plain' }, 'invalid_request']]) {
    const r = await fetch(authorizeUrl({ challenge, extra }), { redirect: 'manual' });
    assert.equal(r.status, 302, JSON.stringify(extra));
    const back = new URL(r.headers.get('location'));
    assert.equal(back.searchParams.get('error'), error);
    assert.equal(back.searchParams.get('state'), 'st-1');
    assert.equal(back.searchParams.get('iss'), verifier.issuer);
  }
});

test('an oversize upload is refused (413) and no code is issued; so is an oversize photo', async () => {
  const { challenge } = pkce();
  const big = Buffer.alloc(13 * 1024 * 1024, 1);
  const { response } = await submit({ challenge, selfie: big });
  assert.equal(response.status, 413);
  assert.equal(response.headers.get('location'), null);
  assert.match(await response.text(), /too large/);
  const photo = Buffer.concat([validId(), Buffer.alloc(5 * 1024 * 1024)]);
  const second = await submit({ challenge, idPhoto: photo });
  assert.equal(second.response.status, 413);
  assert.match(await second.response.text(), /5 MB or smaller/);
  // A malformed multipart body is a 400, not a crash.
  const bad = await fetch(`${verifier.origin}/authorize`, { method: 'POST', headers: { 'Content-Type': 'multipart/form-data; boundary=xyz' },
    body: '--xyz\r\nContent-Disposition: form-data; name="request"\r\n\r\nabc' });
  assert.equal(bad.status, 400);
});

test('CORS: the token endpoint answers the registered clients\' origins only', async () => {
  const pre = await fetch(`${verifier.origin}/token`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:9', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'http://127.0.0.1:9');
  const other = await fetch(`${verifier.origin}/token`, { method: 'POST', headers: { Origin: 'https://evil.example' }, body: new URLSearchParams({ grant_type: 'x' }) });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});

test('verifyIdToken refuses a tampered, foreign, expired or misaddressed token', async () => {
  const { code, codeVerifier } = await verify();
  const t = await tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: codeVerifier });
  const token = t.body.id_token;
  const expect = { issuer: verifier.issuer, audience: CLIENT };
  const [h, p, s] = token.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url'));
  const forged = Buffer.from(JSON.stringify({ ...payload, verified_claims: { ...payload.verified_claims,
    claims: { ...payload.verified_claims.claims, family_name: 'Someone' } } })).toString('base64url');
  await assert.rejects(() => verifyIdToken(`${h}.${forged}.${s}`, verifier.jwks, expect), /signature does not verify/);
  const flipped = `${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`;
  await assert.rejects(() => verifyIdToken(`${h}.${p}.${flipped}`, verifier.jwks, expect), /signature/);
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  await assert.rejects(() => verifyIdToken(`${none}.${p}.`, verifier.jwks, expect), /EdDSA/);
  await assert.rejects(() => verifyIdToken(token, verifier.jwks, { ...expect, audience: 'another-app' }), /another client/);
  await assert.rejects(() => verifyIdToken(token, verifier.jwks, { ...expect, issuer: 'https://other.example' }), /another issuer/);
  await assert.rejects(() => verifyIdToken(token, verifier.jwks, { ...expect, now: Date.now() + 25 * 3600 * 1000 }), /expired/);
  await assert.rejects(() => verifyIdToken(token, verifier.jwks, { ...expect, now: Date.now() - 3600 * 1000 }), /future/);
  const other = await startVerifier({ clients: { [CLIENT]: { redirectUris: [REDIRECT] } } });
  try {
    await assert.rejects(() => verifyIdToken(token, other.jwks, expect), /key the verifier does not publish/);
  } finally { await other.close(); }
  await assert.rejects(() => verifyIdToken('a.b', verifier.jwks, expect), /compact JWS/);
  await assert.rejects(() => verifyIdToken(42, verifier.jwks, expect), /missing/);
});

test('demo documents are real PNGs that round-trip; anything else reads as unreadable, never a crash', async () => {
  const card = demoIdCard({ given: 'Zoë', family: 'O\'Brien', birthDate: '1990-07-01', expires: '2031-01-01', face: 'f' });
  assert.deepEqual(card.subarray(0, 8), Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  assert.deepEqual(await readDemoDocument(card), { kind: 'id', given: 'Zoë', family: 'O\'Brien', birthDate: '1990-07-01', expires: '2031-01-01', face: 'f' });
  assert.deepEqual(await readDemoDocument(demoSelfie({ face: 'f' })), { kind: 'selfie', face: 'f' });
  for (let cut = 0; cut < card.length; cut += 7) assert.equal(await readDemoDocument(card.subarray(0, cut)), null, `cut at ${cut}`);
  const flipped = Buffer.from(card);
  flipped[60] ^= 0xff;
  assert.equal(await readDemoDocument(flipped), null, 'a bad checksum');
  for (const junk of [Buffer.alloc(0), Buffer.from('GIF89a'), randomBytes(4096), null, undefined, 'text', demoUnreadablePhoto()]) {
    assert.equal(await readDemoDocument(junk), null);
  }
  // A card with a bad date inside is unreadable too.
  assert.equal(await readDemoDocument(demoIdCard({ given: 'A', family: 'B', birthDate: '1990-02-30', expires: '2031-01-01', face: 'f' })), null);
});

test('demo documents are served on request; bad requests are refused', async () => {
  const u = new URL(`${verifier.origin}/demo-documents`);
  u.search = new URLSearchParams({ kind: 'id', given: 'Ann', family: 'Lee', birthDate: '1970-01-02', expires: '2029-05-05', face: 'x' }).toString();
  const r = await fetch(u);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-disposition'), /^attachment/);
  assert.equal((await readDemoDocument(new Uint8Array(await r.arrayBuffer()))).family, 'Lee');
  const bad = await fetch(`${verifier.origin}/demo-documents?kind=id&given=Ann`);
  assert.equal(bad.status, 400);
});
