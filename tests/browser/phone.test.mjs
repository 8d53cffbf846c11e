// On a phone (390 × 844): no widget screen scrolls sideways, and the main
// action of a long screen (Review, Share) stays in view without scrolling.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS } from '../../demo/stack.mjs';
import { connectFromDirectory, startWithNewVault } from './harness.mjs';

const TOOL = 'Demo Health Coach';
let stack;
let browser;
let widget;

before(async () => {
  ({ stack, browser, widget } = await startWithNewVault('a phone in one hand'));
  await widget.setViewportSize({ width: 390, height: 844 });
});
after(async () => { await browser?.close(); await stack?.close(); });

const sideways = () => widget.evaluate(() => ({
  scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  widest: [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map((e) => `${e.tagName}.${e.className}: ${e.textContent?.slice(0, 40)}`),
}));

async function noSideways(screen) {
  const s = await sideways();
  assert.ok(s.scroll <= s.inner, `${screen}: scrolls sideways (${s.scroll} > ${s.inner}): ${s.widest.join(' | ')}`);
}

/** The button is within the viewport as the screen first shows (no scrolling needed). */
async function inView(name) {
  const box = await widget.getByRole('button', { name }).boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= 844, `${name} is in view (${JSON.stringify(box)})`);
}

test('every screen at 390 px: nothing scrolls sideways, and the action stays in reach', async () => {
  await widget.getByRole('heading', { name: 'Your providers' }).waitFor();
  await noSideways('home, no providers');
  await widget.getByRole('button', { name: 'Find a provider' }).click();
  await widget.getByLabel('Search the provider directory').fill('Riverside');
  await widget.getByRole('button', { name: /^Connect / }).first().waitFor();
  await noSideways('find a provider');
  await widget.getByRole('button', { name: 'Back' }).click();
  await connectFromDirectory(widget, PROVIDERS[0], { user: DEMO_USER, password: DEMO_PASSWORD });
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
  await noSideways('home with records');
  await widget.getByRole('button', { name: `Review and share with ${TOOL}` }).click();
  await widget.getByRole('heading', { name: `${TOOL} asks to see some of your records` }).waitFor();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).waitFor();
  await noSideways('consent');
  // The lab results opened: hundreds of items, and Review still in reach.
  await widget.locator('li.consent-category', { hasText: /^Lab results/ }).locator('summary').click();
  await widget.mouse.wheel(0, 3000);
  await inView(/^Review \d+ items$/);
  await noSideways('consent, lab results open');
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `What ${TOOL} will receive` }).waitFor();
  await noSideways('what the tool will receive');
  await inView(/^Share \d+ items$/);
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();
  await noSideways('shared');
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('heading', { name: 'Connected tools' }).waitFor();
  await noSideways('home with a tool');
});
