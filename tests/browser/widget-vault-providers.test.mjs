// SPDX-License-Identifier: Apache-2.0
// The widget in Chromium against the real demo portals: create a vault, find
// two providers in a 10,000-brand directory, sign in to each in its popup
// (SMART standalone launch, PKCE), fetch and read the records; lock, unlock,
// wrong passphrase; everything at rest is ciphertext; delete everything.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DEMO_PASSWORD, DEMO_USER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli } from '../js/support.mjs';
import { buildWidget, launchBrowser, keepRecoveryKey } from './harness.mjs';

const PASSPHRASE = 'correct horse battery staple';
let stack;
let browser;
let page;

before(async () => {
  const widgetDist = buildWidget();
  stack = await startStack({ chartlock: cli, widgetDist, tokenTtlSeconds: 2 });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(stack.widget.origin);
});
after(async () => { await browser?.close(); await stack?.close(); });

async function connectProvider(name, query) {
  await page.getByRole('button', { name: 'Find a provider' }).click();
  await page.getByLabel('Search the provider directory').fill(query);
  const [popup] = await Promise.all([
    page.waitForEvent('popup'),
    page.getByRole('button', { name: `Connect ${name} (Springfield, IL)`, exact: true }).click(),
  ]);
  await popup.waitForLoadState();
  await popup.getByLabel('Username').fill(DEMO_USER);
  await popup.getByLabel('Password').fill(DEMO_PASSWORD);
  await popup.getByRole('button', { name: 'Sign in and allow' }).click();
  await page.getByRole('heading', { name: 'Your providers' }).waitFor({ timeout: 60000 });
}

test('create a vault', async () => {
  await page.getByRole('heading', { name: 'Create your vault' }).waitFor();
  await page.getByLabel(/^Passphrase/).fill(PASSPHRASE);
  await page.getByLabel('Type it again').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await keepRecoveryKey(page);
  await page.getByRole('heading', { name: 'Your providers' }).waitFor();
});

test('connect two providers through their portals, typos and all', async () => {
  await connectProvider(PROVIDERS[0].name, 'rivrside famly');
  await connectProvider(PROVIDERS[1].name, 'lakeview heart springfield');
  await page.getByRole('heading', { name: 'Lab results', exact: true }).waitFor();  // records are read after the list shows
  const providers = page.locator('ul.providers > li');
  assert.equal(await providers.count(), 2);
  const text = await page.locator('main').innerText();
  for (const p of PROVIDERS) assert.match(text, new RegExp(p.name));
  assert.match(text, /Things to talk about/);
  assert.match(text, /Questions for your next appointment/);
  assert.doesNotMatch(text, /could not be fetched/);
});

test('refreshing after the access token expired uses the refresh token', async () => {
  await new Promise((r) => setTimeout(r, 2100));  // the portals' tokens live 2 s here
  await page.getByRole('button', { name: `Refresh ${PROVIDERS[0].name}` }).click();
  await page.getByRole('heading', { name: 'Your providers' }).waitFor();
  assert.doesNotMatch(await page.locator('ul.providers').innerText(), /expired|failed/i);
});

test('what is stored is ciphertext only', async () => {
  const stored = await page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('chartlock');
    req.onsuccess = () => {
      const get = req.result.transaction('blobs').objectStore('blobs').get('vault');
      get.onsuccess = () => resolve({ fields: Object.keys(get.result).sort(), revision: get.result.revision,
        sealed: Array.from(get.result.sealed) });
      get.onerror = () => reject(get.error);
    };
    req.onerror = () => reject(req.error);
  }));
  // The sealed vault and its revision (docs/vault-format.md §5b), nothing else.
  assert.deepEqual(stored.fields, ['revision', 'sealed']);
  assert.ok(Number.isSafeInteger(stored.revision) && stored.revision >= 1);
  const bytes = Buffer.from(stored.sealed);
  assert.equal(bytes.subarray(0, 4).toString('latin1'), '\x89CLV');  // the vault format's magic
  const patient = stack.providers[0].store.patient;
  for (const secret of [patient.name[0].family, patient.birthDate, 'access_token', 'refresh_token', 'Observation']) {
    assert.equal(bytes.indexOf(Buffer.from(secret)), -1, `${secret} is not in the clear`);
  }
});

test('lock, a wrong passphrase, then unlock', async () => {
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
  await page.getByLabel('Passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('alert').filter({ hasText: 'does not open this vault' }).waitFor();
  await page.getByLabel('Passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await page.getByRole('heading', { name: 'Your providers' }).waitFor();
  assert.equal(await page.locator('ul.providers > li').count(), 2);
});

test('delete everything really deletes, also from a locked vault (a forgotten passphrase), saying what stays connected', async () => {
  await page.getByRole('button', { name: 'Lock now' }).click();
  await page.getByRole('heading', { name: 'Unlock your vault' }).waitFor();
  await page.getByText('Forgot your passphrase?').click();
  const asked = new Promise((resolve) => page.once('dialog', (d) => { resolve(d.message()); d.accept(); }));
  await page.getByRole('button', { name: 'Delete everything' }).click();
  assert.match(await asked, /Your vault is locked, so the tools you shared with cannot be disconnected from here/);
  await page.getByRole('heading', { name: 'Create your vault' }).waitFor();
  const dbs = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.ok(!dbs.includes('chartlock'), `databases left: ${dbs}`);
});

test('a save still sealing when everything is deleted does not bring the vault back', async () => {
  const outcome = await page.evaluate(async () => {
    const { Vault } = await import('/js/vault.js');
    let release;
    const core = {  // seals instantly, except the save, which waits until released
      async call(name) {
        if (name === 'vaultSave') await new Promise((resolve) => { release = resolve; });
        return name === 'vaultCreate' ? { sealed: new Uint8Array([1, 2, 3]), recoveryKey: '' } : new Uint8Array([1, 2, 3]);
      },
    };
    const vault = new Vault(core);
    await vault.create('a long enough passphrase');
    const saving = vault.save().then(() => 'saved', (e) => e.code);
    while (!release) await new Promise((resolve) => setTimeout(resolve, 5));  // sealing, under the vault's lock
    await vault.destroy();
    release();
    return { save: await saving, databases: (await indexedDB.databases()).map((d) => d.name) };
  });
  assert.equal(outcome.save, 'locked');
  assert.ok(!outcome.databases.includes('chartlock'), `databases left: ${outcome.databases}`);
});
