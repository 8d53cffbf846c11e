// SPDX-License-Identifier: Apache-2.0
// The static demo (demo/static/build.mjs) in Chromium, served as plain files
// by `python3 -m http.server` — at an origin's root, and under /chartlock/
// (the folder inside a parent folder) — with every request to another origin
// blocked: the tool page opens the widget, a vault is made, a provider is
// connected through its portal in the Service Worker, and its records are
// read; the identity verifier answers there too, and record location runs
// against it (the patient verifies, the network's portals answer
// Patient/$match with the wasm core's matcher in the worker, a found
// provider is connected); the patient shares, and the
// tool page fetches the share from the relay (the native relay's protocol
// layer in wasm, in the worker) and opens it in the page with its demo key;
// a new result at the portal is shared as version 2; disconnecting makes the
// relay answer 410. The same relay answers SMART Health Links (create,
// upload, manifest, a single-use location), its state outliving a stopped
// worker. Then the network is cut and the page reloaded: the whole journey
// runs again from the worker's cache (the vault unlocks, another portal
// connects, the network is asked again, a new grant is shared and fetched, a
// new result — kept by the portal across a stopped worker — goes as version
// 2, and disconnecting gives 410). Last, the folder built
// for two sites (--widget-url, --tool-url, --relay-url) is served by two
// servers, the widget's and the tool's, sharing a relay server: the tool
// page embeds the widget from the widget's site, the journey runs across the
// two, and no page says "for demos only".
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { demoIdCard, demoSelfie } from '../../demo/identity-verifier/demo-documents.mjs';
import { FORMER_FAMILY_NAME, NETWORK_PROVIDERS, patientOf } from '../../demo/record-network.mjs';
import { startRelay } from '../../demo/relay-process.mjs';
import { DEMO_PASSWORD, DEMO_USER, FAMILY_PROVIDER, PROVIDERS } from '../../demo/stack.mjs';
import { loadCore, nativeBuild, root, wasmBuild } from '../js/support.mjs';
import { axeViolations, connectFromDirectory, fillVerifierForm, launchBrowser, openWidgetWithNewVault } from './harness.mjs';

const PASSPHRASE = 'a static and private passphrase';
const parent = mkdtempSync(path.join(tmpdir(), 'chartlock-static-'));
const folder = path.join(parent, 'chartlock');

const buildStatic = (out, args = []) => spawnSync(process.execPath, [path.join(root, 'demo/static/build.mjs'), '--out', out,
  '--wasm', wasmBuild, '--chartlock', path.join(nativeBuild, 'chartlock'), ...args], { encoding: 'utf8' });
before(() => {
  mkdirSync(folder);
  const built = buildStatic(folder);
  assert.equal(built.status, 0, built.stderr);
  assert.match(built.stdout, /MB gzipped/);
});
after(() => rmSync(parent, { recursive: true, force: true }));

const png = (name, buffer) => ({ name, mimeType: 'image/png', buffer: Buffer.from(buffer) });
const variantName = (variant) => NETWORK_PROVIDERS.find((p) => p.variant === variant).name;

const freePort = () => new Promise((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
});

// python3 -m http.server on `dir`, once it answers. `cors`: with
// Access-Control-Allow-Origin: * on every file, as GitHub Pages sends it
// (another site's page loads the widget's embed script with SRI, a CORS request).
async function httpServer(dir, { port, cors = false } = {}) {
  port ??= await freePort();
  const args = cors
    ? ['-c', 'import functools, http.server, sys\n'
      + 'class H(http.server.SimpleHTTPRequestHandler):\n'
      + '  def end_headers(self):\n    self.send_header("Access-Control-Allow-Origin", "*")\n    super().end_headers()\n'
      + 'http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), functools.partial(H, directory=sys.argv[2])).serve_forever()\n',
    String(port), dir]
    : ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir];
  const proc = spawn('python3', args, { stdio: 'ignore' });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (await fetch(origin).then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { origin, stop: () => new Promise((resolve) => { proc.once('exit', resolve); proc.kill(); }) };
}

