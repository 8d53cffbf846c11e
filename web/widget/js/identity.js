// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Identity verification, pluggable: any OpenID Connect provider that proves
// who a person is (CLEAR, ID.me, Login.gov at IAL2, or the demo verifier)
// plugs in by configuration — its issuer, the widget's client id, a name.
// The check runs in a popup like a portal sign-in: discovery, PKCE S256,
// state and nonce, the answer's `iss` (RFC 9207), and an id_token whose
// issuer, audience, nonce, expiry and signature are checked (oauth4webapi's
// OpenID Connect functions). The identity proven is OpenID Connect for
// Identity Assurance `verified_claims` (or, for a verifier configured with
// `verifiedAcr`, the claims of an identity-proofed login), read here as a
// FHIR Patient. The result belongs in the vault, and nowhere else: it is
// never part of a share.
import * as oauth from '../vendor/oauth4webapi.js';

/** @typedef {import('./types').IdentityVerifierConfig} IdentityVerifierConfig */
/** @typedef {import('./types').VerifiedIdentity} VerifiedIdentity */
/** @typedef {import('./types').IdentityPatient} IdentityPatient */
/** @typedef {import('./types').IdentityErrorCode} IdentityErrorCode */

export class IdentityError extends Error {
  /**
   * @param {IdentityErrorCode} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export const DENIED_MESSAGE = 'You cancelled the identity check.';
export const MIX_UP_MESSAGE = 'The identity check answered for another verifier: Chartlock did not use it.';
export const DEFAULT_SCOPE = 'openid profile email phone address';

/** @param {string} url */
const isLoopback = (url) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
// Every request to a verifier bypasses the browser's HTTP cache.
/** @type {(url: string, init: RequestInit) => Promise<Response>} */
const fetchNoStore = (url, init) => fetch(url, { ...init, cache: 'no-store' });
// Uncached, and plain http only to loopback (the demo verifier).
/** @param {string} url */
const httpOptions = (url) => ({ [oauth.customFetch]: fetchNoStore, ...(isLoopback(url) ? { [oauth.allowInsecureRequests]: true } : {}) });

/**
 * @typedef {object} PendingVerification
 * @property {IdentityVerifierConfig} verifier
 * @property {oauth.AuthorizationServer} as  the verifier's metadata, its issuer checked
 * @property {string} state
 * @property {string} nonce
 * @property {string} codeVerifier  PKCE: sent only to this verifier's token endpoint
 */

// The verifier's OpenID Connect discovery, at `${issuer}/.well-known/openid-configuration`.
// Its `issuer` must be the one configured (else: mix-up).
/**
 * @param {IdentityVerifierConfig} verifier
 * @returns {Promise<oauth.AuthorizationServer>}
 */
export async function discoverVerifier(verifier) {
  /** @type {URL} */
  let issuer;
  try {
    issuer = new URL(verifier.issuer);
  } catch {
    throw new IdentityError('discovery', `${verifier.name} is not configured with a valid address.`);
  }
  if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopback(issuer.href))) {
    throw new IdentityError('discovery', `${verifier.name} is not on a secure (https) address: Chartlock did not use it.`);
  }
  /** @type {oauth.AuthorizationServer} */
  let as;
  try {
    const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...httpOptions(issuer.href) });
    as = await oauth.processDiscoveryResponse(issuer, response);
  } catch (e) {
    if (e.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      throw new IdentityError('mix-up', `${verifier.name}'s service says it is another verifier: Chartlock did not use it.`);
    }
    throw new IdentityError('discovery', `Could not reach ${verifier.name} (${e.message}).`);
  }
  if (!as.authorization_endpoint || !as.token_endpoint || !as.jwks_uri) {
    throw new IdentityError('discovery', `${verifier.name} does not offer an identity check Chartlock can use (OpenID Connect).`);
  }
  if (!(as.code_challenge_methods_supported ?? []).includes('S256')) {
    throw new IdentityError('discovery', `${verifier.name} does not support secure sign-in (PKCE S256).`);
  }
  return as;
}

