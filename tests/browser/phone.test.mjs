// SPDX-License-Identifier: Apache-2.0
// On a phone (390 × 844), every widget screen the demo reaches, walked in
// order: none scrolls sideways (document scrollWidth ≤ innerWidth) and axe
// finds nothing serious or critical; the main action of a long screen (Review,
// Share) stays in view without scrolling. The walk: create the vault (and its
// error), home, the identity check (the verifier's popup, its error, a failed
// check, the network's answers), the directory (a typo's results), a portal's
// sign-in popup and its denial, the records (every list opened), consent,
// what the tool will receive, nothing shared (the relay out of reach), shared,
// connected tools, sharing the most recent records, a disconnect that fails
// and one that does not, the lock screen with a wrong passphrase, and the
// records of two people to choose from.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { demoIdCard, demoSelfie } from '../../demo/identity-verifier/demo-documents.mjs';
import { DEMO_PASSWORD, DEMO_USER, FAMILY_PROVIDER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli, root, wasmBuild } from '../js/support.mjs';
import { axeViolations, buildWidget, fillVerifierForm, launchBrowser, keepRecoveryKey } from './harness.mjs';

const PHONE = { width: 390, height: 844 };
const PASSPHRASE = 'a phone in one hand';
const TOOL = 'Demo Health Coach';
let stack;
let browser;
let toolPage;
let widget;
const checked = [];  // the screens walked, in order

before(async () => {
  stack = await startStack({ chartlock: cli, widgetDist: buildWidget(), wasm: path.join(wasmBuild, 'chartlock-core.js'),
    directoryCount: 100 });
  browser = await launchBrowser();
  toolPage = await browser.context.newPage();
});
after(async () => { await browser?.close(); await stack?.close(); });

const sideways = (page) => page.evaluate(() => ({
  scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  widest: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map((e) => `${e.tagName}.${e.className}: ${e.textContent?.slice(0, 40)}`),
}));

/**
 * The screen as it is: no sideways scrolling, no serious or critical axe violation.
 * `shot`: also a screenshot for the user guide (docs/screenshots/phone-<shot>.png).
 */
async function phoneScreen(page, screen, shot) {
  const s = await sideways(page);
  assert.ok(s.scroll <= s.inner, `${screen}: scrolls sideways (${s.scroll} > ${s.inner}): ${s.widest.join(' | ')}`);
  const { passes, violations } = await axeViolations(page);
  assert.ok(passes.includes('color-contrast') || violations.some((v) => v.id === 'color-contrast'), `${screen}: axe checked contrast`);
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(blocking, [], `${screen}: ${JSON.stringify(blocking, null, 2)}`);
  if (shot) await page.screenshot({ path: path.join(root, 'docs/screenshots', `phone-${shot}.png`) });
  checked.push(screen);
}

/** The button is within the viewport as the screen first shows (no scrolling needed). */
async function inView(name) {
  const box = await widget.getByRole('button', { name }).boundingBox();
  assert.ok(box && box.y >= 0 && box.y + box.height <= PHONE.height, `${name} is in view (${JSON.stringify(box)})`);
}

/** A popup the widget opens, at phone size too. */
async function popupFrom(click) {
  const [popup] = await Promise.all([widget.waitForEvent('popup'), click()]);
  await popup.setViewportSize(PHONE);
  await popup.waitForLoadState();
  return popup;
}

// The walk is one path: a step that fails leaves the next ones nowhere to start, so they are skipped.
let stopped = false;
function step(name, fn) {
  test(name, async (t) => {
    if (stopped) return t.skip('an earlier step failed');
    try {
      await fn();
    } catch (e) {
      stopped = true;
      throw e;
    }
  });
}

const connectButton = (p) => widget.getByRole('button', { name: `Connect ${p.name} (${p.city}, ${p.state})`, exact: true });

step('the vault and home', async () => {
  await toolPage.goto(stack.tool.origin);
  [widget] = await Promise.all([toolPage.waitForEvent('popup'),
    toolPage.getByRole('button', { name: 'Connect your health records' }).click()]);
  widget.on('pageerror', (e) => console.error('widget error:', e.message));
  await widget.setViewportSize(PHONE);
  await widget.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await phoneScreen(widget, 'create your vault');
  await widget.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await widget.getByLabel('Type it again').fill('not the same one');
  await widget.getByRole('button', { name: 'Create vault' }).click();
  await widget.getByRole('alert').filter({ hasText: 'not the same' }).waitFor();
  await phoneScreen(widget, 'create your vault, with an error');
  await widget.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await widget.getByLabel('Type it again').fill(PASSPHRASE);
  await widget.getByRole('button', { name: 'Create vault' }).click();
  await keepRecoveryKey(widget, { before: () => phoneScreen(widget, 'your recovery key, shown once') });
  await widget.getByRole('heading', { name: 'Your providers' }).waitFor();
  await widget.getByText('Who learns what').click();  // the identity check's explanation, open
  await phoneScreen(widget, 'home, no providers yet');
});

