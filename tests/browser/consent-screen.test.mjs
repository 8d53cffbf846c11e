// SPDX-License-Identifier: Apache-2.0
// The consent screen says what it means (issue "What the patient reads is
// true"): every sensitive kind kept back by default is named, even when none
// is in what the tool asks for; a backwards date range is refused and counts
// follow the range as it changes; the values behind "your name, sex and date
// of birth" are shown; items are newest first; each date field is one Tab
// stop; and a status line from before never stays under a new error. The
// records: section links, the first five things to talk about with the rest
// one click away, and trend charts against the usual range.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS } from '../../demo/stack.mjs';
import { connectFromDirectory, startWithNewVault } from './harness.mjs';
import { dateStyle, formatDay } from '../../web/widget/js/dates.js';

const PASSPHRASE = 'what the consent screen says';
const TOOL = 'Demo Health Coach';
let stack;
let browser;
let widget;

before(async () => {
  ({ stack, browser, widget } = await startWithNewVault(PASSPHRASE));
  await connectFromDirectory(widget, PROVIDERS[0], { user: DEMO_USER, password: DEMO_PASSWORD });
  await widget.getByRole('button', { name: `Review and share with ${TOOL}` }).click();
  await widget.getByRole('heading', { name: `${TOOL} asks to see some of your records` }).waitFor();
});
after(async () => { await browser?.close(); await stack?.close(); });

test('every sensitive kind left out by default is named, even with none in what the tool asks for', async () => {
  const fieldset = widget.getByRole('group', { name: 'Sensitive records — left out unless you include them' });
  const text = await fieldset.innerText();
  // Named either way: "Include mental health records (1)" (the demo's behavioral health note) or "…: none in what … asks for".
  for (const kind of [/mental health/i, /alcohol and drug use/i, /reproductive and sexual health/i]) assert.match(text, kind);
});

test('the values behind "your name, sex and date of birth", and items newest first', async () => {
  const p = stack.providers[0].store.patient;
  const row = widget.locator('li.consent-category', { hasText: 'name, sex and date of birth' });
  const text = await row.innerText();
  assert.match(text, new RegExp(p.name[0].family));
  const style = dateStyle(await widget.evaluate(() => navigator.language));
  assert.match(text, new RegExp(`born ${formatDay(p.birthDate, style)}`));
  const labs = widget.locator('li.consent-category', { hasText: /^Lab results/ });
  await labs.locator('summary').click();
  const dates = (await labs.locator('ul.consent-items label').allInnerTexts())
    .map((t) => /\(([A-Z][a-z]+ \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\)/.exec(t)?.[1]).filter(Boolean)
    .map((d) => Date.parse(d));
  assert.ok(dates.length > 5);
  assert.deepEqual(dates, [...dates].sort((a, b) => b - a), 'newest first, in the patient\'s date format');
});

test('a backwards date range is refused, and the counts follow the range', async () => {
  const review = widget.getByRole('button', { name: /^Review/ });
  const count = widget.locator('li.consent-category', { hasText: /^Lab results/ }).locator('label').first();
  const before = await count.innerText();
  await widget.getByLabel('From', { exact: true }).fill('2024-01-01');
  await widget.getByLabel('To', { exact: true }).fill('2020-01-01');
  await widget.getByText('The start date (2024-01-01) is after the end date (2020-01-01): change one of them.').waitFor();
  assert.ok(await review.isDisabled());
  await widget.getByLabel('To', { exact: true }).fill('2024-12-31');
  await widget.getByRole('button', { name: /^Review \d+ items?$/ }).waitFor();
  assert.match(await count.innerText(), /— \d+ of \d+ items/);
  assert.notEqual(await count.innerText(), before);
  await widget.getByLabel('From', { exact: true }).fill('');
  await widget.getByLabel('To', { exact: true }).fill('');
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).waitFor();
  assert.equal(await count.innerText(), before);
});

