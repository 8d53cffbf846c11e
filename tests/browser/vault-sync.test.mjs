// SPDX-License-Identifier: Apache-2.0
// Vault sync between two browser profiles (issue 18), in Chromium against the
// demo stack's relay: profile A creates a vault and turns sync on with the
// recovery key it reads off the screen; profile B, a browser with no vault,
// signs in with that key and sets its own passphrase. Then both edit at once,
// neither seeing the other's changes (the relay's sync route is unreachable
// for both meanwhile, which each says as "offline", not as an error): each
// connects a different demo provider and shares with the demo tool. Once the
// relay is back and both have synced, both list both providers and both
// grants; B disconnects the grant made on A (its secret key came by sync) and
// the tool's next fetch at the relay gets 410. A provider removed on A stays
// removed on B, and does not come back after B saves (and the redraw sync
// made kept keyboard focus). Turning sync off on A deletes the copy; B then
// says sync is off, and turning it on again there with the same key asks
// first (a new key may have been made on A). A new recovery key made on A
// deletes the old key's copy; B moves its vault to the new key (with its own
// passphrase) and syncs again; a fresh browser finds nothing with the old key.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli, root, wasmBuild } from '../js/support.mjs';
import { axeViolations, buildWidget, connectFromDirectory, keepRecoveryKey, launchBrowser, toolShares } from './harness.mjs';

const TOOL = 'Demo Health Coach';
const A_PASSPHRASE = 'the laptop passphrase';
const B_PASSPHRASE = 'the phone passphrase, not the same';
let stack;
const browsers = [];
const profiles = {};  // name → { browser, toolPage, widget }
let recoveryKey;

/** The widget opened from the tool's page in a fresh profile (its start screen: no vault). */
async function openWidget(name) {
  const browser = await launchBrowser();
  browsers.push(browser);
  const toolPage = await browser.context.newPage();
  await toolPage.goto(stack.tool.origin);
  const [widget] = await Promise.all([toolPage.waitForEvent('popup'),
    toolPage.getByRole('button', { name: 'Connect your health records' }).click()]);
  widget.on('pageerror', (e) => console.error(`widget ${name} error:`, e.message));
  await widget.getByRole('heading', { name: 'Create your vault' }).waitFor();
  profiles[name] = { browser, toolPage, widget };
  return profiles[name];
}

const card = (widget) => widget.locator('section', { has: widget.getByRole('heading', { name: 'This device and others' }) });
const syncStatus = (widget) => card(widget).locator('.sync-status');

/** Presses "Sync now" until `done()` holds (the other profile's sync may still be on its way). */
async function syncUntil(widget, done, what) {
  const deadline = Date.now() + 45000;
  for (;;) {
    await widget.getByRole('button', { name: 'Sync now' }).click();
    await new Promise((r) => setTimeout(r, 1000));
    if (await done()) return;
    if (Date.now() > deadline) throw new Error(`not synced: ${what}; status: ${await syncStatus(widget).innerText()}`);
  }
}

const listsProvider = async (widget, p) => (await widget.locator('#providers-h + ul li', { hasText: p.name }).count()) > 0;

async function shareWithTool(widget) {
  await widget.getByRole('button', { name: `Review and share with ${TOOL}` }).click();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();
  await widget.getByRole('heading', { name: 'Your providers' }).waitFor();
}

before(async () => {
  stack = await startStack({ chartlock: cli, widgetDist: buildWidget(), wasm: path.join(wasmBuild, 'chartlock-core.js'), directoryCount: 100 });
});
after(async () => {
  for (const b of browsers) await b.close();
  await stack?.close();
});

test('A creates a vault and turns sync on with the recovery key read off the screen', async () => {
  const { widget } = await openWidget('A');
  await widget.getByLabel(/^Passphrase/).fill(A_PASSPHRASE);
  await widget.getByLabel('Type it again').fill(A_PASSPHRASE);
  await widget.getByRole('button', { name: 'Create vault' }).click();
  recoveryKey = await keepRecoveryKey(widget);

  // The card says, before anything is on, what the relay keeps and what the recovery key does.
  const text = await card(widget).innerText();
  assert.match(text, /Sync is off/);
  assert.match(text, /sees only how large the copy is and when your devices save it/);
  assert.match(text, /cannot open it/);
  assert.match(text, /recovery key/);
  await widget.getByRole('button', { name: 'Keep this vault in sync on your other devices' }).click();
  await widget.getByRole('heading', { name: 'Keep this vault in sync on your other devices' }).waitFor();
  // A key with a typo is named by its group; nothing is turned on.
  const groups = recoveryKey.split(' ');
  const typo = [groups[0], (groups[1][0] === 'A' ? 'B' : 'A') + groups[1].slice(1), ...groups.slice(2)].join(' ');
  await widget.getByLabel('Your recovery key').fill(typo);
  await widget.getByRole('button', { name: 'Turn on sync' }).click();
  await widget.getByRole('alert').filter({ hasText: /^Group 2 of your recovery key/ }).waitFor();
  await widget.getByLabel('Your recovery key').fill(recoveryKey);
  await widget.getByLabel(/^A name for this device/).fill('Laptop');
  await widget.getByRole('button', { name: 'Turn on sync' }).click();
  await widget.getByRole('heading', { name: 'This device and others' }).waitFor();
  await syncStatus(widget).filter({ hasText: 'Sync is on.' }).waitFor();
  await card(widget).getByRole('listitem').filter({ hasText: /^Laptop \(this device\) — last synced just now$/ }).waitFor();
  // Syncing updates the card in place: the button pressed keeps the focus.
  await widget.getByRole('button', { name: 'Sync now' }).focus();
  await widget.keyboard.press('Enter');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await widget.evaluate(() => document.activeElement?.textContent), 'Sync now');
  await syncStatus(widget).filter({ hasText: 'Sync is on.' }).waitFor();
});