// A new result at the first portal (in the Service Worker, the portal's demo
// route), shared as version 2 with "Share your most recent records"; then
// disconnect, after which the relay answers the tool 410 — the end of the
// journey, online and offline alike.
async function refreshAndDisconnect(widget, toolPage, resultId, { afterAdding = async () => {} } = {}) {
  const patient = patientOf(path.join(folder, '_demo/data/riverside.json')).id;
  const today = new Date().toISOString().slice(0, 10);
  const added = await widget.evaluate(async ([id, day, rid]) => (await fetch('../_demo/portal/riverside/_demo/resources', {
    method: 'POST', body: JSON.stringify({ resources: [{
      resourceType: 'Observation', id: rid, status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }], text: 'Hemoglobin A1c' },
      subject: { reference: `Patient/${id}` }, effectiveDateTime: `${day}T08:00:00Z`,
      valueQuantity: { value: 7.4, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } }] }) })).status, [patient, today, resultId]);
  assert.ok(added < 300, `the portal took the new result (${added})`);
  await afterAdding();
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'Share your most recent records with Demo Health Coach' }).first().click();
  await widget.getByText(/new items? since you last shared/).waitFor({ timeout: 60000 });
  assert.deepEqual((await widget.locator('.new-items li').allInnerTexts()).map((t) => t.replace(/ \(.*\)$/, '')),
    ['Lab results: Hemoglobin A1c'], 'the new result, and only it');
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: 'Shared with Demo Health Coach' }).waitFor();
  const box = toolPage.locator('article.share').last();
  await box.getByRole('button', { name: 'Fetch again' }).click();
  await toolPage.getByText(/version 2/).waitFor();

  await widget.getByRole('button', { name: 'Done' }).click();
  widget.once('dialog', (d) => d.accept());
  await widget.getByRole('button', { name: 'Disconnect Demo Health Coach' }).click();
  await widget.getByRole('button', { name: 'Reconnect Demo Health Coach' }).waitFor();
  await toolPage.getByText('You disconnected this tool in Chartlock.').waitFor();
  await toolPage.getByText(/Last fetch failed: the relay answered 410/).waitFor();
}

