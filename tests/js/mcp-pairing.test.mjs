// SPDX-License-Identifier: Apache-2.0
// Pairing the patient's own AI app (docs/tool-manifest.md, "An AI app on this
// computer"): the pairing code as the widget reads it (web/widget/js/local-app.js)
// and the connection code as chartlock-mcp reads it (tool/pairing.mjs), each
// made by the other side; bad input refused with a plain reason, extra fields
// dropped. `chartlock-mcp pair` writes the key 0600 in a 0700 folder and never
// prints it; `pair --finish` writes connection.json 0600 and the config;
// `--connection` runs from it. The browser half is tests/browser/mcp-pairing.test.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';

import { root, wasmBuild } from './support.mjs';

const { readPairingCode, connectionCode, PairingError: WidgetPairingError } = await import('../../web/widget/js/local-app.js');
const { makePairingCode, parseConnectionCode, PairingError } = await import('../../tool/pairing.mjs');

const server = path.join(root, 'tool/chartlock-mcp.mjs');
const env = { ...process.env, CHARTLOCK_WASM_BUILD: wasmBuild };
const b64 = (o) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const KEY_A = 'A'.repeat(42) + 'E';
const KEY_B = 'B'.repeat(42) + 'E';
const KEY_C = 'C'.repeat(42) + 'E';
const KEY_D = 'D'.repeat(42) + 'E';
const app = { type: 'chartlock-local-app', version: 1, name: 'My AI app', scopes: ['patient/*.rs'], keys: { x25519: KEY_A, ed25519: KEY_B } };
const pairing = (o) => `chartlock-pair:${b64(o)}`;
const refused = (text, code) => assert.throws(() => readPairingCode(text), (e) => e instanceof WidgetPairingError && e.code === code,
  `${code}: ${text.slice(0, 60)}`);

describe('the pairing code, as the widget reads it', () => {
  test('made by chartlock-mcp: a manifest for a local app, known by its keys, with the widget\'s own words', () => {
    const m = readPairingCode(makePairingCode({ name: ' Claude on my laptop ', keys: { x25519: KEY_A, ed25519: KEY_B } }));
    assert.deepEqual(m.keys, { x25519: KEY_A, ed25519: KEY_B });
    assert.equal(m.name, 'Claude on my laptop');
    assert.equal(m.local, true);
    assert.equal(m.origin, '');
    assert.deepEqual(m.scopes, ['patient/*.rs']);
    assert.equal(m.type, 'chartlock-tool-manifest');
    assert.match(m.purpose, /on this computer/);
  });

  test('spaces and line breaks from a terminal are ignored; extra fields are dropped', () => {
    const code = pairing({ ...app, purpose: 'I will sell your data', origin: 'https://evil.example', extra: 'x'.repeat(100),
      keys: { ...app.keys, other: KEY_C } });
    const m = readPairingCode(`  ${code.slice(0, 30)}\n${code.slice(30)}\r\n`);
    assert.deepEqual(Object.keys(m).sort(), ['keys', 'local', 'name', 'origin', 'purpose', 'retention', 'scopes', 'type', 'version']);
    assert.deepEqual(Object.keys(m.keys), ['x25519', 'ed25519']);
    assert.equal(m.origin, '');
    assert.doesNotMatch(m.purpose, /sell/);
  });

  test('not a pairing code: another prefix, nothing, a connection code', () => {
    refused('', 'not-a-pairing-code');
    refused(`chartlock-pairing:${b64(app)}`, 'not-a-pairing-code');
    refused(b64(app), 'not-a-pairing-code');
    refused(JSON.stringify(app), 'not-a-pairing-code');
    refused(`chartlock-connect:${b64(app)}`, 'connection-code');
  });

  test('damaged: bad base64, not JSON, not this type or version, no name, bad scopes, too long', () => {
    refused('chartlock-pair:', 'damaged');
    refused('chartlock-pair:!!!!', 'damaged');
    refused('chartlock-pair:a', 'damaged');  // no base64 is one character longer than a multiple of four
    refused(`chartlock-pair:${b64('not json {')}`, 'damaged');
    refused(`chartlock-pair:${b64('[1,2]')}`, 'damaged');
    refused(pairing({ ...app, type: 'chartlock-tool-manifest' }), 'damaged');
    refused(pairing({ ...app, version: 2 }), 'damaged');
    refused(pairing({ ...app, name: '' }), 'damaged');
    refused(pairing({ ...app, name: 'x'.repeat(101) }), 'damaged');
    refused(pairing({ ...app, name: 'two\nlines' }), 'damaged');
    refused(pairing({ ...app, name: 'Claude\u202egnp.exe' }), 'damaged');  // a right-to-left override: the name would read otherwise
    refused(pairing({ ...app, scopes: [] }), 'damaged');
    refused(pairing({ ...app, scopes: 'patient/*.rs' }), 'damaged');
    refused(pairing({ ...app, scopes: ['x'.repeat(201)] }), 'damaged');
    refused(pairing({ ...app, name: 'x'.repeat(99), scopes: Array(100).fill('patient/Observation.rs?category=laboratory') }), 'damaged');
    const good = pairing(app);
    refused(good.slice(0, -5), 'damaged');  // cut short
  });

  test('bad keys: wrong lengths, not base64url, missing, the same key twice', () => {
    refused(pairing({ ...app, keys: { x25519: KEY_A.slice(1), ed25519: KEY_B } }), 'bad-keys');
    refused(pairing({ ...app, keys: { x25519: KEY_A, ed25519: `${KEY_B}A` } }), 'bad-keys');
    refused(pairing({ ...app, keys: { x25519: `${KEY_A.slice(1)}+`, ed25519: KEY_B } }), 'bad-keys');
    refused(pairing({ ...app, keys: { x25519: KEY_A } }), 'bad-keys');
    refused(pairing({ ...app, keys: null }), 'bad-keys');
    refused(pairing({ ...app, keys: { x25519: KEY_A, ed25519: KEY_A } }), 'bad-keys');
  });
});

