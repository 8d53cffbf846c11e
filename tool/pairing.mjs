// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The two codes that pair a patient's own AI app with their Chartlock widget
// (docs/tool-manifest.md, "An AI app on this computer"):
//   pairing code     chartlock-pair:<base64url JSON>     app → widget: the app's name, scopes and PUBLIC keys
//   connection code  chartlock-connect:<base64url JSON>  widget → app: the relay, the grant, the patient's key
// Neither holds a secret. The widget reads pairing codes (web/widget/js/local-app.js)
// and writes connection codes; this side does the reverse.
import { relayOrigin } from './relay-url.mjs';

export const PAIRING_PREFIX = 'chartlock-pair:';
export const CONNECTION_PREFIX = 'chartlock-connect:';
export const DEFAULT_SCOPES = ['patient/*.rs'];
const B64URL_KEY = /^[A-Za-z0-9_-]{43}$/;
const MAX_CODE = 4000;
export const MAX_NAME = 100;

export class PairingError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = 'PairingError';
    this.code = code;
  }
}

/**
 * A name for the app as the patient will see it: one line, 1 to 100 characters; null when not one.
 * @param {unknown} name
 */
export function appName(name) {
  if (typeof name !== 'string') return null;
  const t = name.trim();
  // eslint-disable-next-line no-control-regex
  return t && t.length <= MAX_NAME && !/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(t) ? t : null;
}

/**
 * @param {{ name: string, keys: { x25519: string, ed25519: string }, scopes?: string[] }} app
 * @returns {string}
 */
export function makePairingCode({ name, keys, scopes = DEFAULT_SCOPES }) {
  const n = appName(name);
  if (!n) throw new PairingError('bad-name', `the app's name must be one line of 1 to ${MAX_NAME} characters`);
  if (!B64URL_KEY.test(keys.x25519) || !B64URL_KEY.test(keys.ed25519)) throw new PairingError('bad-keys', 'the app\'s public keys are not valid');
  const json = JSON.stringify({ type: 'chartlock-local-app', version: 1, name: n, scopes,
    keys: { x25519: keys.x25519, ed25519: keys.ed25519 } });
  return PAIRING_PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}


/**
 * What a connection code says, checked field by field; anything else in it is dropped.
 * @param {string} text  as pasted (spaces and line breaks ignored)
 * @returns {{ relay: string, grant: string, patient: string, app: string }}
 */
export function parseConnectionCode(text) {
  const t = String(text ?? '').replace(/\s+/g, '');
  if (t.startsWith(PAIRING_PREFIX)) {
    throw new PairingError('pairing-code', 'this is the pairing code, which goes into Chartlock in your browser; '
      + 'the connection code (chartlock-connect:…) is the one Chartlock shows after you share');
  }
  if (!t.startsWith(CONNECTION_PREFIX)) {
    throw new PairingError('not-a-connection-code', 'this is not a connection code: it starts with "chartlock-connect:" '
      + '(Chartlock shows it after you share with the app)');
  }
  const damaged = (/** @type {string} */ what) => new PairingError('damaged',
    `the connection code is damaged (${what}): copy it again, the whole of it, from Chartlock`);
  const payload = t.slice(CONNECTION_PREFIX.length);
  if (t.length > MAX_CODE || !/^[A-Za-z0-9_-]+$/.test(payload) || payload.length % 4 === 1) throw damaged('not base64url');
  let c;
  try {
    c = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(payload, 'base64url')));
  } catch {
    throw damaged('not JSON');
  }
  if (c === null || typeof c !== 'object' || Array.isArray(c) || c.type !== 'chartlock-connection' || c.version !== 1) {
    throw damaged('not a Chartlock connection, version 1');
  }
  const relay = relayOrigin(c.relay);
  if (!relay) throw damaged('no relay URL');
  if (typeof c.grant !== 'string' || !/^[0-9a-f]{32}$/.test(c.grant)) throw damaged('no grant id');
  if (typeof c.patient !== 'string' || !B64URL_KEY.test(c.patient) || typeof c.app !== 'string' || !B64URL_KEY.test(c.app)) {
    throw new PairingError('bad-keys', 'the connection code does not hold valid keys (32 bytes each, base64url): copy it again from Chartlock');
  }
  return { relay, grant: c.grant, patient: c.patient, app: c.app };
}
