// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Connecting to a provider's patient portal: SMART App Launch, standalone
// launch, public client — discovery, PKCE S256, state, in a popup whose
// callback page posts the result back. Built on oauth4webapi, which keeps
// nothing itself: tokens live only in the vault.
import * as oauth from '../vendor/oauth4webapi.js';

/** @typedef {import('./types').Connection} Connection */
/** @typedef {import('./types').SmartConfiguration} SmartConfiguration */
/** @typedef {import('./types').Tokens} Tokens */

export class SmartError extends Error {
  /**
   * @param {'discovery' | 'popup-closed' | 'denied' | 'authorization' | 'mix-up' | 'token' | 'expired'} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** @param {string} url */
const isLoopback = (url) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(url).hostname);
// Every request to a portal bypasses the browser's HTTP cache (`no-store`):
// neither tokens nor configuration are written to or read from it, whatever
// caching headers the portal sends.
/** @type {(url: string, init: RequestInit) => Promise<Response>} */
const fetchNoStore = (url, init) => fetch(url, { ...init, cache: 'no-store' });
// The token requests (oauth4webapi): uncached, and plain http only to
// loopback (the demo portals); everything else must be https.
/** @param {string} url */
const httpOptions = (url) => ({ [oauth.customFetch]: fetchNoStore, ...(isLoopback(url) ? { [oauth.allowInsecureRequests]: true } : {}) });

/**
 * @param {string} fhirBase
 * @returns {Promise<{ base: string, conf: SmartConfiguration }>}
 */
export async function discover(fhirBase) {
  const base = fhirBase.replace(/\/+$/, '');
  /** @type {any} untyped JSON from the portal, checked below */
  let conf;
  try {
    const r = await fetch(`${base}/.well-known/smart-configuration`, { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    conf = await r.json();
  } catch (e) {
    // In words: what happened and what to do (the browser's "Failed to fetch" says neither).
    throw new SmartError('discovery', 'Chartlock could not reach this provider\'s sign-in service. Check your internet '
      + 'connection and try again; if it keeps failing, the provider\'s service may be down for now: try again later.');
  }
  if (!conf.authorization_endpoint || !conf.token_endpoint) {
    throw new SmartError('discovery', 'This provider does not offer patient sign-in (SMART on FHIR).');
  }
  if (!(conf.code_challenge_methods_supported ?? []).includes('S256')) {
    throw new SmartError('discovery', 'This provider does not support secure sign-in (PKCE S256).');
  }
  return { base, conf };
}

// The authorization server, as the widget trusts it: its issuer is the FHIR
// base the patient chose (SMART App Launch 2 uses the FHIR base as the
// issuer), never what a discovery document says about itself.
/**
 * @param {SmartConfiguration} conf
 * @param {string} base
 * @param {string} [issuer]  the base as the portal spells it (a trailing slash)
 * @returns {oauth.AuthorizationServer}
 */
function authorizationServer(conf, base, issuer = base) {
  return {
    issuer,
    authorization_endpoint: conf.authorization_endpoint,
    token_endpoint: conf.token_endpoint,
    code_challenge_methods_supported: conf.code_challenge_methods_supported,
    authorization_response_iss_parameter_supported:
      /** @type {any} a discovery field the type leaves out */ (conf).authorization_response_iss_parameter_supported === true,
  };
}

export const MIX_UP_MESSAGE = 'The sign-in answered for another portal: Chartlock did not use it.';

// OAuth mix-up defence. A portal listed in the directory could send the
// sign-in to another portal's authorize endpoint (its discovery names the
// endpoints) and so receive, at its own token endpoint, the other portal's
// code with our PKCE verifier. So a sign-in is bound to the portal the
// patient chose: the issuer expected is that portal's FHIR base; a discovery
// naming another `issuer` is refused before anything opens; the answer's
// `iss` (RFC 9207) must be that issuer, and must be there when the portal
// says it sends it; the `state` is this sign-in's own, checked against the
// answer. Nothing is sent anywhere on a mismatch.
/**
 * @typedef {object} PendingAuthorization
 * @property {string} fhirBase  the portal chosen
 * @property {string} issuer  the issuer expected in the answer
 * @property {boolean} issRequired  the portal said it sends `iss` (RFC 9207)
 * @property {string} state
 * @property {string} verifier  PKCE: sent only to this portal's token endpoint
 * @property {SmartConfiguration} conf
 */

// The authorize URL for `fhirBase`, and what the answer will be checked against.
/**
 * @param {object} options
 * @param {string} options.fhirBase
 * @param {string} options.clientId
 * @param {string} options.redirectUri
 * @param {string} options.scope
 * @returns {Promise<{ url: URL, pending: PendingAuthorization }>}
 */
export async function beginAuthorization({ fhirBase, clientId, redirectUri, scope }) {
  const { base, conf } = await discover(fhirBase);
  const named = conf.issuer;
  if (named !== undefined && (typeof named !== 'string' || named.replace(/\/+$/, '') !== base)) {
    throw new SmartError('mix-up', 'This provider\'s sign-in service says it is another portal than the one chosen: Chartlock did not use it.');
  }
  const as = authorizationServer(conf, base, named ?? base);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(conf.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, aud: base,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }).toString();
  return { url, pending: { fhirBase: base, issuer: as.issuer, issRequired: as.authorization_response_iss_parameter_supported === true, state, verifier, conf } };
}

// Checks the answer against `pending` and only then exchanges the code.
/**
 * @param {PendingAuthorization} pending
 * @param {URL} callback  the redirect URI with the portal's answer
 * @param {object} options
 * @param {string} options.clientId
 * @param {string} options.redirectUri
 * @returns {Promise<Connection>}
 */
export async function finishAuthorization(pending, callback, { clientId, redirectUri }) {
  const as = authorizationServer(pending.conf, pending.fhirBase, pending.issuer);
  const client = { client_id: clientId };
  const iss = callback.searchParams.get('iss');
  if (iss !== null ? iss !== pending.issuer : pending.issRequired) throw new SmartError('mix-up', MIX_UP_MESSAGE);
  let params;
  try {
    params = oauth.validateAuthResponse(as, client, callback, pending.state);
  } catch (e) {
    const error = e.cause?.get?.('error') ?? e.error;
    if (error === 'access_denied') throw new SmartError('denied', 'You chose not to share records from this portal.');
    throw new SmartError('authorization', `The portal did not sign you in (${e.message}).`);
  }
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, pending.verifier, httpOptions(pending.fhirBase));
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  return { fhirBase: pending.fhirBase, conf: pending.conf, tokens: tokenRecord(tokens) };
}

