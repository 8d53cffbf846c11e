// SPDX-License-Identifier: Apache-2.0
// The whole journey in Chromium against the real demo (two SMART portals,
// the relay on SQLite, the widget, the AI tool's site and backend), each on
// its own origin: connect from the tool's page → create a vault → connect two
// providers → read the summary → consent to a narrowed subset → share → the
// tool's backend opens exactly that → new results, share the most recent →
// disconnect (the tool's next fetch gets 410) → reconnect. Every request the
// browser makes is recorded: nothing but the portals ever sees the patient's
// data in the clear. Screenshots of each screen go to docs/screenshots/.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli, root, wasmBuild } from '../js/support.mjs';
import { buildWidget, launchBrowser, toolShares as readToolShares, keepRecoveryKey } from './harness.mjs';

const PASSPHRASE = 'a long and private passphrase';
const shots = path.join(root, 'docs/screenshots');
let stack;
let browser;
let toolPage;
let widget;  // the widget's window, opened by the tool page
const traffic = [];  // every request any page made: { url, body }

before(async () => {
  const widgetDist = buildWidget();
  stack = await startStack({ chartlock: cli, widgetDist, wasm: path.join(wasmBuild, 'chartlock-core.js') });
  browser = await launchBrowser();
  browser.context.on('request', (r) => traffic.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() ?? Buffer.alloc(0) }));
  mkdirSync(shots, { recursive: true });
  toolPage = await browser.context.newPage();
  toolPage.on('pageerror', (e) => console.error('tool page error:', e.message));
});
after(async () => { await browser?.close(); await stack?.close(); });

// The first screenful (full pages of records run to megabytes).
const shot = async (page, name) => {
  await page.setViewportSize({ width: 900, height: 1100 });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
};
const toolShares = () => readToolShares(toolPage);

async function connectProvider(p, first) {
  await widget.getByRole('button', { name: 'Find a provider' }).click();
  await widget.getByLabel('Search the provider directory').fill(p.name.split(' ').slice(0, 2).join(' ').replace('e', ''));  // a typo
  if (first) await shot(widget, '03-find-provider');
  const [portal] = await Promise.all([
    widget.waitForEvent('popup'),
    widget.getByRole('button', { name: `Connect ${p.name} (${p.city}, ${p.state})`, exact: true }).click(),
  ]);
  await portal.waitForLoadState();
  if (first) await shot(portal, '04-portal-sign-in');
  await portal.getByLabel('Username').fill(DEMO_USER);
  await portal.getByLabel('Password').fill(DEMO_PASSWORD);
  await portal.getByRole('button', { name: 'Sign in and allow' }).click();
  try {
    await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
  } catch (e) {
    // Say what the widget showed instead (synthetic demo data only).
    throw new Error(`${e.message}\nthe widget shows: ${(await widget.locator('main').innerText()).slice(0, 600)}`);
  }
}

test('the tool page opens the widget on its own origin', async () => {
  await toolPage.goto(stack.tool.origin);
  await shot(toolPage, '01-tool-page');
  [widget] = await Promise.all([toolPage.waitForEvent('popup'), toolPage.getByRole('button', { name: 'Connect your health records' }).click()]);
  widget.on('pageerror', (e) => console.error('widget error:', e.message));
  await widget.waitForLoadState();
  assert.equal(new URL(widget.url()).origin, stack.widget.origin);
  assert.equal(await widget.locator('.demo-only').count(), 0);  // the tool's page has an origin of its own
  await widget.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await shot(widget, '02-create-vault');
  await widget.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await widget.getByLabel('Type it again').fill(PASSPHRASE);
  await widget.getByRole('button', { name: 'Create vault' }).click();
  await keepRecoveryKey(widget);
  await widget.getByRole('heading', { name: 'Demo Health Coach would like to see some of your records' }).waitFor();
});

test('connect two providers and read the records explained', async () => {
  await connectProvider(PROVIDERS[0], true);
  await connectProvider(PROVIDERS[1], false);
  await widget.getByRole('heading', { name: 'Things to talk about' }).waitFor();
  await shot(widget, '05-records');
  // The timeline holds events from both providers, each saying where it came from.
  const timeline = widget.getByRole('region', { name: 'Timeline' });
  for (const p of PROVIDERS) {
    assert.ok(await timeline.getByRole('listitem').filter({ hasText: new RegExp(`from .*${p.name}`) }).count() > 0, p.name);
  }
  // A BMI reads with its category, as blood pressure does (the category is the series', not the point's).
  const bmi = widget.locator('li.lab').filter({ hasText: 'Body mass index' });
  if (await bmi.count() > 0) {
    assert.match(await bmi.first().innerText(), / · (Underweight|Healthy weight|Overweight|Obesity \(class \d\))/);
  }
});

