// SPDX-License-Identifier: Apache-2.0
// The wasm module in Chromium, on the main thread and in a Web Worker, under
// a strict Content-Security-Policy: the same record as the native CLI, and
// the vault's Argon2id at full strength.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { fixtures, runCli, wasmBuild } from '../js/support.mjs';
import { launchBrowser, serveStatic } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const files = ['clinic-a.json', 'clinic-b.json', 'export.ndjson'];
let server;
let browser;
let page;

before(async () => {
  // The widget's policy: no eval of any kind except compiling WebAssembly.
  const csp = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; connect-src 'self'";
  server = await serveStatic({ '/wasm/': wasmBuild, '/fhir/': path.join(fixtures, 'fhir'), '/': path.join(here, 'pages') },
    { headers: { 'Content-Security-Policy': csp } });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await page.goto(`${server.origin}/wasm-core.html`);
});
after(async () => { await browser?.close(); await server?.close(); });

const native = () => {
  const r = runCli(['record', ...files], { cwd: path.join(fixtures, 'fhir') });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.toString();
};

test('main thread: the same record as the native CLI', async () => {
  const record = await page.evaluate((urls) => window.ingestOnMainThread(urls), files.map((f) => `/fhir/${f}`));
  assert.equal(record + '\n', native());
});

test('Web Worker: the same record as the native CLI', async () => {
  const record = await page.evaluate((urls) => window.ingestInWorker(urls), files.map((f) => `/fhir/${f}`));
  assert.equal(record + '\n', native());
});

test('vault with Argon2id at 64 MiB in the browser', async () => {
  const r = await page.evaluate(() => window.vaultRoundTrip());
  assert.deepEqual(r, { back: 'records at rest', wrong: 'wrong-passphrase' });
});