describe('the connection code, as chartlock-mcp reads it', () => {
  const grant = { relay: 'https://relay.example', grantId: '0123456789abcdef0123456789abcdef',
    keys: { public: JSON.stringify({ type: 'chartlock-public-keys', version: 1, x25519: KEY_C, ed25519: KEY_D }) },
    tool: { keys: { x25519: KEY_A, ed25519: KEY_B } } };
  const fields = { type: 'chartlock-connection', version: 1, relay: 'https://relay.example', grant: grant.grantId, patient: KEY_D, app: KEY_B };
  const conn = (o) => `chartlock-connect:${b64(o)}`;
  const bad = (text, code) => assert.throws(() => parseConnectionCode(text), (e) => e instanceof PairingError && e.code === code,
    `${code}: ${text.slice(0, 60)}`);

  test('made by the widget: the relay, the grant, the patient\'s key and the app\'s', () => {
    const code = connectionCode(grant);
    assert.match(code, /^chartlock-connect:[A-Za-z0-9_-]+$/);
    assert.deepEqual(parseConnectionCode(` ${code.slice(0, 20)}\n${code.slice(20)} `),
      { relay: 'https://relay.example', grant: grant.grantId, patient: KEY_D, app: KEY_B });
    assert.ok(!Buffer.from(code.slice('chartlock-connect:'.length), 'base64url').toString().includes('secret'));
  });

  test('extra fields dropped', () => {
    assert.deepEqual(Object.keys(parseConnectionCode(conn({ ...fields, key: 'a secret?', extra: 1 }))), ['relay', 'grant', 'patient', 'app']);
  });

  test('wrong prefix, or the pairing code pasted back', () => {
    bad(b64(fields), 'not-a-connection-code');
    bad(`chartlock-conect:${b64(fields)}`, 'not-a-connection-code');
    bad(pairing(app), 'pairing-code');
  });

  test('damaged: bad base64, not JSON, wrong type, a relay that is not an origin, a bad grant id', () => {
    bad('chartlock-connect:!!!!', 'damaged');
    bad('chartlock-connect:a', 'damaged');
    bad(`chartlock-connect:${b64('nope')}`, 'damaged');
    bad(conn({ ...fields, type: 'chartlock-local-app' }), 'damaged');
    bad(conn({ ...fields, version: 2 }), 'damaged');
    bad(conn({ ...fields, relay: 'https://relay.example/path' }), 'damaged');
    bad(conn({ ...fields, relay: 'javascript:alert(1)' }), 'damaged');
    bad(conn({ ...fields, relay: 'https://user:pw@relay.example' }), 'damaged');
    bad(conn({ ...fields, grant: 'ABCDEF0123456789abcdef0123456789' }), 'damaged');
    bad(conn({ ...fields, grant: '../../etc' }), 'damaged');
  });

  test('bad keys: wrong lengths', () => {
    bad(conn({ ...fields, patient: KEY_D.slice(2) }), 'bad-keys');
    bad(conn({ ...fields, app: `${KEY_B}AA` }), 'bad-keys');
    bad(conn({ ...fields, app: undefined }), 'bad-keys');
  });
});

