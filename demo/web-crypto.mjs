// SPDX-License-Identifier: Apache-2.0
// What the demo servers need of cryptography and encodings, over the web
// platform only (Web Crypto, atob/btoa), so that the same server code runs
// under Node and in the static demo's Service Worker.
const encoder = new TextEncoder();

/** @param {Uint8Array} bytes */
export function toBase64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** @param {Uint8Array} bytes */
export const toBase64url = (bytes) => toBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** Base64 or base64url text → bytes; throws on anything else. */
export function fromBase64(text) {
  const std = String(text).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(std + '='.repeat((4 - (std.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

/** `n` random bytes as base64url: tokens, codes, ids. */
export const randomToken = (n = 32) => toBase64url(crypto.getRandomValues(new Uint8Array(n)));

/** SHA-256 of `data` (text as UTF-8, or bytes), base64url (PKCE S256, ETags). */
export async function sha256Base64url(data) {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return toBase64url(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/** Compares two strings in time that depends on their lengths only (secrets: PKCE challenges). */
export function equalStrings(a, b) {
  const x = encoder.encode(String(a));
  const y = encoder.encode(String(b));
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i];
  return diff === 0;
}
