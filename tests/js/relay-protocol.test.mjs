// SPDX-License-Identifier: Apache-2.0
// Protocol v1 against the real relay binary (docs/relay-protocol.md): every
// endpoint and every error code, on SQLite and, when CHARTLOCK_TEST_POSTGRES
// is set, on PostgreSQL. Requests are signed by the wasm module, as the
// widget and the tool's Node SDK sign them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { fixtures, loadCore } from './support.mjs';
import {
  backends, bundlePath, createGrant, enc, expectError, getBundle, makeKeys, nowSeconds, putBundle,
  randomGrantId, relayBinary, revokeGrant, sealBundle, signedFetch, sleep, startRelay,
} from './relay-support.mjs';

const widget = 'https://widget.example';
const fhir = new Uint8Array(readFileSync(path.join(fixtures, 'fhir/clinic-a.json')));

test('relay: --help, --version and bad usage', () => {
  const help = spawnSync(relayBinary, ['--help']);
  assert.equal(help.status, 0);
  assert.match(help.stdout.toString(), /--listen HOST:PORT/);
  assert.match(help.stdout.toString(), /CHARTLOCK_RELAY_DB/);
  assert.match(spawnSync(relayBinary, ['--version']).stdout.toString(), /^chartlock-relay \d+\.\d+\.\d+/);
  const bad = spawnSync(relayBinary, ['--max-bundle-bytes', 'lots']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr.toString(), /--max-bundle-bytes/);
  assert.equal(spawnSync(relayBinary, ['--bogus']).status, 2);
});