step('finding the records by identity: the verifier, a failed check, the network\'s answers', async () => {
  // The verifier's popup closed before the end: the widget's "not verified" screen.
  let verifier = await popupFrom(() => widget.getByRole('button', { name: 'Verify my identity' }).click());
  await verifier.getByLabel('First and middle names').waitFor();
  await phoneScreen(verifier, 'the identity verifier');
  await verifier.close();
  await widget.getByRole('heading', { name: 'Your identity was not verified' }).waitFor();
  await phoneScreen(widget, 'identity not verified');

  verifier = await popupFrom(() => widget.getByRole('button', { name: 'Try again' }).click());
  const person = await fillVerifierForm(verifier, stack.patient, { email: 'a-phone@example.org' });
  const png = (name, buffer) => ({ name, mimeType: 'image/png', buffer: Buffer.from(buffer) });
  await verifier.locator('#idPhoto').setInputFiles(png('id.png', demoIdCard({ ...person, expires: '2020-01-31', face: 'face-1' })));
  await verifier.locator('#selfie').setInputFiles(png('selfie.png', demoSelfie({ face: 'face-1' })));
  await verifier.getByRole('button', { name: 'Verify me' }).click();
  await verifier.getByRole('alert').waitFor();
  await phoneScreen(verifier, 'the identity verifier, an expired ID');
  await verifier.locator('#idPhoto').setInputFiles(png('id.png', demoIdCard({ ...person, expires: '2031-05-01', face: 'face-1' })));
  await verifier.locator('#selfie').setInputFiles(png('selfie.png', demoSelfie({ face: 'face-1' })));
  await verifier.getByRole('button', { name: 'Verify me' }).click();
  await widget.getByRole('heading', { name: 'Finding your records' }).waitFor();
  await widget.locator('#main').getByText(/providers asked hold your records/).waitFor({ timeout: 60000 });
  await phoneScreen(widget, 'the network\'s answers');
  await widget.getByRole('button', { name: 'Back' }).click();
  await widget.getByRole('button', { name: 'Find my records' }).waitFor();
  await phoneScreen(widget, 'home, identity verified');
});

step('the directory, a portal\'s sign-in and its denial, the records', async () => {
  await widget.getByRole('button', { name: 'Find a provider' }).click();
  await widget.getByLabel('Search the provider directory').fill('Riversde');  // a typo
  await widget.getByRole('button', { name: /^Connect / }).first().waitFor();
  await phoneScreen(widget, 'find a provider', '01-find-provider');

  // Denied at the portal: the widget's "could not connect".
  let portal = await popupFrom(() => connectButton(PROVIDERS[0]).click());
  await portal.getByLabel('Username').waitFor();
  await phoneScreen(portal, 'the portal\'s sign-in');
  await phoneScreen(widget, 'signing in');
  await portal.getByLabel('Username').fill(DEMO_USER);
  await portal.getByLabel('Password').fill('not the password');
  await portal.getByRole('button', { name: 'Sign in and allow' }).click();
  await portal.getByRole('alert').waitFor();
  await phoneScreen(portal, 'the portal\'s sign-in, a wrong password');
  await portal.getByRole('button', { name: 'Deny' }).click();
  await widget.getByRole('heading', { name: `Could not connect ${PROVIDERS[0].name}` }).waitFor();
  await phoneScreen(widget, 'could not connect');
  await widget.getByRole('button', { name: 'Back' }).click();

  await widget.getByLabel('Search the provider directory').fill(PROVIDERS[0].name);
  portal = await popupFrom(() => connectButton(PROVIDERS[0]).click());
  await portal.getByLabel('Username').fill(DEMO_USER);
  await portal.getByLabel('Password').fill(DEMO_PASSWORD);
  await portal.getByRole('button', { name: 'Sign in and allow' }).click();
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
  await phoneScreen(widget, 'home with records', '02-records');
  // Every list and explanation open: the longest the records get.
  await widget.locator('.records details:not([open])').evaluateAll((all) => { for (const d of all) d.open = true; });
  await phoneScreen(widget, 'home with records, every list open');
});

