// SPDX-License-Identifier: Apache-2.0
// Finding a provider in the demo's 10,000-brand directory, where many brands
// share a name ("Riverside Clinic" in a dozen cities): a typo still shows the
// different providers that match, not one name again and again; the patient
// is told how many match and to refine the search when not all are shown;
// a provider already connected says so instead of offering to connect again.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS } from '../../demo/stack.mjs';
import { connectFromDirectory, startWithNewVault } from './harness.mjs';

let stack;
let browser;
let widget;

before(async () => {
  ({ stack, browser, widget } = await startWithNewVault('finding my providers again', { directoryCount: 10000 }));
});
after(async () => { await browser?.close(); await stack?.close(); });

// The directory the widget searches, read here to know what should match.
function brands() {
  const bundle = JSON.parse(readFileSync(path.join(stack.dir, 'directory.json'), 'utf8'));
  return bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Organization');
}

/** Searches and returns each result line's text, once the results for `query` are in (the count with them). */
async function search(query) {
  const box = widget.getByLabel('Search the provider directory');
  if (!(await box.isVisible())) await widget.getByRole('button', { name: 'Find a provider' }).click();
  const lines = widget.locator('ul.results > li');
  await box.fill('');  // clears the last results (and their count) at once
  await lines.first().waitFor({ state: 'detached' });
  await box.fill(query);
  await lines.first().waitFor();
  return lines.allInnerTexts();
}

const nameOf = (line) => line.split(' — ')[0].trim();

test('a typo shows the different providers that match best, and how many match in all', async () => {
  const riverside = brands().filter((o) => /\bRiverside\b/.test(o.name));
  const names = new Set(riverside.map((o) => o.name));
  assert.ok(names.size > 5 && riverside.length > 20, 'the demo directory lists many Riverside brands, some alike');

  const lines = await search('Riversde');
  assert.equal(lines.length, 20);
  const shown = lines.map(nameOf);
  // Each name that matches as well once before any twice: 20 lines, not 20 copies.
  assert.equal(new Set(shown).size, Math.min(names.size, 20), shown.join('\n'));
  assert.ok(shown.includes('Riverside Family Medicine'), shown.join('\n'));
  assert.ok(shown.filter((n) => n === 'Riverside Clinic').length <= 2, shown.join('\n'));
  // Same-named providers are told apart by their place.
  for (const line of lines) assert.match(line, / — [^,]+, [A-Z]{2}\b/);

  const count = await widget.locator('p.result-count').innerText();
  const total = Number(count.match(/^([\d,]+) providers match/)?.[1].replace(/,/g, ''));
  assert.equal(total, riverside.length, count);
  assert.match(count, /showing the 20 best/);
  assert.match(count, /Refine your search/);

  // All shown: a count, and nothing to refine.
  const few = await search('Riversde Family Medicine Springfield');
  assert.deepEqual(few.map(nameOf), ['Riverside Family Medicine']);
  assert.equal(await widget.locator('p.result-count').innerText(), '1 provider matches.');
});

test('a provider already connected is marked, not offered again', async () => {
  const p = PROVIDERS[0];
  await widget.getByRole('button', { name: 'Back' }).click();
  await connectFromDirectory(widget, p, { user: DEMO_USER, password: DEMO_PASSWORD });

  await search('Riversde springfield');
  const item = widget.locator('ul.results > li', { hasText: `${p.name} — ${p.city}, ${p.state}` });
  assert.equal(await item.count(), 1);
  assert.deepEqual(await item.locator('.connected').allInnerTexts(), ['Connected']);
  assert.equal(await widget.getByRole('button', { name: `Connect ${p.name} (${p.city}, ${p.state})`, exact: true }).count(), 0);
  // The others still can be.
  const others = widget.locator('ul.results > li', { hasNotText: p.name });
  assert.ok(await others.count() > 0);
  assert.equal(await others.getByRole('button', { name: /^Connect / }).count(), await others.count());
});
