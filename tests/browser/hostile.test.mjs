// SPDX-License-Identifier: Apache-2.0
// Hostile cases, in Chromium against the real demo (portals, relay, widget,
// the tool's site), each asserting what the patient sees and that nothing is
// lost: the portal sign-in window closed; a portal failing one kind of record
// (retried with backoff), sending a malformed page, a non-Bundle, or next
// links that are broken or lead elsewhere (another site, or another tenant's
// FHIR base on the same host); a portal that lets browsers cache its answers
// (nothing is taken from or kept in the HTTP cache); a portal whose refresh
// tokens do not rotate; the relay down while sharing, or
// refusing the bundle after taking the grant; a
// tool manifest that names another origin than the page; postMessages from
// foreign origins to the widget and to the tool page's SDK; the widget's
// Content-Security-Policy and Subresource Integrity, served and enforced; and
// a changed Worker script, glue or .wasm, refused.
// (A wrong passphrase: widget-vault-providers.test.mjs.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { startRelay } from '../../demo/relay-process.mjs';
import { startWidget } from '../../demo/widget-server.mjs';
import { createTool } from '../../tool/index.mjs';
import { DEMO_PASSWORD, DEMO_USER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli, nativeBuild, wasmBuild } from '../js/support.mjs';
import { buildWidget, launchBrowser, serveStatic, toolShares as readToolShares, keepRecoveryKey } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PASSPHRASE = 'hostile cases, kind answers';
const TOOL = 'Demo Health Coach';
let stack;
let other;       // a site on an origin of its own, neither widget nor tool
let browser;
let toolPage;
let widget;      // the widget's window, opened by the tool page
let relayAgain;  // the relay restarted after being stopped
let widgetDist;  // the built widget the stack serves
const requests = [];  // every request any page made: { url, method, at }

before(async () => {
  widgetDist = buildWidget();
  stack = await startStack({ chartlock: cli, widgetDist, wasm: path.join(wasmBuild, 'chartlock-core.js') });
  other = await serveStatic({ '/': path.join(here, 'pages') });
  browser = await launchBrowser();
  browser.context.on('request', (r) => requests.push({ url: r.url(), method: r.method(), at: Date.now() }));
  toolPage = await browser.context.newPage();
  await toolPage.goto(stack.tool.origin);
  [widget] = await Promise.all([toolPage.waitForEvent('popup'), toolPage.getByRole('button', { name: 'Connect your health records' }).click()]);
  widget.on('pageerror', (e) => console.error('widget error:', e.message));
  await widget.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await widget.getByLabel('Type it again').fill(PASSPHRASE);
  await widget.getByRole('button', { name: 'Create vault' }).click();
  await keepRecoveryKey(widget);
  await widget.getByRole('heading', { name: `${TOOL} would like to see some of your records` }).waitFor();
});
after(async () => {
  await browser?.close();
  await stack?.close();
  await relayAgain?.stop();
  await other?.close();
});

const demoControl = (provider, what, body) => fetch(`${provider.origin}/_demo/${what}`, { method: 'POST', body: JSON.stringify(body) });
const faults = (provider, list) => demoControl(provider, 'faults', { faults: list });
const providerItems = () => widget.getByRole('region', { name: 'Your providers' }).locator('ul.providers > li');
const providerItem = (p) => providerItems().filter({ hasText: p.name });
const recordCount = async (p) => Number(/(\d+) records/.exec(await providerItem(p).innerText())[1]);
const toolShares = () => readToolShares(toolPage);

async function openPortal(p) {
  await widget.getByRole('button', { name: 'Find a provider' }).click();
  await widget.getByLabel('Search the provider directory').fill(p.name);
  const [portal] = await Promise.all([
    widget.waitForEvent('popup'),
    // Connected already (the first test did): signing in again is the second choice the search offers.
    widget.getByRole('button', { name: new RegExp(`^Connect ${p.name} \\(${p.city}, ${p.state}\\)( again)?$`) }).click(),
  ]);
  await portal.getByLabel('Username').waitFor();
  return portal;
}

