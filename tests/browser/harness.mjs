// SPDX-License-Identifier: Apache-2.0
// Browser tests: Debian's Chromium driven by playwright-core, pages served
// from loopback. (Playwright's own browser download does not work here.)
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { chromium } from 'playwright-core';

import { nativeBuild, root, wasmBuild } from '../js/support.mjs';

const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A fresh profile every time: no state leaks between tests.
export async function launchBrowser() {
  const profile = mkdtempSync(path.join(tmpdir(), 'chartlock-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.ndjson': 'application/x-ndjson', '.css': 'text/css',
  '.svg': 'image/svg+xml', '.png': 'image/png',
};

// Serves `mounts` ({ '/prefix/': '/abs/dir' }) on 127.0.0.1; only files
// inside a mount are reachable.
export async function serveStatic(mounts, { headers = {} } = {}) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    for (const [prefix, dir] of Object.entries(mounts)) {
      if (!url.pathname.startsWith(prefix)) continue;
      const file = path.resolve(dir, decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html');
      if (!file.startsWith(path.resolve(dir) + path.sep)) break;
      try {
        if (!statSync(file).isFile()) break;
      } catch {
        break;
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store', ...headers });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

// Builds the widget (web/build.mjs) with the wasm module under test into a
// fresh directory and returns the path of its widget/ folder, to serve.
export function buildWidget() {
  const dist = mkdtempSync(path.join(tmpdir(), 'chartlock-dist-'));
  const built = spawnSync('node', [path.join(root, 'web/build.mjs'), '--wasm', wasmBuild, '--out', dist], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`web/build.mjs failed: ${built.stderr}`);
  return path.join(dist, 'widget');
}

// The patient's first steps on a tool's site: "Connect your health records"
// opens the widget, where they create a vault. Returns the widget's page.
export async function openWidgetWithNewVault(toolPage, toolOrigin, passphrase) {
  await toolPage.goto(toolOrigin);
  const [widget] = await Promise.all([toolPage.waitForEvent('popup'),
    toolPage.getByRole('button', { name: 'Connect your health records' }).click()]);
  widget.on('pageerror', (e) => console.error('widget error:', e.message));
  await widget.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await widget.getByLabel(/^Passphrase/).fill(passphrase);
  await widget.getByLabel('Type it again').fill(passphrase);
  await widget.getByRole('button', { name: 'Create vault' }).click();
  await keepRecoveryKey(widget);
  return widget;
}

// The screen after "Create vault": the recovery key, shown once. Returns its
// text as shown (groups of 5), once "I have kept my recovery key" is ticked
// and the patient has continued.
export async function keepRecoveryKey(widget, { before } = {}) {
  await widget.getByRole('heading', { name: 'Your recovery key' }).waitFor();
  const recoveryKey = (await widget.locator('#recovery-key').innerText()).trim();
  await before?.();
  await widget.getByLabel('I have kept my recovery key').check();
  await widget.getByRole('button', { name: 'Continue' }).click();
  return recoveryKey;
}

// What the demo tool's backend holds for this visitor: read from the tool's
// page, with its session (the backend answers nobody else).
export const toolShares = (toolPage) => toolPage.evaluate(async () => (await fetch('/api/shares')).json());

// Connects a provider found in the directory: its portal's sign-in in the
// popup (the demo login), back to the widget's home with its records.
export async function connectFromDirectory(widget, p, { user, password }) {
  await widget.getByRole('button', { name: 'Find a provider' }).click();
  await widget.getByLabel('Search the provider directory').fill(p.name);
  const [portal] = await Promise.all([
    widget.waitForEvent('popup'),
    widget.getByRole('button', { name: `Connect ${p.name} (${p.city}, ${p.state})`, exact: true }).click(),
  ]);
  await portal.waitForLoadState();
  await portal.getByLabel('Username').fill(user);
  await portal.getByLabel('Password').fill(password);
  await portal.getByRole('button', { name: 'Sign in and allow' }).click();
  await widget.getByRole('heading', { name: 'Your providers' }).waitFor();
  await widget.locator('li', { hasText: p.name }).first().waitFor({ timeout: 60000 });
}

// The demo stack (a small directory, unless `directoryCount` says), a fresh
// browser, and the widget opened from the tool's page with a new vault:
// where most widget tests start.
export async function startWithNewVault(passphrase, { directoryCount = 100, connectSrc = [] } = {}) {
  const { startStack } = await import('../../demo/stack.mjs');
  const stack = await startStack({ chartlock: path.join(nativeBuild, 'chartlock'), widgetDist: buildWidget(),
    wasm: path.join(wasmBuild, 'chartlock-core.js'), directoryCount, connectSrc });
  const browser = await launchBrowser();
  const toolPage = await browser.context.newPage();
  const widget = await openWidgetWithNewVault(toolPage, stack.tool.origin, passphrase);
  return { stack, browser, toolPage, widget };
}

// axe-core on the page as it is, injected through the DevTools protocol
// (page.evaluate), which the page's Content-Security-Policy does not govern:
// the product's CSP stays exactly as served, and axe audits the page under it
// (no bypassCSP). Returns the ids of the rules passed, and the violations,
// each with the first nodes it names.
let axeSource;
export async function axeViolations(page) {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document);
    return { passes: r.passes.map((p) => p.id), violations: r.violations
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })) };
  });
}

/**
 * The identity verifier's form filled in with a patient's details (the stack's
 * FHIR Patient), as the person would type them from their ID.
 * @param {import('playwright-core').Page} verifier
 * @param {any} p  a FHIR Patient
 * @param {{ email: string, otherLastNames?: string }} extra
 * @returns {{ given: string, family: string, birthDate: string }} the name and birth date typed
 */
export async function fillVerifierForm(verifier, p, { email, otherLastNames }) {
  const official = p.name.find((n) => n.use === 'official') ?? p.name[0];
  const person = { given: official.given.join(' '), family: official.family, birthDate: p.birthDate };
  await verifier.getByLabel('First and middle names').fill(person.given);
  await verifier.getByLabel('Last name', { exact: true }).fill(person.family);
  if (otherLastNames) await verifier.getByLabel(/^Other last names/).fill(otherLastNames);
  await verifier.getByLabel('Date of birth').fill(person.birthDate);
  await verifier.getByLabel('Sex').selectOption(p.gender);
  const home = p.address[0];
  await verifier.locator('#street').fill(home.line.join(', '));
  await verifier.locator('#city').fill(home.city);
  await verifier.locator('#state').fill(home.state);
  await verifier.locator('#zip').fill(home.postalCode);
  await verifier.getByLabel('Phone').fill(p.telecom.find((t) => t.system === 'phone').value);
  await verifier.getByLabel('Email').fill(email);
  return person;
}
