// SPDX-License-Identifier: Apache-2.0
// The patient's own AI app, end to end (docs/mcp.md, "Connect an AI app on
// this computer"): `chartlock-mcp pair` makes the app's key on "this
// computer" (a temporary folder) and prints a pairing code → the patient
// pastes it into the widget (a wrong code first: said plainly) → the same
// consent screen as a website tool's, immunizations left out → shared → the
// connection code read from the page → `chartlock-mcp pair --finish` → the
// MCP server over stdio (`--connection`), driven by the MCP SDK's Client,
// answers with the shared labs and nothing of the immunizations → the app is
// listed once in "Connected tools" → Disconnect in the widget → the server
// says the patient disconnected → Reconnect: a new connection code, and the
// app reads again. Every request the browser made: no record
// in the clear except to the portal. The two new screens pass the phone check
// (390 px, no sideways scrolling, axe).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS } from '../../demo/stack.mjs';
import { root, wasmBuild } from '../js/support.mjs';
import { axeViolations, connectFromDirectory, startWithNewVault } from './harness.mjs';

const PASSPHRASE = 'my own computer, my own app';
const APP = 'Claude on my laptop';
const server = path.join(root, 'tool/chartlock-mcp.mjs');
const env = { ...process.env, CHARTLOCK_WASM_BUILD: wasmBuild };
const { DISCONNECTED } = await import('../../tool/mcp-server.mjs');
const text = (r) => r.content.map((c) => c.text).join('\n');

let stack;
let browser;
let widget;
let client;
const home = mkdtempSync(path.join(tmpdir(), 'chartlock-app-'));
const dir = path.join(home, 'app');
const traffic = [];

before(async () => {
  ({ stack, browser, widget } = await startWithNewVault(PASSPHRASE));
  browser.context.on('request', (r) => traffic.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() ?? Buffer.alloc(0) }));
  await connectFromDirectory(widget, PROVIDERS[0], { user: DEMO_USER, password: DEMO_PASSWORD });
});
after(async () => {
  await client?.close().catch(() => {});
  await browser?.close();
  await stack?.close();
  rmSync(home, { recursive: true, force: true });
});

const mcp = (...args) => spawnSync(process.execPath, [server, ...args], { encoding: 'utf8', env, timeout: 60000 });

/** 390 px wide: nothing scrolls sideways, axe finds nothing serious. */
async function phoneCheck(screen) {
  await widget.setViewportSize({ width: 390, height: 844 });
  const s = await widget.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(s.scroll <= s.inner, `${screen}: scrolls sideways (${s.scroll} > ${s.inner})`);
  const { violations } = await axeViolations(widget);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(blocking, [], `${screen}: ${JSON.stringify(blocking, null, 2)}`);
  await widget.setViewportSize({ width: 900, height: 1100 });
}

let pairingCode;
test('chartlock-mcp pair makes the app\'s key on this computer and prints a pairing code', () => {
  const r = mcp('pair', '--dir', dir, '--name', APP);
  assert.equal(r.status, 0, r.stderr);
  pairingCode = r.stdout.split('\n').find((l) => l.startsWith('chartlock-pair:'));
  assert.ok(pairingCode, r.stdout);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(statSync(path.join(dir, 'app.key')).mode & 0o777, 0o600);
});

