// SPDX-License-Identifier: Apache-2.0
// `chartlock tool keygen|manifest|fetch` as a tool's backend runs them,
// against the real relay binary on a loopback port: the patient seals and
// puts (the CLI's seal, or the wasm module as the widget does), the tool
// fetches, and every way that can fail has its own exit code and message
// (docs/tool-cli.md).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { cli, loadCore, wasmBuild } from './support.mjs';
import { createGrant, enc, nowSeconds, putBundle, randomGrantId, revokeGrant, sleep, startRelay } from './relay-support.mjs';

// The exit codes of `chartlock tool` (cli/tool_failure.hpp).
const EXIT = {
  ok: 0, usage: 2, badKey: 3, unreachable: 4, unauthorized: 5, forbidden: 6, unknownGrant: 7, noBundle: 8,
  gone: 9, tooLarge: 10, rateLimited: 11, relayError: 12, badBundle: 13,
};

// The CLI without blocking the event loop: the proxies below live in this process.
function run(args, { input } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
    child.stdin.end(input);
  });
}

function expectExit(r, code, message) {
  assert.equal(r.status, code, `expected exit ${code}, got ${r.status}: ${r.stderr}`);
  if (code !== EXIT.ok) assert.equal(r.stdout.length, 0, 'nothing is printed when fetching fails');
  if (message) assert.match(r.stderr, message);
}

// A workspace: the tool's keys (tool keygen), the patient's and a stranger's
// (keygen), a synthetic patient's FHIR Bundle larger than one chunk, and its
// summary in Markdown.
async function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-tool-cli-'));
  const at = (f) => path.join(dir, f);
  const toolKeys = await run(['tool', 'keygen', '--out', at('tool')]);
  assert.equal(toolKeys.status, 0, toolKeys.stderr);
  for (const who of ['patient', 'stranger']) assert.equal((await run(['keygen', '--out', at(who)])).status, 0);
  assert.equal((await run(['generate', '--seed', '11', '--size', '200KB', '--providers', '1', '--out', at('synth')])).status, 0);
  const records = readFileSync(at('synth/provider-1.json'));
  const summary = await run(['summary', at('synth/provider-1.json'), '--format', 'markdown']);
  assert.equal(summary.status, 0, summary.stderr);
  writeFileSync(at('records.json'), records);
  writeFileSync(at('summary.md'), summary.stdout);
  const party = (who) => ({
    secret: readFileSync(at(`${who}.key`), 'utf8'),
    public: readFileSync(at(`${who}.pub`), 'utf8'),
    ed25519: JSON.parse(readFileSync(at(`${who}.pub`), 'utf8')).ed25519,
  });
  return { dir, at, records, summary: summary.stdout, toolKeysOut: toolKeys.stdout.toString(),
    tool: party('tool'), patient: party('patient'), stranger: party('stranger') };
}

// The consent receipt as the widget writes it (web/widget/js/consent.js), trimmed.
const receiptFor = (grantId, sequence, signer) => JSON.stringify({
  type: 'chartlock-consent-receipt', version: 1, grantId, sequence,
  createdAt: new Date().toISOString(), scopesRequested: ['patient/*.rs'],
  shared: { categories: ['labs'], items: 1, keys: ['obs-1'] }, signer,
});

