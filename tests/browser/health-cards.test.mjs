// SPDX-License-Identifier: Apache-2.0
// SMART Health Cards added as files (web/widget/js/added-files.js): the
// widget fetches the issuer's keys (its /.well-known/jwks.json — here the
// spec's example issuer, answered by the test as that site would, since it
// cannot be reached from here) and the core verifies the card before reading
// it. A card changed after signing is refused with the reason and kept only if
// the patient says so, then marked "not verified" wherever its items show.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { startWithNewVault } from './harness.mjs';

const shc = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/shc');
const ISSUER = 'https://spec.smarthealth.cards';
let stack;
let browser;
let widget;
const keyRequests = [];

before(async () => {
  ({ stack, browser, widget } = await startWithNewVault('cards from the pharmacy', { connectSrc: [ISSUER] }));
  await browser.context.route(`${ISSUER}/**`, (route) => {
    keyRequests.push(route.request().url());
    if (!route.request().url().endsWith('/examples/issuer/.well-known/jwks.json')) return route.fulfill({ status: 404, body: '' });
    return route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*' },
      body: readFileSync(path.join(shc, 'issuer.jwks.json')) });
  });
});
after(async () => { await browser?.close(); await stack?.close(); });

const card = () => readFileSync(path.join(shc, 'example-00-e-file.smart-health-card'));
// The same card with one character of its signature changed.
function tampered() {
  const file = JSON.parse(card().toString('utf8'));
  const [h, p, sig] = file.verifiableCredential[0].split('.');
  const at = 10;
  file.verifiableCredential[0] = [h, p, sig.slice(0, at) + (sig[at] === 'A' ? 'B' : 'A') + sig.slice(at + 1)].join('.');
  return Buffer.from(JSON.stringify(file));
}

test('a card verified with its issuer\'s published keys: its vaccines are read', async () => {
  await widget.getByLabel('Add files').setInputFiles([{ name: 'covid-card.smart-health-card', mimeType: 'application/smart-health-card', buffer: card() }]);
  await widget.getByRole('heading', { name: 'Name where your files come from' }).waitFor();
  assert.deepEqual(keyRequests, [`${ISSUER}/examples/issuer/.well-known/jwks.json`], 'the keys asked of the card\'s own issuer');
  assert.match(await widget.locator('form').innerText(), /Chartlock found a SMART Health Card, \d+ items\./);
  assert.equal(await widget.getByRole('alert').count(), 0);
  await widget.getByLabel('Where is covid-card.smart-health-card from?').fill('Pharmacy vaccination card');
  await widget.getByRole('button', { name: 'Add this file' }).click();
  await widget.getByRole('button', { name: 'Remove Pharmacy vaccination card' }).waitFor();
  const records = widget.getByRole('region', { name: 'Your records', exact: true });
  await records.getByText('Pharmacy vaccination card').first().waitFor({ timeout: 60000 });
  assert.match(await records.innerText(), /COVID|Moderna|SARS/i);
  assert.doesNotMatch(await records.innerText(), /not verified/);
});

test('a card changed after it was signed: refused with the reason, kept only when the patient says so, marked not verified', async () => {
  await widget.getByLabel('Add files').setInputFiles([{ name: 'changed.smart-health-card', mimeType: 'application/smart-health-card', buffer: tampered() }]);
  await widget.getByRole('heading', { name: 'Name where your files come from' }).waitFor();
  assert.match(await widget.getByRole('alert').innerText(), /Its signature could not be verified/);
  await widget.getByLabel('Where is changed.smart-health-card from?').fill('Card from a friend');
  // Not ticked: nothing is added.
  await widget.getByRole('button', { name: 'Add this file' }).click();
  await widget.getByRole('heading', { name: 'Files you have' }).waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Remove Card from a friend' }).count(), 0);
  // Ticked: kept, and says so.
  await widget.getByLabel('Add files').setInputFiles([{ name: 'changed.smart-health-card', mimeType: 'application/smart-health-card', buffer: tampered() }]);
  await widget.getByLabel('Where is changed.smart-health-card from?').fill('Card from a friend');
  await widget.getByLabel('Add it anyway, marked as not verified').check();
  await widget.getByRole('button', { name: 'Add this file' }).click();
  await widget.getByRole('button', { name: 'Remove Card from a friend' }).waitFor();
  assert.match(await widget.getByRole('region', { name: 'Files you have' }).innerText(), /Card from a friend — changed\.smart-health-card, a SMART Health Card, \d+ items, not verified/);
  const records = widget.getByRole('region', { name: 'Your records', exact: true });
  await records.getByText('Card from a friend (not verified)').first().waitFor({ timeout: 60000 });
});