for (const { name, served, at } of [
  { name: 'at the root', served: () => folder, at: '/' },
  { name: 'under /chartlock/', served: () => parent, at: '/chartlock/' },
]) {
  describe(`the static demo ${name}`, () => {
    let server;
    let browser;
    const foreign = [];
    before(async () => {
      server = await httpServer(served());
      browser = await launchBrowser();
      // Nothing but the folder's origin: the demo must need no other site.
      await browser.context.route((url) => url.origin !== server.origin, (route) => {
        foreign.push(route.request().url());
        return route.abort();
      });
    });
    after(async () => { await browser?.close(); await server?.stop(); });

    let widget;
    let toolPage;
    test('the start page starts the Service Worker and leads to the tool page', async () => {
      const page = await browser.context.newPage();
      page.on('pageerror', (e) => console.error('start page error:', e.message));
      await page.goto(`${server.origin}${at}`);
      await page.getByText('The demo is ready.').waitFor();
      assert.match(await page.getByRole('note').innerText(), /For demos only/);
      const manifest = await page.evaluate(async () => (await fetch('manifest.webmanifest')).json());
      assert.equal(manifest.start_url, './');
      await page.getByRole('link', { name: "Open the demo AI tool's site" }).click();
      await page.getByRole('button', { name: 'Connect your health records' }).and(page.locator(':enabled')).waitFor();
      assert.equal(new URL(page.url()).pathname, `${at}tool/`);
      page.on('pageerror', (e) => console.error('tool page error:', e.message));
      toolPage = page;
      widget = await openWidgetWithNewVault(page, page.url(), PASSPHRASE);
      assert.equal(new URL(widget.url()).pathname, `${at}widget/index.html`);
      // The tool's page shares the widget's origin here: the widget says this is for demos only.
      assert.match(await widget.getByRole('note').innerText(), /For demos only: this tool's page is served from Chartlock's own web address/);
      assert.deepEqual((await axeViolations(widget)).violations, []);
      // The widget's page has the headers its own server would send (from the Service Worker).
      const csp = await widget.evaluate(async () => (await fetch('index.html')).headers.get('content-security-policy'));
      assert.match(csp, /frame-ancestors 'none'/);
    });

    test('a provider connects through its portal in the Service Worker, and its records are read', async () => {
      await connectFromDirectory(widget, PROVIDERS[0], { user: DEMO_USER, password: DEMO_PASSWORD });
      await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
      const portalUrl = await widget.evaluate(async () => (await (await fetch('../_demo/directory.json')).json())
        .entry.find((e) => e.resource.resourceType === 'Endpoint').resource.address);
      assert.equal(portalUrl, `${server.origin}${at}_demo/portal/riverside/fhir`);
      assert.deepEqual(foreign, []);
    });

    test('the identity verifier answers from the Service Worker, at its issuer under the folder', async () => {
      const found = await widget.evaluate(async () => {
        const discovery = await (await fetch('../_demo/verifier/.well-known/openid-configuration')).json();
        const jwks = await (await fetch(discovery.jwks_uri)).json();
        const card = await fetch(`${discovery.issuer}/demo-documents?kind=selfie&face=f`);
        return { issuer: discovery.issuer, authorize: discovery.authorization_endpoint, keys: jwks.keys.length,
          card: card.headers.get('content-type') };
      });
      assert.deepEqual(found, { issuer: `${server.origin}${at}_demo/verifier`, authorize: `${server.origin}${at}_demo/verifier/authorize`,
        keys: 1, card: 'image/png' });
      const config = await widget.evaluate(async () => (await fetch('config.json')).json());
      assert.equal(config.verifier.issuer, found.issuer);
    });

    test('record location: the patient verifies at the verifier in the Service Worker, the network\'s portals there answer '
      + 'Patient/$match (the wasm core\'s matcher), and a found provider connects', async () => {
      const p = patientOf(path.join(folder, '_demo/data/riverside.json'));
      const [verifier] = await Promise.all([widget.waitForEvent('popup'), widget.getByRole('button', { name: 'Verify my identity' }).click()]);
      await verifier.waitForURL((u) => u.pathname === `${at}_demo/verifier/authorize`);
      const person = await fillVerifierForm(verifier, p, { email: 'someone@example.org', otherLastNames: FORMER_FAMILY_NAME });
      await verifier.locator('#idPhoto').setInputFiles(png('id.png', demoIdCard({ ...person, expires: '2031-05-01', face: 'face-1' })));
      await verifier.locator('#selfie').setInputFiles(png('selfie.png', demoSelfie({ face: 'face-1' })));
      await verifier.getByRole('button', { name: 'Verify me' }).click();
      await widget.getByRole('heading', { name: 'Finding your records' }).waitFor();
      const list = widget.locator('ul.located');
      await widget.locator('#main').getByText(/providers asked hold your records/).waitFor({ timeout: 60000 });
      const text = await list.innerText();
      for (const name of [PROVIDERS[0].name, PROVIDERS[1].name, variantName('nickname')]) {
        assert.match(text, new RegExp(`${name} (has|found) your records`));
      }
      assert.match(text, new RegExp(`${variantName('old-address')} found your records when your address was left out`));
      assert.match(text, new RegExp(`${variantName('former-name')} found your records under your former name`));
      const notFound = text.split('\n').find((l) => l.startsWith('No records of yours at '));
      assert.ok(notFound?.includes(variantName('namesake')), 'the namesake is not the patient');
      assert.ok(notFound?.includes(FAMILY_PROVIDER.name));

      const name = variantName('old-address');
      const [portal] = await Promise.all([widget.waitForEvent('popup'), list.getByRole('button', { name: `Connect ${name}` }).click()]);
      await portal.waitForURL((u) => u.pathname === `${at}_demo/portal/harbor/authorize`);
      await portal.getByLabel('Username').fill(DEMO_USER);
      await portal.getByLabel('Password').fill(DEMO_PASSWORD);
      await portal.getByRole('button', { name: 'Sign in and allow' }).click();
      await widget.getByRole('heading', { name: 'Your providers' }).waitFor({ timeout: 60000 });
      await widget.locator('li', { hasText: name }).first().waitFor({ timeout: 60000 });
      assert.deepEqual(foreign, []);
    });

    test('the tool page opens a share in the page, with its demo key, through the tool SDK over the wasm core', async () => {
      const core = await loadCore();
      const toolPublic = readFileSync(path.join(folder, 'tool/demo-tool.pub.json'), 'utf8');
      const patient = core.keysGenerate();
      const patientKey = JSON.parse(patient.public).ed25519;
      const grantId = randomBytes(16).toString('hex');
      const enc = new TextEncoder();
      const now = Math.floor(Date.now() / 1000);
      const records = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Observation', id: 'o1',
        status: 'final', code: { text: 'Hemoglobin A1c' }, subject: { reference: 'Patient/p' } } }] };
      const bundle = core.bundleSeal({
        recipient: toolPublic, signer: patient.secret, grantId, sequence: 1, createdAt: now - 5, expiresAt: now + 3600,
        receipt: enc.encode(JSON.stringify({ type: 'chartlock-consent-receipt', version: 1, grantId, sequence: 1,
          createdAt: new Date().toISOString(), scopesRequested: ['patient/*.rs'],
          shared: { categories: ['labs'], items: 1, keys: ['obs-1'] }, signer: patientKey })),
        parts: [{ name: 'records.json', mediaType: 'application/fhir+json', bytes: enc.encode(JSON.stringify(records)) },
          { name: 'summary.md', mediaType: 'text/markdown', bytes: enc.encode('# Summary\n\nHemoglobin A1c, final.') }],
      }).slice();
      const open = (bytes, handle) => toolPage.evaluate(async ([b, h]) => (await import('./tool.js')).openReceived(new Uint8Array(b), h),
        [[...bytes], handle]);
      // Signed by someone else than the handle's patient: refused.
      await open(bundle, { grantId, patientKey: JSON.parse(core.keysGenerate().public).ed25519 });
      await toolPage.getByText(/^Opening failed/).waitFor();
      await open(bundle, { grantId, patientKey });
      await toolPage.getByText('Received, and opened in this page with the demo key.').waitFor();
      const shown = await toolPage.locator('#received').innerText();
      assert.match(shown, /Observation: 1/);
      assert.match(shown, /Hemoglobin A1c, final\./);
      assert.match(await toolPage.locator('#in-page').innerText(), /A real tool opens what it receives on its own server/);
    });

    test('share: the tool page fetches the bundle from the relay in the Service Worker (the native relay\'s C++ in wasm) '
      + 'and opens it; disconnect: the relay then answers 410', async () => {
      await widget.getByRole('button', { name: 'Review and share with Demo Health Coach' }).click();
      await widget.getByRole('heading', { name: 'Demo Health Coach asks to see some of your records' }).waitFor();
      await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
      await widget.getByRole('heading', { name: 'What Demo Health Coach will receive' }).waitFor();
      const share = widget.getByRole('button', { name: /^Share \d+ items$/ });
      const n = Number(/\d+/.exec(await share.innerText())[0]);
      await share.click();
      await widget.getByRole('heading', { name: 'Shared with Demo Health Coach' }).waitFor();
      await toolPage.getByText('Received, and opened in this page with the demo key.').waitFor();
      const box = toolPage.locator('article.share', { hasText: 'version 1' }).filter({ hasText: 'The summary we received' }).last();
      const counts = [...(await box.locator('li').allInnerTexts()).map((t) => Number(/: (\d+)$/.exec(t)[1]))];
      assert.equal(counts.reduce((a, b) => a + b, 0), n, 'the button and what the tool opened agree');
      assert.match(await box.locator('pre.summary').innerText(), /^# Health summary/);

      await refreshAndDisconnect(widget, toolPage, 'new-a1c-online');
      assert.deepEqual(foreign, []);
    });

    test('SMART Health Links at the relay in the Service Worker: create, upload, manifest with a location under '
      + 'the folder, the file opened once, also after the worker was stopped', async () => {
      const core = await loadCore();
      const keys = core.keysGenerate();
      const relay = `${server.origin}${at}_demo/relay`;
      const id = randomBytes(32).toString('base64url');
      // The file: a compact JWE (dir, A256GCM) under the link's key, as shl.md makes it.
      const key = randomBytes(32);
      const iv = randomBytes(12);
      const header = Buffer.from(JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty: 'application/fhir+json' })).toString('base64url');
      const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(header));
      const plaintext = '{"resourceType":"Bundle","type":"document"}';
      const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      const jwe = [header, '', iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
      const signed = (method, target, body) => ({ method, target, body,
        authorization: core.requestSign({ method, path: target, key: keys.secret, ...(body ? { body: new TextEncoder().encode(body) } : {}) }) });
      const send = (steps) => toolPage.evaluate(async ([base, list]) => {
        const out = [];
        for (const s of list) {
          const headers = { 'Content-Type': 'application/json', ...(s.authorization ? { Authorization: s.authorization } : {}) };
          const r = await fetch(s.target.startsWith('http') ? s.target : base + s.target, { method: s.method, headers, body: s.body });
          out.push({ status: r.status, body: await r.text() });
        }
        return out;
      }, [relay, steps]);

      const expiresAt = Math.floor(Date.now() / 1000) + 3600;
      const [created, uploaded, manifest] = await send([
        signed('POST', '/v1/shl', JSON.stringify({ id, managementKey: JSON.parse(keys.public).ed25519, expiresAt })),
        signed('PUT', `/v1/shl/${id}/file`, jwe),
        { method: 'POST', target: `/v1/shl/${id}`, body: JSON.stringify({ recipient: 'Dr. Example' }) }]);
      assert.equal(created.status, 201, created.body);
      assert.equal(uploaded.status, 201, uploaded.body);
      assert.equal(manifest.status, 200, manifest.body);
      const [file] = JSON.parse(manifest.body).files;
      assert.equal(file.contentType, 'application/fhir+json');
      assert.ok(file.location.startsWith(`${relay}/v1/shl-files/`), file.location);

      // The worker stopped, as the browser stops an idle one: the link and the location outlive it (IndexedDB).
      const cdp = await browser.context.newCDPSession(toolPage);
      await cdp.send('ServiceWorker.enable');
      const stopped = new Promise((resolve) => cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
        if (versions.some((v) => v.runningStatus === 'stopped')) resolve();
      }));
      await cdp.send('ServiceWorker.stopAllWorkers');
      await stopped;
      await cdp.detach();
      const [opened, again, unknown] = await send([{ method: 'GET', target: file.location }, { method: 'GET', target: file.location },
        { method: 'POST', target: `/v1/shl/${randomBytes(32).toString('base64url')}`, body: JSON.stringify({ recipient: 'x' }) }]);
      assert.equal(opened.status, 200, opened.body);
      assert.equal(opened.body, jwe);
      const [h, , ivText, ctText, tag] = opened.body.split('.');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url')).setAAD(Buffer.from(h));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      assert.equal(Buffer.concat([decipher.update(Buffer.from(ctText, 'base64url')), decipher.final()]).toString(), plaintext);
      assert.equal(again.status, 404, 'a location opens once');
      assert.equal(JSON.parse(unknown.body).error, 'no-such-link');
      assert.deepEqual(foreign, []);
    });

    test('with the network cut, the demo runs from the cache: the vault unlocks and another portal connects, '
      + 'its sign-in outliving a stopped Service Worker', async () => {
      await browser.context.setOffline(true);
      try {
        const page = await browser.context.newPage();
        page.on('pageerror', (e) => console.error('offline tool page error:', e.message));
        await page.goto(`${server.origin}${at}tool/`);
        await page.getByRole('button', { name: 'Connect your health records' }).and(page.locator(':enabled')).waitFor();
        const [w] = await Promise.all([page.waitForEvent('popup'),
          page.getByRole('button', { name: 'Connect your health records' }).click()]);
        await w.getByLabel('Passphrase').fill(PASSPHRASE);
        await w.getByRole('button', { name: 'Unlock' }).click();
        await w.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
        const p = PROVIDERS[1];
        await w.getByRole('button', { name: 'Find a provider' }).click();
        await w.getByLabel('Search the provider directory').fill(p.name);
        const [portal] = await Promise.all([w.waitForEvent('popup'),
          w.getByRole('button', { name: `Connect ${p.name} (${p.city}, ${p.state})`, exact: true }).click()]);
        await portal.getByLabel('Username').fill(DEMO_USER);
        await portal.getByLabel('Password').fill(DEMO_PASSWORD);
        // The browser stops the worker, as it stops an idle one: the sign-in in progress outlives it (IndexedDB).
        const cdp = await browser.context.newCDPSession(portal);
        await cdp.send('ServiceWorker.enable');
        const stopped = new Promise((resolve) => cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          if (versions.some((v) => v.runningStatus === 'stopped')) resolve();
        }));
        await cdp.send('ServiceWorker.stopAllWorkers');
        await stopped;
        await portal.getByRole('button', { name: 'Sign in and allow' }).click();
        await w.getByRole('heading', { name: 'Your providers' }).waitFor();
        await w.locator('li', { hasText: p.name }).first().waitFor({ timeout: 60000 });
        // Record location offline: the identity kept in the vault, the network asked in the worker.
        await w.getByRole('button', { name: 'Find my records' }).click();
        await w.locator('#main').getByText(/providers asked hold your records/).waitFor({ timeout: 60000 });
        assert.match(await w.locator('ul.located').innerText(), new RegExp(`${p.name} (has|found) your records[^\\n]*Connected`));
        // The rest of the journey, offline: share again (a new grant: the last was disconnected), the
        // tool page fetches it from the worker's relay, the newest records as version 2, disconnect → 410.
        await w.getByRole('button', { name: 'Back', exact: true }).click();
        await w.getByRole('button', { name: 'Reconnect Demo Health Coach' }).click();
        await w.getByRole('heading', { name: 'Demo Health Coach asks to see some of your records' }).waitFor();
        await w.getByRole('button', { name: /^Review \d+ items$/ }).click();
        const share = w.getByRole('button', { name: /^Share \d+ items$/ });
        const n = Number(/\d+/.exec(await share.innerText())[0]);
        await share.click();
        await w.getByRole('heading', { name: 'Shared with Demo Health Coach' }).waitFor();
        await page.getByText('Received, and opened in this page with the demo key.').waitFor();
        const counts = (await page.locator('article.share').last().locator('li').allInnerTexts()).map((t) => Number(/: (\d+)$/.exec(t)[1]));
        assert.equal(counts.reduce((a, b) => a + b, 0), n, 'the button and what the tool opened agree, offline');
        // The worker stopped again after the new result came: the portal keeps it (its state in IndexedDB), and
        // its other records come back the same (nothing else looks new).
        await refreshAndDisconnect(w, page, 'new-a1c-offline', { afterAdding: async () => {
          const session = await browser.context.newCDPSession(page);
          await session.send('ServiceWorker.enable');
          await session.send('ServiceWorker.stopAllWorkers');
        } });
      } finally {
        await browser.context.setOffline(false);
      }
      assert.deepEqual(foreign, []);
    });
  });
}

