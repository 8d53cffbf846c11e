// SPDX-License-Identifier: Apache-2.0
// Accessibility, in Chromium against the real demo: axe-core on every widget
// screen (create and unlock the vault, providers, finding a provider, records
// with a fetch error, consent, shared, connected tools, errors) and on the
// tool's page, with no "serious" or "critical" violation allowed; and the
// consent flow done with the keyboard alone (Tab, Enter, Space).
//
// axe is injected through the DevTools protocol (page.evaluate), which the
// page's Content-Security-Policy does not govern: the product's CSP stays
// exactly as served, and axe audits the page under it (no bypassCSP).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli, wasmBuild } from '../js/support.mjs';
import { axeViolations, buildWidget, launchBrowser, toolShares as readToolShares, keepRecoveryKey } from './harness.mjs';

const PASSPHRASE = 'reachable by keyboard alone';
const TOOL = 'Demo Health Coach';
let stack;
let browser;
let toolPage;
let widget;

before(async () => {
  const widgetDist = buildWidget();
  stack = await startStack({ chartlock: cli, widgetDist, wasm: path.join(wasmBuild, 'chartlock-core.js') });
  browser = await launchBrowser();
  toolPage = await browser.context.newPage();
  await toolPage.goto(stack.tool.origin);
});
after(async () => { await browser?.close(); await stack?.close(); });

// Runs axe on the page as it is; fails on any serious or critical violation.
async function audit(page, screen) {
  const { passes, violations } = await axeViolations(page);
  assert.ok(passes.includes('color-contrast') || violations.some((v) => v.id === 'color-contrast'), `${screen}: axe checked contrast`);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(blocking, [], `${screen}: ${JSON.stringify(blocking, null, 2)}`);
  if (process.env.CHARTLOCK_A11Y_VERBOSE) console.log(screen, JSON.stringify(violations));
}

// Presses Tab (or `key`) until the focused element's accessible name matches `name`.
async function tabTo(page, name, { key = 'Tab', max = 80 } = {}) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(key);
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return (e.getAttribute('aria-label') ?? e.labels?.[0]?.textContent ?? e.textContent ?? '').trim();
    });
    if (name.test(focused)) return focused;
  }
  throw new Error(`${name} is not reachable with Tab; last: ${await page.evaluate(() => document.activeElement.outerHTML.slice(0, 200))}`);
}

const focusRing = (page) => page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);

async function connectProvider(p) {
  await widget.getByRole('button', { name: 'Find a provider' }).click();
  await widget.getByLabel('Search the provider directory').fill(p.name);
  const connect = widget.getByRole('button', { name: `Connect ${p.name} (${p.city}, ${p.state})`, exact: true });
  await connect.waitFor();
  await audit(widget, 'find a provider');
  const [portal] = await Promise.all([widget.waitForEvent('popup'), connect.click()]);
  await portal.getByLabel('Username').fill(DEMO_USER);
  await portal.getByLabel('Password').fill(DEMO_PASSWORD);
  await portal.getByRole('button', { name: 'Sign in and allow' }).click();
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
}

test('the tool page, and the widget\'s vault and provider screens, have no serious violations', async () => {
  await audit(toolPage, 'tool page');
  [widget] = await Promise.all([toolPage.waitForEvent('popup'), toolPage.getByRole('button', { name: 'Connect your health records' }).click()]);
  widget.on('pageerror', (e) => console.error('widget error:', e.message));
  await widget.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await audit(widget, 'create your vault');
  // Signing in with a recovery key (vault sync), and its error.
  await widget.getByRole('button', { name: 'Sign in with your recovery key' }).click();
  await widget.getByRole('heading', { name: 'Sign in with your recovery key' }).waitFor();
  await audit(widget, 'sign in with your recovery key');
  await widget.getByLabel('Your recovery key', { exact: true }).fill('not a recovery key');
  await widget.getByRole('button', { name: 'Find my vault' }).click();
  await widget.getByRole('alert').filter({ hasText: 'does not read as a recovery key' }).waitFor();
  await audit(widget, 'sign in with your recovery key, with an error');
  await widget.getByRole('button', { name: 'Back' }).click();
  await widget.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await widget.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await widget.getByLabel('Type it again').fill('not the same one');
  await widget.getByRole('button', { name: 'Create vault' }).click();
  await widget.getByRole('alert').filter({ hasText: 'not the same' }).waitFor();
  await audit(widget, 'create your vault, with an error');
  await widget.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await widget.getByLabel('Type it again').fill(PASSPHRASE);
  await widget.getByRole('button', { name: 'Create vault' }).click();
  const recoveryKey = await keepRecoveryKey(widget, { before: () => audit(widget, 'your recovery key, shown once') });
  await widget.getByRole('heading', { name: 'Your providers' }).waitFor();
  await audit(widget, 'home, no providers yet');
  // "This device and others": turning sync on, then the card with the devices.
  await widget.getByRole('button', { name: 'Keep this vault in sync on your other devices' }).click();
  await widget.getByRole('heading', { name: 'Keep this vault in sync on your other devices' }).waitFor();
  await audit(widget, 'turn sync on');
  await widget.getByLabel('Your recovery key').fill(recoveryKey);
  await widget.getByRole('button', { name: 'Turn on sync' }).click();
  await widget.getByRole('listitem').filter({ hasText: '(this device)' }).waitFor();
  await audit(widget, 'home, sync on');

  // The portal's window closed: the error screen.
  await widget.getByRole('button', { name: 'Find a provider' }).click();
  await widget.getByLabel('Search the provider directory').fill(PROVIDERS[0].name);
  const [portal] = await Promise.all([widget.waitForEvent('popup'),
    widget.getByRole('button', { name: `Connect ${PROVIDERS[0].name} (${PROVIDERS[0].city}, ${PROVIDERS[0].state})`, exact: true }).click()]);
  await portal.close();
  await widget.getByRole('heading', { name: `Could not connect ${PROVIDERS[0].name}` }).waitFor({ timeout: 5000 });
  await audit(widget, 'could not connect');
  await widget.getByRole('button', { name: 'Back' }).click();
  await widget.getByRole('button', { name: 'Back' }).click();

  await connectProvider(PROVIDERS[0]);
  // The second portal fails one kind of record: the error list is on the screen audited.
  await fetch(`${stack.providers[1].origin}/_demo/faults`, { method: 'POST',
    body: JSON.stringify({ faults: [{ path: '^/Procedure', status: 500, times: 100 }] }) });
  await connectProvider(PROVIDERS[1]);
  await widget.getByText('Some records could not be fetched this time.').waitFor();
  await widget.getByRole('heading', { name: 'Things to talk about' }).waitFor();
  await audit(widget, 'home with records and a fetch error');
});

