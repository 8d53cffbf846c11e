// SPDX-License-Identifier: Apache-2.0
// The US Core searches (web/widget/js/fhir-fetch.js) against a portal that
// behaves as strict US Core servers do: Observation and MedicationRequest
// refused without `category` / `intent` (403 with an OperationOutcome), one
// category refused on its own, and names (Practitioner, Organization,
// Medication) only by reading the resource a record points at.
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { afterEach, test } from 'node:test';

register(`data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('/vendor/oauth4webapi.js')) return next('oauth4webapi', context);
  return next(specifier, context);
}`)}`, import.meta.url);
const { fetchPatientRecords, SEARCHES } = await import('../../web/widget/js/fhir-fetch.js');

const BASE = 'https://portal.example/tenant-a/fhir';
const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

const json = (body, status = 200) => new Response(JSON.stringify(body),
  { status, headers: { 'content-type': 'application/fhir+json' } });
const outcome = (status, text) => json({ resourceType: 'OperationOutcome',
  issue: [{ severity: 'error', code: 'required', diagnostics: text }] }, status);
const searchset = (resources) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });
const connection = () => ({ fhirBase: BASE, conf: {}, tokens: { access_token: 'at-1', patient: 'p1' } });
const obsCat = (code) => [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code }] }];

const GLUCOSE = { resourceType: 'Observation', id: 'glucose', category: obsCat('laboratory'),
  performer: [{ reference: 'Organization/lab' }] };
const OBSERVATIONS = {
  laboratory: [GLUCOSE],
  'vital-signs': [{ resourceType: 'Observation', id: 'bp', category: obsCat('vital-signs') }, GLUCOSE],  // in two searches: kept once
};

// `refuse`: category codes this portal answers 400 for.
function strictPortal(calls, { refuse = ['sdoh'], missing = ['Practitioner/gone'] } = {}) {
  return async (input) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    calls.push(url);
    const path = url.pathname.replace('/tenant-a/fhir', '');
    const q = url.searchParams;
    if (path !== '/Patient/p1' && !path.match(/^\/[A-Za-z]+\/[^/]+$/) && q.get('patient') !== 'p1') return outcome(400, 'patient required');
    const category = q.get('category')?.split('|').pop();
    switch (path) {
      case '/Patient/p1': return json({ resourceType: 'Patient', id: 'p1' });
      case '/Observation':
        if (!category) return outcome(403, 'category is required');
        if (refuse.includes(category)) return outcome(400, 'unsupported category');
        return json(searchset(OBSERVATIONS[category] ?? []));
      case '/MedicationRequest':
        if (!q.get('intent')) return outcome(403, 'intent is required');
        assert.match(q.get('intent'), /(^|,)order(,|$)/);
        return json(searchset([{ resourceType: 'MedicationRequest', id: 'mr1', status: 'active', intent: 'order',
          medicationReference: { reference: 'Medication/met' }, requester: { reference: `${BASE}/Practitioner/dr` } }]));
      case '/DocumentReference':
        return json(searchset([{ resourceType: 'DocumentReference', id: 'note', status: 'current',
          author: [{ reference: 'Practitioner/dr' }, { reference: 'Practitioner/gone' }, { reference: '#contained' },
            { reference: 'urn:uuid:1' }, { reference: 'https://elsewhere.example/fhir/Practitioner/x' }],
          custodian: { reference: 'Organization/clinic' }, content: [] }]));
      case '/CarePlan': return outcome(403, 'not allowed');
      case '/Practitioner/dr': return json({ resourceType: 'Practitioner', id: 'dr', name: [{ text: 'Dr Ada Lee' }] });
      case '/Organization/clinic': return json({ resourceType: 'Organization', id: 'clinic', name: 'Riverside Clinic' });
      case '/Organization/lab': return json({ resourceType: 'Organization', id: 'lab', name: 'City Lab' });
      case '/Medication/met': return json({ resourceType: 'Medication', id: 'met', code: { text: 'Metformin 500 mg' } });
      default:
        if (missing.some((m) => path === `/${m}`)) return outcome(404, 'not found');
        if (/^\/[A-Za-z]+$/.test(path)) return json(searchset([]));
        return outcome(404, 'not found');
    }
  };
}

test('a type refused without a category is searched per category; each refusal is its own problem', async () => {
  const calls = [];
  globalThis.fetch = strictPortal(calls);
  const { bundle, errors } = await fetchPatientRecords(connection(), { clientId: 'widget', retryDelayMs: 1 });
  const ids = bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`);
  assert.ok(ids.includes('Observation/glucose') && ids.includes('Observation/bp'));
  assert.equal(ids.filter((i) => i === 'Observation/glucose').length, 1, 'one resource from two searches is kept once');
  assert.ok(ids.includes('MedicationRequest/mr1'), 'MedicationRequest searched again with intent');

  const observationSearches = calls.filter((u) => u.pathname.endsWith('/Observation'));
  const observationCategories = SEARCHES.find((s) => s.type === 'Observation').narrower.length;
  assert.equal(observationSearches.length, 1 + observationCategories, 'the whole type, then each category once');
  assert.ok(observationSearches.slice(1).every((u) => /\|/.test(u.searchParams.get('category'))), 'categories are searched as system|code');

  const byType = errors.map((e) => `${e.type}: ${e.message}`);
  assert.ok(byType.some((m) => /^Observation: social needs: .*HTTP 400/.test(m)), byType.join('\n'));
  assert.equal(errors.filter((e) => e.type === 'Observation').length, 1, 'only the refused category is a problem');
  assert.ok(byType.some((m) => /^CarePlan: .*HTTP 403/.test(m)), 'CarePlan refused whole and per category: one problem');
  assert.equal(errors.filter((e) => e.type === 'CarePlan').length, 1);
});

