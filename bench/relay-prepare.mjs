// SPDX-License-Identifier: Apache-2.0
// Prepares a relay benchmark (bench/relay.sh): creates grants, puts one small
// bundle in each, and writes pre-signed requests for wrk, one file per wrk
// thread (bench/relay.lua reads them). Every request has its own nonce and a
// timestamp of now, so the relay runs with all its checks on (signature,
// skew window, nonce written to the database): a request file is good for
// one run within the skew window.
//
//   node bench/relay-prepare.mjs URL OUT_DIR get|put THREADS COUNT
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { loadCore } from '../tests/js/support.mjs';

const [url, outDir, kind, threadsArg, countArg] = process.argv.slice(2);
const threads = Number(threadsArg);
const count = Number(countArg);
const core = await loadCore();
const now = () => Math.floor(Date.now() / 1000);
const enc = new TextEncoder();
const hex = (bytes) => Buffer.from(bytes).toString('hex');

// A small FHIR Bundle: about 1 KiB sealed.
const fhir = enc.encode(JSON.stringify({
  resourceType: 'Bundle', type: 'collection',
  entry: [{ resource: { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] }, valueQuantity: { value: 6.1, unit: '%' } } }],
}));

async function call(method, target, body, key) {
  const authorization = core.requestSign({ method, path: target, body: body ?? new Uint8Array(0), key });
  const res = await fetch(url + target, { method, body, headers: { authorization, 'content-type': 'application/octet-stream' } });
  if (res.status >= 300) throw new Error(`${method} ${target}: ${res.status} ${await res.text()}`);
  return res;
}

function seal(patient, tool, grantId, sequence) {
  return core.bundleSeal({
    recipient: tool.public, signer: patient.secret, grantId, sequence, createdAt: now() - 5, expiresAt: now() + 86400,
    receipt: enc.encode('{"type":"chartlock-consent-receipt"}'),
    parts: [{ name: 'records.json', mediaType: 'application/fhir+json', bytes: fhir }],
  });
}

async function makeGrant(tool) {
  const patient = core.keysGenerate();
  const grantId = hex(crypto.getRandomValues(new Uint8Array(16)));
  const body = enc.encode(JSON.stringify({
    grantId, patientKey: JSON.parse(patient.public).ed25519, toolKey: JSON.parse(tool.public).ed25519,
    expiresAt: now() + 86400,
  }));
  await call('POST', '/v1/grants', body, patient.secret);
  await call('PUT', `/v1/grants/${grantId}/bundle`, seal(patient, tool, grantId, 1), patient.secret);
  return { patient, grantId, sequence: 1 };
}

mkdirSync(outDir, { recursive: true });
const tool = core.keysGenerate();
// GET: 64 grants, each fetched in turn. PUT: 256 grants per thread in
// round robin, so that two puts to one grant are never in flight together.
const grantsPerThread = kind === 'get' ? 8 : 256;
for (let t = 0; t < threads; t++) {
  const grants = [];
  for (let i = 0; i < grantsPerThread; i++) grants.push(await makeGrant(tool));
  const lines = [];
  for (let i = 0; i < count; i++) {
    const g = grants[i % grants.length];
    const target = `/v1/grants/${g.grantId}/bundle`;
    if (kind === 'get') {
      lines.push(`GET ${target} ${core.requestSign({ method: 'GET', path: target, key: tool.secret })}`);
    } else {
      g.sequence += 1;
      const body = seal(g.patient, tool, g.grantId, g.sequence);
      lines.push(`PUT ${target} ${core.requestSign({ method: 'PUT', path: target, body, key: g.patient.secret })} ${hex(body)}`);
    }
  }
  writeFileSync(path.join(outDir, `requests-${t + 1}.txt`), lines.join('\n') + '\n');
}
