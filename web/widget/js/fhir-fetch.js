// Fetching a patient's US Core resources from one portal: search per type,
// following `next` links, retrying transient failures with backoff, refreshing
// the access token when it expires mid-way. A type that fails is reported and
// the others are kept.
import { refresh } from './smart.js';

export const RESOURCE_TYPES = [
  'AllergyIntolerance', 'CarePlan', 'Condition', 'DiagnosticReport', 'DocumentReference', 'Encounter',
  'Goal', 'Immunization', 'MedicationRequest', 'MedicationStatement', 'Observation', 'Procedure',
];
const PAGE_SIZE = 100;
const MAX_PAGES = 1000;  // a server that never stops paging is cut off
const RETRIES = 3;

export class FetchError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One GET with the bearer token: retries network errors, 429 and 5xx
// (250 ms, 500 ms, 1 s), and refreshes the token once on 401.
async function get(connection, url, { clientId, onTokens, retryDelayMs = 250 }) {
  let refreshed = false;
  for (let attempt = 0; ; attempt += 1) {
    let response;
    try {
      response = await fetch(url, { headers: { Accept: 'application/fhir+json', Authorization: `Bearer ${connection.tokens.access_token}` } });
    } catch (e) {
      if (attempt < RETRIES) { await sleep(retryDelayMs * 2 ** attempt); continue; }
      throw new FetchError('network', `the portal could not be reached (${e.message})`);
    }
    if (response.status === 401 && !refreshed) {
      refreshed = true;
      await refresh(connection, clientId);
      await onTokens?.();
      continue;
    }
    if ((response.status === 429 || response.status >= 500) && attempt < RETRIES) {
      const retryAfter = Number(response.headers.get('retry-after'));
      await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : retryDelayMs * 2 ** attempt);
      continue;
    }
    if (!response.ok) throw new FetchError('http', `the portal answered ${response.status}`);
    try {
      return await response.json();
    } catch {
      throw new FetchError('malformed', 'the portal sent a page that is not valid JSON');
    }
  }
}

// Next links must stay on the portal's own origin: the bearer token is
// never sent anywhere else.
function sameOrigin(link, base) {
  try {
    return new URL(link).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

// Returns { bundle: a collection Bundle of everything fetched, errors: [{type, message}] }.
export async function fetchPatientRecords(connection, { clientId, onProgress = () => {}, onTokens, retryDelayMs } = {}) {
  const patientId = connection.tokens.patient;
  if (!patientId) throw new FetchError('no-patient', 'The portal did not say which patient signed in.');
  const base = connection.fhirBase;
  const opts = { clientId, onTokens, retryDelayMs };
  const seen = new Map();  // "Type/id" → resource: pages may repeat entries
  const errors = [];
  const keep = (r) => {
    if (r?.resourceType && r.id) seen.set(`${r.resourceType}/${r.id}`, r);
  };
  const total = RESOURCE_TYPES.length + 1;
  let done = 0;

  onProgress({ done, total, type: 'Patient', resources: 0 });
  try {
    keep(await get(connection, `${base}/Patient/${encodeURIComponent(patientId)}`, opts));
  } catch (e) {
    errors.push({ type: 'Patient', message: e.message });
  }
  onProgress({ done: ++done, total, type: 'Patient', resources: seen.size });

  for (const type of RESOURCE_TYPES) {
    const query = new URLSearchParams({ patient: patientId, _count: String(PAGE_SIZE) });
    if (type === 'MedicationRequest') query.set('_include', 'MedicationRequest:medication');
    let url = `${base}/${type}?${query}`;
    try {
      for (let page = 0; url && page < MAX_PAGES; page += 1) {
        const bundle = await get(connection, url, opts);
        if (bundle?.resourceType !== 'Bundle') throw new FetchError('malformed', 'the portal sent something other than a search result');
        for (const entry of bundle.entry ?? []) keep(entry.resource);
        const next = (bundle.link ?? []).find((l) => l.relation === 'next')?.url;
        if (next && !sameOrigin(next, base)) throw new FetchError('malformed', 'the portal pointed to another site for more results');
        url = next;
        onProgress({ done, total, type, resources: seen.size });
      }
    } catch (e) {
      if (e.code === 'expired') throw e;  // no point trying the other types
      errors.push({ type, message: e.message });
    }
    onProgress({ done: ++done, total, type, resources: seen.size });
  }
  const bundle = {
    resourceType: 'Bundle', type: 'collection',
    entry: [...seen.values()].map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource })),
  };
  return { bundle, errors };
}
