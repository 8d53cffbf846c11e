// SPDX-License-Identifier: Apache-2.0
// Clinical notes from a portal, end to end: the demo portal serves its notes
// as DocumentReference → Binary (HTML and RTF; one behavioral health note
// mentioning anxiety, demo/smart-provider/notes.mjs). The widget fetches them
// with the portal's token, the records view shows a note's text, and a share
// holds the notes only when "Clinical notes" is chosen — never the sensitive
// one, unless its kind is turned on.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS } from '../../demo/stack.mjs';
import { SENSITIVE_NOTE_TEXT } from '../../demo/smart-provider/notes.mjs';
import { connectFromDirectory, startWithNewVault, toolShares } from './harness.mjs';

const PASSPHRASE = 'notes from the portal, read at home';
const TOOL = 'Demo Health Coach';
let stack;
let browser;
let widget;
let toolPage;

before(async () => {
  ({ stack, browser, widget, toolPage } = await startWithNewVault(PASSPHRASE));
  await connectFromDirectory(widget, PROVIDERS[0], { user: DEMO_USER, password: DEMO_PASSWORD });
});
after(async () => { await browser?.close(); await stack?.close(); });

const portalNotes = () => stack.providers[0].store.search('DocumentReference');

test('the portal serves notes as Binary, and the widget fetched them: no note is missing', async () => {
  const notes = portalNotes();
  assert.ok(notes.length >= 3, `the demo portal has notes (${notes.length})`);
  const binaries = notes.flatMap((d) => d.content.map((c) => c.attachment)).filter((a) => /^Binary\//.test(a.url ?? ''));
  assert.ok(binaries.some((a) => a.contentType === 'text/html') && binaries.some((a) => a.contentType === 'application/rtf'));
  assert.ok(binaries.every((a) => a.data === undefined), 'the portal gives URLs, not inline data');
  await widget.getByRole('status').filter({ hasText: /^Fetched \d+ records from / }).waitFor({ timeout: 60000 });
  assert.doesNotMatch(await widget.getByRole('status').innerText(), /could not be fetched/);
});

test('the records view: a "Clinical notes" section with each note\'s type, author, date, and its full text', async () => {
  const section = widget.getByRole('region', { name: 'Clinical notes' });
  await section.waitFor({ timeout: 60000 });
  const sensitive = section.locator('li.note', { hasText: 'Behavioral health note' });
  assert.match(await sensitive.innerText(), /Behavioral health note on .+ by Dr\. Maya Lindqvist, PsyD/);
  const text = sensitive.locator('.note-body');
  assert.equal(await text.isVisible(), false, 'the text is collapsed');
  await sensitive.getByText('Read the note').click();
  await text.waitFor();
  // The RTF's words, its control words gone, one paragraph per \par.
  assert.equal(await text.innerText(), SENSITIVE_NOTE_TEXT.split('\n').join('\n\n'));
  // A generated note, served as HTML or RTF: its lines, no markup.
  const visit = section.locator('li.note', { hasText: 'History and physical note' }).first();
  await visit.getByText('Read the note').first().click();
  const body = await visit.locator('.note-body').first().innerText();
  assert.match(body, /Vitals: BP \d+\/\d+/);
  assert.doesNotMatch(body, /<p>|\\par|\\rtf|fonttbl/);
  // A PDF the portal points to elsewhere is listed, said unread, not fetched.
  const pdf = section.locator('.note-unread', { hasText: 'PDF' });
  if (await pdf.count() > 0) assert.match(await pdf.first().innerText(), /^PDF( \(.*\))?, not read: Chartlock does not read PDFs yet\.$/);
});

test('consent: notes are shared only when "Clinical notes" is chosen, and the sensitive note is kept back by default', async () => {
  await widget.getByRole('button', { name: `Review and share with ${TOOL}` }).click();
  await widget.getByRole('heading', { name: `${TOOL} asks to see some of your records` }).waitFor();
  const notes = widget.getByLabel(/^Clinical notes/);
  const row = widget.locator('li.consent-category', { hasText: /^Clinical notes/ });
  // "Clinical notes — 5 of 6 items": every note is an item, the sensitive one held back
  // (the counts follow the core's preview, which answers after the screen is shown).
  await row.locator('label').first().filter({ hasText: / of \d+ items/ }).waitFor();
  const label = await row.locator('label').first().innerText();
  const [, going, items] = (/— (\d+) of (\d+) items/.exec(label) ?? []).map(Number);
  assert.equal(items, portalNotes().length, `every note is an item: ${label}`);
  assert.equal(going, items - 1, `all but the behavioral health note go: ${label}`);
  await row.locator('summary').click();
  assert.match(await row.innerText(), /Behavioral health note .*— Mental health/);
  const review = widget.getByRole('button', { name: /^Review \d+ items?$/ });
  const reviewCount = async () => Number(/(\d+)/.exec(await review.innerText())[1]);
  const withNotes = await reviewCount();
  await notes.uncheck();
  await widget.getByRole('button', { name: `Review ${withNotes - (items - 1)} items` }).waitFor();
  await notes.check();
  await widget.getByRole('button', { name: `Review ${withNotes} items` }).waitFor();
  // Shared with the notes chosen, mental health left as it is (off).
  await review.click();
  await widget.getByRole('heading', { name: `What ${TOOL} will receive` }).waitFor();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();

  await toolPage.getByText('The summary we received').waitFor();
  const [share] = await toolShares(toolPage);
  assert.equal(share.error, null);
  const shared = share.resources.filter((r) => r.type === 'DocumentReference');
  assert.equal(shared.length, items - 1, 'every note but the sensitive one');
  assert.ok(shared.every((r) => r.text !== 'Behavioral health note'));
  assert.ok(shared.every((r) => !/anxiety/i.test(r.noteText)), 'no shared note mentions it');
  assert.ok(shared.some((r) => /Vitals: BP \d+\/\d+/.test(r.noteText)), 'the notes travel with their text');
  assert.deepEqual(share.receipt.shared.sensitiveIncluded, []);
  assert.match(share.summaryMarkdown, /## Clinical notes\n\n- \d+ notes?: /);
});