test('B, a browser with no vault, signs in with the recovery key and sets its own passphrase', async () => {
  const { widget } = await openWidget('B');
  await widget.getByRole('button', { name: 'Sign in with your recovery key' }).click();
  await widget.getByRole('heading', { name: 'Sign in with your recovery key' }).waitFor();
  await widget.getByLabel('Your recovery key', { exact: true }).fill(recoveryKey.toLowerCase());  // as typed
  await widget.getByRole('button', { name: 'Find my vault' }).click();
  await widget.getByRole('heading', { name: 'Choose a passphrase for this device' }).waitFor();
  assert.match(await widget.locator('main').innerText(), /Your vault was found: 0 providers, 0 connected tools/);
  const { violations } = await axeViolations(widget);
  assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
  await widget.getByLabel(/^Passphrase for this device/).fill(B_PASSPHRASE);
  await widget.getByLabel('Type it again').fill(B_PASSPHRASE);
  await widget.getByLabel(/^A name for this device/).fill('Phone');
  await widget.getByRole('button', { name: 'Open my vault here' }).click();
  await widget.getByRole('heading', { name: 'Your providers' }).waitFor();
  const devices = card(widget).getByRole('list', { name: 'Devices syncing this vault' });
  await devices.getByRole('listitem').filter({ hasText: /^Phone \(this device\)/ }).waitFor();
  await devices.getByRole('listitem').filter({ hasText: /^Laptop — last synced/ }).waitFor();
  // Its own passphrase opens it here.
  await widget.getByRole('button', { name: 'Lock now' }).click();
  await widget.getByLabel('Passphrase').fill(B_PASSPHRASE);
  await widget.getByRole('button', { name: 'Unlock' }).click();
  await widget.getByRole('heading', { name: 'This device and others' }).waitFor();
});