async function signIn(portal) {
  await portal.getByLabel('Username').fill(DEMO_USER);
  await portal.getByLabel('Password').fill(DEMO_PASSWORD);
  await portal.getByRole('button', { name: 'Sign in and allow' }).click();
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
}

test('the patient closes the portal\'s sign-in window: the widget says so, and trying again works', async () => {
  const portal = await openPortal(PROVIDERS[0]);
  await portal.close();
  await widget.getByRole('heading', { name: `Could not connect ${PROVIDERS[0].name}` }).waitFor({ timeout: 5000 });
  await widget.getByRole('alert').filter({ hasText: 'The sign-in window was closed before sign-in finished.' }).waitFor();
  const [again] = await Promise.all([widget.waitForEvent('popup'), widget.getByRole('button', { name: 'Try again' }).click()]);
  await signIn(again);
  assert.equal(await providerItems().count(), 1);
  assert.doesNotMatch(await providerItem(PROVIDERS[0]).innerText(), /could not be fetched/);
});

test('a portal failing one kind of record: retried with backoff, said in words, the rest kept', async () => {
  const p = PROVIDERS[1];
  const portal = stack.providers[1];
  await faults(portal, [{ path: '^/Observation', status: 500, times: 100 }, { path: '^/AllergyIntolerance', status: 503, times: 1 }]);
  const from = requests.length;
  await signIn(await openPortal(p));
  const item = await providerItem(p).innerText();
  assert.match(item, /Some records could not be fetched this time\. Everything else was kept/);
  assert.match(item, /Lab results, vital signs and other measurements: the portal answered with an error \(HTTP 500\)\./);
  assert.doesNotMatch(item, /Allergies|Conditions/);
  assert.match(await widget.getByRole('status').innerText(), /1 kind of record could not be fetched; the rest was kept/);

  // Observation: the first try and 3 retries, each wait twice the one before (250, 500, 1000 ms).
  const sent = (type) => requests.slice(from).filter((r) => r.url.startsWith(`${portal.fhirBase}/${type}?`));
  const observation = sent('Observation');
  assert.equal(observation.length, 4);
  observation.slice(1).forEach((r, i) => assert.ok(r.at - observation[i].at >= 240 * 2 ** i, `retry ${i + 1} waited`));
  assert.equal(sent('AllergyIntolerance').length, 2, 'a 503 once, then the retry succeeded');

  // The other provider's records and this one's other kinds are all there.
  assert.doesNotMatch(await providerItem(PROVIDERS[0]).innerText(), /could not be fetched/);
  assert.ok(await recordCount(p) > 1);
  assert.match(await widget.locator('.records').innerText(), new RegExp(`From: .*${PROVIDERS[0].name}.*${p.name}|From: .*${p.name}.*${PROVIDERS[0].name}`));
});

test('once the portal is well again, Refresh brings in the missing kind', async () => {
  const p = PROVIDERS[1];
  await faults(stack.providers[1], []);
  const before = await recordCount(p);
  await widget.getByRole('button', { name: `Refresh ${p.name}` }).click();
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
  assert.doesNotMatch(await providerItem(p).innerText(), /could not be fetched/);
  const observations = stack.providers[1].store.search('Observation').length;
  assert.ok(observations > 0);
  assert.equal(await recordCount(p), before + observations);
});