test('each date is one Tab stop, typed as year-month-day, and a date that is not one is said', async () => {
  const from = widget.getByLabel('From', { exact: true });
  await from.focus();
  await widget.keyboard.press('Tab');
  assert.equal(await widget.evaluate(() => document.activeElement?.id), 'to', 'one Tab from "From" reaches "To"');
  await from.fill('2024-13-01');
  await widget.getByText('The start date is not a date yet: type it as year-month-day, like 2024-03-31.').waitFor();
  assert.ok(await widget.getByRole('button', { name: /^Review/ }).isDisabled());
  assert.equal(await from.getAttribute('aria-invalid'), 'true');
  await from.fill('2024-3-5');
  await from.blur();
  assert.equal(await from.inputValue(), '2024-03-05', 'written the one way on leaving the field');
  await widget.getByRole('button', { name: /^Review \d+ items?$/ }).waitFor();
  await from.fill('');
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).waitFor();
});

test('no stale status: "Unlocking…" does not stay under a wrong passphrase', async () => {
  await widget.goto(`${stack.widget.origin}/`);
  await widget.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
  await widget.getByLabel('Passphrase').fill('not the passphrase at all');
  await widget.getByRole('button', { name: 'Unlock' }).click();
  await widget.getByRole('alert').filter({ hasText: 'does not open this vault' }).waitFor();
  assert.doesNotMatch(await widget.locator('#status').innerText(), /Unlocking/);
});

test('the records: links to every section, and past the long lab list', async () => {
  await widget.getByLabel('Passphrase').fill(PASSPHRASE);
  await widget.getByRole('button', { name: 'Unlock' }).click();
  const nav = widget.getByRole('navigation', { name: 'Sections of your records' });
  await nav.waitFor({ timeout: 60000 });
  await nav.getByRole('link', { name: 'Medications' }).click();
  assert.equal(await widget.evaluate(() => document.activeElement?.textContent), 'Medications');
  await widget.getByRole('link', { name: 'Skip past the lab results' }).click();
  assert.equal(await widget.evaluate(() => document.activeElement?.textContent), 'Vital signs');
});

test('the records: the first five things to talk about and questions, long lists one click away', async () => {
  const talk = widget.getByRole('region', { name: 'Things to talk about' });
  const all = await talk.locator('li.insight').count();
  assert.ok(all > 5, `the demo patient has more than five things to talk about (${all})`);
  assert.equal(await talk.locator('li.insight:visible').count(), 5);
  const more = talk.locator('summary', { hasText: `Show ${all - 5} more things to talk about` });
  await more.focus();
  await widget.keyboard.press('Enter');
  assert.equal(await talk.locator('li.insight:visible').count(), all, 'Enter on "Show more" shows them all');
  const questions = widget.getByRole('region', { name: 'Questions for your next appointment' });
  assert.ok(await questions.locator('li:visible').count() <= 5);
  const labs = widget.getByRole('region', { name: 'Lab results' });
  const tests = await labs.locator('li.lab').count();
  assert.ok(tests > 8, `more than eight lab tests (${tests})`);
  assert.equal(await labs.locator('li.lab:visible').count(), 8);
  await labs.locator('summary', { hasText: `Show all ${tests} lab results` }).waitFor();
});

test('the vital signs\' charts are drawn against their usual range', async () => {
  const oxygen = widget.getByRole('region', { name: 'Vital signs' }).locator('li.lab', { hasText: /oxygen/i });
  assert.equal(await oxygen.locator('svg.spark rect.spark-range').count(), 1, 'the usual range is a band');
});

test('the portal\'s sign-in puts the cursor in its first field', async () => {
  const page = await browser.context.newPage();
  try {
    const conf = await (await fetch(`${stack.providers[1].fhirBase}/.well-known/smart-configuration`)).json();
    const u = new URL(conf.authorization_endpoint);
    for (const [k, v] of Object.entries({ response_type: 'code', client_id: 'chartlock-widget', redirect_uri: `${stack.widget.origin}/callback.html`,
      scope: 'launch/patient patient/*.rs', state: 's', aud: stack.providers[1].fhirBase, code_challenge: 'x'.repeat(43),
      code_challenge_method: 'S256' })) u.searchParams.set(k, v);
    await page.goto(u.toString());
    await page.getByLabel('Username').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'username');
  } finally {
    await page.close();
  }
});