let consented;
let consentPreview;
test('consent to a narrowed subset and share', async () => {
  await widget.getByRole('button', { name: 'Review and share with Demo Health Coach' }).click();
  await widget.getByRole('heading', { name: 'Demo Health Coach asks to see some of your records' }).waitFor();
  const page = await widget.content();
  assert.match(page, new RegExp(stack.tool.origin.replace(/\./g, '\\.')));  // who asks, shown
  // Narrow it: no immunizations, and one lab result removed by hand.
  await widget.getByLabel(/^Immunizations/).uncheck();
  await widget.getByText(/^Review the \d+ lab results$/).click();
  const firstLab = widget.locator('#cat-labs').locator('xpath=ancestor::li[1]').locator('.consent-items input').first();
  const removedKey = (await firstLab.getAttribute('id')).slice('item-'.length);
  await firstLab.uncheck();
  const count = Number(/Review (\d+) items/.exec(await widget.getByRole('button', { name: /^Review \d+ items$/ }).innerText())[1]);
  await shot(widget, '06-consent');
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  // What the tool will receive, before anything leaves: the same count, the summary it reads.
  await widget.getByRole('heading', { name: 'What Demo Health Coach will receive' }).waitFor();
  assert.equal(await widget.getByRole('button', { name: /^Share \d+ items$/ }).innerText(), `Share ${count} items`);
  consentPreview = await widget.locator('.share-preview').innerText();
  assert.match(consentPreview, /^# Health summary/);
  assert.match(consentPreview, /Not shared: the patient did not share immunizations\./);
  await shot(widget, '06b-preview');
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: 'Shared with Demo Health Coach' }).waitFor();
  await shot(widget, '07-shared');
  consented = { count, removedKey };
});

test('the tool backend opened exactly the consented items', async () => {
  await toolPage.getByText('The summary we received').waitFor();
  await shot(toolPage, '08-tool-received');
  const [share] = await toolShares();
  assert.equal(share.sequence, 1);
  assert.equal(share.error, null);
  assert.equal(share.counts.Immunization, undefined, 'immunizations were left out');
  const total = Object.values(share.counts).reduce((a, b) => a + b, 0);
  assert.equal(total, consented.count);
  assert.equal(share.receipt.shared.items + 1, total);  // + the Patient
  // The lab result removed by hand is not among what the tool holds.
  assert.ok(!share.receipt.shared.keys.includes(consented.removedKey));
  assert.equal(share.receipt.shared.keys.length, consented.count - 1);
  consented.keys = share.receipt.shared.keys;
  assert.equal(share.receipt.tool.origin, stack.tool.origin);
  assert.deepEqual(share.receipt.shared.sensitiveIncluded, []);
  assert.match(share.summaryMarkdown, /# Health summary/);
  assert.equal(share.summaryMarkdown.trim(), consentPreview.trim(), 'the tool reads exactly the summary the patient was shown');
});

test('new results at a portal; share the most recent records as version 2', async () => {
  const patient = stack.providers[0].store.patient.id;
  const today = new Date().toISOString().slice(0, 10);
  await fetch(`${stack.providers[0].origin}/_demo/resources`, { method: 'POST', body: JSON.stringify({ resources: [{
    resourceType: 'Observation', id: 'new-a1c', status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '4548-4', display: 'Hemoglobin A1c' }], text: 'Hemoglobin A1c' },
    subject: { reference: `Patient/${patient}` }, effectiveDateTime: `${today}T08:00:00Z`,
    valueQuantity: { value: 7.4, unit: '%', system: 'http://unitsofmeasure.org', code: '%' } }] }) });
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'Share your most recent records with Demo Health Coach' }).first().click();
  await widget.getByText(/new items? since you last shared/).waitFor({ timeout: 60000 });
  assert.match(await widget.locator('.new-items').innerText(), /Hemoglobin A1c/);
  await shot(widget, '09-share-most-recent');
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: 'Shared with Demo Health Coach' }).waitFor();
  await toolPage.getByRole('button', { name: 'Fetch again' }).click();
  await toolPage.getByText(/version 2/).waitFor();
  const [share] = await toolShares();
  assert.equal(share.sequence, 2);
  // Shared resources are rebuilt with record keys as ids (docs/share-content.md): the new A1c is one not shared before.
  assert.ok(share.resources.some((r) => r.type === 'Observation' && r.code === '4548-4' && !consented.keys.includes(r.id)));
});

test('disconnect: the tool\'s next fetch gets 410', async () => {
  await widget.getByRole('button', { name: 'Done' }).click();
  widget.once('dialog', (d) => d.accept());
  await widget.getByRole('button', { name: 'Disconnect Demo Health Coach' }).click();
  await widget.getByRole('button', { name: 'Reconnect Demo Health Coach' }).waitFor();
  await shot(widget, '10-disconnected');
  // The tool's page is told at once (onDisconnect), and its backend then hears 410 from the relay.
  await toolPage.getByText('You disconnected this tool in Chartlock.').waitFor();
  await toolPage.getByText(/Last fetch failed/).waitFor();
  const [share] = await toolShares();
  assert.equal(share.error.status, 410);
  assert.equal(share.error.code, 'revoked');
});