test('a malformed page, a non-Bundle, and next links broken or leading elsewhere: reported, nothing fetched before is lost', async () => {
  const p = PROVIDERS[1];
  const store = stack.providers[1].store;
  const before = await recordCount(p);
  await faults(stack.providers[1], [
    { path: '^/Condition', status: 'malformed', times: 1 },
    { path: '^/Observation', status: 'not-a-bundle', times: 1 },
    { path: '^/Encounter', status: 'foreign-next', times: 1 },
    { path: '^/Immunization', status: 'broken-next', times: 1 },
    { path: '^/Procedure', status: 'tenant-next', times: 1 },  // same host, /fhir-other: another tenant
  ]);
  const from = requests.length;
  await widget.getByRole('button', { name: `Refresh ${p.name}` }).click();
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
  const item = await providerItem(p).innerText();
  const kept = (type) => `Showing the ${store.search(type).length} fetched before\\.`;
  assert.match(item, new RegExp(`Conditions: the portal sent a page that is not valid JSON\\. ${kept('Condition')}`));
  assert.match(item, new RegExp(`Lab results, vital signs and other measurements: the portal sent something other than a search result\\. ${kept('Observation')}`));
  assert.match(item, new RegExp(`Visits: the portal pointed to another site for more results; Chartlock did not follow it\\. ${kept('Encounter')}`));
  assert.match(item, /Immunizations: the portal sent a broken link to the next page of results\./);
  assert.match(item, new RegExp(`Procedures: the portal pointed outside its own records service for more results; Chartlock did not follow it\\. ${kept('Procedure')}`));
  assert.equal(await recordCount(p), before, 'nothing fetched before was lost');
  assert.ok(!requests.slice(from).some((r) => r.url.startsWith('http://127.0.0.1:9/')), 'the foreign next link was not followed');
  assert.ok(!requests.slice(from).some((r) => r.url.startsWith(`${stack.providers[1].origin}/fhir-other/`)), 'nor the other tenant\'s');
  assert.match(await widget.getByRole('status').innerText(), /5 kinds of record could not be fetched; the rest was kept/);
});

async function refreshProvider(p) {
  await widget.getByRole('button', { name: `Refresh ${p.name}` }).click();
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
}

test('a portal answering with caching headers: every refresh still asks the portal, and nothing is kept in the browser\'s cache', async () => {
  const p = PROVIDERS[1];
  const portal = stack.providers[1];
  const patientPath = `/fhir/Patient/${portal.store.patient.id}`;
  const conditionPath = `/fhir/Condition?${new URLSearchParams({ patient: portal.store.patient.id, _count: '100' })}`;
  await demoControl(portal, 'caching', { cacheable: true });  // Cache-Control: private, max-age=3600, and an ETag
  try {
    const before = [portal.requestCount(patientPath), portal.requestCount(conditionPath)];
    await refreshProvider(p);
    await refreshProvider(p);
    assert.doesNotMatch(await providerItem(p).innerText(), /could not be fetched/);
    assert.deepEqual([portal.requestCount(patientPath), portal.requestCount(conditionPath)], before.map((n) => n + 2),
      'both refreshes reached the portal: nothing was served from the cache');
    // Nothing was stored either: a request that takes any cached answer
    // (force-cache; the cache ignores the Authorization header) still has to
    // go to the portal.
    const status = await widget.evaluate((url) => fetch(url, { cache: 'force-cache', headers: { Authorization: 'Bearer not-a-token' } })
      .then((r) => r.status), `${portal.origin}${patientPath}`);
    assert.equal(status, 401, 'the portal answered, not the cache');
    assert.equal(portal.requestCount(patientPath), before[0] + 3);
  } finally {
    await demoControl(portal, 'caching', { cacheable: false });
  }
});

test('a portal whose refresh tokens do not rotate: the refresh token is kept, and refreshes keep working', async () => {
  const p = PROVIDERS[1];
  const portal = stack.providers[1];
  const from = requests.length;
  await demoControl(portal, 'tokens', { rotateRefreshTokens: false, expireAccessTokens: true });
  try {
    for (let i = 0; i < 2; i += 1) {
      await refreshProvider(p);
      assert.match(await widget.getByRole('status').innerText(), new RegExp(`^Fetched \\d+ records from ${p.name}\\.$`), `refresh ${i + 1}`);
      await demoControl(portal, 'tokens', { expireAccessTokens: true });
    }
    const tokenRequests = requests.slice(from).filter((r) => r.method === 'POST' && r.url === `${portal.origin}/token`);
    assert.equal(tokenRequests.length, 2, 'each expired access token was refreshed');
    // Back to rotating tokens: the one kept still refreshes (and is then replaced).
    await demoControl(portal, 'tokens', { rotateRefreshTokens: true });
    await refreshProvider(p);
    assert.match(await widget.getByRole('status').innerText(), new RegExp(`^Fetched \\d+ records from ${p.name}\\.$`));
  } finally {
    await demoControl(portal, 'tokens', { rotateRefreshTokens: true });
  }
  assert.doesNotMatch(await providerItem(p).innerText(), /could not be fetched|expired/);
});

