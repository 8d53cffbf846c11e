// SPDX-License-Identifier: Apache-2.0
// Record location: the demo network's portals answer Patient/$match with the
// core's matcher; the widget's locate.js asks them with the verified details,
// then one detail relaxed at a time, and says which detail a portal holds
// differently. Nothing about anyone but the verified person can be asked.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { FORMER_FAMILY_NAME, NETWORK_PROVIDERS, networkDemographics, patientOf } from '../../demo/record-network.mjs';
import { checkQueryIsAbout } from '../../demo/smart-provider/patient-match.mjs';
import { startProvider } from '../../demo/smart-provider/server.mjs';
import { bestGrade, locateAt, locateRecords, readNetwork } from '../../web/widget/js/locate.js';
import { loadCore, runCli } from './support.mjs';

let core;
let patient;
const portals = {};  // variant → provider
const TOKEN = 'verified-token';

// The claims an identity verifier vouches for (OIDC verified_claims), from a Patient.
function claimsOf(p, { otherNames = [] } = {}) {
  const official = p.name.find((n) => n.use === 'official') ?? p.name[0];
  const a = p.address[0];
  return {
    verified_claims: { verification: { trust_framework: 'test', assurance_level: 'ial2' }, claims: {
      given_name: official.given.join(' '), family_name: official.family, birthdate: p.birthDate, gender: p.gender,
      phone_number: p.telecom?.find((t) => t.system === 'phone')?.value,
      address: { street_address: a.line.join(', '), locality: a.city, region: a.state, postal_code: a.postalCode, country: a.country },
    } },
    chartlock_other_names: otherNames.map((family) => ({ family_name: family })),
  };
}

// The verified identity as the widget hands it to the core (identity.js's mapping).
function verifiedPatient(p, { otherNames = [] } = {}) {
  const official = p.name.find((n) => n.use === 'official') ?? p.name[0];
  return { resourceType: 'Patient', name: [{ use: 'official', family: official.family, given: official.given },
    ...otherNames.map((family) => ({ use: 'old', family }))], birthDate: p.birthDate, gender: p.gender,
  telecom: p.telecom, address: p.address };
}

before(async () => {
  core = await loadCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-network-'));
  for (const [sub, seed, n] of [['held', '2026', '5'], ['namesake', '2029', '1']]) {
    const r = runCli(['generate', '--seed', seed, '--size', '60KB', '--providers', n, '--out', path.join(dir, sub)]);
    assert.equal(r.status, 0, r.stderr);
  }
  patient = patientOf(path.join(dir, 'held', 'provider-1.json'));
  const claims = claimsOf(patient, { otherNames: [FORMER_FAMILY_NAME] });
  const match = {
    grade: (q, c) => JSON.parse(core.matchGrade(q, c)),
    verify: async (token) => { if (token !== TOKEN) throw new Error('bad signature'); return claims; },
  };
  const variants = ['exact', ...NETWORK_PROVIDERS.map((p) => p.variant)];
  for (const [i, variant] of variants.entries()) {
    const namesake = variant === 'namesake';
    portals[variant] = await startProvider({
      data: path.join(dir, namesake ? 'namesake' : 'held', `provider-${namesake ? 1 : i + 1}.json`), name: variant,
      clients: {}, match,
      demographics: networkDemographics(variant, patient),
    });
  }
});
after(async () => { for (const p of Object.values(portals)) await p.close(); });

const asProvider = (portal) => ({ id: portal.name, name: portal.name, city: '', state: '', fhirBase: portal.fhirBase });
const queriesFor = (p) => JSON.parse(core.matchQueries(JSON.stringify(verifiedPatient(p, { otherNames: [FORMER_FAMILY_NAME] }))));

test('the core writes the $match queries: the verified details, then each relaxed', () => {
  const q = queriesFor(patient);
  assert.equal(q.query.resourceType, 'Patient');
  assert.equal(q.query.birthDate, patient.birthDate);
  assert.equal(q.query.id, undefined, 'no id, nothing but what matching uses');
  const fields = q.relaxations.map((r) => r.field);
  assert.deepEqual(fields, ['address', 'phone', 'name', 'birthDate']);
  const year = q.relaxations.find((r) => r.field === 'birthDate');
  assert.equal(year.query.birthDate, patient.birthDate.slice(0, 4));
  const former = q.relaxations.find((r) => r.field === 'name');
  assert.equal(former.query.name[0].family, FORMER_FAMILY_NAME);
  assert.deepEqual(former.query.name[0].given, patient.name[0].given, 'a former surname keeps the given names');
  assert.throws(() => core.matchQueries('{"resourceType":"Observation"}'), /one Patient/);
});