test('both edit at once: after sync both list both providers and both grants, every grant\'s key included', async () => {
  const { widget: a, toolPage: toolA } = profiles.A;
  const { widget: b, toolPage: toolB } = profiles.B;
  // Neither reaches the sync route meanwhile: each edits without the other's changes.
  const block = (route) => route.abort('internetdisconnected');
  const syncRoute = `${stack.relay.url}/v1/sync/**`;
  for (const p of [profiles.A, profiles.B]) await p.browser.context.route(syncRoute, block);
  await Promise.all([
    (async () => { await connectFromDirectory(a, PROVIDERS[0], { user: DEMO_USER, password: DEMO_PASSWORD }); await shareWithTool(a); })(),
    (async () => { await connectFromDirectory(b, PROVIDERS[1], { user: DEMO_USER, password: DEMO_PASSWORD }); await shareWithTool(b); })(),
  ]);
  // Unreachable is said as such, not as an error; nothing is lost meanwhile.
  await syncStatus(a).filter({ hasText: /seems to be offline/ }).waitFor({ timeout: 15000 });
  assert.equal(await a.getByRole('alert').count(), 0);
  assert.equal(await listsProvider(a, PROVIDERS[1]), false);
  for (const p of [profiles.A, profiles.B]) await p.browser.context.unroute(syncRoute, block);
  // Each tries again by itself in a minute; "Sync now" does not wait.
  await b.getByRole('button', { name: 'Sync now' }).click();
  await syncStatus(b).filter({ hasText: 'Sync is on.' }).waitFor();

  const both = async (w) => (await listsProvider(w, PROVIDERS[0])) && (await listsProvider(w, PROVIDERS[1]))
    && (await w.getByRole('button', { name: `Disconnect ${TOOL}` }).count()) === 2;
  await syncUntil(a, () => both(a), 'A has B\'s provider and grant');
  await syncUntil(b, () => both(b), 'B has A\'s provider and grant');
  await syncStatus(b).filter({ hasText: 'Sync is on.' }).waitFor();

  // The card as the user guide shows it.
  await card(b).screenshot({ path: path.join(root, 'docs/screenshots/18-sync-devices.png') });

  // Each tool session holds the grant made from its own profile.
  const [shareA] = await toolShares(toolA);
  const [shareB] = await toolShares(toolB);
  assert.ok(shareA && shareB && shareA.grantId !== shareB.grantId);

  // B disconnects both grants, the one made on A included: only its secret key can sign that revoke.
  for (let left = 2; left > 0; left -= 1) {
    b.once('dialog', (d) => d.accept());
    await b.getByRole('button', { name: `Disconnect ${TOOL}` }).first().click();
    await b.getByRole('button', { name: `Disconnect ${TOOL}` }).nth(left - 2).waitFor({ state: 'detached' }).catch(() => {});
    await b.getByText(`${TOOL} is disconnected.`).waitFor();
    assert.equal(await b.getByRole('button', { name: `Disconnect ${TOOL}` }).count(), left - 1);
  }
  for (const [toolPage, grantId] of [[toolA, shareA.grantId], [toolB, shareB.grantId]]) {
    await toolPage.evaluate(async (id) => {
      await fetch(`/api/shares/${id}/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    }, grantId);
    const [after] = await toolShares(toolPage);
    assert.equal(after.error?.status, 410, `the grant ${toolPage === toolA ? 'made on A' : 'made on B'} is revoked at the relay`);
    assert.equal(after.error?.code, 'revoked');
  }
});

test('a provider removed on A stays removed on B, and does not come back after B saves', async () => {
  const { widget: a } = profiles.A;
  const { widget: b } = profiles.B;
  const gone = PROVIDERS[0];
  await syncUntil(a, async () => (await a.getByRole('button', { name: `Reconnect ${TOOL}` }).count()) > 0, 'A sees the disconnect');
  await a.getByRole('button', { name: `Remove ${gone.name}` }).click();
  await a.getByRole('heading', { name: `Remove ${gone.name}?` }).waitFor();
  await a.getByRole('button', { name: `Remove ${gone.name}` }).click();
  await a.getByRole('heading', { name: 'Your providers' }).waitFor();
  await syncUntil(b, async () => !(await listsProvider(b, gone)), 'B drops the removed provider');
  // The redraw that sync made did not take keyboard focus away from the button the patient pressed.
  assert.equal(await b.evaluate(() => document.activeElement?.textContent), 'Sync now');
  // B saves (a fetch of its own provider), and syncs; A syncs: the removed one stays gone on both.
  await b.getByRole('button', { name: `Refresh ${PROVIDERS[1].name}` }).click();
  await b.getByRole('heading', { name: 'Your providers' }).waitFor();
  await syncUntil(b, async () => (await syncStatus(b).innerText()) === 'Sync is on.', 'B synced its save');
  await syncUntil(a, async () => (await syncStatus(a).innerText()) === 'Sync is on.', 'A synced');
  for (const w of [a, b]) {
    assert.equal(await listsProvider(w, gone), false);
    assert.equal(await listsProvider(w, PROVIDERS[1]), true);
  }
});

test('turning sync off on A deletes the copy; B then says sync was turned off, and keeps everything', async () => {
  const { widget: a } = profiles.A;
  const { widget: b } = profiles.B;
  a.once('dialog', (d) => d.accept());
  await a.getByRole('button', { name: 'Turn off sync' }).click();
  await syncStatus(a).filter({ hasText: /^Sync is off/ }).waitFor();
  await b.getByRole('button', { name: 'Sync now' }).click();
  await syncStatus(b).filter({ hasText: 'Sync was turned off on another of your devices' }).waitFor();
  assert.equal(await listsProvider(b, PROVIDERS[1]), true);
  await b.getByRole('button', { name: 'Keep this vault in sync on your other devices' }).waitFor();
});

test('a new recovery key turns sync off (the old key reaches no copy) and on again with the new key', async () => {
  const { widget: a } = profiles.A;
  const { widget: b } = profiles.B;
  for (const [w, name] of [[a, 'Laptop'], [b, 'Phone']]) {
    await w.getByRole('button', { name: 'Keep this vault in sync on your other devices' }).click();
    await w.getByLabel('Your recovery key').fill(recoveryKey);
    assert.equal(await w.getByLabel(/^A name for this device/).inputValue(), name, 'the name given before is kept');
    // B found this key's sync turned off on A: it is warned (a new key may have been made there) and confirms.
    let asked = null;
    if (w === b) w.once('dialog', (d) => { asked = d.message(); d.accept(); });
    await w.getByRole('button', { name: 'Turn on sync' }).click();
    await syncStatus(w).filter({ hasText: 'Sync is on.' }).waitFor();
    if (w === b) assert.match(asked ?? '', /^Sync with this recovery key was turned off on another device\. If a new recovery key was made there, use the new one\./);
    else assert.equal(asked, null);
  }
  await a.getByRole('button', { name: 'Make a new recovery key' }).click();
  await a.getByText('Sync is on. A new recovery key turns it off').waitFor();
  // The relay's DELETE does not get through at first: the screen says the old key's copy is still there.
  const noDelete = (route) => (route.request().method() === 'DELETE' ? route.abort('internetdisconnected') : route.continue());
  const syncRoute = `${stack.relay.url}/v1/sync/**`;
  await profiles.A.browser.context.route(syncRoute, noDelete);
  await a.getByLabel('Your passphrase').fill(A_PASSPHRASE);
  await a.getByRole('button', { name: 'Make a recovery key' }).click();
  await a.getByRole('heading', { name: 'Your recovery key' }).waitFor();
  await a.getByText('Your vault\'s copy at the relay, which your old recovery key can open, could not be deleted yet').waitFor();
  await profiles.A.browser.context.unroute(syncRoute, noDelete);
  // Turning sync on again deletes it first.
  await a.getByRole('button', { name: 'Turn sync on again with the new key' }).click();
  await a.getByText('Sync is on again, with your new recovery key.').waitFor();
  const newKey = await keepRecoveryKey(a);
  assert.notEqual(newKey, recoveryKey);
  await syncStatus(a).filter({ hasText: 'Sync is on.' }).waitFor();

  // B, still on the old key, finds its copy gone. The new key does not open B's vault, but the relay's copy
  // under it is this vault's: with B's passphrase (checked), B's vault moves to the new key and syncs again.
  await b.getByRole('button', { name: 'Sync now' }).click();
  await syncStatus(b).filter({ hasText: 'Sync was turned off on another of your devices' }).waitFor();
  await b.getByRole('button', { name: 'Keep this vault in sync on your other devices' }).click();
  await b.getByLabel('Your recovery key').fill(newKey);
  await b.getByRole('button', { name: 'Turn on sync' }).click();
  await b.getByText('This recovery key is newer than the one this device\'s vault has').waitFor();
  const { violations } = await axeViolations(b);
  assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
  assert.equal(await b.getByLabel('Your recovery key').inputValue(), newKey);
  await b.getByLabel('This device\'s passphrase').fill(A_PASSPHRASE);  // not B's
  await b.getByRole('button', { name: 'Turn on sync' }).click();
  await b.getByRole('alert').filter({ hasText: 'That is not this device\'s passphrase.' }).waitFor();
  await b.getByLabel('Your recovery key').fill(newKey);
  await b.getByLabel('This device\'s passphrase').fill(B_PASSPHRASE);
  await b.getByRole('button', { name: 'Turn on sync' }).click();
  await syncStatus(b).filter({ hasText: 'Sync is on.' }).waitFor();
  await card(b).getByRole('listitem').filter({ hasText: /^Laptop — last synced/ }).waitFor();
  // Its vault opens with its own passphrase still.
  await b.getByRole('button', { name: 'Lock now' }).click();
  await b.getByLabel('Passphrase').fill(B_PASSPHRASE);
  await b.getByRole('button', { name: 'Unlock' }).click();
  await syncStatus(b).filter({ hasText: 'Sync is on.' }).waitFor();
  // A key of another vault altogether is refused.
  const { widget: other } = await openWidget('other');
  await other.getByLabel(/^Passphrase/).fill('another vault entirely');
  await other.getByLabel('Type it again').fill('another vault entirely');
  await other.getByRole('button', { name: 'Create vault' }).click();
  await keepRecoveryKey(other);
  await other.getByRole('button', { name: 'Keep this vault in sync on your other devices' }).click();
  await other.getByLabel('Your recovery key').fill(newKey);
  await other.getByRole('button', { name: 'Turn on sync' }).click();
  await other.getByRole('alert').filter({ hasText: /^That recovery key does not open this vault/ }).waitFor();

  // A new browser: the old key finds nothing; the new one finds the vault.
  const { widget: c } = await openWidget('C');
  await c.getByRole('button', { name: 'Sign in with your recovery key' }).click();
  await c.getByLabel('Your recovery key', { exact: true }).fill(recoveryKey);
  await c.getByRole('button', { name: 'Find my vault' }).click();
  await c.getByRole('alert').filter({ hasText: /^No synced vault was found for this recovery key/ }).waitFor();
  await c.getByLabel('Your recovery key', { exact: true }).fill(newKey);
  await c.getByRole('button', { name: 'Find my vault' }).click();
  await c.getByRole('heading', { name: 'Choose a passphrase for this device' }).waitFor();
  assert.match(await c.locator('main').innerText(), /Your vault was found: 1 provider, 0 connected tools/);
});