test('the relay down while sharing: nothing shared, nothing recorded, and once it is back the same choices are shared', async () => {
  await widget.getByRole('button', { name: `Review and share with ${TOOL}` }).click();
  await widget.getByRole('heading', { name: `${TOOL} asks to see some of your records` }).waitFor();
  await widget.getByLabel(/^Immunizations/).uncheck();
  const review = widget.getByRole('button', { name: /^Review \d+ items$/ });
  const chosen = await review.innerText();
  await stack.relay.stop();
  await review.click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: 'Nothing was shared' }).waitFor();
  await widget.getByRole('alert').filter({ hasText: 'Chartlock\'s relay could not be reached' }).waitFor();
  assert.equal(await widget.getByRole('status').innerText(), 'Nothing was shared.');
  assert.deepEqual(await toolShares(), []);

  relayAgain = await startRelay({ binary: path.join(nativeBuild, 'chartlock-relay'), db: stack.relay.db,
    listen: new URL(stack.relay.url).host, args: ['--allowed-origin', stack.widget.origin] });
  await widget.getByRole('button', { name: 'Try again' }).click();
  assert.equal(await widget.getByLabel(/^Immunizations/).isChecked(), false, 'the choices made before are kept');
  assert.equal(await review.innerText(), chosen);
  await review.click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();
  await toolPage.getByText('The summary we received').waitFor();
  const shares = await toolShares();
  assert.equal(shares.length, 1);
  assert.equal(shares[0].sequence, 1);
  assert.equal(shares[0].error, null);
  assert.equal(shares[0].counts.Immunization, undefined);
  await widget.getByRole('button', { name: 'Done' }).click();
  // One grant, at version 1: the failed try left nothing behind.
  const grants = widget.getByRole('region', { name: 'Connected tools' }).locator('li');
  assert.equal(await grants.count(), 1);
  assert.match(await grants.innerText(), /version 1/);
});

test('a bundle the relay refuses after taking the grant: that new grant is taken back, not left behind', async () => {
  const restartRelay = async (extra = []) => {
    await relayAgain.stop();
    relayAgain = await startRelay({ binary: path.join(nativeBuild, 'chartlock-relay'), db: stack.relay.db,
      listen: new URL(stack.relay.url).host, args: ['--allowed-origin', stack.widget.origin, ...extra] });
  };
  await restartRelay(['--max-bundle-bytes', '1K']);  // takes grants, but no bundle this large
  widget.once('dialog', (d) => d.accept());
  await widget.getByRole('button', { name: `Disconnect ${TOOL}` }).click();
  await widget.getByRole('button', { name: `Reconnect ${TOOL}` }).click();
  const since = requests.length;
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: 'Nothing was shared' }).waitFor();
  const put = requests.slice(since).find((r) => r.method === 'PUT' && /\/v1\/grants\/[0-9a-f]{32}\/bundle$/.test(r.url));
  assert.ok(put, 'the widget tried to put the bundle');
  const grantId = /grants\/([0-9a-f]{32})\//.exec(put.url)[1];
  // Revoked (410), not a live grant still waiting for a bundle (404): nothing is opened, so no signer to pin.
  const tool = await createTool({ keyFile: stack.toolKeys.secret, wasm: path.join(wasmBuild, 'chartlock-core.js'),
    relays: [stack.relay.url], insecureSkipSignerPin: true });
  await assert.rejects(tool.fetchShare({ relay: stack.relay.url, grantId }), (e) => e.status === 410);

  await restartRelay();
  await widget.getByRole('button', { name: 'Try again' }).click();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();
});