// Waits for the callback page in `popup` to post its URL back.
/**
 * @param {Window} popup
 * @returns {Promise<URL>}
 */
function awaitCallback(popup) {
  return new Promise((resolve, reject) => {
    /** @template T @param {(value: T) => void} fn @param {T} value */
    const done = (fn, value) => {
      window.removeEventListener('message', onMessage);
      clearInterval(poll);
      fn(value);
    };
    /** @param {MessageEvent} e */
    const onMessage = (e) => {
      if (e.origin !== window.location.origin || e.source !== popup) return;  // only our own callback page
      if (e.data?.type !== 'chartlock-smart-callback') return;
      done(resolve, new URL(e.data.url));
    };
    // The callback page posts its URL and then closes itself, and a timer
    // may see the window closed before that message is delivered (timers
    // and messages are separate task sources, run in no set order). So a
    // closed window means "closed by the patient" only after a grace period.
    /** @type {number | null} */
    let closedAt = null;
    const poll = setInterval(() => {
      if (!popup.closed) return;
      closedAt ??= Date.now();
      if (Date.now() - closedAt >= 1200) {
        done(reject, new SmartError('popup-closed', 'The sign-in window was closed before sign-in finished.'));
      }
    }, 400);
    window.addEventListener('message', onMessage);
  });
}

// Opens the portal sign-in for `fhirBase`. `popup` must be a window opened
// synchronously in the user's click (popup blockers allow nothing else).
/**
 * @param {object} options
 * @param {string} options.fhirBase
 * @param {string} options.clientId
 * @param {string} options.redirectUri
 * @param {string} options.scope  the SMART scopes asked for
 * @param {Window} options.popup
 * @returns {Promise<Connection>}
 */
export async function connect({ fhirBase, clientId, redirectUri, scope, popup }) {
  try {
    const { url, pending } = await beginAuthorization({ fhirBase, clientId, redirectUri, scope });
    popup.location.href = url.toString();
    const callback = await awaitCallback(popup);
    popup.close();
    return await finishAuthorization(pending, callback, { clientId, redirectUri });
  } catch (e) {
    if (!popup.closed) popup.close();
    if (e instanceof SmartError) throw e;
    throw new SmartError('token', `Sign-in with this portal failed (${e.message}).`);
  }
}

/**
 * @param {oauth.TokenEndpointResponse} t
 * @returns {Tokens}
 */
function tokenRecord(t) {
  return {
    access_token: t.access_token,
    refresh_token: t.refresh_token ?? null,
    expires_at: t.expires_in ? Date.now() + t.expires_in * 1000 : null,
    scope: t.scope ?? '',
    patient: /** @type {string | null} SMART's launch context: the patient's id */ (t.patient ?? null),
  };
}

// A new access token from the refresh token. A rotating portal sends a new
// refresh token (keep it: the old one no longer works); a portal that does
// not rotate sends none, and the one we have stays valid: keep it (RFC 6749
// §6). Likewise an answer without `scope` means the scope is unchanged (§5.1).
/**
 * @param {Connection} connection  its tokens are replaced
 * @param {string} clientId
 */
export async function refresh(connection, clientId) {
  if (!connection.tokens.refresh_token) {
    throw new SmartError('expired', 'Your sign-in with this portal has expired. Connect it again.');
  }
  const as = authorizationServer(connection.conf, connection.fhirBase);
  const client = { client_id: clientId };
  try {
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), connection.tokens.refresh_token, httpOptions(connection.fhirBase));
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    const previous = connection.tokens;
    const next = tokenRecord(tokens);
    connection.tokens = {
      ...next,
      refresh_token: next.refresh_token ?? previous.refresh_token,
      scope: tokens.scope === undefined ? previous.scope : next.scope,
      patient: /** @type {string | null} */ (tokens.patient ?? previous.patient),
    };
  } catch (e) {
    throw new SmartError('expired', `Your sign-in with this portal has expired. Connect it again. (${e.message})`);
  }
}