describe('chartlock-mcp pair', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'chartlock-pair-'));
  after(() => rmSync(home, { recursive: true, force: true }));
  const dir = path.join(home, 'nested', 'app');
  const mcp = (...args) => spawnSync(process.execPath, [server, ...args], { encoding: 'utf8', env, timeout: 60000 });

  let first;
  test('writes the key 0600 in a folder 0700, and prints the pairing code, never the secret key', () => {
    first = mcp('pair', '--dir', dir, '--name', 'Test app');
    assert.equal(first.status, 0, first.stderr);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const keyFile = path.join(dir, 'app.key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const key = JSON.parse(readFileSync(keyFile, 'utf8'));
    for (const secret of [key.x25519.secret, key.ed25519.seed]) {
      assert.ok(secret.length >= 43);
      assert.ok(!first.stdout.includes(secret) && !first.stderr.includes(secret), 'the secret key is never printed');
    }
    const code = first.stdout.split('\n').find((l) => l.startsWith('chartlock-pair:'));
    const m = readPairingCode(code);
    assert.deepEqual(m.keys, { x25519: key.x25519.public, ed25519: key.ed25519.public });
    assert.equal(m.name, 'Test app');
    assert.match(first.stdout, /pair --finish/);
  });

  test('again: the same key, so the same app', () => {
    const again = mcp('pair', '--dir', dir, '--name', 'Test app');
    assert.equal(again.status, 0, again.stderr);
    const code = (r) => r.stdout.split('\n').find((l) => l.startsWith('chartlock-pair:'));
    assert.equal(code(again), code(first));
    assert.match(again.stdout, /already in/);
  });

  test('refuses a bad name, a bad code, a code for another app\'s key', () => {
    assert.equal(mcp('pair', '--dir', dir, '--name', 'x'.repeat(101)).status, 2);
    const notCode = mcp('pair', '--finish', 'hello', '--dir', dir);
    assert.equal(notCode.status, 2);
    assert.match(notCode.stderr, /not a connection code/);
    const other = mcp('pair', '--finish', connectionCode({ relay: 'http://127.0.0.1:9', grantId: 'a'.repeat(32),
      keys: { public: JSON.stringify({ ed25519: KEY_D }) }, tool: { keys: { ed25519: KEY_B } } }), '--dir', dir);
    assert.equal(other.status, 2);
    assert.match(other.stderr, /another app's key/);
    const noKey = mcp('pair', '--finish', connectionCode({ relay: 'http://127.0.0.1:9', grantId: 'a'.repeat(32),
      keys: { public: JSON.stringify({ ed25519: KEY_D }) }, tool: { keys: { ed25519: KEY_B } } }), '--dir', path.join(home, 'none'));
    assert.equal(noKey.status, 3);
    assert.match(noKey.stderr, /run "chartlock-mcp pair" first/);
  });

  test('--finish saves connection.json 0600 and prints the config, even when the relay is out of reach (then says so)', () => {
    const key = JSON.parse(readFileSync(path.join(dir, 'app.key'), 'utf8'));
    const code = connectionCode({ relay: 'http://127.0.0.1:9', grantId: 'b'.repeat(32),
      keys: { public: JSON.stringify({ ed25519: KEY_D }) }, tool: { keys: { ed25519: key.ed25519.public } } });
    const r = mcp('pair', '--finish', code, '--dir', dir);
    assert.equal(r.status, 5, r.stderr);
    assert.match(r.stdout, /could not be fetched just now/);
    const file = path.join(dir, 'connection.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { type: 'chartlock-mcp-connection', version: 1,
      relay: 'http://127.0.0.1:9', grant: 'b'.repeat(32), patient: KEY_D, key: path.join(dir, 'app.key') });
    assert.ok(r.stdout.includes('"command": "npx"') && r.stdout.includes(`"${file}"`), r.stdout);
    assert.ok(r.stdout.includes(`"command": ${JSON.stringify(process.execPath)}`), 'and the variant without npx');
    for (const secret of [key.x25519.secret, key.ed25519.seed]) assert.ok(!r.stdout.includes(secret) && !r.stderr.includes(secret));
  });

  test('--connection: runs from the file, refuses it with --key and the like, and a file that is not one', () => {
    const file = path.join(dir, 'connection.json');
    const both = mcp('--connection', file, '--key', path.join(dir, 'app.key'));
    assert.equal(both.status, 2);
    assert.match(both.stderr, /give none of them with it/);
    const wrong = path.join(home, 'wrong.json');
    writeFileSync(wrong, '{"type":"something else"}');
    const notOne = mcp('--connection', wrong);
    assert.equal(notOne.status, 2);
    assert.match(notOne.stderr, /not a chartlock-mcp connection file/);
    const unreachable = mcp('--connection', file);  // the relay in it is out of reach: the server says so and stops
    assert.equal(unreachable.status, 4, unreachable.stderr);
  });
});