test('focus hijack: a click just as the widget\'s window is brought to the front does nothing; the patient\'s next one does', async () => {
  widget.once('dialog', (d) => d.accept());
  await widget.getByRole('button', { name: `Disconnect ${TOOL}` }).click();
  await widget.getByRole('button', { name: `Reconnect ${TOOL}` }).click();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  const share = widget.getByRole('button', { name: /^Share \d+ items$/ });
  await share.waitFor();
  const before = (await toolShares()).length;
  // The tool's page brings the widget's window to the front in the middle of a
  // double-click: the second click lands on "Share" in the same instant.
  const guardedNow = await widget.evaluate(() => {
    window.dispatchEvent(new Event('focus'));
    const button = [...document.querySelectorAll('button')].find((b) => /^Share \d+ items$/.test(b.textContent ?? ''));
    button?.click();
    return button?.getAttribute('aria-disabled');
  });
  assert.equal(guardedNow, 'true', 'said to be unavailable for that moment');
  await new Promise((r) => setTimeout(r, 800));
  assert.equal(await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).count(), 0, 'nothing was shared');
  assert.equal((await toolShares()).length, before);
  // A moment later, the patient's own click shares.
  await share.click();
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();
});

test('a tool manifest naming another origin than its page: refused, and the patient is told why', async () => {
  const impostor = await browser.context.newPage();
  await impostor.goto(`${other.origin}/other-site.html`);
  // The page loads the real embed script and presents the demo tool's manifest as its own.
  await impostor.evaluate(async ({ embed, manifest }) => {
    await new Promise((resolve, reject) => {
      const s = Object.assign(document.createElement('script'), { src: embed, onload: resolve, onerror: reject });
      document.head.append(s);
    });
    window.events = [];
    const button = Object.assign(document.createElement('button'), { textContent: 'Connect' });
    button.addEventListener('click', () => window.Chartlock.connect({ manifest,
      onShare: (e) => window.events.push({ share: e }), onError: (e) => window.events.push({ error: e }) }));
    document.body.append(button);
  }, { embed: `${stack.widget.origin}/embed/chartlock.js`, manifest: stack.tool.manifest() });
  const [refused] = await Promise.all([impostor.waitForEvent('popup'), impostor.getByRole('button', { name: 'Connect' }).click()]);
  const why = `The tool says it is ${stack.tool.origin}, but the page asking is ${other.origin}. Chartlock will not share with it.`;
  await refused.getByRole('heading', { name: 'This tool cannot connect' }).waitFor();
  await refused.getByRole('alert').filter({ hasText: why }).waitFor();
  await impostor.waitForFunction(() => window.events.length > 0);
  assert.deepEqual(await impostor.evaluate(() => window.events), [{ error: { code: 'bad-manifest', message: why } }]);
  // Unlocked, the refusal stays, and there is no consent to open for it.
  await refused.getByLabel('Passphrase').fill(PASSPHRASE);
  await refused.getByRole('button', { name: 'Unlock' }).click();
  await refused.getByRole('heading', { name: 'Your providers' }).waitFor();
  await refused.getByRole('heading', { name: 'This tool cannot connect' }).waitFor();
  assert.equal(await refused.getByRole('button', { name: /Review and share/ }).count(), 0);
  await refused.close();
  await impostor.close();
});