// The authorize URL, and what the answer will be checked against.
/**
 * @param {object} options
 * @param {IdentityVerifierConfig} options.verifier
 * @param {string} options.redirectUri
 * @returns {Promise<{ url: URL, pending: PendingVerification }>}
 */
export async function beginVerification({ verifier, redirectUri }) {
  const as = await discoverVerifier(verifier);
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const url = new URL(/** @type {string} checked in discovery */ (as.authorization_endpoint));
  const params = new URLSearchParams({
    response_type: 'code', client_id: verifier.clientId, redirect_uri: redirectUri, scope: verifier.scope ?? DEFAULT_SCOPE,
    state, nonce, code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256',
  });
  if (verifier.acrValues) params.set('acr_values', verifier.acrValues);
  url.search = params.toString();
  return { url, pending: { verifier, as, state, nonce, codeVerifier } };
}

// The checks on the redirect back, before anything is sent anywhere: its
// `iss` is the verifier's (and is there when the verifier says it sends it),
// its `state` is this check's own, and it is not an error.
/**
 * @param {PendingVerification} pending
 * @param {URL} callback  the redirect URI with the verifier's answer
 * @returns {URLSearchParams}  the answer's parameters, for the code exchange
 */
export function checkCallback(pending, callback) {
  const { as } = pending;
  const iss = callback.searchParams.get('iss');
  if (iss !== null ? iss !== as.issuer : as.authorization_response_iss_parameter_supported === true) {
    throw new IdentityError('mix-up', MIX_UP_MESSAGE);
  }
  try {
    return oauth.validateAuthResponse(as, { client_id: pending.verifier.clientId }, callback, pending.state);
  } catch (e) {
    const error = e.cause?.get?.('error') ?? e.error;
    if (error === 'access_denied') throw new IdentityError('denied', DENIED_MESSAGE);
    throw new IdentityError('authorization', `${pending.verifier.name} did not finish the identity check (${e.message}).`);
  }
}

// Checks the answer, exchanges the code, checks the id_token (iss, aud,
// nonce, exp, iat; and its signature against the verifier's published keys)
// and reads the identity it proves.
/**
 * @param {PendingVerification} pending
 * @param {URL} callback
 * @param {object} options
 * @param {string} options.redirectUri
 * @returns {Promise<VerifiedIdentity>}
 */
export async function finishVerification(pending, callback, { redirectUri }) {
  const params = checkCallback(pending, callback);
  const { as, verifier } = pending;
  const client = { client_id: verifier.clientId };
  const options = httpOptions(as.issuer);
  /** @type {oauth.TokenEndpointResponse} */
  let result;
  try {
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, pending.codeVerifier, options);
    result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
    await oauth.validateApplicationLevelSignature(as, response, options);
  } catch (e) {
    throw new IdentityError('token', `${verifier.name}'s answer could not be checked, so Chartlock did not use it (${e.message}).`);
  }
  /** @type {Record<string, any>} */
  let claims = /** @type {oauth.IDToken} present: requireIdToken */ (oauth.getValidatedIdTokenClaims(result));
  if (verifier.userinfo) claims = await withUserInfo(pending, result.access_token, claims);
  return { idToken: /** @type {string} */ (result.id_token), ...readVerifiedClaims(claims, verifier), verifier: verifier.name };
}

// What the id_token itself establishes: the UserInfo answer never overrides it.
const ID_TOKEN_ONLY = ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'nonce', 'acr', 'amr', 'azp', 'auth_time', 'at_hash', 'c_hash', 'jti'];

// For a verifier configured with `userinfo` (the identity claims are at its
// UserInfo endpoint, not in the id_token): those claims, for the same `sub`.
/**
 * @param {PendingVerification} pending
 * @param {string} accessToken
 * @param {Record<string, any>} idClaims
 * @returns {Promise<Record<string, any>>}
 */