for (const backend of backends) {
  describe(`relay protocol on ${backend.name}`, () => {
    let relay;
    let patient, tool, stranger;
    const secrets = [];  // strings that must never appear in the logs

    before(async () => {
      relay = await startRelay({
        db: backend.db(),
        args: ['--max-bundle-bytes', '256KiB', '--allowed-origin', widget,
          '--address-rate', '0', '--key-rate', '0'],
      });
      [patient, tool, stranger] = await Promise.all([makeKeys(), makeKeys(), makeKeys()]);
      for (const k of [patient, tool, stranger]) secrets.push(k.ed25519, ...Object.values(JSON.parse(k.secret).ed25519));
    });

    after(async () => {
      const { code } = await relay.stop();
      assert.equal(code, 0, 'SIGTERM stops the relay cleanly');
      assert.equal(relay.logs.at(-1).event, 'stopped');
      // Logs: one JSON line each, no keys, signatures, ids or bodies.
      for (const s of secrets) assert.ok(!relay.raw.includes(s), `the log contains a secret or id: ${s.slice(0, 12)}…`);
      assert.ok(!relay.raw.includes('resourceType'));
    });

    // A fresh grant of patient → tool; its id is recorded as a secret.
    async function grant(extra = {}) {
      const r = await createGrant(relay, { patient, tool, ...extra });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      secrets.push(r.grantId);
      return r.grantId;
    }
    async function sealed(grantId, sequence, extra = {}) {
      return sealBundle({ patient, tool, grantId, sequence, fhir, ...extra });
    }

    test('healthz and metrics', async () => {
      const health = await fetch(`${relay.url}/healthz`);
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok', backend: backend.name });
      await grant();
      const metrics = await (await fetch(`${relay.url}/metrics`)).text();
      assert.match(metrics, /chartlock_relay_requests_total\{route="\/v1\/grants",method="POST",status="201"\} \d+/);
      assert.match(metrics, /chartlock_relay_request_duration_seconds_bucket\{route="\/v1\/grants",le="\+Inf"\} \d+/);
      assert.match(metrics, new RegExp(`chartlock_relay_db_up\\{backend="${backend.name}"\\} 1`));
      assert.match(metrics, /chartlock_relay_grants\{state="live"\} [1-9]/);
      assert.doesNotMatch(metrics, /[0-9a-f]{32}/, 'no grant ids in metrics');
    });

    test('create a grant: 201, then 409 for the same id', async () => {
      const grantId = randomGrantId();
      const expiresAt = nowSeconds() + 3600;
      const r = await createGrant(relay, { patient, tool, grantId, expiresAt });
      secrets.push(grantId);
      assert.equal(r.status, 201);
      assert.deepEqual(r.json, { grantId, expiresAt });
      expectError(assert, await createGrant(relay, { patient, tool, grantId, expiresAt }), 409, 'grant-exists');
    });

    test('round trip: seal, put, fetch, open: the FHIR Bundle is byte-identical', async () => {
      const core = await loadCore();
      const grantId = await grant();
      const bundle = await sealed(grantId, 1);
      const put = await putBundle(relay, patient, grantId, bundle);
      assert.equal(put.status, 201, JSON.stringify(put.json));
      assert.deepEqual(put.json, { sequence: 1, size: bundle.length });

      const got = await getBundle(relay, tool, grantId);
      assert.equal(got.status, 200);
      assert.equal(got.headers.get('content-type'), 'application/octet-stream');
      assert.equal(got.headers.get('chartlock-sequence'), '1');
      assert.equal(got.headers.get('cache-control'), 'no-store');
      assert.deepEqual(got.bytes, bundle);
      const opened = core.bundleOpen(got.bytes, { key: tool.secret, expectedSigner: patient.public });
      assert.equal(opened.header.grantId, grantId);
      assert.equal(opened.parts[0].name, 'records.json');
      assert.ok(Buffer.from(opened.parts[0].bytes).equals(Buffer.from(fhir)), 'FHIR bytes differ');
    });

    test('a higher sequence replaces the bundle (200); an equal or lower one is 409 stale-sequence', async () => {
      const grantId = await grant();
      assert.equal((await putBundle(relay, patient, grantId, await sealed(grantId, 5))).status, 201);
      const newer = await sealed(grantId, 9);
      const replaced = await putBundle(relay, patient, grantId, newer);
      assert.equal(replaced.status, 200);
      assert.equal(replaced.json.sequence, 9);
      expectError(assert, await putBundle(relay, patient, grantId, await sealed(grantId, 9)), 409, 'stale-sequence');
      expectError(assert, await putBundle(relay, patient, grantId, await sealed(grantId, 6)), 409, 'stale-sequence');
      const got = await getBundle(relay, tool, grantId);
      assert.equal(got.headers.get('chartlock-sequence'), '9');
      assert.deepEqual(got.bytes, newer);
    });

    test('404: unknown grant, and no bundle yet (distinct codes)', async () => {
      const unknown = randomGrantId();
      expectError(assert, await getBundle(relay, tool, unknown), 404, 'unknown-grant');
      expectError(assert, await putBundle(relay, patient, unknown, await sealed(unknown, 1)), 404, 'unknown-grant');
      expectError(assert, await revokeGrant(relay, patient, unknown), 404, 'unknown-grant');
      const grantId = await grant();
      expectError(assert, await getBundle(relay, tool, grantId), 404, 'no-bundle');
      expectError(assert, await signedFetch(relay, { method: 'GET', path: '/v1/nothing', key: tool.secret }), 404, 'not-found');
    });

    test('401: missing, bad signature, stale timestamp, replayed nonce', async () => {
      const grantId = await grant();
      const path = bundlePath(grantId);
      expectError(assert, await signedFetch(relay, { method: 'GET', path }), 401, 'missing-auth');

      // A valid signature for another request: the path, the method, the body.
      const core = await loadCore();
      const other = core.requestSign({ method: 'GET', path: bundlePath(randomGrantId()), key: tool.secret });
      expectError(assert, await signedFetch(relay, { method: 'GET', path, authorization: other }), 401, 'bad-signature');
      const asPut = core.requestSign({ method: 'PUT', path, key: tool.secret });
      expectError(assert, await signedFetch(relay, { method: 'GET', path, authorization: asPut }), 401, 'bad-signature');
      const bundle = await sealed(grantId, 1);
      const forOther = core.requestSign({ method: 'PUT', path, body: await sealed(grantId, 2), key: patient.secret });
      expectError(assert, await signedFetch(relay, { method: 'PUT', path, body: bundle, authorization: forOther }), 401, 'bad-signature');
      // A flipped signature byte.
      const good = core.requestSign({ method: 'GET', path, key: tool.secret });
      const sig = good.match(/sig="([^"]+)"/)[1];
      const flipped = good.replace(sig, (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1));
      expectError(assert, await signedFetch(relay, { method: 'GET', path, authorization: flipped }), 401, 'bad-signature');

      expectError(assert, await signedFetch(relay, { method: 'GET', path, key: tool.secret, timestamp: nowSeconds() - 1000 }), 401, 'stale-timestamp');
      expectError(assert, await signedFetch(relay, { method: 'GET', path, key: tool.secret, timestamp: nowSeconds() + 1000 }), 401, 'stale-timestamp');

      // The same signed request twice: the second is a replay, even after it failed the first time.
      const first = await signedFetch(relay, { method: 'GET', path, key: tool.secret });
      expectError(assert, first, 404, 'no-bundle');
      expectError(assert, await signedFetch(relay, { method: 'GET', path, authorization: first.authorization }), 401, 'replayed-nonce');
      const put = await putBundle(relay, patient, grantId, bundle);
      assert.equal(put.status, 201);
      expectError(assert, await signedFetch(relay, { method: 'PUT', path, body: bundle, authorization: put.authorization }), 401, 'replayed-nonce');
    });

    test('400 malformed: header, ids, create-grant bodies', async () => {
      const grantId = await grant();
      expectError(assert, await signedFetch(relay, { method: 'GET', path: bundlePath(grantId), authorization: 'Bearer abc' }), 400, 'malformed');
      expectError(assert, await signedFetch(relay, { method: 'GET', path: bundlePath(grantId), authorization: 'Chartlock-Ed25519 key="x"' }), 400, 'malformed');
      expectError(assert, await getBundle(relay, tool, 'ABCDEF'), 400, 'malformed');
      expectError(assert, await getBundle(relay, tool, grantId.toUpperCase()), 400, 'malformed');

      const post = (body, key = patient.secret) => signedFetch(relay, { method: 'POST', path: '/v1/grants', body, key });
      const valid = { grantId: randomGrantId(), patientKey: patient.ed25519, toolKey: tool.ed25519, expiresAt: nowSeconds() + 60 };
      for (const [what, body] of [
        ['not JSON', '{"grantId":'],
        ['an array', '[]'],
        ['an unknown field', JSON.stringify({ ...valid, extra: 1 })],
        ['a missing field', JSON.stringify({ ...valid, toolKey: undefined })],
        ['a bad id', JSON.stringify({ ...valid, grantId: 'xyz' })],
        ['a bad key', JSON.stringify({ ...valid, toolKey: 'AAAA' })],
        ['a small-order key', JSON.stringify({ ...valid, toolKey: 'A'.repeat(43) })],
        ['the same key twice', JSON.stringify({ ...valid, toolKey: patient.ed25519 })],
        ['a past expiry', JSON.stringify({ ...valid, expiresAt: nowSeconds() - 1 })],
        ['an expiry beyond 400 days', JSON.stringify({ ...valid, expiresAt: nowSeconds() + 401 * 86400 })],
        ['a fractional expiry', JSON.stringify({ ...valid, expiresAt: nowSeconds() + 60.5 })],
      ]) {
        const r = await post(body);
        assert.equal(r.status, 400, `${what}: ${JSON.stringify(r.json)}`);
        assert.equal(r.json.error, 'malformed', what);
      }
    });

    test('403 wrong-key: a valid signature by a key the route does not accept', async () => {
      const grantId = await grant();
      const bundle = await sealed(grantId, 1);
      expectError(assert, await putBundle(relay, patient, grantId, bundle, tool.secret), 403, 'wrong-key');
      expectError(assert, await putBundle(relay, patient, grantId, bundle, stranger.secret), 403, 'wrong-key');
      assert.equal((await putBundle(relay, patient, grantId, bundle)).status, 201);
      expectError(assert, await getBundle(relay, tool, grantId, patient.secret), 403, 'wrong-key');
      expectError(assert, await getBundle(relay, tool, grantId, stranger.secret), 403, 'wrong-key');
      expectError(assert, await revokeGrant(relay, patient, grantId, tool.secret), 403, 'wrong-key');
      // A grant must be created by its own patient key.
      expectError(assert, await createGrant(relay, { patient, tool, key: stranger.secret }), 403, 'wrong-key');
    });

    test('400 bad-bundle: garbage, another grant\'s bundle, another signer', async () => {
      const grantId = await grant();
      expectError(assert, await putBundle(relay, patient, grantId, enc.encode('not a bundle, just bytes')), 400, 'bad-bundle');
      const otherGrant = await sealed(randomGrantId(), 1);
      expectError(assert, await putBundle(relay, patient, grantId, otherGrant), 400, 'bad-bundle');
      const bystander = await sealBundle({ patient: stranger, tool, grantId, sequence: 1, fhir });
      const r = await putBundle(relay, patient, grantId, bystander);
      expectError(assert, r, 400, 'bad-bundle');
      assert.match(r.json.message, /wrong-signer/);
      const tampered = await sealed(grantId, 1);
      tampered[tampered.length - 100] ^= 1;
      expectError(assert, await putBundle(relay, patient, grantId, tampered), 400, 'bad-bundle');
    });

    test('413 too-large: refused from Content-Length, before the body is read', async () => {
      const grantId = await grant();
      const big = new Uint8Array(256 * 1024 + 1);
      const r = await putBundle(relay, patient, grantId, big);
      expectError(assert, r, 413, 'too-large');
      assert.equal(r.headers.get('connection'), 'close');
      const bigGrant = await signedFetch(relay, { method: 'POST', path: '/v1/grants', body: 'x'.repeat(5000), key: patient.secret });
      expectError(assert, bigGrant, 413, 'too-large');
      // The relay still serves.
      assert.equal((await fetch(`${relay.url}/healthz`)).status, 200);
    });

    test('410 revoked: the ciphertext is gone and the grant answers 410 from then on', async () => {
      const grantId = await grant();
      assert.equal((await putBundle(relay, patient, grantId, await sealed(grantId, 1))).status, 201);
      const del = await revokeGrant(relay, patient, grantId);
      assert.equal(del.status, 204);
      assert.equal(del.bytes.length, 0);
      expectError(assert, await getBundle(relay, tool, grantId), 410, 'revoked');
      expectError(assert, await putBundle(relay, patient, grantId, await sealed(grantId, 2)), 410, 'revoked');
      expectError(assert, await revokeGrant(relay, patient, grantId), 410, 'revoked');
      expectError(assert, await createGrant(relay, { patient, tool, grantId }), 409, 'grant-exists');
      // A stranger learns nothing about the grant's state.
      expectError(assert, await getBundle(relay, tool, grantId, stranger.secret), 403, 'wrong-key');
    });

    test('410 expired: an expired grant answers 410, not 404', async () => {
      const grantId = await grant({ expiresAt: nowSeconds() + 2 });
      assert.equal((await putBundle(relay, patient, grantId, await sealed(grantId, 1))).status, 201);
      assert.equal((await getBundle(relay, tool, grantId)).status, 200);
      await sleep(3200);
      expectError(assert, await getBundle(relay, tool, grantId), 410, 'expired');
      expectError(assert, await putBundle(relay, patient, grantId, await sealed(grantId, 2)), 410, 'expired');
      expectError(assert, await revokeGrant(relay, patient, grantId), 410, 'expired');
    });

    test('CORS: only the configured widget origin', async () => {
      const preflight = (origin) => fetch(`${relay.url}/v1/grants`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
      });
      const ok = await preflight(widget);
      assert.equal(ok.status, 204);
      assert.equal(ok.headers.get('access-control-allow-origin'), widget);
      assert.match(ok.headers.get('access-control-allow-methods'), /PUT/);
      assert.match(ok.headers.get('access-control-allow-headers'), /Authorization/);
      const refused = await preflight('https://evil.example');
      assert.equal(refused.status, 403);
      assert.equal(refused.headers.get('access-control-allow-origin'), null);

      const grantId = await grant();
      const allowed = await signedFetch(relay, { method: 'GET', path: bundlePath(grantId), key: tool.secret, headers: { origin: widget } });
      assert.equal(allowed.headers.get('access-control-allow-origin'), widget);
      assert.match(allowed.headers.get('access-control-expose-headers'), /Chartlock-Sequence/);
      const other = await signedFetch(relay, { method: 'GET', path: bundlePath(grantId), key: tool.secret, headers: { origin: 'https://evil.example' } });
      assert.equal(other.headers.get('access-control-allow-origin'), null);
      assert.equal(other.headers.get('vary'), 'Origin');
    });

    test('chunked bodies: read within the limit, cut off past it', async () => {
      const chunked = (bytes) => new ReadableStream({
        start(c) {
          for (let i = 0; i < bytes.length; i += 4096) c.enqueue(bytes.subarray(i, i + 4096));
          c.close();
        },
      });
      const core = await loadCore();
      const grantId = await grant();
      const bundle = await sealed(grantId, 1);
      const path = bundlePath(grantId);
      const put = (body, authBody = body) => fetch(relay.url + path, {
        method: 'PUT', body: chunked(body), duplex: 'half',
        headers: { authorization: core.requestSign({ method: 'PUT', path, body: authBody, key: patient.secret }) },
      });
      const ok = await put(bundle);
      assert.equal(ok.status, 201, await ok.text());
      const big = await put(new Uint8Array(300 * 1024));
      assert.equal(big.status, 413);
      assert.equal((await big.json()).error, 'too-large');
      const elsewhere = await fetch(`${relay.url}/v1/elsewhere`, { method: 'POST', body: chunked(new Uint8Array(10000)), duplex: 'half' });
      assert.equal(elsewhere.status, 404);
      assert.equal(elsewhere.headers.get('connection'), 'close');
    });

    test('compressed, multipart, and misplaced bodies are refused unread', async () => {
      const grantId = await grant();
      const gz = await fetch(relay.url + bundlePath(grantId), { method: 'PUT', body: 'x', headers: { 'content-encoding': 'gzip' } });
      assert.equal(gz.status, 415);
      assert.equal((await gz.json()).error, 'unsupported-encoding');
      const withBody = await fetch(`${relay.url}/v1/grants/${grantId}`, { method: 'DELETE', body: 'x' });
      assert.equal(withBody.status, 400);
      assert.equal(withBody.headers.get('connection'), 'close');
      const multipart = await fetch(relay.url + bundlePath(grantId), { method: 'PUT', body: new FormData() });
      assert.equal(multipart.status, 400);
      assert.equal((await multipart.json()).error, 'malformed');
    });

    test('logs: one JSON line per request, route templates and a grant hash only', async () => {
      const grantId = await grant();
      await getBundle(relay, tool, grantId);
      await sleep(50);
      const lines = relay.logs.filter((l) => l.event === 'request');
      assert.ok(lines.length > 10);
      for (const l of lines) {
        assert.deepEqual(Object.keys(l).filter((k) => !['time', 'event', 'method', 'route', 'status', 'error', 'in', 'out', 'ms', 'grant'].includes(k)), []);
        assert.ok(['/v1/grants', '/v1/grants/:id/bundle', '/v1/grants/:id', '/healthz', '/metrics', 'other'].includes(l.route), l.route);
        if (l.grant) assert.match(l.grant, /^[0-9a-f]{8}$/);
      }
      const mine = lines.filter((l) => l.route === '/v1/grants/:id/bundle' && l.error === 'no-bundle');
      assert.ok(mine.length >= 1);
      assert.ok(!relay.raw.includes(grantId));
    });
  });

  describe(`relay limits on ${backend.name}`, () => {
    test('429 too-many-grants: live grants per patient key are bounded', async () => {
      const relay = await startRelay({ db: backend.db(), args: ['--max-grants-per-key', '3'] });
      try {
        const [one, tool] = await Promise.all([makeKeys(), makeKeys()]);
        const ids = [];
        for (let i = 0; i < 3; i++) {
          const r = await createGrant(relay, { patient: one, tool });
          assert.equal(r.status, 201);
          ids.push(r.grantId);
        }
        expectError(assert, await createGrant(relay, { patient: one, tool }), 429, 'too-many-grants');
        // Revoking one frees a place; other keys are not affected.
        assert.equal((await createGrant(relay, { patient: await makeKeys(), tool })).status, 201);
        assert.equal((await revokeGrant(relay, one, ids[0])).status, 204);
        assert.equal((await createGrant(relay, { patient: one, tool })).status, 201);
      } finally {
        await relay.stop();
      }
    });


    test('429 rate-limited per address and per key, with Retry-After', async () => {
      const byAddress = await startRelay({ db: backend.db(), args: ['--address-rate', '60', '--address-burst', '3', '--key-rate', '0'] });
      try {
        const statuses = [];
        for (let i = 0; i < 4; i++) statuses.push((await getBundle(byAddress, await makeKeys(), randomGrantId())).status);
        assert.deepEqual(statuses, [404, 404, 404, 429]);
        const r = await getBundle(byAddress, await makeKeys(), randomGrantId());
        expectError(assert, r, 429, 'rate-limited');
        assert.ok(Number(r.headers.get('retry-after')) >= 1);
        // Health checks are not limited.
        assert.equal((await fetch(`${byAddress.url}/healthz`)).status, 200);
      } finally {
        await byAddress.stop();
      }

      const byKey = await startRelay({ db: backend.db(), args: ['--address-rate', '0', '--key-rate', '60', '--key-burst', '2'] });
      try {
        const tool = await makeKeys();
        const statuses = [];
        for (let i = 0; i < 3; i++) statuses.push((await getBundle(byKey, tool, randomGrantId())).status);
        assert.deepEqual(statuses, [404, 404, 429]);
        const r = await getBundle(byKey, tool, randomGrantId());
        expectError(assert, r, 429, 'rate-limited');
        assert.ok(Number(r.headers.get('retry-after')) >= 1);
        // Another key has its own budget; a forged request does not spend this one's.
        assert.equal((await getBundle(byKey, await makeKeys(), randomGrantId())).status, 404);
        const metrics = await (await fetch(`${byKey.url}/metrics`)).text();
        assert.match(metrics, /chartlock_relay_rate_limited_total\{scope="key"\} 2/);
      } finally {
        await byKey.stop();
      }
    });
  });
}