test('postMessages from foreign origins: the widget and the tool page\'s SDK ignore them', async () => {
  // Into the widget, from the window it trusts least: a portal's sign-in popup.
  await widget.evaluate(() => {
    window.arrived = [];
    window.addEventListener('message', (e) => window.arrived.push(e.origin));
  });
  const portal = await openPortal(PROVIDERS[0]);
  const screen = await widget.locator('main').innerText();
  const toolStatus = await toolPage.locator('#status').innerText();
  await portal.evaluate(({ widgetOrigin, manifest }) => {
    window.replies = [];
    window.addEventListener('message', (e) => window.replies.push(e.data));
    // A manifest of its own origin (valid but for the sender), and a forged sign-in callback.
    window.opener.postMessage({ type: 'chartlock-connect', manifest: { ...manifest, origin: window.location.origin } }, '*');
    window.opener.postMessage({ type: 'chartlock-smart-callback', url: `${widgetOrigin}/callback.html?code=forged&state=guessed` }, '*');
  }, { widgetOrigin: stack.widget.origin, manifest: stack.tool.manifest() });
  await widget.waitForFunction((n) => window.arrived.length >= n, 2);
  assert.deepEqual(await widget.evaluate(() => window.arrived.slice(0, 2)), [stack.providers[0].origin, stack.providers[0].origin]);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(await portal.evaluate(() => window.replies), [], 'the widget answered nothing');
  assert.equal(await widget.locator('main').innerText(), screen, 'the widget\'s screen is unchanged');
  assert.equal(await toolPage.locator('#status').innerText(), toolStatus, 'nothing was passed on to the tool');
  // The forged callback was not taken: the real sign-in still completes.
  await signIn(portal);
  await widget.getByRole('heading', { name: `You share your records with ${TOOL}` }).waitFor();
  assert.equal(await providerItems().count(), 2);

  // Into the tool page's SDK listener: from a foreign origin, and from the widget's origin but not its window.
  await toolPage.evaluate(() => {
    window.arrived = [];
    window.addEventListener('message', (e) => window.arrived.push(e.origin));
  });
  const statusBefore = await toolPage.locator('#status').innerText();
  const sharesBefore = await toolShares();
  const from = requests.length;
  const forged = [
    { type: 'chartlock-share', relay: stack.relay.url, grantId: '0'.repeat(32), seq: 9, patientKey: 'A'.repeat(43) },
    { type: 'chartlock-error', code: 'forged', message: 'forged' },
    { type: 'chartlock-disconnect', grantId: '0'.repeat(32) },
  ];
  for (const url of [`${other.origin}/other-site.html`, `${stack.widget.origin}/index.html`]) {
    const [sender] = await Promise.all([toolPage.waitForEvent('popup'), toolPage.evaluate((u) => { window.open(u, '_blank'); }, url)]);
    await sender.waitForLoadState();
    await sender.evaluate((messages) => { for (const m of messages) window.opener.postMessage(m, '*'); }, forged);
    await sender.close();
  }
  await toolPage.waitForFunction((n) => window.arrived.length >= n, 2 * forged.length);
  assert.deepEqual(await toolPage.evaluate(() => [...new Set(window.arrived)]), [other.origin, stack.widget.origin]);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await toolPage.locator('#status').innerText(), statusBefore);
  assert.ok(!requests.slice(from).some((r) => r.url.startsWith(`${stack.tool.origin}/api/`)), 'the tool page asked its backend nothing');
  assert.deepEqual(await toolShares(), sharesBefore);
});

const sha = (alg, bytes) => `${alg}-${createHash(alg).update(bytes).digest('base64')}`;