async function withUserInfo(pending, accessToken, idClaims) {
  const { as, verifier } = pending;
  if (!as.userinfo_endpoint) throw new IdentityError('discovery', `${verifier.name} has no UserInfo endpoint.`);
  const client = { client_id: verifier.clientId };
  /** @type {Record<string, any>} */
  let info;
  try {
    const response = await oauth.userInfoRequest(as, client, accessToken, httpOptions(as.issuer));
    info = await oauth.processUserInfoResponse(as, client, idClaims.sub, response);
  } catch (e) {
    throw new IdentityError('token', `${verifier.name}'s details could not be read (${e.message}).`);
  }
  const merged = { ...idClaims };
  for (const [k, v] of Object.entries(info)) if (!ID_TOKEN_ONLY.includes(k)) merged[k] = v;
  return merged;
}

/** @param {unknown} v @returns {v is Record<string, any>} */
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
/** @param {unknown} v @returns {v is string} */
const isText = (v) => typeof v === 'string' && v.trim().length > 0;
const claimsError = (/** @type {string} */ what) => new IdentityError('claims', `The identity check did not prove ${what}: Chartlock did not use it.`);

// What an id_token proves: the verified claims (OIDC4IDA), their assurance
// level and time, and when the token stops being accepted.
/**
 * @param {Record<string, any>} claims  the id_token's validated claims
 * @param {IdentityVerifierConfig} verifier
 * @returns {{ identity: IdentityPatient, verifiedAt: number, expiresAt: number, assurance: string }}
 */
export function readVerifiedClaims(claims, verifier) {
  /** @type {Record<string, any>} */
  let proven;
  /** @type {string} */
  let assurance;
  let verifiedAt = Number(claims.iat) * 1000;
  // OIDC4IDA allows one verified_claims object or several: the first with an assurance level.
  const all = Array.isArray(claims.verified_claims) ? claims.verified_claims : [claims.verified_claims];
  const vc = all.find((v) => isObject(v) && isObject(v.verification) && isText(v.verification.assurance_level) && isObject(v.claims));
  if (vc) {
    proven = vc.claims;
    assurance = vc.verification.assurance_level;
    const time = Date.parse(vc.verification.time ?? '');
    if (Number.isFinite(time)) verifiedAt = time;
  } else if (claims.verified_claims === undefined && isText(claims.acr) && (verifier.verifiedAcr ?? []).includes(claims.acr)) {
    // A verifier without OIDC4IDA whose `acr` says the login is identity-proofed.
    proven = claims;
    assurance = claims.acr;
  } else {
    throw claimsError('who you are (no verified identity with an assurance level)');
  }
  return { identity: identityFromClaims(proven, claims), verifiedAt, expiresAt: Number(claims.exp) * 1000, assurance };
}

/** @param {unknown} given @returns {string[]} */
const givenNames = (given) => (isText(given) ? given.trim().split(/\s+/) : []);

/**
 * @param {Record<string, any>} a  an OIDC address claim
 * @param {'home' | 'old'} use
 * @returns {import('./types').IdentityAddress | null}
 */
function addressOf(a, use) {
  if (!isObject(a)) return null;
  const line = isText(a.street_address) ? a.street_address.split(/\r?\n/).map((l) => l.trim()).filter(Boolean) : [];
  /** @type {import('./types').IdentityAddress} */
  const out = { use, line };
  if (isText(a.locality)) out.city = a.locality;
  if (isText(a.region)) out.state = a.region;
  if (isText(a.postal_code)) out.postalCode = a.postal_code;
  if (isText(a.country)) out.country = a.country;
  return line.length || out.city || out.postalCode ? out : null;
}

/** @type {Record<string, 'male' | 'female' | 'other' | 'unknown'>} */
const GENDERS = { male: 'male', female: 'female', other: 'other', unknown: 'unknown' };

// The claims as a FHIR-like Patient the core can read: the verified name,
// birth date, sex, home address, phone and email; other names and previous
// addresses (self-asserted, outside verified_claims) as `use: 'old'`.
/**
 * @param {Record<string, any>} proven  the verified claims (OIDC standard claims)
 * @param {Record<string, any>} [extras]  the id_token's other claims: chartlock_other_names, chartlock_previous_addresses
 * @returns {IdentityPatient}
 */