test('each portal of the network: found, found with one detail relaxed (and which), or not found', async () => {
  const queries = queriesFor(patient);
  const expect = {
    exact: { status: 'found' },
    nickname: { status: 'found' },
    'old-address': { status: 'found-relaxed', field: 'address', advice: 'ask them to update your address' },
    'birth-date-typo': { status: 'found-relaxed', field: 'birthDate', advice: 'ask them to check your date of birth' },
    'former-name': { status: 'found-relaxed', field: 'name', advice: 'ask them to update your name' },
    namesake: { status: 'not-found' },
  };
  for (const [variant, want] of Object.entries(expect)) {
    const r = await locateAt(asProvider(portals[variant]), queries, TOKEN, fetch);
    for (const [k, v] of Object.entries(want)) assert.equal(r[k], v, `${variant}: ${k} (${JSON.stringify(r)})`);
  }
  // All at once, in the network's order.
  const all = await locateRecords({ providers: Object.values(portals).map(asProvider), queries, idToken: TOKEN });
  assert.deepEqual(all.map((r) => r.status), Object.keys(portals).map((v) => expect[v].status));
});

test('a portal answers an id and a grade, nothing it holds', async () => {
  const r = await fetch(`${portals.exact.fhirBase}/Patient/$match`, { method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'resource', resource: queriesFor(patient).query },
      { name: 'onlyCertainMatches', valueBoolean: true }] }) });
  assert.equal(r.status, 200);
  const bundle = await r.json();
  assert.equal(bundle.type, 'searchset');
  assert.equal(bundle.entry.length, 1);
  assert.deepEqual(Object.keys(bundle.entry[0].resource).sort(), ['id', 'resourceType']);
  assert.equal(bundle.entry[0].search.extension[0].url, 'http://hl7.org/fhir/StructureDefinition/match-grade');
  assert.ok(bundle.entry[0].search.score > 0 && bundle.entry[0].search.score <= 1);
  assert.equal(bestGrade(bundle), 'certain');
});

test('no identity, a bad one, or a query about someone else: refused', async () => {
  const queries = queriesFor(patient);
  const post = (headers, body) => fetch(`${portals.exact.fhirBase}/Patient/$match`, { method: 'POST', headers, body });
  const body = JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'resource', resource: queries.query }] });
  assert.equal((await post({ 'Content-Type': 'application/fhir+json' }, body)).status, 401);
  assert.equal((await post({ Authorization: 'Bearer forged' }, body)).status, 401);
  assert.equal((await post({ Authorization: `Bearer ${TOKEN}` }, '{"resourceType":"Patient"}')).status, 400);
  assert.equal((await post({ Authorization: `Bearer ${TOKEN}` }, '{not json')).status, 400);
  // Another person's details with the patient's identity: refused, and said so.
  const someoneElse = { ...queries.query, birthDate: '1990-01-01' };
  const r = await post({ Authorization: `Bearer ${TOKEN}` },
    JSON.stringify({ resourceType: 'Parameters', parameter: [{ name: 'resource', resource: someoneElse }] }));
  assert.equal(r.status, 403);
  const located = await locateAt(asProvider(portals.exact), { query: someoneElse, relaxations: [] }, TOKEN, fetch);
  assert.equal(located.status, 'error');
  assert.match(located.message, /did not accept your identity/);
  // The check itself: each detail must be one the identity vouches for.
  const claims = claimsOf(patient);
  assert.doesNotThrow(() => checkQueryIsAbout(queries.query, claims));
  assert.throws(() => checkQueryIsAbout({ ...queries.query, name: [{ family: 'Else', given: ['Someone'] }] }, claims), /name/);
  assert.throws(() => checkQueryIsAbout({ ...queries.query, telecom: [{ system: 'phone', value: '555-000-1111' }] }, claims), /phone/);
  assert.throws(() => checkQueryIsAbout({ ...queries.query, name: [] }, claims), /name/);
});

test('a portal that cannot answer is an error for that portal, not the search', async () => {
  const gone = { id: 'x', name: 'Gone', city: '', state: '', fhirBase: 'http://127.0.0.1:9/fhir' };
  const r = await locateAt(gone, queriesFor(patient), TOKEN, fetch);
  assert.equal(r.status, 'error');
  assert.match(r.message, /Could not reach/);
  const garbled = await locateAt(asProvider(portals.exact), queriesFor(patient), TOKEN,
    async () => new Response('<html>', { status: 200 }));
  assert.equal(garbled.status, 'error');
  assert.throws(() => bestGrade({ resourceType: 'OperationOutcome' }), /list of matches/);
  assert.deepEqual(readNetwork({ providers: [{ id: 'a', name: 'A', fhirBase: 'javascript:alert(1)' }, { id: 'b', name: 'B', fhirBase: 'https://b.example/fhir/' }] })
    .map((p) => p.fhirBase), ['https://b.example/fhir']);
  assert.throws(() => readNetwork({}), /could not be read/);
});