test('the widget\'s Content-Security-Policy is strict and every script it loads carries Subresource Integrity', async () => {
  const index = await fetch(`${stack.widget.origin}/`);
  const csp = Object.fromEntries(index.headers.get('content-security-policy').split(';')
    .map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  const all = Object.values(csp).flat();
  assert.ok(!all.some((v) => ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"].includes(v)), `CSP: ${all}`);
  assert.deepEqual(csp['default-src'], ["'none'"]);
  assert.deepEqual(csp['frame-ancestors'], ["'none'"]);
  assert.deepEqual(csp['base-uri'], ["'none'"]);
  assert.ok(csp['script-src'].every((v) => ["'self'", "'wasm-unsafe-eval'"].includes(v) || /^'sha256-[A-Za-z0-9+/=]+'$/.test(v)), csp['script-src']);
  assert.deepEqual(csp['style-src'], ["'self'"]);
  assert.deepEqual(csp['img-src'], ["'self'", 'data:'], 'no remote images');

  const served = async (url) => Buffer.from(await (await fetch(url)).arrayBuffer());
  for (const page of ['index.html', 'callback.html']) {
    const html = await (await fetch(`${stack.widget.origin}/${page}`)).text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length > 0);
    for (const [, attrs, body] of scripts) {
      if (/type="importmap"/.test(attrs)) {
        assert.ok(csp['script-src'].includes(`'${sha('sha256', body)}'`), 'the import map is allowed by its hash alone');
        for (const [url, integrity] of Object.entries(JSON.parse(body).integrity)) {
          const actual = sha('sha384', await served(new URL(url, `${stack.widget.origin}/`)));
          // The probe is pinned to a hash it does not have, on purpose (js/boot.js); every other module to its own.
          if (url === './js/integrity-probe.js') assert.notEqual(integrity, actual, url);
          else assert.equal(integrity, actual, url);
        }
        continue;
      }
      const src = /src="([^"]+)"/.exec(attrs)?.[1];
      assert.ok(src, `${page}: no inline scripts`);
      assert.equal(/integrity="([^"]+)"/.exec(attrs)?.[1], sha('sha384', await served(new URL(src, `${stack.widget.origin}/`))), `${page}: ${src}`);
    }
    for (const [, href, integrity] of html.matchAll(/<link rel="stylesheet" href="([^"]+)"(?: integrity="([^"]+)")?/g)) {
      assert.equal(integrity, sha('sha384', await served(new URL(href, `${stack.widget.origin}/`))), `${page}: ${href}`);
    }
    // The module graph named up front (web/build.mjs): each preload carries its module's own hash, and the
    // probe, which must fail, is never preloaded.
    const preloads = [...html.matchAll(/<link rel="modulepreload"([^>]*)>/g)].map(([, attrs]) => attrs);
    if (page === 'index.html') assert.ok(preloads.some((attrs) => attrs.includes('href="js/app.js"')), 'app.js is preloaded');
    for (const attrs of preloads) {
      const href = /href="([^"]+)"/.exec(attrs)[1];
      assert.notEqual(href, 'js/integrity-probe.js');
      assert.equal(/integrity="([^"]+)"/.exec(attrs)?.[1], sha('sha384', await served(new URL(href, `${stack.widget.origin}/`))), `${page}: ${href}`);
    }
  }
  // The core Worker's scripts and .wasm, pinned by a module the import map pins.
  assert.deepEqual(csp['worker-src'], ['blob:']);
  const pinned = await (await fetch(`${stack.widget.origin}/js/core-integrity.js`)).text();
  for (const [key, file] of [['worker', 'js/core-worker.js'], ['glue', 'wasm/chartlock-core.js'], ['wasm', 'wasm/chartlock-core.wasm']]) {
    assert.ok(pinned.includes(`"${key}": "${sha('sha384', await served(`${stack.widget.origin}/${file}`))}"`), file);
  }

  // The tool page loads the embed script with SRI (and CORS, which SRI needs cross-origin).
  const tool = await (await fetch(stack.tool.origin)).text();
  const embed = /<script src="([^"]+\/embed\/chartlock\.js)" integrity="([^"]+)" crossorigin="anonymous">/.exec(tool);
  assert.ok(embed, 'the embed script tag');
  assert.equal(embed[2], sha('sha384', await served(embed[1])));

  // Enforced: an injected inline script does not run, and neither does eval.
  const outcome = await widget.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (e) => resolve({ blocked: e.violatedDirective, ran: window.injected === true,
      eval: (() => { try { return String(eval('1 + 1')); } catch (err) { return err.name; } })() }), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.injected = true;';
    document.head.append(s);
  }));
  assert.deepEqual(outcome, { blocked: 'script-src-elem', ran: false, eval: 'EvalError' });
});

test('a changed Worker script, Emscripten glue or .wasm: the core does not start, and the patient is told plainly', async () => {
  for (const [file, change] of [
    ['wasm/chartlock-core.wasm', (b) => { b[b.length - 1] ^= 1; return b; }],
    ['js/core-worker.js', (b) => Buffer.concat([b, Buffer.from('\n// changed\n')])],
    ['wasm/chartlock-core.js', (b) => Buffer.concat([b, Buffer.from('\n// changed\n')])],
  ]) {
    const dist = path.join(mkdtempSync(path.join(tmpdir(), 'chartlock-changed-')), 'widget');
    cpSync(widgetDist, dist, { recursive: true });
    writeFileSync(path.join(dist, file), change(readFileSync(path.join(dist, file))));
    const changed = await startWidget({ dist, config: stack.config });
    const page = await browser.context.newPage();
    try {
      await page.goto(changed.origin);
      await page.getByRole('heading', { name: 'Chartlock cannot start' }).waitFor();
      await page.getByRole('alert').filter({ hasText: 'did not match what this page expects' }).waitFor();
      assert.equal(await page.getByLabel(/^Passphrase/).count(), 0, `${file}: no vault screen`);
    } finally {
      await page.close();
      await changed.close();
    }
  }
});