describe('chartlock tool', () => {
  let w;
  let relay;

  before(async () => {
    w = await workspace();
    relay = await startRelay({ db: path.join(w.dir, 'relay.db') });
  });
  after(async () => { await relay?.stop(); });

  // The patient's side: seal with the CLI, create the grant, put the bundle.
  async function share({ grantId = randomGrantId(), sequence = 1, recipient = 'tool', receipt, put = true, grant = true } = {}) {
    writeFileSync(w.at('receipt.json'), receipt ?? receiptFor(grantId, sequence, w.patient.ed25519));
    const sealed = await run(['seal', '--to', w.at(`${recipient}.pub`), '--key', w.at('patient.key'),
      '--receipt', w.at('receipt.json'), '--grant', grantId, '--seq', String(sequence), '--out', w.at(`${grantId}.clb`),
      w.at('records.json'), w.at('summary.md')]);
    assert.equal(sealed.status, 0, sealed.stderr);
    const bundle = new Uint8Array(readFileSync(w.at(`${grantId}.clb`)));
    if (grant) assert.equal((await createGrant(relay, { patient: w.patient, tool: w.tool, grantId })).status, 201);
    if (put) assert.equal((await putBundle(relay, w.patient, grantId, bundle)).status, 201);
    return { grantId, bundle };
  }

  const fetchArgs = (grantId, extra = [], relayUrl = relay.url) => ['tool', 'fetch', '--relay', relayUrl, '--grant', grantId,
    '--key', w.at('tool.key'), '--patient', w.patient.ed25519, ...extra];

  test('keygen writes the tool\'s key files and prints the manifest\'s keys', () => {
    assert.equal(statSync(w.at('tool.key')).mode & 0o777, 0o600);
    const pub = JSON.parse(w.tool.public);
    assert.equal(pub.type, 'chartlock-public-keys');
    assert.deepEqual(JSON.parse(w.toolKeysOut), { x25519: pub.x25519, ed25519: pub.ed25519 });
  });

  test('keygen refuses to overwrite without --force', async () => {
    expectExit(await run(['tool', 'keygen', '--out', w.at('tool')]), EXIT.usage, /exists/);
  });

  test('the key files are the Node SDK\'s: the wasm module reads them', async () => {
    const core = await loadCore();
    const keys = JSON.parse(core.keysPublic(w.tool.secret));
    assert.equal(keys.ed25519, w.tool.ed25519);
  });

  const manifestArgs = (extra = {}) => {
    const fields = {
      '--keys': w.at('tool.pub'), '--name': 'Coach Zoë', '--origin': 'https://coach.example',
      '--purpose': 'Explains your lab results.', '--retention': 'Deleted after 30 days.', ...extra,
    };
    const args = ['tool', 'manifest'];
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) args.push(k, v);
    return args;
  };
  const scopes = ['--scope', 'patient/Patient.rs', '--scope', 'patient/Observation.rs?category=laboratory'];

  test('manifest: every field, in the format the widget checks', async () => {
    const r = await run([...manifestArgs(), ...scopes]);
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(r.stdout);
    const pub = JSON.parse(w.tool.public);
    assert.deepEqual(m, {
      type: 'chartlock-tool-manifest', version: 1, name: 'Coach Zoë', origin: 'https://coach.example',
      purpose: 'Explains your lab results.', retention: 'Deleted after 30 days.',
      scopes: ['patient/Patient.rs', 'patient/Observation.rs?category=laboratory'],
      keys: { x25519: pub.x25519, ed25519: pub.ed25519 },
    });
    // From the secret key file: the same public keys; to a file.
    const out = w.at('manifest.json');
    assert.equal((await run([...manifestArgs({ '--keys': w.at('tool.key') }), ...scopes, '--out', out])).status, 0);
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), m);
  });

  test('manifest refuses what the widget would refuse', async () => {
    const cases = [
      [manifestArgs({ '--origin': 'https://coach.example/' }), /origin/],
      [manifestArgs({ '--origin': 'https://Coach.example' }), /origin/],
      [manifestArgs({ '--origin': 'https://coach.example:443' }), /default port/],
      [manifestArgs({ '--name': 'x'.repeat(501) }), /--name is longer than 500/],
      [manifestArgs({ '--purpose': ' ' }), /--purpose is empty/],
      [manifestArgs({ '--retention': 'a\nb' }), /control characters/],
      [manifestArgs({ '--name': undefined }), /--name/],
    ];
    for (const [args, message] of cases) expectExit(await run([...args, ...scopes]), EXIT.usage, message);
    expectExit(await run(manifestArgs()), EXIT.usage, /--scope/);
    for (const [scope, message] of [['patient/Observation.cruds', /read scope/], ['user/Observation.rs', /read scope/],
      ['patient/Claim.rs', /does not share Claim/], ['patient/Condition.rs?category=x', /only patient\/Observation/]]) {
      expectExit(await run([...manifestArgs(), '--scope', scope]), EXIT.usage, message);
    }
    assert.equal((await run([...manifestArgs(), '--scope', 'patient/*.read'])).status, 0);
    writeFileSync(w.at('garbage.pub'), '{"type":"chartlock-public-keys","version":1,"x25519":"AAAA"}');
    expectExit(await run([...manifestArgs({ '--keys': w.at('garbage.pub') }), ...scopes]), EXIT.badKey, /key file is not usable/);
  });

  test('round trip: seal, put, fetch — the FHIR Bundle is byte-identical to what was sealed', async () => {
    const { grantId } = await share();
    const r = await run(fetchArgs(grantId));
    expectExit(r, EXIT.ok);
    assert.ok(r.stdout.equals(w.records), 'the FHIR Bundle, byte for byte');
    assert.ok(w.records.length > 64 * 1024, 'more than one chunk');
    assert.match(r.stderr, /sequence 1, /);
    assert.doesNotMatch(r.stderr, /warning/);

    const md = await run(fetchArgs(grantId, ['--format', 'markdown']));
    expectExit(md, EXIT.ok);
    assert.ok(md.stdout.equals(w.summary), 'the summary Markdown, byte for byte');
    assert.match(md.stdout.toString(), /^# /m);

    const receipt = await run(fetchArgs(grantId, ['--format', 'receipt']));
    assert.equal(JSON.parse(receipt.stdout).grantId, grantId);

    const out = w.at('fetched.json');
    expectExit(await run(fetchArgs(grantId, ['--out', out])), EXIT.ok);
    assert.ok(readFileSync(out).equals(w.records));
    assert.equal(statSync(out).mode & 0o777, 0o600, 'records are written for the owner only');
  });

  test('round trip with the widget\'s sealing code (wasm bundleSeal), as the widget shares', async () => {
    const core = await loadCore();
    const grantId = randomGrantId();
    const now = nowSeconds();
    const bundle = core.bundleSeal({
      recipient: w.tool.public, signer: w.patient.secret, grantId, sequence: 3, createdAt: now - 5, expiresAt: now + 3600,
      receipt: enc.encode(receiptFor(grantId, 3, w.patient.ed25519)),
      parts: [{ name: 'records.json', mediaType: 'application/fhir+json', bytes: new Uint8Array(w.records) },
        { name: 'summary.md', mediaType: 'text/markdown', bytes: new Uint8Array(w.summary) }],
    });
    assert.equal((await createGrant(relay, { patient: w.patient, tool: w.tool, grantId })).status, 201);
    assert.equal((await putBundle(relay, w.patient, grantId, bundle)).status, 201);
    const r = await run(fetchArgs(grantId));
    expectExit(r, EXIT.ok);
    assert.ok(r.stdout.equals(w.records));
    assert.match(r.stderr, /sequence 3, /);
    expectExit(await run(fetchArgs(grantId, ['--min-sequence', '4'])), EXIT.badBundle, /stale-sequence/);
    expectExit(await run(fetchArgs(grantId, ['--min-sequence', '3'])), EXIT.ok);
  });

  test('without --patient the signer is not pinned, and a warning says so', async () => {
    const { grantId } = await share();
    const r = await run(['tool', 'fetch', '--relay', relay.url, '--grant', grantId, '--key', w.at('tool.key')]);
    expectExit(r, EXIT.ok);
    assert.match(r.stderr, /warning: signer not pinned/);
  });

  test('404: an unknown grant, and a grant with no bundle yet, apart', async () => {
    expectExit(await run(fetchArgs(randomGrantId())), EXIT.unknownGrant, /no such grant.*unknown-grant/);
    const { grantId } = await share({ put: false });
    expectExit(await run(fetchArgs(grantId)), EXIT.noBundle, /no bundle yet.*no-bundle/);
  });

  test('403: a key the grant does not name', async () => {
    const { grantId } = await share();
    expectExit(await run(fetchArgs(grantId).map((a) => (a === w.at('tool.key') ? w.at('stranger.key') : a))),
      EXIT.forbidden, /not the one the grant names.*wrong-key/);
  });

  test('410: revoked and expired, each said', async () => {
    const { grantId } = await share();
    assert.equal((await revokeGrant(relay, w.patient, grantId)).status, 204);
    expectExit(await run(fetchArgs(grantId)), EXIT.gone, /disconnected this tool \(grant revoked\)/);

    const expiring = randomGrantId();
    assert.equal((await createGrant(relay, { patient: w.patient, tool: w.tool, grantId: expiring, expiresAt: nowSeconds() + 2 })).status, 201);
    await sleep(3200);
    expectExit(await run(fetchArgs(expiring)), EXIT.gone, /the grant expired.*expired/);
  });

  test('bundles that do not open: wrong recipient, wrong signer, a receipt for another grant', async () => {
    const toStranger = await share({ recipient: 'stranger' });
    expectExit(await run(fetchArgs(toStranger.grantId)), EXIT.badBundle, /did not open: wrong-recipient/);

    const { grantId } = await share();
    const pinnedToStranger = fetchArgs(grantId).map((a) => (a === w.patient.ed25519 ? w.stranger.ed25519 : a));
    expectExit(await run(pinnedToStranger), EXIT.badBundle, /did not open: wrong-signer/);

    const other = await share({ receipt: receiptFor(randomGrantId(), 1, w.patient.ed25519) });
    expectExit(await run(fetchArgs(other.grantId)), EXIT.badBundle, /receipt-mismatch: .*this grant/);
    const wrongVersion = randomGrantId();
    await share({ grantId: wrongVersion, receipt: receiptFor(wrongVersion, 7, w.patient.ed25519) });
    expectExit(await run(fetchArgs(wrongVersion)), EXIT.badBundle, /receipt-mismatch: .*version/);
  });

  test('the Node SDK makes the same checks as the CLI, through the same core', async () => {
    const { createTool } = await import('../../tool/index.mjs');
    const tool = await createTool({ keyFile: w.tool.secret, wasm: path.resolve(wasmBuild, 'chartlock-core.js'), relays: [relay.url] });
    const fetchShare = (grantId, extra = {}) => tool.fetchShare({ relay: relay.url, grantId, patientKey: w.patient.ed25519, ...extra });
    const rejects = (promise, code, message) => assert.rejects(promise, (e) => {
      assert.equal(e.name, 'ToolError');
      assert.equal(e.code, code);
      if (message) assert.match(e.message, message);
      return true;
    });

    const good = await share({ sequence: 2, receipt: undefined });
    const received = await fetchShare(good.grantId);
    assert.ok(Buffer.from(received.parts['records.json'].bytes).equals(w.records));
    assert.equal(received.header.sequence, 2);
    assert.equal((await fetchShare(good.grantId, { minSequence: 2 })).header.sequence, 2);
    await rejects(fetchShare(good.grantId, { minSequence: 3 }), 'stale-sequence', /version 2, older than version 3/);

    const other = await share({ receipt: receiptFor(randomGrantId(), 1, w.patient.ed25519) });
    await rejects(fetchShare(other.grantId), 'receipt-mismatch', /this grant/);
    const wrongVersion = randomGrantId();
    await share({ grantId: wrongVersion, receipt: receiptFor(wrongVersion, 7, w.patient.ed25519) });
    await rejects(fetchShare(wrongVersion), 'receipt-mismatch', /version/);
    await rejects(fetchShare(good.grantId, { patientKey: w.stranger.ed25519 }), 'wrong-signer');
    await rejects(fetchShare(randomGrantId()), 'unknown-grant');
  });

  test('bad usage and a bad key file', async () => {
    const { grantId } = await share({ put: false });
    expectExit(await run(fetchArgs(grantId.toUpperCase())), EXIT.usage, /--grant must be 32 lowercase hex/);
    expectExit(await run(fetchArgs(grantId, [], `${relay.url}/v1`)), EXIT.usage, /--relay must be a base URL/);
    expectExit(await run(fetchArgs(grantId, [], relay.url.replace('http:', 'ftp:'))), EXIT.usage, /--relay/);
    expectExit(await run(fetchArgs(grantId, ['--format', 'pdf'])), EXIT.usage, /--format/);
    expectExit(await run(fetchArgs(grantId).map((a) => (a === w.patient.ed25519 ? 'AAAA' : a))), EXIT.usage, /--patient/);
    writeFileSync(w.at('broken.key'), '{"type":"chartlock-keys","version":1}');
    for (const key of [w.at('broken.key'), w.at('missing.key'), w.at('tool.pub')]) {
      expectExit(await run(fetchArgs(grantId).map((a) => (a === w.at('tool.key') ? key : a))), EXIT.badKey, /tool key file is not usable/);
    }
  });

  test('an answer larger than --max-bytes is refused before it is all read', async () => {
    const { grantId, bundle } = await share();
    expectExit(await run(fetchArgs(grantId, ['--max-bytes', String(bundle.length - 1)])), EXIT.tooLarge, /larger than/);
    expectExit(await run(fetchArgs(grantId, ['--max-bytes', String(bundle.length)])), EXIT.ok);
  });

  // A proxy between the CLI and the real relay: `onRequest` may change the
  // request headers, `onBody` the answer (a network attacker, or a relay
  // that misbehaves).
  async function proxy({ onRequest = (h) => h, onBody = (b) => b } = {}) {
    const target = new URL(relay.url);
    const server = createHttpServer((req, res) => {
      const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url,
        headers: onRequest({ ...req.headers }) }, (answer) => {
        const chunks = [];
        answer.on('data', (c) => chunks.push(c));
        answer.on('end', () => {
          const body = onBody(Buffer.concat(chunks), answer.statusCode);
          const headers = { ...answer.headers, 'content-length': String(body.length) };
          delete headers['transfer-encoding'];
          res.writeHead(answer.statusCode, headers);
          res.end(body);
        });
      });
      up.on('error', () => res.destroy());
      req.pipe(up);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
  }

  test('401: the real relay refuses a changed signature, and a clock outside its window', async () => {
    const { grantId } = await share();
    const flipSig = await proxy({ onRequest: (h) => ({ ...h, authorization: h.authorization.replace(/sig="(.)/, (m, c) => `sig="${c === 'A' ? 'B' : 'A'}`) }) });
    try {
      expectExit(await run(fetchArgs(grantId, [], flipSig.url)), EXIT.unauthorized, /does not verify.*bad-signature/);
    } finally { await flipSig.close(); }
    // The request as a computer whose clock is an hour behind would sign it.
    const stale = await proxy({ onRequest: (h) => ({ ...h, authorization: h.authorization.replace(/ts="(\d+)"/, (m, ts) => `ts="${Number(ts) - 3600}"`) }) });
    try {
      expectExit(await run(fetchArgs(grantId, [], stale.url)), EXIT.unauthorized, /clock.*stale-timestamp/);
    } finally { await stale.close(); }
  });

  test('a bundle changed on the way does not open: tampered ciphertext, a bad signature', async () => {
    const { grantId } = await share();
    const flip = (offset) => proxy({ onBody: (b, status) => {
      if (status !== 200) return b;
      const copy = Buffer.from(b);
      copy[offset(copy)] ^= 1;
      return copy;
    } });
    const middle = await flip((b) => b.length >> 1);
    try {
      expectExit(await run(fetchArgs(grantId, [], middle.url)), EXIT.badBundle, /did not open: tampered/);
    } finally { await middle.close(); }
    const signature = await flip((b) => b.length - 10);
    try {
      expectExit(await run(fetchArgs(grantId, [], signature.url)), EXIT.badBundle, /did not open: bad-signature/);
    } finally { await signature.close(); }
  });

  // Answers every request with one status and body, as a proxy in front of a relay might.
  async function stub(status, body, headers = {}) {
    const server = createHttpServer((req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
  }

  test('413 (which the relay cannot send on a GET, but a proxy can) and other answers', async () => {
    const grantId = randomGrantId();
    const cases = [
      [413, { error: 'too-large', message: 'the body is too large' }, {}, EXIT.tooLarge, /too large.*too-large/],
      [503, { error: 'unavailable', message: 'the database did not answer' }, { 'retry-after': '5' }, EXIT.relayError, /answered 503 \(retry after 5 seconds\)/],
      [500, { error: 'internal', message: 'x\u001b[31m' }, {}, EXIT.relayError, /answered 500 \[relay: internal, x\[31m\]/],
    ];
    for (const [status, body, headers, code, message] of cases) {
      const s = await stub(status, body, headers);
      try {
        const r = await run(fetchArgs(grantId, [], s.url));
        expectExit(r, code, message);
        assert.doesNotMatch(r.stderr, /\u001b/, 'control characters from the relay are not printed');
      } finally { await s.close(); }
    }
  });

  test('429: the relay\'s rate limit, with its Retry-After', async () => {
    const limited = await startRelay({ db: path.join(w.dir, 'limited.db'), args: ['--key-rate', '1', '--key-burst', '1'] });
    try {
      const grantId = randomGrantId();
      expectExit(await run(fetchArgs(grantId, [], limited.url)), EXIT.unknownGrant);
      expectExit(await run(fetchArgs(grantId, [], limited.url)), EXIT.rateLimited, /too many requests: try again in \d+ seconds.*rate-limited/);
    } finally { await limited.stop(); }
  });

  test('a relay that is down, or does not answer, is said to be unreachable', async () => {
    const down = await startRelay({ db: path.join(w.dir, 'down.db') });
    await down.stop();
    expectExit(await run(fetchArgs(randomGrantId(), [], down.url)), EXIT.unreachable, /could not be reached: no connection/);

    const sockets = [];
    const silent = createTcpServer((s) => sockets.push(s));  // accepts, never answers
    await new Promise((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const started = Date.now();
      expectExit(await run(fetchArgs(randomGrantId(), ['--timeout', '1'], `http://127.0.0.1:${silent.address().port}`)),
        EXIT.unreachable, /did not answer within 1 s/);
      assert.ok(Date.now() - started < 10000, 'the timeout holds');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  test('https: the relay\'s certificate is checked; --ca-file trusts a private CA', async (t) => {
    const cert = w.at('relay-cert.pem');
    const key = w.at('relay-key.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost']);
    if (made.error || made.status !== 0) return t.skip('openssl is not installed');
    const { grantId } = await share();
    const target = new URL(relay.url);
    const server = createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (req, res) => {
      const up = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => { res.writeHead(answer.statusCode, answer.headers); answer.pipe(res); });
      req.pipe(up);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://localhost:${server.address().port}`;
    try {
      expectExit(await run(fetchArgs(grantId, [], url)), EXIT.unreachable, /certificate is not trusted/);
      const r = await run(fetchArgs(grantId, ['--ca-file', cert], url));
      expectExit(r, EXIT.ok);
      assert.ok(r.stdout.equals(w.records));
    } finally {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    }
  });

  test('--help documents every exit code', async () => {
    const r = await run(['tool', '--help']);
    assert.equal(r.status, 0);
    for (const code of Object.values(EXIT)) assert.match(r.stdout.toString(), new RegExp(`^ +${code}  `, 'm'));
    for (const sub of ['keygen', 'manifest', 'fetch']) {
      const h = await run(['tool', sub, '--help']);
      assert.equal(h.status, 0);
      assert.match(h.stdout.toString(), new RegExp(`usage: chartlock tool ${sub}`));
    }
    assert.match((await run(['tool', 'fetch', '--help'])).stdout.toString(), /https/);
  });
});
