// SPDX-License-Identifier: Apache-2.0
// Two people's records in one vault (a parent with access to a family
// member's portal): the widget never mixes them. Connecting the family
// member's portal shows both persons; the patient picks whose records to
// read; what is shared with a tool is that person's alone, naming only their
// providers. Then the other person's records, apart.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, FAMILY_PROVIDER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli, root, wasmBuild } from '../js/support.mjs';
import { buildWidget, connectFromDirectory, launchBrowser, openWidgetWithNewVault, toolShares as readToolShares } from './harness.mjs';

const PASSPHRASE = 'a long and private passphrase';
let stack;
let browser;
let toolPage;
let widget;

before(async () => {
  const widgetDist = buildWidget();
  stack = await startStack({ chartlock: cli, widgetDist, wasm: path.join(wasmBuild, 'chartlock-core.js'), directoryCount: 100 });
  browser = await launchBrowser();
  toolPage = await browser.context.newPage();
});
after(async () => { await browser?.close(); await stack?.close(); });

const toolShares = () => readToolShares(toolPage);

const connect = (p) => connectFromDirectory(widget, p, { user: DEMO_USER, password: DEMO_PASSWORD });

test('a family member\'s portal: two people, told apart, never mixed', async () => {
  widget = await openWidgetWithNewVault(toolPage, stack.tool.origin, PASSPHRASE);

  await connect(PROVIDERS[0]);
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
  await connect(FAMILY_PROVIDER);
  // Both people, and a choice: nothing is read as one record.
  const chooser = widget.getByRole('region', { name: /records of 2 people/ });
  await chooser.waitFor({ timeout: 60000 });
  const choices = chooser.getByRole('button', { name: /^Show .*'s records$/ });
  assert.equal(await choices.count(), 2);
  assert.match(await chooser.innerText(), new RegExp(PROVIDERS[0].name));
  assert.match(await chooser.innerText(), new RegExp(FAMILY_PROVIDER.name));
  assert.equal(await widget.getByRole('heading', { name: 'Lab results', exact: true }).count(), 0, 'no mixed record is shown');
  await widget.setViewportSize({ width: 900, height: 1100 });
  await chooser.scrollIntoViewIfNeeded();
  await widget.screenshot({ path: path.join(root, 'docs/screenshots/11-two-people.png') });

  // The first person: the patient's own records (from the first portal).
  const first = await choices.first().innerText();
  await choices.first().click();
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
  const showing = widget.getByText(/^Showing .*'s records\./);
  await showing.waitFor();
  // The sources the summary is made from (a record may name other organisations it mentions).
  const fromLine = async () => (await widget.locator('.records').innerText()).split('\n').find((l) => l.startsWith('From: ')) ?? '';
  assert.match(await fromLine(), new RegExp(`^From: ${PROVIDERS[0].name}\\.`));

  // Shared with the tool: this person's records, naming this person's provider only.
  await widget.getByRole('button', { name: /^Review and share with / }).click();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: /^Shared with / }).waitFor();
  await toolPage.getByText('The summary we received').waitFor();
  const [share] = await toolShares();
  assert.equal(share.error, null);
  assert.deepEqual(share.receipt.shared.sources, [PROVIDERS[0].name]);
  assert.doesNotMatch(share.summaryMarkdown, new RegExp(FAMILY_PROVIDER.name));
  assert.doesNotMatch(JSON.stringify(share.resources), new RegExp(FAMILY_PROVIDER.name));

  // The other person, apart.
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('button', { name: 'See another person\'s records' }).click();
  await chooser.waitFor();
  const second = chooser.getByRole('button', { name: /^Show .*'s records$/ }).nth(1);
  assert.notEqual(await second.innerText(), first);
  await second.click();
  await widget.getByText(/^Showing .*'s records\./).waitFor();
  await widget.getByRole('heading', { name: 'Things to talk about' }).waitFor({ timeout: 60000 });
  assert.match(await fromLine(), new RegExp(`^From: ${FAMILY_PROVIDER.name}\\.`));

  // Sharing the most recent records with the tool while the other person is shown:
  // the grant is the first person's, and so is every version of it (a new result of theirs makes a version 2).
  const patient = stack.providers[0].store.patient.id;
  await fetch(`${stack.providers[0].origin}/_demo/resources`, { method: 'POST', body: JSON.stringify({ resources: [{
    resourceType: 'Observation', id: 'family-new-bp', status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }], text: 'Heart rate' },
    subject: { reference: `Patient/${patient}` }, effectiveDateTime: `${new Date().toISOString().slice(0, 10)}T08:00:00Z`,
    valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' } }] }) });
  await widget.getByRole('button', { name: 'Share your most recent records with Demo Health Coach' }).last().click();
  await widget.getByText(/new items? since you last shared/).waitFor({ timeout: 60000 });
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: 'Shared with Demo Health Coach' }).waitFor();
  await toolPage.getByRole('button', { name: 'Fetch again' }).click();
  await toolPage.getByText(/version 2/).waitFor();
  const [again] = await toolShares();
  assert.equal(again.sequence, 2);
  assert.deepEqual(again.receipt.shared.sources, [PROVIDERS[0].name]);
  assert.doesNotMatch(JSON.stringify(again.resources), new RegExp(FAMILY_PROVIDER.name));
});