test('module pinning: a changed module does not run, and a browser that would not check the hashes does not start the widget', async () => {
  const sha = (algo, data) => `${algo}-${createHash(algo).update(data).digest('base64')}`;
  const cases = [
    // A changed module (js/app.js): the import map's integrity refuses it.
    ['changed-module', (dist) => {
      const file = path.join(dist, 'js/app.js');
      writeFileSync(file, Buffer.concat([readFileSync(file), Buffer.from('\n// changed\n')]));
    }, 'did not match what this page expects'],
    // A browser that does not check import-map integrity behaves as if every hash matched: here
    // the probe's (web/build.mjs pins it to a wrong one) is made to match, and the probe loads.
    ['no-integrity-checks', (dist) => {
      const index = path.join(dist, 'index.html');
      const html = readFileSync(index, 'utf8');
      const map = /<script type="importmap">(.*?)<\/script>/.exec(html)[1];
      const parsed = JSON.parse(map);
      parsed.integrity['./js/integrity-probe.js'] = sha('sha384', readFileSync(path.join(dist, 'js/integrity-probe.js')));
      const changed = JSON.stringify(parsed);
      writeFileSync(index, html.replace(map, changed));
      const build = JSON.parse(readFileSync(path.join(dist, 'build.json'), 'utf8'));
      writeFileSync(path.join(dist, 'build.json'), JSON.stringify({ ...build, importMapHash: sha('sha256', changed) }));
    }, 'This browser cannot check that Chartlock\'s code is the code that was published'],
  ];
  for (const [name, change, message] of cases) {
    const dist = path.join(mkdtempSync(path.join(tmpdir(), `chartlock-${name}-`)), 'widget');
    cpSync(widgetDist, dist, { recursive: true });
    change(dist);
    const changed = await startWidget({ dist, config: stack.config });
    const page = await browser.context.newPage();
    try {
      await page.goto(changed.origin);
      await page.getByRole('heading', { name: 'Chartlock cannot start' }).waitFor();
      await page.getByRole('alert').filter({ hasText: message }).waitFor();
      assert.equal(await page.getByLabel(/^Passphrase/).count(), 0, `${name}: no vault screen`);
    } finally {
      await page.close();
      await changed.close();
    }
  }
});

test('OAuth mix-up: a portal\'s sign-in answering in another portal\'s name (RFC 9207 iss) is refused, and no code is exchanged', async () => {
  const p = PROVIDERS[0];
  const portal = stack.providers[0];
  await demoControl(portal, 'mix-up', { issuer: stack.providers[1].fhirBase });
  try {
    const from = requests.length;
    const signInWindow = await openPortal(p);
    await signInWindow.getByLabel('Username').fill(DEMO_USER);
    await signInWindow.getByLabel('Password').fill(DEMO_PASSWORD);
    await signInWindow.getByRole('button', { name: 'Sign in and allow' }).click();
    await widget.getByRole('heading', { name: `Could not connect ${p.name}` }).waitFor({ timeout: 10000 });
    await widget.getByRole('alert').filter({ hasText: 'The sign-in answered for another portal: Chartlock did not use it.' }).waitFor();
    const tokenRequests = requests.slice(from).filter((r) => /\/token$/.test(new URL(r.url).pathname));
    assert.deepEqual(tokenRequests, [], 'neither the code nor the verifier was sent to any token endpoint');
  } finally {
    await demoControl(portal, 'mix-up', {});
  }
  await widget.getByRole('button', { name: 'Back' }).click();
});