test('reconnect with fresh consent: a new grant, handed to the tool; the tool listed once; the numbers agree', async () => {
  await widget.getByRole('button', { name: 'Reconnect Demo Health Coach' }).click();
  await widget.getByRole('heading', { name: 'Demo Health Coach asks to see some of your records' }).waitFor();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  const share = widget.getByRole('button', { name: /^Share \d+ items$/ });
  const n = Number(/\d+/.exec(await share.innerText())[0]);
  await share.click();
  await widget.getByRole('heading', { name: 'Shared with Demo Health Coach' }).waitFor();
  assert.equal(await widget.getByRole('status').innerText(), `Shared ${n} items with Demo Health Coach.`);
  // The tool's page got the new grant (onShare) without being asked: its backend holds it.
  await toolPage.locator('#status', { hasText: /^Received\.$/ }).waitFor();
  const shares = await toolShares();
  const fresh = shares.find((s) => s.error === null && s.sequence === 1);
  assert.ok(fresh, `the new grant reached the tool: ${JSON.stringify(shares.map((s) => [s.sequence, s.error?.code]))}`);
  assert.equal(Object.values(fresh.counts).reduce((a, b) => a + b, 0), n, 'the button, the result and the tool agree');
  await widget.getByRole('button', { name: 'Done' }).click();
  const grants = await widget.locator('#tools-h').locator('xpath=..').locator('li').allInnerTexts();
  assert.equal(grants.length, 1, 'one line per tool');
  assert.match(grants[0], new RegExp(`shared ${n} items, version 1`));
  assert.match(grants[0], /1 earlier connection, disconnected/);
  // Shared already: the banner offers the newest records, not a second grant; nothing new, nothing to send.
  await widget.getByRole('heading', { name: 'You share your records with Demo Health Coach' }).waitFor();
  await widget.getByRole('button', { name: 'Share your most recent records with Demo Health Coach' }).first().click();
  await widget.getByText(/^Nothing new since you last shared/).waitFor({ timeout: 60000 });
  assert.equal(await widget.getByRole('button', { name: /^Share \d+ items$/ }).count(), 0);
  await widget.getByRole('button', { name: 'Back' }).click();
});

test('no plaintext egress: only the portals saw the records in the clear', async () => {
  const store = stack.providers[0].store;
  const patient = store.patient;
  const secrets = [patient.name[0].family, patient.birthDate, ...patient.name[0].given];
  for (const o of store.search('Observation').slice(0, 40)) {
    if (o.valueQuantity?.value !== undefined) secrets.push(String(o.valueQuantity.value));
  }
  const portals = stack.providers.map((p) => new URL(p.origin).origin);
  const checked = traffic.filter((t) => !portals.includes(new URL(t.url).origin));
  assert.ok(checked.some((t) => t.url.startsWith(stack.relay.url) && t.method === 'PUT'), 'bundles went to the relay');
  for (const t of checked) {
    for (const s of secrets.filter((x) => x && x.length >= 4)) {
      assert.ok(!t.url.includes(s), `${s} in ${t.url}`);
      assert.equal(t.body.indexOf(Buffer.from(s)), -1, `${s} in the body of ${t.method} ${t.url}`);
    }
  }
});

test('delete everything disconnects the tools first: their next fetch gets 410', async () => {
  // The grant reconnected above: the last bundle put on the relay.
  const puts = traffic.filter((t) => t.method === 'PUT' && /\/v1\/grants\/[0-9a-f]{32}\/bundle$/.test(t.url));
  const grantId = /grants\/([0-9a-f]{32})\//.exec(puts.at(-1).url)[1];
  const { createTool } = await import('../../tool/index.mjs');
  // Only the relay's answer is read here: no bundle is opened, so there is no signer to pin.
  const tool = await createTool({ keyFile: stack.toolKeys.secret, wasm: path.join(wasmBuild, 'chartlock-core.js'),
    relays: [stack.relay.url], insecureSkipSignerPin: true });
  const live = await tool.fetchShare({ relay: stack.relay.url, grantId });
  assert.ok(live.parts['records.json'], 'the grant is live before');
  widget.once('dialog', (d) => {
    assert.match(d.message(), /It also disconnects Demo Health Coach\./);
    d.accept();
  });
  await widget.getByRole('button', { name: 'Delete everything' }).click();
  await widget.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await assert.rejects(tool.fetchShare({ relay: stack.relay.url, grantId }), (e) => e.status === 410);
});