test('the consent flow with the keyboard alone: Tab, Space and Enter', async () => {
  await widget.keyboard.press('Home');
  await tabTo(widget, new RegExp(`^Review and share with ${TOOL}$`));
  await widget.keyboard.press('Enter');
  await widget.getByRole('heading', { name: `${TOOL} asks to see some of your records` }).waitFor();
  await audit(widget, 'consent');
  const count = async () => Number(/Review (\d+) items?/.exec(await widget.getByRole('button', { name: /^Review \d+ items?$/ }).innerText())[1]);
  const all = await count();

  await tabTo(widget, /^Immunizations — \d+ items?$/);
  assert.notEqual(await focusRing(widget), 'none', 'a visible focus ring');
  const immunizations = Number(/(\d+) items?$/.exec(await widget.locator('label[for="cat-immunizations"]').innerText())[1]);
  await widget.keyboard.press('Space');
  assert.equal(await widget.locator('#cat-immunizations').isChecked(), false);
  assert.equal(await count(), all - immunizations);

  await tabTo(widget, /^Review the \d+ lab results$/);
  await widget.keyboard.press('Enter');
  await tabTo(widget, /\(([A-Z][a-z]+ \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]+ \d{4})\)( · recorded as “.*”)?$/);  // the first lab result, with its date
  await widget.keyboard.press('Space');
  assert.equal(await count(), all - immunizations - 1);
  await audit(widget, 'consent, a category opened');
  await tabTo(widget, /^Review the \d+ lab results$/, { key: 'Shift+Tab' });  // and close the long list again
  await widget.keyboard.press('Enter');

  await tabTo(widget, /^Review \d+ items?$/);
  assert.notEqual(await focusRing(widget), 'none');
  await widget.keyboard.press('Enter');
  await widget.getByRole('heading', { name: `What ${TOOL} will receive` }).waitFor();
  await audit(widget, 'what the tool will receive');
  await tabTo(widget, /^Share \d+ items?$/);
  assert.notEqual(await focusRing(widget), 'none');
  await widget.keyboard.press('Enter');
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();
  await audit(widget, 'shared');
  await toolPage.getByText('The summary we received').waitFor();
  const [share] = await readToolShares(toolPage);
  assert.equal(share.counts.Immunization, undefined);
  assert.equal(Object.values(share.counts).reduce((a, b) => a + b, 0), all - immunizations - 1);
  await audit(toolPage, 'tool page, with what it received');

  await tabTo(widget, /^Done$/);
  await widget.keyboard.press('Enter');
  await widget.getByRole('button', { name: `Disconnect ${TOOL}` }).waitFor();
  await audit(widget, 'home with a connected tool');
});

test('locked, and a wrong passphrase: no serious violations', async () => {
  await widget.getByRole('button', { name: 'Lock now' }).click();
  await widget.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
  await audit(widget, 'unlock');
  await widget.getByLabel('Passphrase').fill('not the passphrase');
  await widget.getByRole('button', { name: 'Unlock' }).click();
  await widget.getByRole('alert').filter({ hasText: 'does not open this vault' }).waitFor();
  await audit(widget, 'unlock, wrong passphrase');
});

test('a control: axe, injected this way, does catch a violation on the widget under its CSP', async () => {
  await widget.evaluate(() => document.querySelector('main').append(Object.assign(document.createElement('input'), { id: 'unlabelled' })));
  await assert.rejects(audit(widget, 'an unlabelled field added'), (e) => /"id": "label"/.test(e.message));
  await widget.evaluate(() => document.getElementById('unlabelled').remove());
});