export function identityFromClaims(proven, extras = {}) {
  if (!isObject(proven)) throw claimsError('who you are');
  if (!isText(proven.family_name) || !isText(proven.given_name)) throw claimsError('your name');
  if (typeof proven.birthdate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(proven.birthdate) || proven.birthdate.startsWith('0000')) {
    throw claimsError('your date of birth');
  }
  /** @type {IdentityPatient} */
  const patient = {
    resourceType: 'Patient',
    name: [{ use: 'official', family: proven.family_name.trim(), given: givenNames(proven.given_name) }],
    birthDate: proven.birthdate,
    address: [],
    telecom: [],
  };
  for (const other of Array.isArray(extras.chartlock_other_names) ? extras.chartlock_other_names.slice(0, 10) : []) {
    if (isObject(other) && isText(other.family_name)) {
      patient.name.push({ use: 'old', family: other.family_name.trim(), given: givenNames(other.given_name ?? proven.given_name) });
    }
  }
  if (isText(proven.gender)) patient.gender = GENDERS[proven.gender.toLowerCase()] ?? 'other';
  const home = addressOf(proven.address, 'home');
  if (home) patient.address.push(home);
  for (const previous of Array.isArray(extras.chartlock_previous_addresses) ? extras.chartlock_previous_addresses.slice(0, 10) : []) {
    const a = addressOf(previous, 'old');
    if (a) patient.address.push(a);
  }
  if (isText(proven.phone_number)) patient.telecom.push({ system: 'phone', value: proven.phone_number });
  if (isText(proven.email)) patient.telecom.push({ system: 'email', value: proven.email });
  return patient;
}

// Waits for the widget's callback page in `popup` to post its URL back (the
// same message a portal sign-in uses), or for the person to close the popup.
/**
 * @param {Window} popup
 * @returns {Promise<URL>}
 */
function awaitRedirect(popup) {
  return new Promise((resolve, reject) => {
    /** @type {number | null} */
    let closedSince = null;
    const stop = () => {
      window.removeEventListener('message', onMessage);
      clearInterval(timer);
    };
    /** @param {MessageEvent} e */
    const onMessage = (e) => {
      if (e.origin !== window.location.origin || e.source !== popup || e.data?.type !== 'chartlock-smart-callback') return;
      stop();
      try {
        resolve(new URL(e.data.url));
      } catch {
        reject(new IdentityError('authorization', 'The identity check answered with an address Chartlock cannot read.'));
      }
    };
    // The callback page closes itself right after posting: a closed popup
    // counts as "closed by the person" only once a message could have come.
    const timer = setInterval(() => {
      if (!popup.closed) return;
      closedSince ??= Date.now();
      if (Date.now() - closedSince < 1200) return;
      stop();
      reject(new IdentityError('popup-closed', 'The identity check window was closed before the check finished.'));
    }, 400);
    window.addEventListener('message', onMessage);
  });
}

// Runs the identity check with `verifier` in `popup` (a window the caller
// opened in the person's click). The result goes into the vault only.
/**
 * @param {object} options
 * @param {IdentityVerifierConfig} options.verifier
 * @param {string} options.redirectUri  the widget's callback page, registered with the verifier
 * @param {Window} options.popup
 * @returns {Promise<VerifiedIdentity>}
 */
export async function verifyIdentity({ verifier, redirectUri, popup }) {
  try {
    const { url, pending } = await beginVerification({ verifier, redirectUri });
    popup.location.href = url.toString();
    const callback = await awaitRedirect(popup);
    if (!popup.closed) popup.close();
    return await finishVerification(pending, callback, { redirectUri });
  } catch (e) {
    if (!popup.closed) popup.close();
    if (e instanceof IdentityError) throw e;
    throw new IdentityError('token', `The identity check with ${verifier.name} failed (${e.message}).`);
  }
}
