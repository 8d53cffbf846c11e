// SPDX-License-Identifier: Apache-2.0
// FHIR R4 `Patient/$match` on a demo portal, as a record-location network
// asks it: the caller presents a verified identity (the identity verifier's
// signed id_token) as its bearer, and may ask only about that person — with
// the details it verified, fewer of them, the year of the birth date alone,
// or a former name the person declared. The portal grades the patient it
// holds with the core's matcher (docs/persons.md, "Record location") and
// answers a searchset whose entries carry `search.score` and the match-grade
// extension. It returns the patient's id and nothing else it holds: the
// caller learns whether it was found, not what the portal has on file.
import { verifyIdToken } from '../identity-verifier/id-token.mjs';

export const MATCH_GRADE_URL = 'http://hl7.org/fhir/StructureDefinition/match-grade';
const GRADES = ['certain', 'probable', 'possible'];

export class MatchRefused extends Error {
  /**
   * @param {number} status
   * @param {string} code  a FHIR issue type
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const fold = (s) => String(s ?? '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
const digits = (s) => String(s ?? '').replace(/\D/g, '').slice(-10);

/** The details an id_token's claims vouch for (verified) or the person declared (other names, previous addresses). */
function vouched(claims) {
  const c = claims?.verified_claims?.claims;
  if (!c) throw new MatchRefused(401, 'login', 'the identity presented has no verified claims');
  const names = [{ family: c.family_name, given: c.given_name }];
  for (const n of claims.chartlock_other_names ?? []) names.push({ family: n.family_name, given: n.given_name ?? c.given_name });
  const addresses = [c.address, ...(claims.chartlock_previous_addresses ?? [])].filter(Boolean);
  return {
    names: new Set(names.map((n) => fold(`${n.given ?? ''} ${n.family ?? ''}`))),
    birthDate: String(c.birthdate ?? ''),
    phones: new Set([c.phone_number].filter(Boolean).map(digits)),
    emails: new Set([c.email].filter(Boolean).map(fold)),
    postalCodes: new Set(addresses.map((a) => String(a.postal_code ?? '').slice(0, 5))),
  };
}

/**
 * Refuses a query about anyone but the verified person: every detail it
 * sends must be one the identity vouches for.
 */
export function checkQueryIsAbout(query, claims) {
  const v = vouched(claims);
  const refuse = (what) => { throw new MatchRefused(403, 'forbidden', `the query's ${what} is not the verified person's`); };
  const names = Array.isArray(query.name) ? query.name : [];
  if (names.length === 0) refuse('name (none given)');
  for (const n of names) {
    if (!v.names.has(fold(`${(n.given ?? []).join(' ')} ${n.family ?? ''}`))) refuse('name');
  }
  const b = String(query.birthDate ?? '');
  if (!b || !(b === v.birthDate || (b.length === 4 && v.birthDate.startsWith(b)))) refuse('birth date');
  for (const t of Array.isArray(query.telecom) ? query.telecom : []) {
    if (t.system === 'phone' && !v.phones.has(digits(t.value))) refuse('phone');
    if (t.system === 'email' && !v.emails.has(fold(t.value))) refuse('email');
  }
  for (const a of Array.isArray(query.address) ? query.address : []) {
    if (!v.postalCodes.has(String(a.postalCode ?? '').slice(0, 5))) refuse('address');
  }
}

/** The Patient and options of a $match Parameters resource. */
export function readMatchParameters(body) {
  if (body?.resourceType !== 'Parameters' || !Array.isArray(body.parameter)) {
    throw new MatchRefused(400, 'invalid', 'a $match request is a Parameters resource');
  }
  const param = (name) => body.parameter.find((p) => p?.name === name);
  const query = param('resource')?.resource;
  if (query?.resourceType !== 'Patient') throw new MatchRefused(400, 'required', 'the "resource" parameter must be a Patient');
  const count = param('count')?.valueInteger;
  return {
    query,
    onlyCertainMatches: param('onlyCertainMatches')?.valueBoolean === true,
    count: Number.isInteger(count) && count > 0 ? count : 10,
  };
}

/**
 * The searchset answering a $match.
 * @param {{ query: object, onlyCertainMatches: boolean, count: number }} request
 * @param {{ id: string }[]} candidates  the patients this portal holds
 * @param {(query: string, candidate: string) => { grade: string, score: number }} grade  the core's matchGrade
 * @param {string} fhirBase
 */
export function matchAnswer(request, candidates, grade, fhirBase) {
  const graded = candidates
    .map((patient) => ({ patient, result: grade(JSON.stringify(request.query), JSON.stringify(patient)) }))
    .filter(({ result }) => GRADES.includes(result.grade))
    .filter(({ result }) => !request.onlyCertainMatches || result.grade === 'certain')
    .sort((a, b) => b.result.score - a.result.score)
    .slice(0, request.count);
  // onlyCertainMatches: more than one certain answer is none (the operation's rule).
  const entries = request.onlyCertainMatches && graded.length > 1 ? [] : graded;
  return {
    resourceType: 'Bundle', type: 'searchset', total: entries.length,
    entry: entries.map(({ patient, result }) => ({
      fullUrl: `${fhirBase}/Patient/${patient.id}`,
      resource: { resourceType: 'Patient', id: patient.id },
      search: { mode: 'match', score: result.score, extension: [{ url: MATCH_GRADE_URL, valueCode: result.grade }] },
    })),
  };
}

/**
 * What a portal needs to answer $match (createPortal's `match`), for both
 * front doors (demo/stack.mjs, the static demo's Service Worker): the core's
 * grading, and the check of the bearer id_token against the verifier's keys.
 * @param {{ matchGrade: (query: string, candidate: string) => string }} core  the wasm core
 * @param {{ jwks: { keys: object[] }, issuer: string }} verifier
 * @param {string} audience  the client the id_token was issued to (the widget)
 */
export const portalMatch = (core, verifier, audience) => ({
  grade: (/** @type {string} */ query, /** @type {string} */ candidate) => JSON.parse(core.matchGrade(query, candidate)),
  verify: (/** @type {string} */ token) => verifyIdToken(token, verifier.jwks, { issuer: verifier.issuer, audience }),
});
