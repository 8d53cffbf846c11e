// SPDX-License-Identifier: Apache-2.0
// Backup, restore and the recovery key (issue 18), in Chromium against the
// demo: create a vault (its recovery key read from the screen it is shown on
// once), connect a provider, share with the demo tool, download the backup.
// In a fresh browser the backup is restored with the passphrase: the
// providers and the connected tool are there. In another, with the recovery
// key — a typo first, named by its group — and a new passphrase is set; from
// that restored vault the tool is disconnected, and its next relay fetch
// gets 410. The backup file is ciphertext: no name from the records in it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli, wasmBuild } from '../js/support.mjs';
import { buildWidget, connectFromDirectory, keepRecoveryKey, launchBrowser, toolShares } from './harness.mjs';
import path from 'node:path';

const PASSPHRASE = 'a backup kept on a stick';
const NEW_PASSPHRASE = 'a new passphrase after the old one was lost';
const TOOL = 'Demo Health Coach';
let stack;
const browsers = [];
let toolPage;
let widget;
let recoveryKey;
let backupPath;

before(async () => {
  stack = await startStack({ chartlock: cli, widgetDist: buildWidget(), wasm: path.join(wasmBuild, 'chartlock-core.js'), directoryCount: 100 });
  const browser = await launchBrowser();
  browsers.push(browser);
  toolPage = await browser.context.newPage();
  await toolPage.goto(stack.tool.origin);
  [widget] = await Promise.all([toolPage.waitForEvent('popup'), toolPage.getByRole('button', { name: 'Connect your health records' }).click()]);
  widget.on('pageerror', (e) => console.error('widget error:', e.message));
  await widget.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await widget.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await widget.getByLabel('Type it again').fill(PASSPHRASE);
  await widget.getByRole('button', { name: 'Create vault' }).click();
  // The screen explains itself; continuing needs the box ticked.
  await widget.getByRole('heading', { name: 'Your recovery key' }).waitFor();
  const screen = await widget.locator('main').innerText();
  assert.match(screen, /forget your passphrase/);
  assert.match(screen, /password manager/);
  assert.match(screen, /Chartlock does not keep a copy and cannot recover it/);
  assert.match(screen, /lose both your passphrase and this recovery key, your vault is lost/);
  await widget.getByRole('button', { name: 'Continue' }).click();
  await widget.getByRole('heading', { name: 'Your recovery key' }).waitFor();  // not ticked: still here
  // Its QR code holds the same text (read back with zbarimg, a reader that is not ours).
  const png = path.join(mkdtempSync(path.join(tmpdir(), 'chartlock-rk-')), 'qr.png');
  await widget.getByRole('img', { name: 'Your recovery key as a QR code' }).screenshot({ path: png });
  const shown = (await widget.locator('#recovery-key').innerText()).trim();
  const read = spawnSync('zbarimg', ['--raw', '-q', png], { encoding: 'utf8' });
  assert.equal(read.status, 0, read.stderr);
  assert.equal(read.stdout.trim(), shown);
  recoveryKey = await keepRecoveryKey(widget);
  assert.match(recoveryKey, /^([A-Z0-9]{5} ){12}[A-Z0-9]{5}$/);
  await connectFromDirectory(widget, PROVIDERS[0], { user: DEMO_USER, password: DEMO_PASSWORD });
});
after(async () => {
  for (const b of browsers) await b.close();
  await stack?.close();
});

test('share with the tool, then download the backup: ciphertext only', async () => {
  await widget.getByRole('button', { name: `Review and share with ${TOOL}` }).click();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: `Shared with ${TOOL}` }).waitFor();
  await widget.getByRole('button', { name: 'Done' }).click();
  const [download] = await Promise.all([widget.waitForEvent('download'),
    widget.getByRole('button', { name: 'Back up your vault' }).click()]);
  assert.match(download.suggestedFilename(), /^chartlock-vault-\d{4}-\d{2}-\d{2}\.clv$/);
  backupPath = await download.path();
  const bytes = readFileSync(backupPath);
  const [patient] = stack.providers[0].store.search('Patient');
  const family = patient.name[0].family;
  assert.ok(family.length > 2);
  for (const text of [family, patient.name[0].given[0], TOOL, PROVIDERS[0].name]) {
    assert.equal(bytes.includes(Buffer.from(text)), false, `the backup does not hold "${text}" in the clear`);
  }
  assert.equal((await toolShares(toolPage)).length, 1);
});

