// SPDX-License-Identifier: Apache-2.0
// Finding the patient's records for them: verify (the demo verifier, in its
// popup, with each of its failures first), ask the demo network with
// Patient/$match, read why a provider found the patient only with one detail
// left out, connect the found providers, and read one person's records.
// The verified identity goes to the verifier and the providers, and nowhere
// else: not to the relay, not to the tool, not into a share.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { demoIdCard, demoSelfie, demoUnreadablePhoto } from '../../demo/identity-verifier/demo-documents.mjs';
import { FORMER_FAMILY_NAME, NETWORK_PROVIDERS } from '../../demo/record-network.mjs';
import { DEMO_PASSWORD, DEMO_USER, FAMILY_PROVIDER, PROVIDERS, startStack } from '../../demo/stack.mjs';
import { cli, root, wasmBuild } from '../js/support.mjs';
import { buildWidget, fillVerifierForm, launchBrowser, openWidgetWithNewVault, toolShares as readToolShares } from './harness.mjs';

const PASSPHRASE = 'a long and private passphrase';
// Given to the verifier only: no record holds it, so it must reach no one but the verifier and the providers.
const EMAIL = 'only-for-the-verifier@example.org';
let stack;
let browser;
let toolPage;
let widget;
const traffic = [];

before(async () => {
  const widgetDist = buildWidget();
  stack = await startStack({ chartlock: cli, widgetDist, wasm: path.join(wasmBuild, 'chartlock-core.js'), directoryCount: 100 });
  browser = await launchBrowser();
  browser.context.on('request', (r) => traffic.push({ url: r.url(), method: r.method(), body: r.postDataBuffer() ?? Buffer.alloc(0),
    authorization: r.headers().authorization ?? '' }));
  toolPage = await browser.context.newPage();
});
after(async () => { await browser?.close(); await stack?.close(); });

const png = (name, buffer) => ({ name, mimeType: 'image/png', buffer: Buffer.from(buffer) });
const variantName = (variant) => NETWORK_PROVIDERS.find((p) => p.variant === variant).name;

