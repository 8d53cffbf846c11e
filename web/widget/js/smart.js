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
   * @param {'discovery' | 'popup-closed' | 'denied' | 'authorization' | 'token' | 'expired'} code
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
    throw new SmartError('discovery', `Could not reach this provider's sign-in service (${e.message}).`);
  }
  if (!conf.authorization_endpoint || !conf.token_endpoint) {
    throw new SmartError('discovery', 'This provider does not offer patient sign-in (SMART on FHIR).');
  }
  if (!(conf.code_challenge_methods_supported ?? []).includes('S256')) {
    throw new SmartError('discovery', 'This provider does not support secure sign-in (PKCE S256).');
  }
  return { base, conf };
}

/**
 * @param {SmartConfiguration} conf
 * @param {string} base
 * @returns {oauth.AuthorizationServer}
 */
function authorizationServer(conf, base) {
  return {
    issuer: conf.issuer ?? new URL(base).origin,
    authorization_endpoint: conf.authorization_endpoint,
    token_endpoint: conf.token_endpoint,
    code_challenge_methods_supported: conf.code_challenge_methods_supported,
  };
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
    const { base, conf } = await discover(fhirBase);
    const as = authorizationServer(conf, base);
    const client = { client_id: clientId };
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const url = new URL(conf.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code', client_id: clientId, redirect_uri: redirectUri, scope, state, aud: base,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
    }).toString();
    popup.location.href = url.toString();
    const callback = await awaitCallback(popup);
    popup.close();
    let params;
    try {
      params = oauth.validateAuthResponse(as, client, callback, state);
    } catch (e) {
      const error = e.cause?.get?.('error') ?? e.error;
      if (error === 'access_denied') throw new SmartError('denied', 'You chose not to share records from this portal.');
      throw new SmartError('authorization', `The portal did not sign you in (${e.message}).`);
    }
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri, verifier, httpOptions(base));
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    return { fhirBase: base, conf, tokens: tokenRecord(tokens) };
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
