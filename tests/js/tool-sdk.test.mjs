// SPDX-License-Identifier: Apache-2.0
// The Node SDK (tool/index.mjs) against what a share handle — which comes
// from a browser — and a relay may do: a handle without the patient's key, a
// handle naming a relay the tool does not use, a relay that never answers, an
// answer far larger than any bundle. Each is refused, the first two before
// any request is made. Local HTTP servers play the relays.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { loadCore, wasmBuild } from './support.mjs';

const { createTool, ToolError, DEFAULT_TIMEOUT_MS, DEFAULT_MAX_BYTES } = await import('../../tool/index.mjs');
const wasm = path.join(wasmBuild, 'chartlock-core.js');
const enc = new TextEncoder();

// A relay on loopback: `handler(req, res)` answers; every request is counted.
async function fakeRelay(handler) {
  const requests = [];
  const sockets = new Set();
  const server = createServer((req, res) => { requests.push(req.url); handler(req, res); });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`, requests,
    close: () => new Promise((resolve) => { for (const s of sockets) s.destroy(); server.close(resolve); }),
  };
}

const isToolError = (code) => (e) => {
  assert.ok(e instanceof ToolError, `a ToolError, not ${e}`);
  assert.equal(e.name, 'ToolError');
  assert.equal(e.code, code, e.message);
  return true;
};

describe('tool SDK: what a handle and a relay may not do', () => {
  let core;
  let tool;    // the tool's key pair
  let patient;  // the grant's key pair
  const grantId = randomBytes(16).toString('hex');
  let bundle;   // a real bundle for grantId, sealed to the tool and signed by the patient
  let patientKey;
  let fetchCalls = 0;
  const countingFetch = (...args) => { fetchCalls += 1; return globalThis.fetch(...args); };

  before(async () => {
    core = await loadCore();
    tool = core.keysGenerate();
    patient = core.keysGenerate();
    patientKey = JSON.parse(patient.public).ed25519;
    const now = Math.floor(Date.now() / 1000);
    bundle = core.bundleSeal({
      recipient: tool.public, signer: patient.secret, grantId, sequence: 1, createdAt: now - 5, expiresAt: now + 3600,
      receipt: enc.encode(JSON.stringify({ type: 'chartlock-consent-receipt', version: 1, grantId, sequence: 1,
        createdAt: new Date().toISOString(), scopesRequested: ['patient/*.rs'],
        shared: { categories: ['labs'], items: 1, keys: ['obs-1'] }, signer: patientKey })),
      parts: [{ name: 'records.json', mediaType: 'application/fhir+json',
        bytes: enc.encode('{"resourceType":"Bundle","type":"collection","entry":[]}') }],
    }).slice();
  });

  const serveBundle = (req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
    res.end(Buffer.from(bundle));
  };

  test('defaults: 30 s and 64 MiB', () => {
    assert.equal(DEFAULT_TIMEOUT_MS, 30_000);
    assert.equal(DEFAULT_MAX_BYTES, 64 * 1024 * 1024);
  });

  test('createTool needs the relays it may talk to, as origins', async () => {
    for (const relays of [undefined, [], 'http://127.0.0.1:1', ['not a url'], ['ftp://relay.example'],
      ['https://relay.example/v1'], ['https://user@relay.example'], ['https://relay.example?x=1']]) {
      await assert.rejects(createTool({ keyFile: tool.secret, relays, wasm }), isToolError('bad-options'), String(relays));
    }
    await assert.rejects(createTool({ keyFile: tool.secret, relays: ['https://relay.example'], timeoutMs: 0, wasm }),
      isToolError('bad-options'));
    await assert.rejects(createTool({ keyFile: tool.secret, relays: ['https://relay.example'], maxBytes: -1, wasm }),
      isToolError('bad-options'));
  });

  test('a handle without patientKey is refused, before any request', async () => {
    const relay = await fakeRelay(serveBundle);
    try {
      const sdk = await createTool({ keyFile: tool.secret, relays: [relay.url], wasm });
      for (const key of [undefined, null, '']) {
        await assert.rejects(sdk.fetchShare({ relay: relay.url, grantId, patientKey: key }), isToolError('signer-not-pinned'));
      }
      assert.equal(relay.requests.length, 0);
      // With the key, the same relay and bundle: opened.
      const share = await sdk.fetchShare({ relay: relay.url, grantId, patientKey });
      assert.equal(share.header.sequence, 1);
      assert.deepEqual(share.fhirBundle, { resourceType: 'Bundle', type: 'collection', entry: [] });
      // Another key pinned: refused by the core.
      await assert.rejects(sdk.fetchShare({ relay: relay.url, grantId, patientKey: JSON.parse(core.keysGenerate().public).ed25519 }),
        isToolError('wrong-signer'));
    } finally {
      await relay.close();
    }
  });

  test('the loud opt-out: insecureSkipSignerPin warns, then opens unpinned', async () => {
    const relay = await fakeRelay(serveBundle);
    const warnings = [];
    const onWarning = (w) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      const sdk = await createTool({ keyFile: tool.secret, relays: [relay.url], insecureSkipSignerPin: true, wasm });
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(warnings.some((w) => w.code === 'CHARTLOCK_INSECURE_SIGNER_PIN'), 'a process warning');
      assert.equal((await sdk.fetchShare({ relay: relay.url, grantId })).header.sequence, 1);
    } finally {
      process.off('warning', onWarning);
      await relay.close();
    }
  });

  test('a handle naming another relay is refused without any network request', async () => {
    const ours = await fakeRelay(serveBundle);
    const theirs = await fakeRelay(serveBundle);
    try {
      fetchCalls = 0;
      const sdk = await createTool({ keyFile: tool.secret, relays: [ours.url], wasm, fetch: countingFetch });
      for (const relay of [theirs.url, `${ours.url}/evil`, `${ours.url}?x=1`, ours.url.replace('127.0.0.1', 'localhost'),
        ours.url.replace('http:', 'https:'), 'http://169.254.169.254', 'file:///etc/passwd', '', undefined, 42]) {
        await assert.rejects(sdk.fetchShare({ relay, grantId, patientKey }), isToolError('relay-not-allowed'), String(relay));
      }
      assert.equal(fetchCalls, 0, 'no request at all');
      assert.equal(theirs.requests.length, 0);
      assert.equal(ours.requests.length, 0);
      // The allowed relay, with or without a trailing slash: fetched.
      assert.equal((await sdk.fetchShare({ relay: `${ours.url}/`, grantId, patientKey })).header.sequence, 1);
      assert.equal(fetchCalls, 1);
      assert.deepEqual(ours.requests, [`/v1/grants/${grantId}/bundle`]);
    } finally {
      await ours.close();
      await theirs.close();
    }
  });

  test('a relay that never answers times out', { timeout: 10_000 }, async () => {
    const silent = await fakeRelay(() => { /* never answers */ });
    try {
      const sdk = await createTool({ keyFile: tool.secret, relays: [silent.url], timeoutMs: 300, wasm });
      const t0 = Date.now();
      await assert.rejects(sdk.fetchShare({ relay: silent.url, grantId, patientKey }), isToolError('timeout'));
      const took = Date.now() - t0;
      assert.ok(took >= 250 && took < 5000, `took ${took} ms`);
      assert.equal(silent.requests.length, 1);
    } finally {
      await silent.close();
    }
  });

  test('a fetch (given in the options) that ignores the abort signal still times out', { timeout: 10_000 }, async () => {
    const sdk = await createTool({ keyFile: tool.secret, relays: ['https://relay.example'], timeoutMs: 200, wasm,
      fetch: () => new Promise(() => { /* never settles, whatever the signal says */ }) });
    await assert.rejects(sdk.fetchShare({ relay: 'https://relay.example', grantId, patientKey }), isToolError('timeout'));
  });

  test('a relay that starts answering and stalls times out', { timeout: 10_000 }, async () => {
    const stalling = await fakeRelay((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.write(Buffer.from(bundle.subarray(0, 40)));  // and nothing more
    });
    try {
      const sdk = await createTool({ keyFile: tool.secret, relays: [stalling.url], timeoutMs: 300, wasm });
      await assert.rejects(sdk.fetchShare({ relay: stalling.url, grantId, patientKey }), isToolError('timeout'));
    } finally {
      await stalling.close();
    }
  });

  test('an answer larger than maxBytes is refused: announced, or streamed without a length', { timeout: 20_000 }, async () => {
    const maxBytes = 64 * 1024;
    let sent = 0;
    const announced = await fakeRelay((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(maxBytes + 1) });
      res.end(Buffer.alloc(maxBytes + 1));
    });
    // Chunked, no Content-Length, and it would never end: the SDK must stop reading.
    const endless = await fakeRelay((req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      const chunk = Buffer.alloc(16 * 1024);
      const push = () => {
        while (!res.destroyed && sent < 64 * 1024 * 1024 && res.write(chunk)) sent += chunk.length;
        if (!res.destroyed && sent < 64 * 1024 * 1024) res.once('drain', push);
      };
      res.on('close', () => res.destroy());
      push();
    });
    try {
      for (const relay of [announced, endless]) {
        const sdk = await createTool({ keyFile: tool.secret, relays: [relay.url], maxBytes, wasm });
        await assert.rejects(sdk.fetchShare({ relay: relay.url, grantId, patientKey }), isToolError('too-large'));
      }
      assert.ok(sent < 8 * 1024 * 1024, `the endless relay got to send ${sent} bytes`);
      // The same bundle under a cap it fits: opened.
      const fits = await fakeRelay(serveBundle);
      const sdk = await createTool({ keyFile: tool.secret, relays: [fits.url], maxBytes: bundle.length, wasm });
      assert.equal((await sdk.fetchShare({ relay: fits.url, grantId, patientKey })).header.sequence, 1);
      const tight = await createTool({ keyFile: tool.secret, relays: [fits.url], maxBytes: bundle.length - 1, wasm });
      await assert.rejects(tight.fetchShare({ relay: fits.url, grantId, patientKey }), isToolError('too-large'));
      await fits.close();
    } finally {
      await announced.close();
      await endless.close();
    }
  });

  test('an error answer is read under the cap too, and keeps its code and status', async () => {
    const gone = await fakeRelay((req, res) => {
      res.writeHead(410, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'revoked', message: 'the patient revoked this grant' }));
    });
    try {
      const sdk = await createTool({ keyFile: tool.secret, relays: [gone.url], wasm });
      await assert.rejects(sdk.fetchShare({ relay: gone.url, grantId, patientKey }), (e) => {
        assert.equal(e.code, 'revoked');
        assert.equal(e.status, 410);
        return true;
      });
    } finally {
      await gone.close();
    }
  });

  test('openShare: a bundle the tool already holds, with the same checks; offline needs no relays', async () => {
    const sdk = await createTool({ keyFile: tool.secret, offline: true, wasm, fetch: countingFetch });
    fetchCalls = 0;
    const share = await sdk.openShare({ bundle, patientKey });
    assert.equal(share.header.grantId, grantId);
    assert.deepEqual(share.fhirBundle, { resourceType: 'Bundle', type: 'collection', entry: [] });
    await assert.rejects(sdk.openShare({ bundle, patientKey: JSON.parse(core.keysGenerate().public).ed25519 }),
      isToolError('wrong-signer'));
    await assert.rejects(sdk.openShare({ bundle }), isToolError('signer-not-pinned'));
    await assert.rejects(sdk.openShare({ bundle, patientKey, minSequence: 2 }), isToolError('stale-sequence'));
    await assert.rejects(sdk.openShare({ bundle, patientKey, grantId: randomBytes(16).toString('hex') }), isToolError('wrong-grant'));
    const tampered = bundle.slice();
    tampered[tampered.length - 10] ^= 1;
    await assert.rejects(sdk.openShare({ bundle: tampered, patientKey }), (e) => e instanceof ToolError);
    // Offline, no relay is allowed: fetchShare refuses before any request.
    await assert.rejects(sdk.fetchShare({ relay: 'https://relay.example', grantId, patientKey }), isToolError('relay-not-allowed'));
    assert.equal(fetchCalls, 0);
  });

  after(() => {});
});
