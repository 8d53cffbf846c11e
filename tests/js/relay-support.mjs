// SPDX-License-Identifier: Apache-2.0
// Shared by the relay tests: start the real build/chartlock-relay on a free
// loopback port, sign requests with the wasm module (the widget's and the
// Node SDK's code path), and make keys, grants and bundles.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startRelay as startRelayProcess } from '../../demo/relay-process.mjs';
import { loadCore, nativeBuild } from './support.mjs';

export const relayBinary = path.join(nativeBuild, 'chartlock-relay');
export const postgresUrl = process.env.CHARTLOCK_TEST_POSTGRES;
export const noPostgres = postgresUrl ? false : 'set CHARTLOCK_TEST_POSTGRES (scripts/with-postgres) to run it';

// The backends every protocol test runs against: SQLite always, PostgreSQL
// when scripts/with-postgres (or the developer) provides one.
export const backends = [
  { name: 'sqlite', db: () => path.join(mkdtempSync(path.join(tmpdir(), 'chartlock-relay-')), 'relay.db') },
  ...(postgresUrl ? [{ name: 'postgres', db: () => postgresUrl }] : []),
];

export const nowSeconds = () => Math.floor(Date.now() / 1000);
export const enc = new TextEncoder();
export const dec = new TextDecoder();

// Starts a relay; resolves once it listens. `args` are extra flags.
export function startRelay({ db, args = [], env = {} }) {
  return startRelayProcess({ binary: relayBinary, db, args, env });
}

// A party's keys as the wasm module makes them (key file texts), with the
// Ed25519 public key in base64url as the protocol names it.
export async function makeKeys() {
  const core = await loadCore();
  const k = core.keysGenerate();
  return { ...k, ed25519: JSON.parse(k.public).ed25519 };
}

export function randomGrantId() {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('hex');
}

// Sends a request signed by `key` (a secret key file text; omit it for an
// unsigned request). `authorization` overrides the header (replays,
// tampering); `timestamp` signs at another time.
export async function signedFetch(relay, { method, path: target, body, key, timestamp, authorization, headers = {} }) {
  const core = await loadCore();
  const bytes = body === undefined ? undefined : typeof body === 'string' ? enc.encode(body) : body;
  const h = { ...headers };
  if (authorization !== undefined) {
    h.authorization = authorization;
  } else if (key) {
    h.authorization = core.requestSign({ method, path: target, body: bytes ?? new Uint8Array(0), key, timestamp });
  }
  if (bytes && !h['content-type']) h['content-type'] = 'application/octet-stream';
  const res = await fetch(relay.url + target, { method, body: bytes, headers: h });
  const buf = new Uint8Array(await res.arrayBuffer());
  let json;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json')) json = JSON.parse(dec.decode(buf));
  return { status: res.status, headers: res.headers, bytes: buf, json, authorization: h.authorization };
}

export function createGrant(relay, { patient, tool, grantId = randomGrantId(), expiresAt = nowSeconds() + 86400, key }) {
  const body = JSON.stringify({ grantId, patientKey: patient.ed25519, toolKey: tool.ed25519, expiresAt });
  return signedFetch(relay, { method: 'POST', path: '/v1/grants', body, key: key ?? patient.secret })
    .then((r) => ({ ...r, grantId }));
}

export const bundlePath = (grantId) => `/v1/grants/${grantId}/bundle`;

// A share bundle from patient to tool for a grant, holding `fhir` (bytes).
export async function sealBundle({ patient, tool, grantId, sequence, fhir, expiresAt = nowSeconds() + 3600 }) {
  const core = await loadCore();
  return core.bundleSeal({
    recipient: tool.public, signer: patient.secret, grantId, sequence,
    createdAt: nowSeconds() - 5, expiresAt,
    receipt: enc.encode(JSON.stringify({ type: 'chartlock-consent-receipt', grant: grantId })),
    parts: [{ name: 'records.json', mediaType: 'application/fhir+json', bytes: fhir }],
  });
}

export function putBundle(relay, patient, grantId, bundle, key = patient.secret) {
  return signedFetch(relay, { method: 'PUT', path: bundlePath(grantId), body: bundle, key });
}

export function getBundle(relay, tool, grantId, key = tool.secret) {
  return signedFetch(relay, { method: 'GET', path: bundlePath(grantId), key });
}

export function revokeGrant(relay, patient, grantId, key = patient.secret) {
  return signedFetch(relay, { method: 'DELETE', path: `/v1/grants/${grantId}`, key });
}

// Asserts an error answer: status, code, and a JSON body that says what is wrong.
export function expectError(assert, r, status, code) {
  assert.equal(r.status, status, `expected ${status} ${code}, got ${r.status} ${JSON.stringify(r.json)}`);
  assert.equal(r.json?.error, code, JSON.stringify(r.json));
  assert.equal(typeof r.json.message, 'string');
  assert.ok(r.json.message.length > 5);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