async function freshWidget() {
  const browser = await launchBrowser();
  browsers.push(browser);
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('widget error:', e.message));
  await page.goto(stack.widget.origin);
  await page.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await page.getByRole('button', { name: 'Restore from a backup' }).click();
  await page.getByLabel('Your backup file').setInputFiles(backupPath);
  return page;
}

test('a fresh browser: restored with the passphrase, the providers and the connected tool are there', async () => {
  const page = await freshWidget();
  await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
  await page.getByRole('button', { name: 'Restore with passphrase' }).click();
  await page.getByRole('alert').filter({ hasText: 'That passphrase does not open this vault.' }).waitFor();
  await page.getByLabel('Your backup file').setInputFiles(backupPath);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Restore with passphrase' }).click();
  await page.getByRole('heading', { name: 'Your providers' }).waitFor();
  await page.locator('li', { hasText: PROVIDERS[0].name }).first().waitFor();
  await page.getByRole('heading', { name: 'Connected tools' }).waitFor();
  await page.getByRole('button', { name: `Disconnect ${TOOL}` }).waitFor();
  // Saved again here (reseal), it still opens with the same passphrase after a lock.
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Your providers' }).waitFor();

  // Change passphrase: the current one is checked; the new one unlocks.
  const changed = 'changed on the restored device';
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await page.getByLabel('Current passphrase').fill('not the current one');
  await page.getByLabel(/^New passphrase/).fill(changed);
  await page.getByLabel('Type the new one again').fill(changed);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await page.getByRole('alert').filter({ hasText: 'That is not your current passphrase.' }).waitFor();
  await page.getByLabel('Current passphrase').fill(PASSPHRASE);
  await page.getByLabel(/^New passphrase/).fill(changed);
  await page.getByLabel('Type the new one again').fill(changed);
  await page.getByRole('button', { name: 'Change passphrase' }).click();
  await page.getByRole('heading', { name: 'Your providers' }).waitFor();
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.getByLabel('Passphrase').fill(changed);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Your providers' }).waitFor();

  // A new recovery key: shown once, not the old one.
  await page.getByRole('button', { name: 'Make a new recovery key' }).click();
  await page.getByLabel('Your passphrase').fill(changed);
  await page.getByRole('button', { name: 'Make a recovery key' }).click();
  const second = await keepRecoveryKey(page);
  assert.match(second, /^([A-Z0-9]{5} ){12}[A-Z0-9]{5}$/);
  assert.notEqual(second, recoveryKey);
  await page.getByRole('button', { name: `Disconnect ${TOOL}` }).waitFor();
});

test('another fresh browser: the recovery key (a typo named by its group), a new passphrase, then disconnect → 410', async () => {
  const page = await freshWidget();
  const groups = recoveryKey.split(' ');
  const swap = groups[2][0] === 'A' ? 'B' : 'A';
  const typo = [...groups.slice(0, 2), swap + groups[2].slice(1), ...groups.slice(3)].join(' ');
  await page.getByLabel('Recovery key').fill(typo);
  await page.getByRole('button', { name: 'Restore with recovery key' }).click();
  await page.getByRole('alert').filter({ hasText: /^Group 3 of your recovery key/ }).waitFor();
  await page.getByLabel('Your backup file').setInputFiles(backupPath);
  await page.getByLabel('Recovery key').fill(recoveryKey.toLowerCase());
  await page.getByRole('button', { name: 'Restore with recovery key' }).click();
  await page.getByRole('heading', { name: 'Choose a new passphrase' }).waitFor();
  await page.getByLabel(/^New passphrase/).fill(NEW_PASSPHRASE);
  await page.getByLabel('Type it again').fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Set passphrase' }).click();
  await page.getByRole('heading', { name: 'Your providers' }).waitFor();
  // The new passphrase opens it.
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.getByLabel('Passphrase').fill(NEW_PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('button', { name: `Disconnect ${TOOL}` }).waitFor();
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: `Disconnect ${TOOL}` }).click();
  await page.getByRole('button', { name: `Reconnect ${TOOL}` }).waitFor();
  // The tool's backend fetches again: the relay says 410.
  const [share] = await toolShares(toolPage);
  await toolPage.evaluate(async (grantId) => {
    await fetch(`/api/shares/${grantId}/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  }, share.grantId);
  const [after] = await toolShares(toolPage);
  assert.equal(after.error?.status, 410);
  assert.equal(after.error?.code, 'revoked');
});
