// SPDX-License-Identifier: Apache-2.0
// @ts-check
// An AI app on the patient's own computer (docs/tool-manifest.md, "An AI app
// on this computer"): `chartlock-mcp pair` makes the app's key pair there and
// prints a pairing code (its public keys, its name, what it asks for); the
// patient pastes it here. The widget reads it into a manifest that goes
// through the same consent screen and share flow as a website tool's, and,
// once shared, gives back a connection code (the relay, the grant, the
// patient's key for it) for `chartlock-mcp pair --finish`. Neither code holds
// a secret: the app's secret key never leaves its computer, and the records
// go to it only as a bundle sealed to its key.

import { fromBase64url, toBase64url } from './shlink.js';

export const PAIRING_PREFIX = 'chartlock-pair:';
export const CONNECTION_PREFIX = 'chartlock-connect:';
/** What the widget says a local app is, wherever a website tool shows its origin. */
export const LOCAL_APP_WHERE = 'an AI app on this computer';

const B64URL_KEY = /^[A-Za-z0-9_-]{43}$/;
const MAX_CODE = 4000;
const MAX_NAME = 100;
const MAX_SCOPES = 100;
const MAX_SCOPE_LENGTH = 200;

export class PairingError extends Error {
  /** @param {'not-a-pairing-code' | 'damaged' | 'bad-keys' | 'connection-code'} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * A code's JSON: null when it is not base64url of a JSON object.
 * @param {string} payload
 * @returns {Record<string, any> | null}
 */
function decodeJson(payload) {
  const bytes = fromBase64url(payload);
  if (!bytes) return null;
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : null;
  } catch {
    return null;
  }
}

/** @param {unknown} v */
const isKey = (v) => typeof v === 'string' && B64URL_KEY.test(v);

/**
 * The manifest a pairing code stands for, checked field by field and rebuilt
 * from the checked fields alone (anything else in it is dropped). The words
 * shown for purpose and retention are the widget's, not the code's. Throws a
 * PairingError saying plainly what is wrong.
 * @param {string} text  what the patient pasted (line breaks and spaces from a terminal are ignored)
 * @returns {import('./types').Manifest}
 */
export function readPairingCode(text) {
  const t = String(text ?? '').replace(/\s+/g, '');
  if (t === '') throw new PairingError('not-a-pairing-code', 'Paste the pairing code that “chartlock-mcp pair” printed on your computer.');
  if (t.startsWith(CONNECTION_PREFIX)) {
    throw new PairingError('connection-code', 'This is a connection code: it goes the other way, into the app on your computer '
      + '(chartlock-mcp pair --finish). Here, paste the pairing code, which starts with “chartlock-pair:”.');
  }
  if (!t.startsWith(PAIRING_PREFIX)) {
    throw new PairingError('not-a-pairing-code', 'This is not a pairing code. A pairing code starts with “chartlock-pair:”: '
      + 'run “npx chartlock-mcp pair” on your computer and paste the code it prints.');
  }
  const damaged = new PairingError('damaged', 'This pairing code is damaged (part of it may be missing or changed). '
    + 'Copy it again, the whole of it, from what “chartlock-mcp pair” printed.');
  if (t.length > MAX_CODE) throw damaged;
  const m = decodeJson(t.slice(PAIRING_PREFIX.length));
  if (!m || m.type !== 'chartlock-local-app' || m.version !== 1) throw damaged;
  const name = typeof m.name === 'string' ? m.name.trim() : '';
  // eslint-disable-next-line no-control-regex
  if (!name || name.length > MAX_NAME || /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(name)) throw damaged;
  /** @type {unknown[]} */
  const scopes = Array.isArray(m.scopes) && m.scopes.length <= MAX_SCOPES ? Array.from(m.scopes) : [];
  if (scopes.length === 0 || scopes.some((s) => typeof s !== 'string' || !s.trim() || s.length > MAX_SCOPE_LENGTH)) throw damaged;
  const keys = m.keys !== null && typeof m.keys === 'object' ? m.keys : {};
  if (!isKey(keys.x25519) || !isKey(keys.ed25519) || keys.x25519 === keys.ed25519) {
    throw new PairingError('bad-keys', 'This pairing code does not hold the app\'s keys as they should be (two public keys of 32 bytes). '
      + 'Run “npx chartlock-mcp pair” again and paste the new code.');
  }
  return {
    type: 'chartlock-tool-manifest', version: 1, local: true,
    name, origin: '',
    purpose: 'Answers your questions about your records, in the AI app you use on this computer (through chartlock-mcp).',
    retention: 'Kept on this computer only. It can fetch the newest version you share until you disconnect it.',
    scopes: /** @type {string[]} checked above */ (scopes),
    keys: { x25519: keys.x25519, ed25519: keys.ed25519 },
  };
}

/**
 * The connection code for a grant to a local app: where to fetch (the relay,
 * the grant), whose signature to expect (the grant's patient key) and which
 * app key it is for. Nothing in it is secret.
 * @param {{ relay: string, grantId: string, keys: { public: string }, tool: { keys: { ed25519: string } } }} grant
 */
export function connectionCode(grant) {
  const json = JSON.stringify({ type: 'chartlock-connection', version: 1, relay: grant.relay, grant: grant.grantId,
    patient: JSON.parse(grant.keys.public).ed25519, app: grant.tool.keys.ed25519 });
  return CONNECTION_PREFIX + toBase64url(new TextEncoder().encode(json));
}
