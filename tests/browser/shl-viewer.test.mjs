// SPDX-License-Identifier: Apache-2.0
// The SMART Health Link viewer (web/widget/viewer.html) against a server
// written here from the SHL specification alone (HL7 SMART Health Cards and
// Links IG, STU1): a manifest POST with `recipient` and a passcode counted
// per link, a file by `location` (a JWE made with the `jose` package) and one
// `embedded` (a JWE made with node:crypto, `zip: DEF`). The viewer asks for
// the passcode, says how many tries are left, decrypts in the browser and
// shows the International Patient Summary made by `chartlock ips`, in the IPS
// section order, each item with the provider it came from.
import assert from 'node:assert/strict';
import { createCipheriv, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { CompactEncrypt } from 'jose';

import { startWidget } from '../../demo/widget-server.mjs';
import { fixtures, root, runCli } from '../js/support.mjs';
import { buildWidget, launchBrowser } from './harness.mjs';

const PASSCODE = '4711';
const ATTEMPTS = 3;
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

// A JWE per RFC 7516 by hand: compact, dir, A256GCM, the protected header as AAD.
function jweByHand(key, plaintext, header) {
  const protectedB64 = b64url(Buffer.from(JSON.stringify(header)));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(protectedB64, 'ascii'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [protectedB64, '', b64url(iv), b64url(ct), b64url(cipher.getAuthTag())].join('.');
}

// The links this server holds: id → { passcode?, attempts, files, exp }.
const links = new Map();
let shl;
async function startShlServer() {
  const server = createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const url = new URL(req.url, 'http://x');
    const cors = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'content-type' };
    const send = (status, body, type = 'application/json') => {
      res.writeHead(status, { ...cors, 'Content-Type': type });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method === 'OPTIONS') return send(204, '');
    const [, kind, id] = url.pathname.split('/');
    const link = links.get(id);
    if (kind === 'manifest' && req.method === 'POST') {
      if (!link || link.attempts <= 0) return send(404, { error: 'no such link' });
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      assert.equal(typeof body.recipient, 'string', 'the spec requires a recipient');
      link.recipients.push(body.recipient);
      if (link.passcode !== undefined && body.passcode !== link.passcode) {
        link.attempts -= 1;
        return send(401, { remainingAttempts: link.attempts });
      }
      return send(200, { files: [
        { contentType: 'application/fhir+json', location: `${shl.origin}/file/${id}` },
        ...link.embedded.map((jwe) => ({ contentType: 'application/fhir+json', embedded: jwe }))] });
    }
    if (kind === 'file' && req.method === 'GET' && link) return send(200, link.file, 'application/jose');
    return send(404, { error: 'not found' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

// A link for `ips` (bytes): the key only in the link.
async function makeLink(ips, { passcode, exp, label = 'Maria Ortiz — summary for Dr. Rao', tamper = false } = {}) {
  const id = b64url(randomBytes(32));
  const key = randomBytes(32);
  const file = await new CompactEncrypt(ips).setProtectedHeader({ alg: 'dir', enc: 'A256GCM', cty: 'application/fhir+json' }).encrypt(key);
  const embedded = jweByHand(key, deflateRawSync(ips), { alg: 'dir', enc: 'A256GCM', zip: 'DEF', cty: 'application/fhir+json' });
  const parts = file.split('.');
  if (tamper) parts[3] = parts[3].slice(0, 10) + (parts[3][10] === 'A' ? 'B' : 'A') + parts[3].slice(11);
  links.set(id, { passcode, attempts: ATTEMPTS, file: parts.join('.'), embedded: [embedded], recipients: [] });
  const payload = { url: `${shl.origin}/manifest/${id}`, key: b64url(key), flag: passcode ? 'P' : '', label, v: 1, ...(exp ? { exp } : {}) };
  return { id, link: `shlink:/${b64url(Buffer.from(JSON.stringify(payload)))}` };
}

let widget;
let browser;
let ips;
before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-shl-'));
  writeFileSync(path.join(dir, 'consent.json'), JSON.stringify({ scopes: ['patient/*.rs'] }));
  const made = runCli(['ips', '--consent', path.join(dir, 'consent.json'), '--today', '2025-06-01', 'clinic-a.json', 'clinic-b.json'],
    { cwd: path.join(fixtures, 'fhir') });
  assert.equal(made.status, 0, made.stderr?.toString());
  ips = Buffer.from(made.stdout);
  shl = await startShlServer();
  widget = await startWidget({ dist: buildWidget(), connectSrc: [shl.origin] });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await widget?.close(); await shl?.close(); });

test('a link with a passcode: a wrong one says how many tries are left; the right one shows the summary', async () => {
  const { id, link } = await makeLink(ips, { passcode: PASSCODE });
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error('viewer error:', e.message));
  await page.goto(`${widget.origin}/viewer.html#${link}`);
  await page.getByRole('heading', { name: 'Open “Maria Ortiz — summary for Dr. Rao”' }).waitFor();
  assert.equal(new URL(page.url()).hash, '', 'the key is taken out of the address bar');
  await page.getByLabel('Your name or organization').fill('Dr. Rao, Lakeside Cardiology');
  await page.getByLabel('Passcode').fill('0000');
  await page.getByRole('button', { name: 'Open the summary' }).click();
  await page.getByRole('alert').filter({ hasText: 'That passcode is not right. 2 tries are left.' }).waitFor();
  await page.getByLabel('Passcode').fill(PASSCODE);
  await page.getByRole('button', { name: 'Open the summary' }).click();
  await page.getByRole('heading', { name: 'International Patient Summary' }).first().waitFor();
  assert.deepEqual(links.get(id).recipients, ['Dr. Rao, Lakeside Cardiology', 'Dr. Rao, Lakeside Cardiology']);

  // Both files (by location, and embedded with zip DEF) decrypted to the same document.
  assert.equal(await page.locator('article.ips').count(), 2);
  const first = page.locator('article.ips').first();
  const headings = await first.locator('h2').allInnerTexts();
  const bundle = JSON.parse(ips);
  const order = ['11450-4', '48765-2', '10160-0', '11369-6', '30954-2', '47519-4', '46264-8', '11348-0', '47420-5', '18776-5',
    '29762-2', '10162-6', '42348-3', '8716-3'];
  const expected = bundle.entry[0].resource.section.slice()
    .sort((a, b) => order.indexOf(a.code.coding[0].code) - order.indexOf(b.code.coding[0].code)).map((s) => s.title);
  assert.deepEqual(headings, expected, 'every section, in the IPS order');
  assert.equal(headings[0], 'Problem List');
  const text = await first.innerText();
  assert.match(text, /Maria Elena Ortiz|Maria Ortiz/);
  assert.match(text, /High blood pressure/);
  assert.match(text, /\(from clinic-a\.json(, clinic-b\.json)?\)/, 'each item says where it came from');
  const entries = bundle.entry[0].resource.section.reduce((n, s) => n + (s.entry?.length ?? 0), 0);
  assert.equal(await first.locator('.ips-section li').count(), entries, 'every entry a section lists is shown');

  mkdirSync(path.join(root, 'docs/screenshots'), { recursive: true });
  await page.setViewportSize({ width: 900, height: 1100 });
  await page.screenshot({ path: path.join(root, 'docs/screenshots/16-shl-viewer.png') });
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByRole('button', { name: 'Print' }).isVisible(), false, 'on paper: the summary, not the buttons');
  await page.close();
});

