// SPDX-License-Identifier: Apache-2.0
// The authorization server side of SMART App Launch (standalone launch,
// public clients): authorization codes bound to a PKCE S256 challenge,
// one-time and short-lived; opaque bearer tokens; rotating refresh tokens
// (or, like some real portals, refresh tokens that do not rotate: a refresh
// answer then carries no new one, and the old one keeps working).
import { equalStrings, randomToken, sha256Base64url } from '../web-crypto.mjs';

export const newToken = () => randomToken(32);

// RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~].
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

export const s256 = (verifier) => sha256Base64url(verifier);

export class OAuthError extends Error {
  constructor(error, description, status = 400) {
    super(description);
    this.error = error;
    this.status = status;
  }
}

// SMART v1 ("patient/Observation.read") and v2 ("patient/Observation.rs")
// scopes; returns whether `scopes` allow `interaction` ("read"|"search") on `type`.
export function scopeAllows(scopes, type, interaction) {
  for (const scope of scopes) {
    const m = /^patient\/(\*|[A-Za-z]+)\.(read|write|\*|[cruds]+)(\?.*)?$/.exec(scope);
    if (!m || (m[1] !== '*' && m[1] !== type)) continue;
    const perms = m[2];
    if (perms === 'read' || perms === '*') return true;
    if (interaction === 'read' && perms.includes('r')) return true;
    if (interaction === 'search' && perms.includes('s')) return true;
  }
  return false;
}

export class AuthorizationServer {
  // `state`: the codes and tokens issued (Maps), passed in so that a front
  // door may keep them (the static demo's Service Worker saves them).
  constructor({ clients, tokenTtlSeconds = 3600, codeTtlSeconds = 60, now = () => Date.now(), rotateRefreshTokens = true,
    state = { codes: new Map(), accessTokens: new Map(), refreshTokens: new Map() } }) {
    this.clients = clients;  // client_id → { redirectUris: [] }
    this.rotateRefreshTokens = rotateRefreshTokens;
    this.tokenTtl = tokenTtlSeconds * 1000;
    this.codeTtl = codeTtlSeconds * 1000;
    this.now = now;
    this.codes = state.codes;
    this.accessTokens = state.accessTokens;
    this.refreshTokens = state.refreshTokens;
  }

  // Validates an authorization request before anything is shown to the user.
  // Errors a client must not be redirected to (unknown client, unregistered
  // redirect_uri) are thrown with `redirect: false`.
  checkAuthorizeRequest(q, fhirBase) {
    const client = this.clients[q.client_id];
    if (!client) throw Object.assign(new OAuthError('invalid_client', 'unknown client_id'), { redirect: false });
    if (!client.redirectUris.includes(q.redirect_uri)) {
      throw Object.assign(new OAuthError('invalid_request', 'redirect_uri is not registered for this client'), { redirect: false });
    }
    if (q.response_type !== 'code') throw new OAuthError('unsupported_response_type', 'response_type must be code');
    if (!q.state) throw new OAuthError('invalid_request', 'state is required');
    if (q.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge ?? '')) {
      throw new OAuthError('invalid_request', 'PKCE with code_challenge_method=S256 is required');
    }
    if (q.aud !== fhirBase) throw new OAuthError('invalid_request', 'aud must be this server\'s FHIR base URL');
    if (!q.scope) throw new OAuthError('invalid_scope', 'scope is required');
  }

  issueCode(q, patientId) {
    const code = newToken();
    this.codes.set(code, {
      clientId: q.client_id, redirectUri: q.redirect_uri, challenge: q.code_challenge,
      scopes: q.scope.split(/\s+/).filter(Boolean), patientId, expires: this.now() + this.codeTtl,
    });
    return code;
  }

  // POST /token, grant_type=authorization_code or refresh_token.
  async token(form) {
    if (form.grant_type === 'authorization_code') return this.#exchangeCode(form);
    if (form.grant_type === 'refresh_token') return this.#refresh(form);
    throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  async #exchangeCode(form) {
    const grant = this.codes.get(form.code ?? '');
    this.codes.delete(form.code ?? '');  // one use, even when the exchange fails
    if (!grant || grant.expires < this.now()) throw new OAuthError('invalid_grant', 'the code is unknown, used or expired');
    if (form.client_id !== grant.clientId) throw new OAuthError('invalid_grant', 'the code was issued to another client');
    if (form.redirect_uri !== grant.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match');
    if (!VERIFIER.test(form.code_verifier ?? '')) throw new OAuthError('invalid_grant', 'code_verifier is missing or malformed');
    if (!equalStrings(await s256(form.code_verifier), grant.challenge)) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    return this.#issue(grant.clientId, grant.scopes, grant.patientId);
  }

  #refresh(form) {
    const grant = this.refreshTokens.get(form.refresh_token ?? '');
    if (!grant) throw new OAuthError('invalid_grant', 'the refresh token is unknown or was already used');
    if (form.client_id !== grant.clientId) throw new OAuthError('invalid_grant', 'the refresh token was issued to another client');
    if (!this.rotateRefreshTokens) return this.#issue(grant.clientId, grant.scopes, grant.patientId, { refreshToken: false });
    this.refreshTokens.delete(form.refresh_token);  // rotation: each refresh token works once
    return this.#issue(grant.clientId, grant.scopes, grant.patientId);
  }

  // Demo only: every access token issued so far expires now (the next FHIR
  // request with one gets a 401, and the client must refresh).
  expireAccessTokens() {
    for (const grant of this.accessTokens.values()) grant.expires = this.now() - 1;
  }

  #issue(clientId, scopes, patientId, { refreshToken = true } = {}) {
    const access = newToken();
    this.accessTokens.set(access, { clientId, scopes, patientId, expires: this.now() + this.tokenTtl });
    const body = {
      access_token: access, token_type: 'Bearer', expires_in: Math.round(this.tokenTtl / 1000),
      scope: scopes.join(' '), patient: patientId,
    };
    if (refreshToken && (scopes.includes('offline_access') || scopes.includes('online_access'))) {
      body.refresh_token = newToken();
      this.refreshTokens.set(body.refresh_token, { clientId, scopes, patientId });
    }
    return body;
  }

  // The grant behind a bearer token, or an OAuthError with status 401.
  authenticate(header) {
    const m = /^Bearer ([A-Za-z0-9_-]+)$/.exec(header ?? '');
    const grant = m && this.accessTokens.get(m[1]);
    if (!grant) throw new OAuthError('invalid_token', 'missing or unknown access token', 401);
    if (grant.expires < this.now()) {
      this.accessTokens.delete(m[1]);
      throw new OAuthError('invalid_token', 'the access token has expired', 401);
    }
    return grant;
  }
}
