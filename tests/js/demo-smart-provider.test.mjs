// SPDX-License-Identifier: Apache-2.0
// The demo provider portal is a real SMART on FHIR server: standalone launch
// with PKCE S256, refresh tokens, scopes, paging, strict US Core searches
// (Observation only by category), the record as a C-CDA document, and the
// failures a widget must survive.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { register } from 'node:module';
import { after, before, test } from 'node:test';

import { startProvider } from '../../demo/smart-provider/server.mjs';
import { runCli } from './support.mjs';

register(`data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('/vendor/oauth4webapi.js')) return next('oauth4webapi', context);
  return next(specifier, context);
}`)}`, import.meta.url);
const { fetchPatientRecords } = await import('../../web/widget/js/fhir-fetch.js');

const CLIENT = 'chartlock-widget';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const REDIRECT = 'http://127.0.0.1:9/callback.html';
let provider;
let shortLived;

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-portal-'));
  const gen = runCli(['generate', '--seed', '3', '--size', '300KB', '--providers', '2', '--out', dir]);
  assert.equal(gen.status, 0, gen.stderr);
  const common = { clients: { [CLIENT]: { redirectUris: [REDIRECT] } }, user: 'maria', password: 'pw-1',
    allowedOrigins: ['http://127.0.0.1:9000'] };
  provider = await startProvider({ ...common, data: path.join(dir, 'provider-1.json'), name: 'Clinic One' });
  shortLived = await startProvider({ ...common, data: path.join(dir, 'provider-2.json'), name: 'Clinic Two', tokenTtlSeconds: 1 });
});
after(async () => { await provider?.close(); await shortLived?.close(); });

const pkce = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

async function authorizeUrl(p, { scope = 'launch/patient patient/*.rs offline_access', challenge, extra = {} } = {}) {
  const conf = await (await fetch(`${p.fhirBase}/.well-known/smart-configuration`)).json();
  const u = new URL(conf.authorization_endpoint);
  const params = { response_type: 'code', client_id: CLIENT, redirect_uri: REDIRECT, scope, state: 'st-1',
    aud: p.fhirBase, code_challenge: challenge, code_challenge_method: 'S256', ...extra };
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u;
}

// The patient's part: open the login page, sign in, get redirected back.
async function login(p, opts = {}) {
  const page = await fetch(await authorizeUrl(p, opts), { redirect: 'manual' });
  if (page.status !== 200) return page;
  const html = await page.text();
  const request = /name="request" value="([^"]+)"/.exec(html)[1];
  return fetch(`${p.origin}/authorize`, {
    method: 'POST', redirect: 'manual',
    body: new URLSearchParams({ request, username: 'maria', password: opts.password ?? 'pw-1', decision: opts.decision ?? 'allow' }),
  });
}

async function tokenRequest(p, form) {
  const r = await fetch(`${p.origin}/token`, { method: 'POST', body: new URLSearchParams(form) });
  return { status: r.status, body: await r.json() };
}

async function connect(p, opts = {}) {
  const { verifier, challenge } = pkce();
  const back = await login(p, { ...opts, challenge });
  assert.equal(back.status, 302);
  const location = new URL(back.headers.get('location'));
  assert.equal(location.searchParams.get('state'), 'st-1');
  const code = location.searchParams.get('code');
  const t = await tokenRequest(p, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: verifier });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  return t.body;
}

const get = (p, pathAndQuery, token) => fetch(pathAndQuery.startsWith('http') ? pathAndQuery : `${p.fhirBase}/${pathAndQuery}`,
  { headers: { Authorization: `Bearer ${token}`, Accept: 'application/fhir+json' } });

test('discovery advertises standalone launch for public clients with PKCE S256', async () => {
  const conf = await (await fetch(`${provider.fhirBase}/.well-known/smart-configuration`)).json();
  assert.deepEqual(conf.code_challenge_methods_supported, ['S256']);
  for (const c of ['launch-standalone', 'client-public', 'context-standalone-patient', 'permission-v2']) {
    assert.ok(conf.capabilities.includes(c), c);
  }
  const meta = await (await fetch(`${provider.fhirBase}/metadata`)).json();
  assert.equal(meta.fhirVersion, '4.0.1');
});

test('the full flow: login, code for token with PKCE, then FHIR search with paging', async () => {
  const token = await connect(provider);
  assert.equal(token.token_type, 'Bearer');
  assert.ok(token.refresh_token, 'offline_access gives a refresh token');
  assert.equal(token.patient, provider.store.patient.id);
  const all = provider.store.search('Observation', { category: 'laboratory' });
  let url = `Observation?patient=${token.patient}&category=laboratory&_count=25`;
  const seen = new Set();
  let pages = 0;
  while (url) {
    const r = await get(provider, url, token.access_token);
    assert.equal(r.status, 200);
    const bundle = await r.json();
    assert.equal(bundle.type, 'searchset');
    assert.equal(bundle.total, all.length);
    for (const e of bundle.entry) seen.add(e.resource.id);
    url = bundle.link.find((l) => l.relation === 'next')?.url;
    pages += 1;
  }
  assert.equal(seen.size, all.length);
  assert.equal(pages, Math.ceil(all.length / 25));
  const patient = await (await get(provider, `Patient/${token.patient}`, token.access_token)).json();
  assert.equal(patient.resourceType, 'Patient');
});

test('references are server-relative, as a FHIR server returns them', async () => {
  const token = await connect(provider);
  const bundle = await (await get(provider, 'Observation?category=vital-signs&_count=5', token.access_token)).json();
  for (const e of bundle.entry) assert.match(e.resource.subject.reference, /^Patient\//);
});

test('_lastUpdated, category and _include narrow the search', async () => {
  const token = await connect(provider);
  const future = await (await get(provider, 'Observation?category=laboratory&_lastUpdated=gt2999-01-01T00:00:00Z', token.access_token)).json();
  assert.equal(future.total, 0);
  const labs = await (await get(provider, 'Observation?category=laboratory&_count=200', token.access_token)).json();
  assert.ok(labs.total > 0 && labs.total < provider.store.search('Observation').length);
  const meds = await (await get(provider, 'MedicationRequest?_include=MedicationRequest:medication&_count=200', token.access_token)).json();
  const referenced = meds.entry.filter((e) => e.search.mode === 'match' && e.resource.medicationReference?.reference?.startsWith('Medication/'));
  if (referenced.length) assert.ok(meds.entry.some((e) => e.search.mode === 'include'));
});

test('strict US Core: Observation needs a category, as code or system|code', async () => {
  const token = await connect(provider);
  const refused = await get(provider, `Observation?patient=${token.patient}`, token.access_token);
  assert.equal(refused.status, 403);
  const outcome = await refused.json();
  assert.equal(outcome.resourceType, 'OperationOutcome');
  assert.match(outcome.issue[0].diagnostics, /category/);
  const total = async (q) => (await (await get(provider, `Observation?patient=${token.patient}&${q}&_count=1`, token.access_token)).json()).total;
  const labs = provider.store.byType.get('Observation').filter((o) => o.category?.[0]?.coding?.[0]?.code === 'laboratory').length;
  assert.ok(labs > 0);
  assert.equal(await total('category=laboratory'), labs);
  assert.equal(await total(`category=${encodeURIComponent(`${OBSERVATION_CATEGORY}|laboratory`)}`), labs);
  assert.equal(await total(`category=${encodeURIComponent('http://example.org/other|laboratory')}`), 0, 'another system is another code');
  const vitals = await total('category=vital-signs');
  assert.ok(vitals > 0);
  assert.equal(await total('category=laboratory,vital-signs'), labs + vitals, 'a comma means any of them');
  const meta = await (await fetch(`${provider.fhirBase}/metadata`)).json();
  const obs = meta.rest[0].resource.find((r) => r.type === 'Observation');
  assert.deepEqual(obs.searchParam.map((p) => [p.name, p.documentation]), [['category', 'required']]);
});

test('strict US Core: the practitioners, organizations, places and drugs records name are read by id, not searched; ServiceRequest is searched', async () => {
  const token = await connect(provider);
  // The generated records name no place or drug resource: one of each, as a record would point at.
  provider.store.upsert({ resourceType: 'Location', id: 'clinic-room', name: 'Room 4' });
  provider.store.upsert({ resourceType: 'Medication', id: 'metformin', code: { text: 'Metformin 500 mg' } });
  for (const type of ['Practitioner', 'Organization', 'Location', 'Medication']) {
    const [one] = provider.store.byType.get(type);
    const r = await get(provider, `${type}/${one.id}`, token.access_token);
    assert.equal(r.status, 200, type);
    assert.equal((await r.json()).id, one.id);
    assert.equal((await get(provider, `${type}?patient=${token.patient}`, token.access_token)).status, 403, type);
  }
  const orders = await get(provider, `ServiceRequest?patient=${token.patient}`, token.access_token);
  assert.equal(orders.status, 200);
  assert.equal((await orders.json()).type, 'searchset');
});

test('the widget\'s fetch (fhir-fetch.js) still gets every record from the strict portal', async () => {
  const token = await connect(provider);
  const connection = { fhirBase: provider.fhirBase, conf: {}, tokens: token };
  const { bundle, errors } = await fetchPatientRecords(connection, { clientId: CLIENT, retryDelayMs: 1 });
  assert.deepEqual(errors, []);
  const got = new Set(bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  for (const type of ['Observation', 'Condition', 'Encounter', 'Practitioner', 'Organization', 'DocumentReference']) {
    for (const r of provider.store.byType.get(type) ?? []) assert.ok(got.has(`${type}/${r.id}`), `${type}/${r.id}`);
  }
});

test('the record as a C-CDA document: a DocumentReference whose Binary is the XML', async () => {
  const token = await connect(provider);
  const notes = await (await get(provider, `DocumentReference?patient=${token.patient}`, token.access_token)).json();
  const ccd = notes.entry.map((e) => e.resource).find((d) => d.type?.coding?.[0]?.code === '34133-9');
  assert.ok(ccd, 'a Summary of episode note');
  const { url, contentType } = ccd.content[0].attachment;
  const r = await fetch(`${provider.fhirBase}/${url}`, { headers: { Authorization: `Bearer ${token.access_token}`, Accept: contentType } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/xml');
  assert.match(await r.text(), /^<\?xml[^>]*>\s*<ClinicalDocument xmlns="urn:hl7-org:v3"/);
});

test('a wrong code_verifier, a reused code and a wrong redirect_uri are refused', async () => {
  const { verifier, challenge } = pkce();
  const back = await login(provider, { challenge });
  const code = new URL(back.headers.get('location')).searchParams.get('code');
  const bad = await tokenRequest(provider, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: pkce().verifier });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error, 'invalid_grant');
  const reused = await tokenRequest(provider, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT, code_verifier: verifier });
  assert.equal(reused.body.error, 'invalid_grant', 'a code is single-use, even after a failed exchange');
});

test('authorize refuses unregistered redirects without redirecting, and requires PKCE', async () => {
  const page = await fetch(await authorizeUrl(provider, { challenge: pkce().challenge, extra: { redirect_uri: 'https://evil.example/cb' } }), { redirect: 'manual' });
  assert.equal(page.status, 400);
  assert.equal(page.headers.get('location'), null);
  const noPkce = await fetch(await authorizeUrl(provider, { challenge: undefined, extra: { code_challenge_method: 'plain' } }), { redirect: 'manual' });
  assert.equal(noPkce.status, 302);
  assert.equal(new URL(noPkce.headers.get('location')).searchParams.get('error'), 'invalid_request');
});

test('a wrong password shows the form again; deny returns access_denied', async () => {
  const wrong = await login(provider, { challenge: pkce().challenge, password: 'nope' });
  assert.equal(wrong.status, 401);
  assert.match(await wrong.text(), /did not match/);
  const denied = await login(provider, { challenge: pkce().challenge, decision: 'deny' });
  assert.equal(new URL(denied.headers.get('location')).searchParams.get('error'), 'access_denied');
});

test('scopes limit what a token reads', async () => {
  const token = await connect(provider, { scope: 'launch/patient patient/Observation.rs' });
  assert.equal((await get(provider, 'Observation?category=laboratory&_count=1', token.access_token)).status, 200);
  assert.equal((await get(provider, 'Condition', token.access_token)).status, 403);
  assert.equal(token.refresh_token, undefined, 'no offline_access, no refresh token');
});

test('expired tokens get 401; a refresh token works once and rotates', async () => {
  const token = await connect(shortLived);
  await new Promise((r) => setTimeout(r, 1100));
  const expired = await get(shortLived, 'Condition', token.access_token);
  assert.equal(expired.status, 401);
  assert.match(expired.headers.get('www-authenticate'), /invalid_token/);
  const refreshed = await tokenRequest(shortLived, { grant_type: 'refresh_token', refresh_token: token.refresh_token, client_id: CLIENT });
  assert.equal(refreshed.status, 200);
  assert.equal((await get(shortLived, 'Condition', refreshed.body.access_token)).status, 200);
  const again = await tokenRequest(shortLived, { grant_type: 'refresh_token', refresh_token: token.refresh_token, client_id: CLIENT });
  assert.equal(again.body.error, 'invalid_grant');
});

test('injected failures: a 500 page and a malformed page, once each', async () => {
  const token = await connect(provider);
  await fetch(`${provider.origin}/_demo/faults`, { method: 'POST',
    body: JSON.stringify({ faults: [{ path: '^/Observation', status: 500, times: 1 }, { path: '^/Condition', status: 'malformed', times: 1 }] }) });
  assert.equal((await get(provider, 'Observation?category=laboratory', token.access_token)).status, 500);
  assert.equal((await get(provider, 'Observation?category=laboratory', token.access_token)).status, 200);
  const malformed = await get(provider, 'Condition', token.access_token);
  await assert.rejects(malformed.json());
  assert.equal((await get(provider, 'Condition', token.access_token)).status, 200);
});

test('injected broken pages: not a search result, and next links broken or elsewhere', async () => {
  const token = await connect(provider);
  await fetch(`${provider.origin}/_demo/faults`, { method: 'POST', body: JSON.stringify({ faults: [
    { path: '^/Condition', status: 'not-a-bundle', times: 1 }, { path: '^/Encounter', status: 'foreign-next', times: 1 },
    { path: '^/Procedure', status: 'broken-next', times: 1 }] }) });
  assert.equal((await (await get(provider, 'Condition', token.access_token)).json()).resourceType, 'OperationOutcome');
  const next = async (type) => (await (await get(provider, type, token.access_token)).json()).link.find((l) => l.relation === 'next').url;
  assert.notEqual(new URL(await next('Encounter')).origin, provider.origin);
  const broken = await next('Procedure');
  assert.throws(() => new URL(broken), TypeError);
  assert.equal((await (await get(provider, 'Condition', token.access_token)).json()).resourceType, 'Bundle');  // once only
});

test('CORS answers only the allowed widget origin', async () => {
  const ok = await fetch(`${provider.fhirBase}/metadata`, { headers: { Origin: 'http://127.0.0.1:9000' } });
  assert.equal(ok.headers.get('access-control-allow-origin'), 'http://127.0.0.1:9000');
  const other = await fetch(`${provider.fhirBase}/metadata`, { headers: { Origin: 'https://evil.example' } });
  assert.equal(other.headers.get('access-control-allow-origin'), null);
});
