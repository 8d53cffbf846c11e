// A summary for a clinician (web/widget/js/clinician-share.js): the patient
// chooses on the consent screen, the core makes the International Patient
// Summary in the browser, the widget shows it as the clinician will read it,
// and "Save as IPS JSON" saves exactly that document — with what the patient
// left out absent from it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { startWithNewVault } from './harness.mjs';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/fhir');
let stack;
let browser;
let widget;

before(async () => {
  ({ stack, browser, widget } = await startWithNewVault('a summary for my new doctor'));
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
