// SPDX-License-Identifier: Apache-2.0
// "Add files" (web/widget/js/added-files.js): records the patient holds as
// files are read in the widget's core Worker, never uploaded; a file the core
// cannot read is refused with its reason and nothing of it is kept; the
// patient names where a file came from and that name is the source its items
// show; a file is kept in the vault (it is there after locking and opening
// again) and is removable.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { startWithNewVault } from './harness.mjs';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/fhir');
const PASSPHRASE = 'files I keep in a drawer at home';
let stack;
let browser;
let widget;
const requests = [];

before(async () => {
  ({ stack, browser, widget } = await startWithNewVault(PASSPHRASE));
  widget.on('request', (r) => requests.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() }));
});
after(async () => { await browser?.close(); await stack?.close(); });

const fileOf = (name, mimeType = 'application/json') => ({ name, mimeType, buffer: readFileSync(path.join(fixtures, name)) });

test('a file that is not records is refused with the reason; nothing is kept', async () => {
  await widget.getByLabel('Add files').setInputFiles([
    { name: 'shopping-list.txt', mimeType: 'text/plain', buffer: Buffer.from('milk, eggs, bread') },
    fileOf('malformed.json')]);
  await widget.getByRole('heading', { name: 'These files cannot be added' }).waitFor();
  const alert = await widget.getByRole('alert').innerText();
  assert.match(alert, /shopping-list\.txt: Chartlock cannot read it \(.+\)\./);
  assert.match(alert, /malformed\.json: Chartlock cannot read it \(.+\)\./);
  assert.equal(await widget.getByRole('button', { name: /^Add th/ }).count(), 0);
  await widget.getByRole('button', { name: 'Cancel' }).click();
  await widget.getByRole('heading', { name: 'Files you have' }).waitFor();
  assert.equal(await widget.getByRole('button', { name: /^Remove / }).count(), 0);
});

test('two files are named by the patient and read as two sources; nothing is uploaded', async () => {
  const before = requests.length;
  await widget.getByLabel('Add files').setInputFiles([fileOf('clinic-a.json'), fileOf('export.ndjson', 'application/x-ndjson')]);
  await widget.getByRole('heading', { name: 'Name where your files come from' }).waitFor();
  assert.equal(await widget.getByLabel('Where is clinic-a.json from?').inputValue(), 'clinic-a', 'named for the file at first');
  assert.match(await widget.locator('form').innerText(), /Chartlock found FHIR records, 13 items\./);
  await widget.getByLabel('Where is clinic-a.json from?').fill('Springfield discharge papers');
  await widget.getByLabel('Where is export.ndjson from?').fill('My export');
  await widget.getByRole('button', { name: 'Add these 2 files' }).click();
  const files = widget.getByRole('region', { name: 'Files you have' });
  await files.getByRole('button', { name: 'Remove Springfield discharge papers' }).waitFor();
  assert.match(await files.innerText(), /Springfield discharge papers — clinic-a\.json, FHIR records, 13 items, added /);
  // The records read from them, each item saying which file it came from.
  const records = widget.getByRole('region', { name: 'Your records' });
  await records.getByText('Springfield discharge papers').first().waitFor({ timeout: 60000 });
  const uploaded = requests.slice(before).filter((r) => r.method !== 'GET' || /clinic|ndjson/.test(r.url));
  assert.deepEqual(uploaded, [], 'the files never leave the browser');
});

test('a file is kept in the vault: still there after locking and opening it again', async () => {
  await widget.getByRole('button', { name: 'Lock now' }).click();
  await widget.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
  await widget.getByLabel('Passphrase').fill(PASSPHRASE);
  await widget.getByRole('button', { name: 'Unlock' }).click();
  await widget.getByRole('button', { name: 'Remove My export' }).waitFor({ timeout: 60000 });
});

test('a removed file leaves the records, after the patient confirms', async () => {
  await widget.getByRole('button', { name: 'Remove Springfield discharge papers' }).click();
  await widget.getByRole('heading', { name: 'Remove Springfield discharge papers?' }).waitFor();
  assert.match(await widget.locator('main').innerText(), /Your own copy of clinic-a\.json is not touched/);
  await widget.getByRole('button', { name: 'Remove Springfield discharge papers' }).click();
  await widget.getByRole('status').filter({ hasText: 'Removed Springfield discharge papers.' }).waitFor();
  await widget.getByRole('button', { name: 'Remove My export' }).waitFor();
  assert.equal(await widget.getByRole('button', { name: 'Remove Springfield discharge papers' }).count(), 0);
  const records = widget.getByRole('region', { name: 'Your records' });
  await records.getByText('My export').first().waitFor({ timeout: 60000 });
  assert.equal(await records.getByText('Springfield discharge papers').count(), 0);
});

test('a C-CDA document a portal gave ("Download my record") is read by its content: its person, problems and medicines', async () => {
  const ccd = readFileSync(path.join(fixtures, '../ccda/ccd.xml'));
  await widget.getByLabel('Add files').setInputFiles([{ name: 'my-record.xml', mimeType: 'text/xml', buffer: ccd }]);
  await widget.getByRole('heading', { name: 'Name where your files come from' }).waitFor();
  assert.match(await widget.locator('form').innerText(), /Chartlock found a health record document \(C-CDA\), \d+ items\./);
  await widget.getByLabel('Where is my-record.xml from?').fill('Good Health Urgent Care download');
  await widget.getByRole('button', { name: 'Add this file' }).click();
  // Another person's record beside My export: never mixed, the patient chooses whose to read.
  await widget.getByRole('heading', { name: /These are the records of 2 people/ }).waitFor({ timeout: 60000 });
  await widget.getByRole('button', { name: /Show Eve Betterhalf's records/ }).click();
  const records = widget.getByRole('region', { name: 'Your records', exact: true });
  await records.getByText(/angina/i).first().waitFor({ timeout: 60000 });
  const text = await records.innerText();
  assert.match(text, /atenolol/i);
  assert.match(text, /Good Health Urgent Care download/);
  assert.doesNotMatch(text, /Maria/);
});
