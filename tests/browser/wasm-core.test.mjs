// SPDX-License-Identifier: Apache-2.0
// The wasm module in Chromium, on the main thread and in a Web Worker, under
// a strict Content-Security-Policy: the same record as the native CLI, and
// the vault's Argon2id at full strength.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

// Texts at the Latin-1 boundary, as a browser makes them (wasm/bindings.cpp's
// js_text: in a browser, pieces decoded and joined; a browser's "latin1"
// decoder is windows-1252, bytes 0x80-0x9F the euro sign and its neighbours,
// so a one-decode Latin-1 way would have to leave C1 controls out: measured
// and not kept, docs/performance.md "The summary's text in a browser"). Each
// character at the boundary alone among Latin-1 ones, and every C1 control,
// must give the string TextDecoder('utf-8') makes of the native CLI's bytes.
test('texts at the Latin-1 boundary: the same strings as a UTF-8 decode, on the main thread and in a Worker', async () => {
  const ascii = 'x'.repeat(2000);
  const boundary = [0x7F, 0x80, 0x9F, 0xA0, 0xFF, 0x100];
  for (let cp = 0x81; cp < 0x9F; ++cp) boundary.push(cp);
  const families = boundary.map((cp) => `°${ascii}${String.fromCodePoint(cp)}${ascii}é²`);
  // Every character U+00A0-U+00FF.
  families.push(`${ascii}${String.fromCharCode(...Array.from({ length: 0x60 }, (_, i) => 0xA0 + i))}${ascii}`);
  const texts = families.map((family) => `${JSON.stringify({ resourceType: 'Patient', name: [{ given: ['Zoë'], family }] })}\n`);
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-latin1-'));
  try {
    const expected = texts.map((text, i) => {
      writeFileSync(path.join(dir, 'p.ndjson'), text);
      const r = runCli(['record', 'p.ndjson'], { cwd: dir });
      assert.equal(r.status, 0, r.stderr);
      return new TextDecoder('utf-8').decode(r.stdout).replace(/\n$/, '');
    });
    for (const inWorker of [false, true]) {
      const records = await page.evaluate(([t, w]) => window.ingestTexts(t, w), [texts, inWorker]);
      for (const [i, record] of records.entries()) {
        assert.equal(record, expected[i], `U+${(boundary[i] ?? 0xA0).toString(16)}${inWorker ? ', in a Worker' : ''}`);
        assert.equal(JSON.parse(record).patient.name, `Zoë ${families[i]}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('vault with Argon2id at 64 MiB in the browser', async () => {
  const r = await page.evaluate(() => window.vaultRoundTrip());
  assert.deepEqual(r, { back: 'records at rest', wrong: 'wrong-passphrase' });
});
