// SPDX-License-Identifier: Apache-2.0
// The demo verifier's id_tokens: compact JWS, EdDSA (Ed25519) over Web
// Crypto (the same code under Node and in the static demo's Service Worker).
// `verifyIdToken` is what a relying party does with one — the widget checks
// it with oauth4webapi; the demo providers use this to accept the id_token
// as the bearer of a Patient/$match query.
import { fromBase64, sha256Base64url, toBase64url } from '../web-crypto.mjs';

const encoder = new TextEncoder();
const b64json = (value) => toBase64url(encoder.encode(JSON.stringify(value)));
const CLOCK_SKEW_SECONDS = 60;

/** A new Ed25519 signing key: { privateKey (CryptoKey), jwk (public, with kid, use, alg) }. */
export async function newSigningKey() {
  const { privateKey, publicKey } = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']);
  const { kty, crv, x } = await crypto.subtle.exportKey('jwk', publicKey);
  // RFC 7638 thumbprint: the members in lexicographic order.
  const kid = await sha256Base64url(JSON.stringify({ crv, kty, x }));
  return { privateKey, jwk: { kty, crv, x, kid, use: 'sig', alg: 'EdDSA' } };
}

/** Signs `claims` as a compact JWS with header { alg: 'EdDSA', kid, typ: 'JWT' }. */
export async function signIdToken(claims, { privateKey, jwk }) {
  const input = `${b64json({ alg: 'EdDSA', kid: jwk.kid, typ: 'JWT' })}.${b64json(claims)}`;
  return `${input}.${toBase64url(new Uint8Array(await crypto.subtle.sign('Ed25519', privateKey, encoder.encode(input))))}`;
}

export class IdTokenError extends Error {}

const B64URL = /^[A-Za-z0-9_-]+$/;
function decodePart(part, what) {
  if (!B64URL.test(part)) throw new IdTokenError(`the id_token's ${what} is not base64url`);
  try {
    const value = JSON.parse(new TextDecoder().decode(fromBase64(part)));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error();
    return value;
  } catch {
    throw new IdTokenError(`the id_token's ${what} is not a JSON object`);
  }
}

/**
 * Verifies an id_token and resolves to its claims, or rejects with IdTokenError.
 * @param {string} token  compact JWS
 * @param {{ keys: object[] }} jwks  the verifier's JWK Set
 * @param {{ issuer: string, audience: string | string[], now?: number }} expected
 *   `audience`: the client id (or any of several); `now`: milliseconds since the epoch (default Date.now()).
 */
export async function verifyIdToken(token, jwks, { issuer, audience, now = Date.now() }) {
  if (typeof token !== 'string' || token.length > 16384) throw new IdTokenError('the id_token is missing or too long');
  const parts = token.split('.');
  if (parts.length !== 3) throw new IdTokenError('the id_token is not a compact JWS');
  const header = decodePart(parts[0], 'header');
  if (header.alg !== 'EdDSA') throw new IdTokenError('the id_token is not signed with EdDSA');
  if (header.crit !== undefined) throw new IdTokenError('the id_token has critical header parameters');
  const jwk = (jwks?.keys ?? []).find((k) => k && k.kid === header.kid && k.kty === 'OKP' && k.crv === 'Ed25519'
    && (k.use === undefined || k.use === 'sig') && (k.alg === undefined || k.alg === 'EdDSA'));
  if (!jwk) throw new IdTokenError('the id_token was signed with a key the verifier does not publish');
  if (!B64URL.test(parts[2])) throw new IdTokenError('the id_token\'s signature is not base64url');
  let key;
  try {
    key = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    throw new IdTokenError('the verifier\'s key is not a valid Ed25519 key');
  }
  if (!await crypto.subtle.verify('Ed25519', key, fromBase64(parts[2]), encoder.encode(`${parts[0]}.${parts[1]}`))) {
    throw new IdTokenError('the id_token\'s signature does not verify');
  }
  const claims = decodePart(parts[1], 'payload');
  if (claims.iss !== issuer) throw new IdTokenError('the id_token is from another issuer');
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const wanted = Array.isArray(audience) ? audience : [audience];
  if (!audiences.some((a) => typeof a === 'string' && wanted.includes(a))) throw new IdTokenError('the id_token is for another client');
  const seconds = Math.floor(now / 1000);
  if (!Number.isFinite(claims.exp) || claims.exp <= seconds - CLOCK_SKEW_SECONDS) throw new IdTokenError('the id_token has expired');
  if (!Number.isFinite(claims.iat) || claims.iat > seconds + CLOCK_SKEW_SECONDS) throw new IdTokenError('the id_token was issued in the future');
  if (claims.nbf !== undefined && (!Number.isFinite(claims.nbf) || claims.nbf > seconds + CLOCK_SKEW_SECONDS)) {
    throw new IdTokenError('the id_token is not valid yet');
  }
  if (typeof claims.sub !== 'string' || !claims.sub) throw new IdTokenError('the id_token names no subject');
  return claims;
}