test('names are read from the resources that records point at, on this portal only', async () => {
  const calls = [];
  globalThis.fetch = strictPortal(calls);
  const { bundle, errors } = await fetchPatientRecords(connection(), { clientId: 'widget', retryDelayMs: 1 });
  const ids = new Set(bundle.entry.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  for (const id of ['Practitioner/dr', 'Organization/clinic', 'Organization/lab', 'Medication/met']) assert.ok(ids.has(id), id);
  const reads = calls.filter((u) => /\/(Practitioner|Organization|Medication)\//.test(u.pathname)).map((u) => u.href);
  assert.equal(reads.filter((h) => h.endsWith('/Practitioner/dr')).length, 1, 'a name pointed at twice (relative and absolute) is read once');
  assert.ok(reads.every((h) => h.startsWith(`${BASE}/`)), 'nothing is read from another site');
  assert.ok(!reads.some((h) => h.includes('contained') || h.includes('urn')), reads.join('\n'));
  const names = errors.find((e) => e.type === 'Practitioner');
  assert.match(names.message, /^1 could not be read .*one name is missing/);
});

test('a category refused this time keeps that category\'s records from the last sync, and no others', async () => {
  const previous = { resourceType: 'Bundle', type: 'collection', entry: [
    { resource: { resourceType: 'Observation', id: 'old-sdoh', category: [{ coding: [{ code: 'sdoh' }] }] } },
    { resource: { resourceType: 'Observation', id: 'old-lab', category: obsCat('laboratory') } },
    { resource: { resourceType: 'CarePlan', id: 'old-plan' } },
  ] };
  globalThis.fetch = strictPortal([]);
  const { bundle, errors } = await fetchPatientRecords(connection(), { clientId: 'widget', retryDelayMs: 1, previous });
  const ids = new Set(bundle.entry.map((e) => e.resource.id));
  assert.ok(ids.has('old-sdoh'), 'the refused category keeps its old records');
  assert.ok(!ids.has('old-lab'), 'a lab result the portal no longer lists is not brought back');
  assert.ok(ids.has('old-plan'));
  assert.equal(errors.find((e) => e.category === 'sdoh').kept, 1);
});

test('a portal that answers the whole-type search is not asked per category', async () => {
  const calls = [];
  const strict = strictPortal(calls);
  globalThis.fetch = async (input) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    if (url.pathname.endsWith('/Observation') && !url.searchParams.get('category')) {
      calls.push(url);
      return json(searchset(OBSERVATIONS['vital-signs']));
    }
    return strict(input);
  };
  const { errors } = await fetchPatientRecords(connection(), { clientId: 'widget', retryDelayMs: 1 });
  assert.equal(calls.filter((u) => u.pathname.endsWith('/Observation')).length, 1);
  assert.ok(!errors.some((e) => e.type === 'Observation'));
});

test('a server error is not a reason to search per category', async () => {
  const calls = [];
  const strict = strictPortal(calls);
  globalThis.fetch = async (input) => {
    const url = new URL(typeof input === 'string' ? input : input.url);
    if (url.pathname.endsWith('/Observation')) { calls.push(url); return outcome(500, 'down'); }
    return strict(input);
  };
  const { errors } = await fetchPatientRecords(connection(), { clientId: 'widget', retryDelayMs: 1 });
  assert.equal(calls.filter((u) => u.pathname.endsWith('/Observation')).length, 4, 'one search, retried three times');
  assert.equal(errors.filter((e) => e.type === 'Observation').length, 1);
});