test('the last wrong passcode ends the link; an expired, damaged or tampered one says so', async () => {
  const page = await browser.context.newPage();
  const { link } = await makeLink(ips, { passcode: PASSCODE });
  await page.goto(`${widget.origin}/viewer.html#${link}`);
  for (let i = 0; i < ATTEMPTS; i += 1) {
    await page.getByLabel('Passcode').fill(`wrong-${i}`);
    await page.getByRole('button', { name: 'Open the summary' }).click();
    if (i < ATTEMPTS - 1) await page.getByRole('alert').filter({ hasText: `${ATTEMPTS - 1 - i} ${ATTEMPTS - 1 - i === 1 ? 'try is' : 'tries are'} left` }).waitFor();
  }
  await page.getByRole('heading', { name: 'The summary could not be opened' }).waitFor();
  assert.match(await page.getByRole('alert').innerText(), /no tries are left/);

  const expired = await makeLink(ips, { exp: Math.floor(Date.now() / 1000) - 60 });
  await page.goto(`${widget.origin}/viewer.html#${expired.link}`);
  await page.getByRole('alert').filter({ hasText: /^This link expired on / }).waitFor();

  await page.goto(`${widget.origin}/viewer.html#shlink:/not-json`);
  await page.getByRole('alert').filter({ hasText: 'This SMART Health Link is damaged' }).waitFor();

  const tampered = await makeLink(ips, { tamper: true });
  await page.goto(`${widget.origin}/viewer.html#${tampered.link}`);
  await page.getByRole('button', { name: 'Open the summary' }).click();
  await page.getByRole('alert').filter({ hasText: 'could not be opened: it is damaged' }).waitFor();
  assert.equal(await page.locator('article.ips').count(), 1, 'the untouched embedded file still opens');
  await page.close();
});