test('verify, find the records across the network, connect, read them', async () => {
  const p = stack.patient;
  const official = p.name.find((n) => n.use === 'official') ?? p.name[0];
  const person = { given: official.given.join(' '), family: official.family, birthDate: p.birthDate };
  const validId = png('id.png', demoIdCard({ ...person, expires: '2031-05-01', face: 'face-1' }));
  const selfie = png('selfie.png', demoSelfie({ face: 'face-1' }));

  widget = await openWidgetWithNewVault(toolPage, stack.tool.origin, PASSPHRASE);

  await widget.getByRole('heading', { name: 'Find your records for you' }).waitFor();
  const [verifier] = await Promise.all([widget.waitForEvent('popup'), widget.getByRole('button', { name: 'Verify my identity' }).click()]);
  await verifier.waitForLoadState();
  await fillVerifierForm(verifier, p, { email: EMAIL, otherLastNames: FORMER_FAMILY_NAME });

  // Each failure a real verifier meets, with its own message and what to do; nothing reaches the widget.
  const attempt = async (id, face, title) => {
    await verifier.locator('#idPhoto').setInputFiles(id);
    await verifier.locator('#selfie').setInputFiles(face);
    await verifier.getByRole('button', { name: 'Verify me' }).click();
    const alert = verifier.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), title);
    assert.match(await alert.innerText(), /What to do:/);
  };
  await attempt(png('id.png', demoIdCard({ ...person, expires: '2020-01-31', face: 'face-1' })), selfie, /Your ID has expired[\s\S]*2020-01-31/);
  await verifier.screenshot({ path: path.join(root, 'docs/screenshots/12-verifier-expired-id.png'), fullPage: false });
  await attempt(png('id.png', demoUnreadablePhoto()), selfie, /We could not read your ID/);
  await attempt(validId, png('selfie.png', demoSelfie({ face: 'someone-else' })), /Your selfie does not match your ID/);
  await attempt(png('id.png', demoIdCard({ ...person, given: 'Someone', expires: '2031-05-01', face: 'face-1' })), selfie,
    /Your name does not match your ID/);
  assert.equal(await widget.getByRole('heading', { name: 'Finding your records' }).count(), 0);

  // Verified: the popup closes and the widget asks the network at once.
  await verifier.locator('#idPhoto').setInputFiles(validId);
  await verifier.locator('#selfie').setInputFiles(selfie);
  await verifier.getByRole('button', { name: 'Verify me' }).click();
  await widget.getByRole('heading', { name: 'Finding your records' }).waitFor();
  const list = widget.locator('ul.located');
  await widget.locator('#main').getByText(/providers asked hold your records/).waitFor({ timeout: 60000 });
  const text = await list.innerText();
  for (const name of [PROVIDERS[0].name, PROVIDERS[1].name, variantName('nickname')]) {
    assert.match(text, new RegExp(`${name} has your records`));
  }
  assert.match(text, new RegExp(`${variantName('old-address')} found your records when your address was left out: ask them to update your address`));
  assert.match(text, new RegExp(`${variantName('birth-date-typo')} found your records when only the year of your birth was given: ask them to check your date of birth`));
  assert.match(text, new RegExp(`${variantName('former-name')} found your records under your former name \\(${person.given} ${FORMER_FAMILY_NAME}\\): ask them to update your name`));
  const notFound = text.split('\n').find((l) => l.startsWith('No records of yours at '));
  assert.ok(notFound?.includes(variantName('namesake')), 'the namesake is not the patient');
  assert.ok(notFound?.includes(FAMILY_PROVIDER.name));
  // Nothing the providers hold is shown: not the old address, not the mistyped date.
  assert.doesNotMatch(text, /Mill Lane/);
  await widget.setViewportSize({ width: 900, height: 1000 });
  await widget.screenshot({ path: path.join(root, 'docs/screenshots/13-records-located.png') });

  // Connect two found providers (one found only without the address); one person's records.
  for (const name of [variantName('old-address'), PROVIDERS[0].name]) {
    const [portal] = await Promise.all([widget.waitForEvent('popup'), list.getByRole('button', { name: `Connect ${name}` }).click()]);
    await portal.waitForLoadState();
    await portal.getByLabel('Username').fill(DEMO_USER);
    await portal.getByLabel('Password').fill(DEMO_PASSWORD);
    await portal.getByRole('button', { name: 'Sign in and allow' }).click();
    await widget.getByRole('heading', { name: 'Your providers' }).waitFor({ timeout: 60000 });
    if (name !== PROVIDERS[0].name) {
      await widget.getByRole('button', { name: 'Find my records' }).click();
      await widget.locator('#main').getByText(/providers asked hold your records/).waitFor({ timeout: 60000 });
      assert.match(await list.innerText(), new RegExp(`${name} found your records[^\\n]*Connected`));
    }
  }
  await widget.getByRole('heading', { name: 'Lab results', exact: true }).waitFor({ timeout: 60000 });
  assert.equal(await widget.getByRole('region', { name: /records of 2 people/ }).count(), 0, 'one person, from both');
  const from = (await widget.locator('.records').innerText()).split('\n').find((l) => l.startsWith('From: ')) ?? '';
  assert.match(from, new RegExp(variantName('old-address')));
  assert.match(from, new RegExp(PROVIDERS[0].name));

  // Shared with the tool: records, and nothing of the verified identity.
  await widget.getByRole('button', { name: /^Review and share with / }).click();
  await widget.getByRole('button', { name: /^Review \d+ items$/ }).click();
  await widget.getByRole('button', { name: /^Share \d+ items$/ }).click();
  await widget.getByRole('heading', { name: /^Shared with / }).waitFor();
  await toolPage.getByText('The summary we received').waitFor();
  const [share] = await readToolShares(toolPage);
  assert.equal(share.error, null);
  assert.doesNotMatch(JSON.stringify(share), new RegExp(EMAIL));
  assert.doesNotMatch(JSON.stringify(share), new RegExp(FORMER_FAMILY_NAME));
});

test('the verified identity reached the verifier and the providers only', async () => {
  const allowed = new Set([stack.verifier.origin, ...[...stack.providers, stack.family, ...stack.network].map((p) => p.origin)]);
  const matches = traffic.filter((t) => /\/Patient\/\$match$/.test(t.url));
  assert.ok(new Set(matches.map((t) => new URL(t.url).origin)).size >= 8, 'every provider of the network was asked');
  const idTokens = new Set(matches.map((t) => t.authorization));
  assert.ok([...idTokens].every((a) => /^Bearer ey/.test(a)), 'the id_token is the bearer of $match');
  for (const t of traffic.filter((x) => !allowed.has(new URL(x.url).origin))) {
    for (const secret of [EMAIL, FORMER_FAMILY_NAME, encodeURIComponent(EMAIL)]) {
      assert.ok(!t.url.includes(secret), `${secret} in ${t.url}`);
      assert.equal(t.body.indexOf(Buffer.from(secret)), -1, `${secret} in the body of ${t.method} ${t.url}`);
    }
  }
  // The id_token (the identity, signed) went with the providers' $match and nowhere else.
  for (const t of traffic.filter((x) => !allowed.has(new URL(x.url).origin))) {
    assert.ok(!idTokens.has(t.authorization), `the id_token went to ${t.url}`);
    for (const token of idTokens) assert.equal(t.body.indexOf(Buffer.from(token.slice(7))), -1, `the id_token in ${t.url}`);
  }
});
