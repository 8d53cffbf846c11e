// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Record location: which providers of the network hold the patient's records,
// asked with FHIR R4 `Patient/$match` and the verified identity as the bearer
// (docs/record-location.md). The queries — the verified details, then each
// with one detail relaxed — come from the core (`matchQueries`); this module
// sends them and reads the grades. When a provider is certain only once a
// detail is relaxed, the patient is told which (the core's words), and never
// shown anything the provider holds: its answers carry an id and a grade.

/** @typedef {import('./types').NetworkProvider} NetworkProvider */
/** @typedef {import('./types').LocateResult} LocateResult */
/** @typedef {import('./types').MatchQueries} MatchQueries */

export const MATCH_GRADE_URL = 'http://hl7.org/fhir/StructureDefinition/match-grade';
const TIMEOUT_MS = 20_000;
const PARALLEL = 4;

export class LocateError extends Error {
  /**
   * @param {'network' | 'refused' | 'http' | 'malformed'} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * The network's portals (its JSON file: docs/record-location.md), checked.
 * @param {unknown} doc
 * @returns {NetworkProvider[]}
 */
export function readNetwork(doc) {
  const list = /** @type {any} */ (doc)?.providers;
  if (!Array.isArray(list)) throw new LocateError('malformed', 'The provider network\'s list could not be read.');
  return list.filter((p) => p && typeof p.id === 'string' && typeof p.name === 'string' && typeof p.fhirBase === 'string'
    && /^https?:\/\//.test(p.fhirBase))
    .map((p) => ({ id: p.id, name: p.name, city: String(p.city ?? ''), state: String(p.state ?? ''), fhirBase: p.fhirBase.replace(/\/+$/, '') }));
}

/**
 * A $match request body.
 * @param {object} patient  a Patient resource (from the core)
 * @param {boolean} onlyCertainMatches
 */
export const matchParameters = (patient, onlyCertainMatches) => ({
  resourceType: 'Parameters',
  parameter: [{ name: 'resource', resource: patient }, { name: 'onlyCertainMatches', valueBoolean: onlyCertainMatches },
    { name: 'count', valueInteger: onlyCertainMatches ? 1 : 3 }],
});

/**
 * The best grade in a $match answer: 'certain', 'probable', 'possible', or null (none).
 * @param {any} bundle  the provider's JSON: untyped, from outside
 * @returns {'certain' | 'probable' | 'possible' | null}
 */
export function bestGrade(bundle) {
  if (bundle?.resourceType !== 'Bundle' || (bundle.entry !== undefined && !Array.isArray(bundle.entry))) {
    throw new LocateError('malformed', 'The provider answered with something other than a list of matches.');
  }
  /** @type {('certain' | 'probable' | 'possible')[]} */
  const order = ['certain', 'probable', 'possible'];
  let best = order.length;
  for (const e of bundle.entry ?? []) {
    if (e?.resource?.resourceType !== 'Patient') continue;
    const ext = (Array.isArray(e.search?.extension) ? e.search.extension : []).find((/** @type {any} */ x) => x?.url === MATCH_GRADE_URL);
    const i = order.indexOf(ext?.valueCode);
    if (i >= 0) best = Math.min(best, i);
  }
  return best < order.length ? order[best] : null;
}

/**
 * One $match: the best grade the provider answers.
 * @param {NetworkProvider} provider
 * @param {object} patient
 * @param {boolean} onlyCertainMatches
 * @param {string} idToken
 * @param {typeof fetch} fetchImpl
 */
async function askOnce(provider, patient, onlyCertainMatches, idToken, fetchImpl) {
  let response;
  try {
    response = await fetchImpl(`${provider.fhirBase}/Patient/$match`, {
      method: 'POST', cache: 'no-store', credentials: 'omit', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { Authorization: `Bearer ${idToken}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
      body: JSON.stringify(matchParameters(patient, onlyCertainMatches)),
    });
  } catch {
    throw new LocateError('network', 'Could not reach this provider. Check your connection and try again later.');
  }
  if (response.status === 401 || response.status === 403) {
    throw new LocateError('refused', 'This provider did not accept your identity check. Verify your identity again, then search again.');
  }
  if (!response.ok) throw new LocateError('http', `This provider could not answer just now (HTTP ${response.status}). Try again later.`);
  let body;
  try {
    body = await response.json();
  } catch {
    throw new LocateError('malformed', 'The provider answered with something other than a list of matches.');
  }
  return bestGrade(body);
}

/**
 * Asks one provider: the verified details; then, when it is not certain, each
 * relaxation in turn, until one makes it certain; then, if none does, whether
 * it holds someone who may be the patient.
 * @param {NetworkProvider} provider
 * @param {MatchQueries} queries
 * @param {string} idToken
 * @param {typeof fetch} fetchImpl
 * @returns {Promise<LocateResult>}
 */
export async function locateAt(provider, queries, idToken, fetchImpl) {
  try {
    if (await askOnce(provider, queries.query, true, idToken, fetchImpl) === 'certain') return { provider, status: 'found' };
    for (const r of queries.relaxations) {
      if (await askOnce(provider, r.query, true, idToken, fetchImpl) === 'certain') {
        return { provider, status: 'found-relaxed', found: r.found, advice: r.advice, field: r.field };
      }
    }
    const maybe = await askOnce(provider, queries.query, false, idToken, fetchImpl);
    return { provider, status: maybe ? 'uncertain' : 'not-found' };
  } catch (err) {
    return { provider, status: 'error', message: /** @type {Error} */ (err).message };
  }
}

/**
 * Asks every provider of the network, a few at a time.
 * @param {object} options
 * @param {NetworkProvider[]} options.providers
 * @param {MatchQueries} options.queries  the core's matchQueries for the verified identity
 * @param {string} options.idToken  the verifier's id_token: the only credential a $match carries
 * @param {(result: LocateResult, done: number) => void} [options.onResult]
 * @param {typeof fetch} [options.fetch]
 * @returns {Promise<LocateResult[]>} in the network's order
 */
export async function locateRecords({ providers, queries, idToken, onResult, fetch: fetchImpl = fetch }) {
  /** @type {LocateResult[]} */
  const results = new Array(providers.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < providers.length) {
      const i = next++;
      results[i] = await locateAt(providers[i], queries, idToken, fetchImpl);
      onResult?.(results[i], ++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, providers.length) }, worker));
  return results;
}
