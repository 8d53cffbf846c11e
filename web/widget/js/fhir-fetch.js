// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Fetching a patient's US Core resources from one portal: search per type,
// following `next` links, retrying transient failures with backoff, refreshing
// the access token when it expires mid-way. A type that fails is reported,
// the others are kept, and so is what the last sync brought of the failed type.
// Then the notes' text: attachments of DocumentReference and
// DiagnosticReport.presentedForm that point at a URL (a `Binary` under the
// FHIR base) are fetched with the portal's token and put inline, as the
// attachment's base64 `data`, before the core reads them (fetchAttachments).
import { refresh } from './smart.js';

/** @typedef {import('./types').Connection} Connection */
/** @typedef {import('./types').FetchProblem} FetchProblem */
/** @typedef {import('./types').FhirBundle} FhirBundle */
/** @typedef {import('./types').FhirResource} FhirResource */

// The US Core 6.1 searches for one patient (docs/record-location.md has the
// list and why): first each type as a whole; a type the portal refuses without
// a narrower search (US Core servers may require `category`, or `intent` for
// MedicationRequest, and answer 400 or 403 with an OperationOutcome) is then
// searched once per value it names, each failing on its own.
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const US_CORE_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/us-core-category';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';
const US_CORE_CONDITION_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/condition-category';
const DIAGNOSTIC_SERVICE = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const LOINC = 'http://loinc.org';
const CARE_PLAN_CATEGORY = 'http://hl7.org/fhir/us/core/CodeSystem/careplan-category';

/**
 * @typedef {object} Narrower  one narrower search of a type: a parameter's value, named for the patient
 * @property {string} param
 * @property {string} value
 * @property {string} words
 * @property {string} [code]  the category code its results carry (to keep the last sync's of that category only)
 */
/** @type {(system: string, code: string, words: string) => Narrower} */
const category = (system, code, words) => ({ param: 'category', value: `${system}|${code}`, words, code });

/** @type {{ type: string, narrower?: Narrower[] }[]} */
export const SEARCHES = [
  { type: 'AllergyIntolerance' },
  { type: 'CarePlan', narrower: [category(CARE_PLAN_CATEGORY, 'assess-plan', 'care plans')] },
  { type: 'Condition', narrower: [
    category(CONDITION_CATEGORY, 'problem-list-item', 'problem list'),
    category(US_CORE_CONDITION_CATEGORY, 'health-concern', 'health concerns'),
    category(CONDITION_CATEGORY, 'encounter-diagnosis', 'diagnoses from visits')] },
  { type: 'DiagnosticReport', narrower: [
    category(DIAGNOSTIC_SERVICE, 'LAB', 'lab reports'),
    category(LOINC, 'LP29684-5', 'radiology reports'),
    category(LOINC, 'LP29708-2', 'cardiology reports'),
    category(LOINC, 'LP7839-6', 'pathology reports')] },
  { type: 'DocumentReference' },
  { type: 'Encounter' },
  { type: 'Goal' },
  { type: 'Immunization' },
  { type: 'MedicationRequest', narrower: [{ param: 'intent',
    value: 'proposal,plan,order,original-order,reflex-order,filler-order,instance-order,option', words: 'prescriptions' }] },
  { type: 'MedicationStatement' },
  { type: 'Observation', narrower: [
    category(OBSERVATION_CATEGORY, 'laboratory', 'lab results'),
    category(OBSERVATION_CATEGORY, 'vital-signs', 'vital signs'),
    category(OBSERVATION_CATEGORY, 'social-history', 'social history'),
    category(OBSERVATION_CATEGORY, 'survey', 'questionnaires'),
    category(US_CORE_CATEGORY, 'sdoh', 'social needs'),
    category(OBSERVATION_CATEGORY, 'exam', 'exam findings'),
    category(OBSERVATION_CATEGORY, 'imaging', 'imaging results'),
    category(OBSERVATION_CATEGORY, 'procedure', 'procedure results'),
    category(US_CORE_CATEGORY, 'functional-status', 'functional status'),
    category(US_CORE_CATEGORY, 'cognitive-status', 'cognitive status')] },
  { type: 'Procedure' },
  { type: 'ServiceRequest' },
];
export const RESOURCE_TYPES = SEARCHES.map((s) => s.type);
// Resources that give the records' names (who wrote a note, where a visit
// was, which drug was prescribed): read one by one when a fetched resource
// points at one the searches did not bring, at most CHASE_LIMIT of them.
export const CHASED_TYPES = ['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication'];
const CHASE_LIMIT = 300;
const CHASE_PARALLEL = 4;
const PAGE_SIZE = 100;
const MAX_PAGES = 1000;  // a server that never stops paging is cut off
const RETRIES = 3;

