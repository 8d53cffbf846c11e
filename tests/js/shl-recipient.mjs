// SPDX-License-Identifier: Apache-2.0
// A SMART Health Link's recipient written only from the specification (HL7
// SMART Health Cards and Links IG, STU1), with the `jose` package for the
// JWE: no Chartlock code decodes anything here. shlink:/ → payload →
// manifest (POST) → file (location or embedded) → JWE → the IPS Bundle.
// Shared by shl-decode.test.mjs (links the CLI makes) and
// shl-widget.test.mjs (links the widget's code makes).
import assert from 'node:assert/strict';

import { compactDecrypt } from 'jose';

export function decodePayload(link) {
  const at = link.indexOf('shlink:/');
  assert.ok(at >= 0, 'an SHL starts with shlink:/ (or a viewer URL has it after #)');
  const payload = JSON.parse(Buffer.from(link.slice(at + 'shlink:/'.length), 'base64url').toString('utf8'));
  assert.equal(typeof payload.url, 'string');
  assert.match(payload.key, /^[A-Za-z0-9_-]{43}$/, 'key: 43 characters, 32 bytes base64url');
  if (payload.flag !== undefined) assert.match(payload.flag, /^L?P?U?$/, 'flags in alphabetical order');
  if (payload.label !== undefined) assert.ok(payload.label.length <= 80);
  return payload;
}

export async function manifest(payload, body) {
  const res = await fetch(payload.url, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

export async function fileOf(entry) {
  if (entry.embedded !== undefined) return entry.embedded;
  const res = await fetch(entry.location);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/jose/);
  return res.text();
}

export async function decrypt(payload, jwe) {
  const key = Buffer.from(payload.key, 'base64url');
  assert.equal(key.length, 32);
  const { plaintext, protectedHeader } = await compactDecrypt(jwe, new Uint8Array(key));
  assert.equal(protectedHeader.alg, 'dir');
  assert.equal(protectedHeader.enc, 'A256GCM');
  assert.equal(protectedHeader.cty, 'application/fhir+json');
  return JSON.parse(new TextDecoder().decode(plaintext));
}

// Link → the IPS Bundle, as a viewer does it.
export async function open(link, { passcode } = {}) {
  const payload = decodePayload(link);
  const m = await manifest(payload, { recipient: 'Dr. Spec', ...(passcode === undefined ? {} : { passcode }) });
  assert.equal(m.status, 200, JSON.stringify(m.json));
  assert.equal(m.json.files.length, 1);
  const entry = m.json.files[0];
  assert.equal(entry.contentType, 'application/fhir+json');
  const bundle = await decrypt(payload, await fileOf(entry));
  return { payload, manifest: m.json, entry, bundle };
}

export function assertIps(bundle) {
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'document');
  assert.equal(bundle.entry[0].resource.resourceType, 'Composition', 'the Composition first');
  const codes = bundle.entry[0].resource.section.map((s) => s.code.coding[0].code);
  for (const required of ['11450-4', '10160-0', '48765-2']) assert.ok(codes.includes(required), required);
}