describe('the static demo on two sites: the widget\'s and the tool\'s, sharing a relay server', () => {
  const twoParent = mkdtempSync(path.join(tmpdir(), 'chartlock-static-two-'));
  let widgetSite;
  let toolSite;
  let relay;
  let browser;
  const foreign = [];
  before(async () => {
    const [widgetPort, toolPort] = [await freePort(), await freePort()];
    const widgetOrigin = `http://127.0.0.1:${widgetPort}`;
    const toolOrigin = `http://127.0.0.1:${toolPort}`;
    relay = await startRelay({ binary: path.join(nativeBuild, 'chartlock-relay'), db: path.join(twoParent, 'relay.db'),
      args: ['--allowed-origin', widgetOrigin, '--allowed-origin', toolOrigin] });
    const out = path.join(twoParent, 'site');
    const missing = buildStatic(out, ['--widget-url', `${widgetOrigin}/`, '--tool-url', `${toolOrigin}/`]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /missing --relay-url/);
    const oneOrigin = buildStatic(out, ['--widget-url', `${widgetOrigin}/a/`, '--tool-url', `${widgetOrigin}/b/`, '--relay-url', relay.url]);
    assert.equal(oneOrigin.status, 2);
    assert.match(oneOrigin.stderr, /must be two origins/);
    const built = buildStatic(out, ['--widget-url', `${widgetOrigin}/`, '--tool-url', `${toolOrigin}/`, '--relay-url', relay.url]);
    assert.equal(built.status, 0, built.stderr);
    // The same folder, published on both sites.
    widgetSite = await httpServer(out, { port: widgetPort, cors: true });
    toolSite = await httpServer(out, { port: toolPort });
    browser = await launchBrowser();
    const allowed = new Set([widgetOrigin, toolOrigin, new URL(relay.url).origin]);
    await browser.context.route((url) => !allowed.has(url.origin), (route) => {
      foreign.push(route.request().url());
      return route.abort();
    });
  });
  after(async () => {
    await browser?.close();
    await widgetSite?.stop();
    await toolSite?.stop();
    await relay?.stop();
    rmSync(twoParent, { recursive: true, force: true });
  });

  test('started at the widget\'s site, the tool\'s page on the other embeds the widget from there; connect, read, '
    + 'share through the relay server, disconnect; no "for demos only"', async () => {
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => console.error('two sites page error:', e.message));
    await page.goto(`${widgetSite.origin}/`);
    await page.getByText('The demo is ready.').waitFor();
    assert.equal(await page.getByRole('note').count(), 0);
    await page.getByRole('link', { name: "Open the demo AI tool's site" }).click();
    await page.getByRole('button', { name: 'Connect your health records' }).and(page.locator(':enabled')).waitFor();
    assert.equal(page.url(), `${toolSite.origin}/tool/`);
    assert.equal(await page.getByRole('note').count(), 0);
    const widget = await openWidgetWithNewVault(page, page.url(), PASSPHRASE);
    const opened = new URL(widget.url());
    assert.equal(`${opened.origin}${opened.pathname}`, `${widgetSite.origin}/widget/index.html`);
    assert.equal(await widget.getByRole('note').count(), 0, 'the widget has an origin of its own: no demos-only banner');
    await connectFromDirectory(widget, PROVIDERS[0], { user: DEMO_USER, password: DEMO_PASSWORD });
    await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });

    await widget.getByRole('button', { name: 'Review and share with Demo Health Coach' }).click();
    await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
    const share = widget.getByRole('button', { name: /^Share \d+ items$/ });
    const n = Number(/\d+/.exec(await share.innerText())[0]);
    await share.click();
    await widget.getByRole('heading', { name: 'Shared with Demo Health Coach' }).waitFor();
    await page.getByText('Received, and opened in this page with the demo key.').waitFor();
    const box = page.locator('article.share', { hasText: 'version 1' }).filter({ hasText: 'The summary we received' }).last();
    const counts = [...(await box.locator('li').allInnerTexts()).map((t) => Number(/: (\d+)$/.exec(t)[1]))];
    assert.equal(counts.reduce((a, b) => a + b, 0), n, 'the button and what the tool opened agree');

    await widget.getByRole('button', { name: 'Done' }).click();
    widget.once('dialog', (d) => d.accept());
    await widget.getByRole('button', { name: 'Disconnect Demo Health Coach' }).click();
    await page.getByText(/Last fetch failed: the relay answered 410/).waitFor();
    // The tool's site holds no vault: the widget's storage is its own origin's.
    const databases = async (p) => (await p.evaluate(async () => indexedDB.databases())).map((d) => d.name);
    assert.ok((await databases(widget)).includes('chartlock'), 'the vault, at the widget\'s site');
    assert.ok(!(await databases(page)).includes('chartlock'), 'no vault at the tool\'s site');
    assert.deepEqual(foreign, []);
  });
});