let connectionCode;
let excluded;
test('the widget: paste the pairing code, the same consent (immunizations left out), share, a connection code', async () => {
  await widget.getByRole('button', { name: 'Connect an AI app on this computer' }).click();
  await widget.getByRole('heading', { name: 'Connect an AI app on this computer' }).waitFor();
  await phoneCheck('the pairing screen');
  // A wrong code first: said plainly, and nothing else happens.
  await widget.getByLabel('Pairing code').fill('hello, this is not it');
  await widget.getByRole('button', { name: 'Continue' }).click();
  await widget.getByRole('alert').filter({ hasText: /^This is not a pairing code\./ }).waitFor();
  await widget.getByLabel('Pairing code').fill(`${pairingCode.slice(0, 60)}`);  // cut short
  await widget.getByRole('button', { name: 'Continue' }).click();
  await widget.getByRole('alert').filter({ hasText: /^This pairing code is damaged/ }).waitFor();
  await phoneCheck('the pairing screen with an error');
  await widget.screenshot({ path: path.join(root, 'docs/screenshots/14-connect-ai-app.png') });
  // The real one, as a terminal might wrap it.
  await widget.getByLabel('Pairing code').fill(`${pairingCode.slice(0, 50)}\n${pairingCode.slice(50)}\n`);
  await widget.getByRole('button', { name: 'Continue' }).click();
  await widget.getByRole('heading', { name: `Share with ${APP} — an AI app on this computer` }).waitFor();
  assert.match(await widget.locator('.tool-facts').innerText(), /No tool server\./);
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).waitFor();
  await widget.evaluate(() => window.scrollTo(0, 0));
  await widget.screenshot({ path: path.join(root, 'docs/screenshots/14b-consent-ai-app.png') });
  await widget.getByLabel(/^Immunizations/).uncheck();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `What ${APP} will receive` }).waitFor();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${APP}` }).waitFor();
  connectionCode = await widget.getByLabel('Connection code').inputValue();
  assert.match(connectionCode, /^chartlock-connect:[A-Za-z0-9_-]+$/);
  assert.ok((await widget.locator('pre.code-text').innerText()).includes(`npx chartlock-mcp pair --finish ${connectionCode}`));
  await phoneCheck('the connection code');
  await widget.screenshot({ path: path.join(root, 'docs/screenshots/15-connection-code.png') });
  // What the patient left out, as the portal holds it: none of it may reach the app.
  const store = stack.providers[0].store;
  excluded = store.search('Immunization').flatMap((i) => [i.vaccineCode?.text, ...(i.vaccineCode?.coding ?? []).map((c) => c.display)])
    .filter((s) => typeof s === 'string' && s.length >= 6);
  assert.ok(excluded.length > 0, 'the demo patient has immunizations to leave out');
});

let connectionFile;
test('pair --finish saves the connection and prints the Claude Desktop configuration', () => {
  const r = mcp('pair', '--finish', connectionCode, '--dir', dir);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  connectionFile = path.join(dir, 'connection.json');
  assert.match(r.stdout, /Checked: the share opens \(version 1/);
  assert.ok(r.stdout.includes(JSON.stringify({ mcpServers: { chartlock: { command: 'npx',
    args: ['--no-install', '--prefix', root, 'chartlock-mcp', '--connection', connectionFile] } } }, null, 2)), r.stdout);
  assert.ok(r.stdout.includes(JSON.stringify({ mcpServers: { chartlock: { command: process.execPath,
    args: [server, '--connection', connectionFile] } } }, null, 2)), r.stdout);
  assert.equal(statSync(connectionFile).mode & 0o777, 0o600);
  const c = JSON.parse(readFileSync(connectionFile, 'utf8'));
  assert.equal(c.relay, stack.relay.url);
  assert.equal(c.key, path.join(dir, 'app.key'));
});

test('the app reads the share through chartlock-mcp over stdio: the labs shared, no immunization', async () => {
  // --recheck 0: every call asks the relay, so the disconnect below is seen at once.
  const transport = new StdioClientTransport({ command: process.execPath, args: [server, '--connection', connectionFile, '--recheck', '0'],
    env, stderr: 'pipe' });
  client = new Client({ name: 'chartlock-pairing-test', version: '1.0.0' });
  await client.connect(transport);
  const labs = text(await client.callTool({ name: 'get_labs', arguments: {} }));
  assert.match(labs, /<patient-data>/);
  assert.ok(labs.includes(PROVIDERS[0].name), 'each lab says where it came from');
  const store = stack.providers[0].store;
  const labNames = store.search('Observation', { category: 'laboratory' }).map((o) => o.code?.coding?.[0]?.code).filter(Boolean);
  assert.ok(labNames.some((code) => labs.includes(code)), 'a lab the portal holds is in the answer (by its LOINC code)');
  const info = text(await client.callTool({ name: 'get_share_info', arguments: {} }));
  assert.ok(info.includes(`${APP} (an AI app on the patient's own computer)`), info);
  assert.match(text(await client.callTool({ name: 'get_immunizations', arguments: {} })),
    /The patient did not share this kind of record \(immunizations\)/);
  const { tools } = await client.listTools();
  for (const t of tools) {
    const answer = text(await client.callTool({ name: t.name, arguments: t.name === 'search_records' ? { query: 'vaccine' } : {} }));
    for (const s of excluded) assert.ok(!answer.includes(s), `${t.name} names the immunization "${s}", left out`);
  }
});