step('consent, what the tool will receive, shared, connected tools', async () => {
  await widget.getByRole('button', { name: `Review and share with ${TOOL}` }).click();
  await widget.getByRole('heading', { name: `${TOOL} asks to see some of your records` }).waitFor();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).waitFor();
  await phoneScreen(widget, 'consent', '03-consent');
  // The lab results opened: hundreds of items, and Review still in reach.
  await widget.locator('li.consent-category', { hasText: /^Lab results/ }).locator('summary').click();
  await widget.mouse.wheel(0, 3000);
  await inView(/^Review \d+ items$/);
  await phoneScreen(widget, 'consent, lab results open');
  await widget.getByLabel('From', { exact: true }).fill('2024-01-01');
  await widget.getByLabel('To', { exact: true }).fill('2020-01-01');
  await widget.getByText(/The start date \(2024-01-01\) is after the end date/).waitFor();
  await phoneScreen(widget, 'consent, a backwards date range');
  await widget.getByLabel('From', { exact: true }).fill('');
  await widget.getByLabel('To', { exact: true }).fill('');
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `What ${TOOL} will receive` }).waitFor();
  await inView(/^Share \d+ items$/);
  await phoneScreen(widget, 'what the tool will receive');
  // The relay out of reach: "Nothing was shared", and then shared on trying again.
  const relay = `${new URL(stack.relay.url).origin}/**`;
  await widget.route(relay, (r) => r.abort());
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: 'Nothing was shared' }).waitFor();
  await phoneScreen(widget, 'nothing was shared');
  await widget.unroute(relay);
  await widget.getByRole('button', { name: 'Try again' }).click();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();
  await phoneScreen(widget, 'shared', '04-shared');
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('heading', { name: 'Connected tools' }).waitFor();
  await phoneScreen(widget, 'home with a connected tool');
  await widget.getByRole('region', { name: 'Connected tools' })
    .getByRole('button', { name: `Share your most recent records with ${TOOL}` }).click();
  await widget.getByRole('heading', { name: `Share your most recent records with ${TOOL}` }).waitFor();
  await phoneScreen(widget, 'share your most recent records');
  await widget.getByRole('button', { name: /^(Back|Cancel)$/ }).click();
  await widget.getByRole('heading', { name: 'Connected tools' }).waitFor();

  // Disconnect, first with the relay out of reach: "still connected", then done.
  widget.on('dialog', (d) => d.accept());
  await widget.route(relay, (r) => r.abort());
  await widget.getByRole('button', { name: `Disconnect ${TOOL}` }).click();
  await widget.getByRole('heading', { name: `${TOOL} is still connected` }).waitFor();
  await phoneScreen(widget, 'still connected');
  await widget.unroute(relay);
  await widget.getByRole('button', { name: 'Back' }).click();
  await widget.getByRole('button', { name: `Disconnect ${TOOL}` }).click();
  await widget.getByRole('button', { name: `Reconnect ${TOOL}` }).waitFor();
  await phoneScreen(widget, 'home with a disconnected tool');
});

step('locked, and a wrong passphrase', async () => {
  await widget.getByRole('button', { name: 'Lock now' }).click();
  await widget.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
  await phoneScreen(widget, 'unlock');
  await widget.getByLabel('Passphrase').fill('not the passphrase');
  await widget.getByRole('button', { name: 'Unlock' }).click();
  await widget.getByRole('alert').filter({ hasText: 'does not open this vault' }).waitFor();
  await phoneScreen(widget, 'unlock, wrong passphrase');
});

step('a family member\'s portal: the records of two people, to choose from', async () => {
  await widget.getByLabel('Passphrase').fill(PASSPHRASE);
  await widget.getByRole('button', { name: 'Unlock' }).click();
  await widget.getByRole('heading', { name: 'Your providers' }).waitFor({ timeout: 60000 });
  await widget.getByRole('button', { name: 'Find a provider' }).click();
  await widget.getByLabel('Search the provider directory').fill(FAMILY_PROVIDER.name);
  const portal = await popupFrom(() => connectButton(FAMILY_PROVIDER).click());
  await portal.getByLabel('Username').fill(DEMO_USER);
  await portal.getByLabel('Password').fill(DEMO_PASSWORD);
  await portal.getByRole('button', { name: 'Sign in and allow' }).click();
  await widget.getByRole('region', { name: /records of 2 people/ }).waitFor({ timeout: 60000 });
  await phoneScreen(widget, 'the records of two people');
});

test('the walk reached every screen', () => {
  assert.equal(checked.length, 29, checked.join(', '));
});
