// SPDX-License-Identifier: Apache-2.0
// A summary for a clinician (web/widget/js/clinician-share.js): the patient
// chooses on the consent screen, the core makes the International Patient
// Summary in the browser, the widget shows it as the clinician will read it,
// and "Save as IPS JSON" saves exactly that document — with what the patient
// left out absent from it. Then as a SMART Health Link: the QR code the widget
// draws is read back with zbarimg, the clinician opens it in the viewer with
// the passcode, the relay received ciphertext only and never the key, and a
// stopped link no longer opens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { startWithNewVault } from './harness.mjs';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/fhir');
let stack;
let browser;
let widget;
const toRelay = [];

before(async () => {
  ({ stack, browser, widget } = await startWithNewVault('a summary for my new doctor'));
  widget.on('request', (r) => { if (r.url().startsWith(stack.relay.url)) toRelay.push({ url: r.url(), body: r.postDataBuffer() }); });
  await widget.getByLabel('Add files').setInputFiles([{ name: 'clinic-a.json', mimeType: 'application/json',
    buffer: readFileSync(path.join(fixtures, 'clinic-a.json')) }]);
  await widget.getByLabel('Where is clinic-a.json from?').fill('Springfield Family Clinic');
  await widget.getByRole('button', { name: 'Add this file' }).click();
  await widget.getByRole('button', { name: 'Remove Springfield Family Clinic' }).waitFor();
});
after(async () => { await browser?.close(); await stack?.close(); });

test('the patient chooses, sees the summary as a clinician will, and saves the IPS they saw', async () => {
  await widget.getByRole('button', { name: 'Make a summary for a clinician' }).click();
  await widget.getByRole('heading', { name: 'Make a summary for a clinician' }).waitFor();
  await widget.getByLabel(/^Allergies/).uncheck();
  const review = widget.getByRole('button', { name: /^Review \d+ items?$/ });
  await review.waitFor();
  await review.click();
  await widget.getByRole('heading', { name: 'Your summary for a clinician' }).waitFor();
  const summary = widget.locator('article.ips');
  const shown = await summary.innerText();
  assert.match(shown, /Problem List[\s\S]*High blood pressure/);
  assert.match(shown, /\(from Springfield Family Clinic\)/, 'each item names the source the patient named');
  assert.match(shown, /Allergies and Intolerances\s+None listed: information withheld\./i, 'left out, and said so');
  assert.doesNotMatch(shown, /penicillin/i);

  const [download] = await Promise.all([widget.waitForEvent('download'),
    widget.getByRole('button', { name: 'Save as IPS JSON' }).click()]);
  assert.match(download.suggestedFilename(), /^patient-summary-\d{4}-\d{2}-\d{2}\.json$/);
  const bundle = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'document');
  const composition = bundle.entry[0].resource;
  assert.equal(composition.resourceType, 'Composition');
  const allergies = composition.section.find((s) => s.code.coding[0].code === '48765-2');
  assert.equal(allergies.entry, undefined);
  assert.equal(allergies.emptyReason.coding[0].code, 'withheld');
  assert.ok(!JSON.stringify(bundle).includes('enicillin'), 'the saved file holds nothing that was left out');
  const entries = composition.section.reduce((n, s) => n + (s.entry?.length ?? 0), 0);
  assert.equal(await summary.locator('.ips-section li').count(), entries, 'what was shown is what was saved');

  await widget.emulateMedia({ media: 'print' });
  assert.equal(await widget.getByRole('button', { name: 'Print' }).isVisible(), false, 'on paper: the summary alone');
  assert.equal(await summary.isVisible(), true);
  await widget.emulateMedia({ media: 'screen' });
});

test('a SMART Health Link: its QR code reads back, the viewer opens it with the passcode, the relay never had the key', async () => {
  await widget.getByRole('button', { name: 'Make a link for a clinician' }).click();
  await widget.getByLabel('Name it (the clinician sees it)').fill('For Dr. Osei');
  await widget.getByLabel('Passcode (optional)').fill('2468');
  await widget.getByLabel('Works for how many days').fill('7');
  await widget.getByRole('button', { name: 'Make the link' }).click();
  await widget.getByRole('heading', { name: 'A link for your clinician: For Dr. Osei' }).waitFor();
  await widget.screenshot({ path: path.join(path.dirname(fileURLToPath(import.meta.url)), '../../docs/screenshots/17-health-link.png'), fullPage: true });
  const address = await widget.getByLabel('The address').inputValue();
  const link = address.slice(address.indexOf('#') + 1);
  assert.match(link, /^shlink:\/[A-Za-z0-9_-]+$/);
  const payload = JSON.parse(Buffer.from(link.slice('shlink:/'.length), 'base64url').toString('utf8'));
  assert.equal(payload.flag, 'P');
  assert.equal(payload.label, 'For Dr. Osei');
  assert.ok(payload.exp > Date.now() / 1000 + 6.9 * 86400 && payload.exp < Date.now() / 1000 + 7.1 * 86400);

  // The code drawn is the link: read back by a QR reader that is not ours.
  const png = path.join(mkdtempSync(path.join(tmpdir(), 'chartlock-qr-')), 'qr.png');
  await widget.locator('.qr-box svg').screenshot({ path: png });
  const read = spawnSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' });
  assert.equal(read.status, 0, read.stderr);
  assert.equal(read.stdout.trim(), link);

  // The relay got a link id, a management key, a passcode and a JWE: never the file key, never the summary.
  const sent = toRelay.map((r) => r.body?.toString('utf8') ?? '').join('\n');
  assert.ok(toRelay.some((r) => r.url.endsWith('/v1/shl')), 'the link was created at the relay');
  assert.ok(!sent.includes(payload.key), 'the key never reaches the relay');
  assert.doesNotMatch(sent, /High blood pressure|Ortiz|Composition/);

  // The clinician opens it in the viewer.
  const viewer = await browser.context.newPage();
  await viewer.goto(address);
  await viewer.getByLabel('Your name or organization').fill('Dr. Osei');
  await viewer.getByLabel('Passcode').fill('1111');
  await viewer.getByRole('button', { name: 'Open the summary' }).click();
  await viewer.getByRole('alert').filter({ hasText: /not right\. 9 tries are left/ }).waitFor();
  await viewer.getByLabel('Passcode').fill('2468');
  await viewer.getByRole('button', { name: 'Open the summary' }).click();
  await viewer.getByRole('heading', { name: 'International Patient Summary' }).waitFor();
  assert.match(await viewer.locator('article.ips').innerText(), /High blood pressure[\s\S]*\(from Springfield Family Clinic\)/);

  // Stopped from the widget: the link no longer opens.
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'Stop For Dr. Osei' }).click();
  await widget.getByRole('status').filter({ hasText: 'For Dr. Osei no longer opens.' }).waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Stop For Dr. Osei' }).count(), 0);
  await viewer.goto('about:blank');
  await viewer.goto(address);
  await viewer.getByLabel('Passcode').fill('2468');
  await viewer.getByRole('button', { name: 'Open the summary' }).click();
  await viewer.getByRole('heading', { name: 'The summary could not be opened' }).waitFor();
  assert.match(await viewer.getByRole('alert').innerText(), /no longer opens/);
  await viewer.close();
});