test('Connected tools: the app listed once, by its key; pasting its code again shows the connection code; update', async () => {
  await widget.getByRole('button', { name: 'Done' }).click();
  const lines = await widget.locator('#tools-h').locator('xpath=..').locator('li').allInnerTexts();
  const mine = lines.filter((l) => l.includes(APP));
  assert.equal(mine.length, 1, lines.join('\n'));
  assert.match(mine[0], /an AI app on this computer — shared \d+ items, version 1/);
  await widget.getByRole('button', { name: 'Connect an AI app on this computer' }).click();
  await widget.getByLabel('Pairing code').fill(pairingCode);
  await widget.getByRole('button', { name: 'Continue' }).click();
  await widget.getByRole('heading', { name: `${APP} is connected already` }).waitFor();
  assert.equal(await widget.getByLabel('Connection code').inputValue(), connectionCode);
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: `Share your most recent records with ${APP}` }).click();
  await widget.getByText(/^Nothing new since you last shared/).waitFor({ timeout: 60000 });
  await widget.getByRole('button', { name: 'Back' }).click();
});

test('Disconnect in the widget: the server then says the patient disconnected', async () => {
  widget.once('dialog', (d) => d.accept());
  await widget.getByRole('button', { name: `Disconnect ${APP}` }).click();
  await widget.getByRole('button', { name: `Reconnect ${APP}` }).waitFor();
  for (const name of ['get_labs', 'get_health_summary']) {
    assert.equal(text(await client.callTool({ name, arguments: {} })), DISCONNECTED, name);
  }
});

test('Reconnect: fresh consent, a new grant and connection code; pair --finish with it, and the app reads again', async () => {
  await client.close();
  client = null;
  await widget.getByRole('button', { name: `Reconnect ${APP}` }).click();
  await widget.getByRole('heading', { name: `Share with ${APP} — an AI app on this computer` }).waitFor();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${APP}` }).waitFor();
  const fresh = await widget.getByLabel('Connection code').inputValue();
  assert.notEqual(fresh, connectionCode);
  const r = mcp('pair', '--finish', fresh, '--dir', dir);
  assert.equal(r.status, 0, r.stderr + r.stdout);
  client = new Client({ name: 'chartlock-pairing-test', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [server, '--connection', connectionFile],
    env, stderr: 'pipe' }));
  assert.match(text(await client.callTool({ name: 'get_immunizations', arguments: {} })), /Immunizations \(\d+, newest first\)/);
  await widget.getByRole('button', { name: 'Done' }).click();
  const lines = (await widget.locator('#tools-h').locator('xpath=..').locator('li').allInnerTexts()).filter((l) => l.includes(APP));
  assert.equal(lines.length, 1, lines.join('\n'));
  assert.match(lines[0], /1 earlier connection, disconnected/);
});

test('no plaintext egress: only the portal saw the records in the clear', () => {
  const store = stack.providers[0].store;
  const patient = store.patient;
  const secrets = [patient.name[0].family, patient.birthDate, ...patient.name[0].given];
  for (const o of store.search('Observation').slice(0, 40)) {
    if (o.valueQuantity?.value !== undefined) secrets.push(String(o.valueQuantity.value));
  }
  const portal = new URL(stack.providers[0].origin).origin;
  const checked = traffic.filter((t) => new URL(t.url).origin !== portal);
  assert.ok(checked.some((t) => t.url.startsWith(stack.relay.url) && t.method === 'PUT'), 'the bundle went to the relay');
  for (const t of checked) {
    for (const s of secrets.filter((x) => x && x.length >= 4)) {
      assert.ok(!t.url.includes(s), `${s} in ${t.url}`);
      assert.equal(t.body.indexOf(Buffer.from(s)), -1, `${s} in the body of ${t.method} ${t.url}`);
    }
  }
});