// What each search brings, in the patient's words (for errors).
/** @type {Record<string, string>} */
export const RESOURCE_LABELS = {
  Patient: 'Your name, sex and date of birth', AllergyIntolerance: 'Allergies', CarePlan: 'Care plans',
  Condition: 'Conditions', DiagnosticReport: 'Test reports', DocumentReference: 'Clinical notes', Encounter: 'Visits',
  Goal: 'Goals', Immunization: 'Immunizations', MedicationRequest: 'Medications', MedicationStatement: 'Medications you take',
  Observation: 'Lab results, vital signs and other measurements', Procedure: 'Procedures',
  ServiceRequest: 'Orders and referrals', Binary: 'The text of clinical notes',
  Practitioner: 'Names of clinicians', PractitionerRole: 'Clinicians\' roles', Organization: 'Names of organizations',
  Location: 'Names of places', Medication: 'Names of medicines',
};

// Notes' attachments fetched from the portal: each at most this big, all of
// them together at most TOTAL; a bigger one is listed without its text.
// Attachments the core lists without reading: not worth the download.
const UNREAD = /^\s*(application\/pdf|image\/|audio\/|video\/)/i;
export const ATTACHMENT_LIMITS = { each: 2 * 1024 * 1024, total: 20 * 1024 * 1024, count: 500 };
// Resources a search brings besides its own type (MedicationRequest's _include).
/** @type {Record<string, string[]>} */
const INCLUDED = { MedicationRequest: ['Medication'] };

export class FetchError extends Error {
  /**
   * @param {'network' | 'http' | 'malformed' | 'no-patient'} code
   * @param {string} message
   * @param {number} [status]  the HTTP status, for 'http'
   */
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

/** @param {number} ms @returns {Promise<void>} */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One GET with the bearer token: retries network errors, 429 and 5xx
// (250 ms, 500 ms, 1 s), and refreshes the token once on 401. Returns the
// Response when it is OK.
/**
 * @param {Connection} connection
 * @param {string} url
 * @param {{ clientId: string, onTokens?: () => unknown, retryDelayMs?: number }} options
 * @param {string} accept
 * @returns {Promise<Response>}
 */
async function request(connection, url, { clientId, onTokens, retryDelayMs = 250 }, accept) {
  let refreshed = false;
  for (let attempt = 0; ; attempt += 1) {
    let response;
    try {
      // no-store: records never enter the browser's HTTP cache, whatever
      // caching headers the portal sends (and nothing cached is read back).
      response = await fetch(url, { cache: 'no-store',
        headers: { Accept: accept, Authorization: `Bearer ${connection.tokens.access_token}` } });
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
    if (!response.ok) throw new FetchError('http', `the portal answered with an error (HTTP ${response.status})`, response.status);
    return response;
  }
}

/**
 * @param {Connection} connection
 * @param {string} url
 * @param {{ clientId: string, onTokens?: () => unknown, retryDelayMs?: number }} options
 * @returns {Promise<any>}  the portal's JSON: untyped, from outside
 */
async function get(connection, url, options) {
  const response = await request(connection, url, options, 'application/fhir+json');
  try {
    return await response.json();
  } catch {
    throw new FetchError('malformed', 'the portal sent a page that is not valid JSON');
  }
}

// Next links must stay under the portal's own FHIR base URL (its origin and
// its base path: several tenants may share a host): the bearer token is never
// sent anywhere else.
/**
 * @param {string} link
 * @param {string} base
 */
export function checkNext(link, base) {
  let url;
  try {
    url = new URL(link);
  } catch {
    throw new FetchError('malformed', 'the portal sent a broken link to the next page of results');
  }
  const home = new URL(base);
  if (url.origin !== home.origin) {
    throw new FetchError('malformed', 'the portal pointed to another site for more results; Chartlock did not follow it');
  }
  // The URL parser has already resolved "." and ".." segments (also
  // percent-encoded ones); an encoded slash or backslash could still climb
  // out of the base on a server that decodes it, so it is not followed either.
  const basePath = home.pathname.replace(/\/+$/, '');
  if ((url.pathname !== basePath && !url.pathname.startsWith(`${basePath}/`)) || /%2f|%5c/i.test(url.pathname)) {
    throw new FetchError('malformed', 'the portal pointed outside its own records service for more results; Chartlock did not follow it');
  }
  return link;
}

// An attachment's URL, resolved against the FHIR base ("Binary/7" is
// relative to it): null unless it is under the base, as next links must be.
/**
 * @param {string} link
 * @param {string} base
 * @returns {string | null}
 */
export function attachmentUrl(link, base) {
  let url;
  try {
    url = new URL(link, `${base.replace(/\/+$/, '')}/`);
  } catch {
    return null;
  }
  try {
    return checkNext(url.href, base);
  } catch {
    return null;
  }
}

/** @param {Uint8Array} bytes */
export function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

// The body, read up to `limit` bytes: null when it is bigger (the rest is not read).
/**
 * @param {Response} response
 * @param {number} limit
 * @returns {Promise<Uint8Array | null>}
 */
async function readLimited(response, limit) {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    return null;
  }
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  /** @type {Uint8Array[]} */
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** @param {number} n */
const sizeWords = (n) => (n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MB` : `${Math.ceil(n / 1024)} KB`);

// Every attachment of the fetched notes that points at a URL and carries no
// data: fetched (under the FHIR base only, with the attachment's contentType
// as Accept, size-limited) and put inline as base64 `data`; the URL stays. A
// portal that answers with a FHIR Binary resource gives its `data` instead.
// One attachment that fails is reported and listed without its text; the
// others and every resource are kept.
/**
 * @param {Connection} connection
 * @param {FhirResource[]} resources
 * @param {{ clientId: string, onTokens?: () => unknown, retryDelayMs?: number }} options
 * @param {{ each: number, total: number, count: number }} [limits]
 * @returns {Promise<FetchProblem[]>}
 */
export async function fetchAttachments(connection, resources, options, limits = ATTACHMENT_LIMITS) {
  const base = connection.fhirBase;
  /** @type {FetchProblem[]} */
  const errors = [];
  let total = 0;
  let count = 0;
  for (const r of /** @type {any[]} untyped: resources as the portal sent them */ (resources)) {
    /** @type {any[]} */
    let attachments = [];
    if (r?.resourceType === 'DocumentReference' && Array.isArray(r.content)) {
      attachments = r.content.map((/** @type {any} */ c) => c?.attachment);
    } else if (r?.resourceType === 'DiagnosticReport' && Array.isArray(r.presentedForm)) {
      attachments = r.presentedForm;
    }
    const label = String(r?.type?.text ?? r?.type?.coding?.[0]?.display ?? r?.code?.text ?? r?.code?.coding?.[0]?.display ?? 'A note');
    for (const a of attachments) {
      if (!a || typeof a !== 'object' || typeof a.url !== 'string' || a.data !== undefined) continue;
      // What the core does not read (PDFs, images) is listed, not fetched.
      if (typeof a.contentType === 'string' && UNREAD.test(a.contentType)) continue;
      const name = `${label}${a.title ? ` (${a.title})` : ''}`;
      /** @param {string} why */
      const fail = (why) => errors.push({ type: 'Binary', message: `${name}: ${why}` });
      const url = attachmentUrl(a.url, base);
      if (!url) { fail('its text is on another site; Chartlock did not fetch it'); continue; }
      if (typeof a.size === 'number' && a.size > limits.each) {
        fail(`its text is too large to fetch (${sizeWords(a.size)}; at most ${sizeWords(limits.each)})`);
        continue;
      }
      if (count >= limits.count || total >= limits.total) {
        fail('not fetched: the notes already fetched reached the limit for one sync');
        continue;
      }
      count += 1;
      const contentType = typeof a.contentType === 'string' && a.contentType ? a.contentType : '*/*';
      try {
        const response = await request(connection, url, options, `${contentType}, application/fhir+json;q=0.1`);
        const type = response.headers.get('content-type') ?? '';
        const bytes = await readLimited(response, Math.min(limits.each, limits.total - total));
        if (!bytes) {
          fail(`its text is too large to fetch (at most ${sizeWords(Math.min(limits.each, limits.total - total))})`);
          continue;
        }
        total += bytes.length;
        const asFhir = /fhir\+json/.test(type) && !/fhir\+json/.test(contentType);
        if (asFhir) {
          // A FHIR Binary resource: its data is the attachment's.
          let binary;
          try { binary = JSON.parse(new TextDecoder().decode(bytes)); } catch { binary = null; }
          if (binary?.resourceType !== 'Binary' || typeof binary.data !== 'string') {
            fail('the portal sent something other than the note');
            continue;
          }
          a.data = binary.data;
          if (!a.contentType && typeof binary.contentType === 'string') a.contentType = binary.contentType;
        } else {
          a.data = toBase64(bytes);
          if (!a.contentType && type) a.contentType = type;
        }
      } catch (e) {
        if (e.code === 'expired') throw e;
        fail(e.message);
      }
    }
  }
  return errors;
}

// A type that failed keeps what the previous sync brought of it (and of what
// its search includes; of one category only when only that search failed): a
// portal's bad day must not erase records.
/**
 * @param {Map<string, FhirResource>} seen
 * @param {FhirBundle | undefined} previous
 * @param {string} type
 * @param {string} [code]  the failed search's category code
 */
function keepPrevious(seen, previous, type, code) {
  const types = new Set([type, ...(code ? [] : INCLUDED[type] ?? [])]);
  let kept = 0;
  for (const { resource } of previous?.entry ?? []) {
    const key = `${resource?.resourceType}/${resource?.id}`;
    if (!types.has(resource?.resourceType) || seen.has(key)) continue;
    if (code && !hasCategory(resource, code)) continue;
    seen.set(key, resource);
    kept += 1;
  }
  return kept;
}

/**
 * @param {any} resource  untyped: as the portal sent it
 * @param {string} code
 */
function hasCategory(resource, code) {
  const categories = Array.isArray(resource?.category) ? resource.category : [resource?.category];
  return categories.some((/** @type {any} */ c) => Array.isArray(c?.coding) && c.coding.some((/** @type {any} */ k) => k?.code === code));
}

// Every reference in a resource to one of CHASED_TYPES on this portal, as
// "Type/id": relative ("Practitioner/7") or absolute under the FHIR base;
// contained ("#x") and urn: references name nothing to fetch.
const REFERENCE = new RegExp(`^(${CHASED_TYPES.join('|')})/([A-Za-z0-9\\-.]{1,64})$`);
/**
 * @param {unknown} value
 * @param {string} base
 * @param {Set<string>} into
 * @param {number} [depth]
 */
function chasedReferences(value, base, into, depth = 0) {
  if (depth > 32 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const v of value) chasedReferences(v, base, into, depth + 1);
    return;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') {
      const local = v.startsWith(`${base}/`) ? v.slice(base.length + 1) : v;
      if (REFERENCE.test(local)) into.add(local);
    } else if (k !== 'contained' && k !== 'text') {
      chasedReferences(v, base, into, depth + 1);
    }
  }
}

// The resources the fetched ones point at for their names (CHASED_TYPES),
// read one by one, a few at a time. One that cannot be read costs its name
// only; the failures are counted per type.
/**
 * @param {Connection} connection
 * @param {Map<string, FhirResource>} seen
 * @param {{ clientId: string, onTokens?: () => unknown, retryDelayMs?: number }} options
 * @returns {Promise<FetchProblem[]>}
 */
async function chaseReferences(connection, seen, options) {
  const base = connection.fhirBase.replace(/\/+$/, '');
  /** @type {Set<string>} */
  const wanted = new Set();
  for (const r of seen.values()) chasedReferences(r, base, wanted);
  const todo = [...wanted].filter((ref) => !seen.has(ref));
  /** @type {Map<string, number>} */
  const failed = new Map();
  const fail = (/** @type {string} */ type) => failed.set(type, (failed.get(type) ?? 0) + 1);
  for (const ref of todo.slice(CHASE_LIMIT)) fail(ref.split('/')[0]);
  let next = 0;
  const worker = async () => {
    while (next < Math.min(todo.length, CHASE_LIMIT)) {
      const ref = todo[next++];
      const [type, id] = ref.split('/');
      try {
        const r = await get(connection, `${base}/${ref}`, options);
        if (r?.resourceType === type && r.id === id) seen.set(ref, r);
        else fail(type);
      } catch (e) {
        if (e.code === 'expired') throw e;
        fail(type);
      }
    }
  };
  await Promise.all(Array.from({ length: CHASE_PARALLEL }, worker));
  return [...failed].map(([type, n]) => ({ type,
    message: `${n} could not be read from the portal, so ${n === 1 ? 'one name is' : 'some names are'} missing` }));
}

// One search, all its pages, into `seen`.
/**
 * @param {Connection} connection
 * @param {string} url
 * @param {(r: any) => void} keep
 * @param {{ clientId: string, onTokens?: () => unknown, retryDelayMs?: number }} options
 * @param {() => void} onPage
 */
async function searchAll(connection, url, keep, options, onPage) {
  const base = connection.fhirBase;
  /** @type {string | undefined} */
  let link = url;
  for (let page = 0; link && page < MAX_PAGES; page += 1) {
    const bundle = await get(connection, link, options);
    if (bundle?.resourceType !== 'Bundle') throw new FetchError('malformed', 'the portal sent something other than a search result');
    for (const entry of bundle.entry ?? []) keep(entry.resource);
    const next = (bundle.link ?? []).find((/** @type {any} */ l) => l.relation === 'next')?.url;
    link = next && checkNext(next, base);
    onPage();
  }
}

// A refusal that a narrower search may get past: 400, 403 or 422 (a US Core
// server that requires `category` answers one of these with an OperationOutcome).
const NEEDS_NARROWER = new Set([400, 403, 422]);

// Returns { bundle: a collection Bundle of everything fetched, errors: [{type, message, kept}] };
// `previous` is the last sync's bundle, whose records of a failed type are kept.
/**
 * @typedef {object} FetchOptions
 * @property {string} clientId
 * @property {(progress: { done: number, total: number, type: string, resources: number }) => void} [onProgress]
 * @property {() => unknown} [onTokens]  called after the tokens were refreshed: save them
 * @property {number} [retryDelayMs]
 * @property {FhirBundle} [previous]
 */

/**
 * @param {Connection} connection
 * @param {FetchOptions} options
 * @returns {Promise<{ bundle: FhirBundle, errors: FetchProblem[] }>}
 */
export async function fetchPatientRecords(connection, { clientId, onProgress = () => {}, onTokens, retryDelayMs, previous } =
  /** @type {FetchOptions} the default is never used: clientId is required */ ({})) {
  const patientId = connection.tokens.patient;
  if (!patientId) throw new FetchError('no-patient', 'The portal did not say which patient signed in.');
  const base = connection.fhirBase;
  const opts = { clientId, onTokens, retryDelayMs };
  /** @type {Map<string, FhirResource>} */
  const seen = new Map();  // "Type/id" → resource: pages may repeat entries
  /** @type {FetchProblem[]} */
  const errors = [];
  /** @param {any} r  untyped: a resource as the portal sent it */
  const keep = (r) => {
    if (r?.resourceType && r.id) seen.set(`${r.resourceType}/${r.id}`, r);
  };
  const total = SEARCHES.length + 2;
  let done = 0;

  onProgress({ done, total, type: 'Patient', resources: 0 });
  try {
    keep(await get(connection, `${base}/Patient/${encodeURIComponent(patientId)}`, opts));
  } catch (e) {
    errors.push({ type: 'Patient', message: e.message });
  }
  onProgress({ done: ++done, total, type: 'Patient', resources: seen.size });

  for (const { type, narrower } of SEARCHES) {
    /** @param {Narrower} [n] */
    const url = (n) => {
      const query = new URLSearchParams({ patient: patientId });
      if (n) query.set(n.param, n.value);
      query.set('_count', String(PAGE_SIZE));
      if (type === 'MedicationRequest') query.set('_include', 'MedicationRequest:medication');
      return `${base}/${type}?${query}`;
    };
    const onPage = () => onProgress({ done, total, type, resources: seen.size });
    try {
      await searchAll(connection, url(), keep, opts, onPage);
    } catch (e) {
      if (e.code === 'expired') throw e;  // no point trying the other types
      if (!narrower || !NEEDS_NARROWER.has(e.status)) {
        errors.push({ type, message: e.message });
      } else {
        /** @type {FetchProblem[]} */
        const failed = [];
        for (const n of narrower) {
          try {
            await searchAll(connection, url(n), keep, opts, onPage);
          } catch (e2) {
            if (e2.code === 'expired') throw e2;
            failed.push({ type, category: n.code, message: `${n.words}: ${e2.message}` });
          }
        }
        // Refused whole and in every part: one problem, the first refusal's.
        errors.push(...(failed.length === narrower.length ? [{ type, message: e.message }] : failed));
      }
    }
    onProgress({ done: ++done, total, type, resources: seen.size });
  }
  for (const e of errors) e.kept = keepPrevious(seen, previous, e.type, e.category);
  // Names, then the notes' text: after every search, so that neither delays any records.
  onProgress({ done, total, type: 'Practitioner', resources: seen.size });
  errors.push(...await chaseReferences(connection, seen, opts));
  onProgress({ done: ++done, total, type: 'Binary', resources: seen.size });
  errors.push(...await fetchAttachments(connection, [...seen.values()], opts));
  /** @type {FhirBundle} */
  const bundle = {
    resourceType: 'Bundle', type: 'collection',
    entry: [...seen.values()].map((resource) => ({ fullUrl: `${base}/${resource.resourceType}/${resource.id}`, resource })),
  };
  return { bundle, errors };
}
