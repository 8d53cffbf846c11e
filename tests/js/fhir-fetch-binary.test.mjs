// SPDX-License-Identifier: Apache-2.0
// Notes' text from a portal (web/widget/js/fhir-fetch.js): attachments that
// point at a Binary are fetched with the portal's token, under the FHIR base
// only, size-limited, and put inline as base64 data; one that fails is
// reported and the rest kept.
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { afterEach, test } from 'node:test';

register(`data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('/vendor/oauth4webapi.js')) return next('oauth4webapi', context);
  return next(specifier, context);
}`)}`, import.meta.url);
const { fetchPatientRecords, fetchAttachments, attachmentUrl } = await import('../../web/widget/js/fhir-fetch.js');

const BASE = 'https://portal.example/tenant-a/fhir';
const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

const jsonResponse = (body, status = 200) => new Response(JSON.stringify(body),
  { status, headers: { 'content-type': 'application/fhir+json' } });
const searchset = (resources) => ({ resourceType: 'Bundle', type: 'searchset', entry: resources.map((resource) => ({ resource })) });
const connection = () => ({ fhirBase: BASE, conf: {}, tokens: { access_token: 'at-1', patient: 'p1' } });
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const fromB64 = (s) => Buffer.from(s, 'base64').toString('utf8');

const HTML = '<p>Seen for a cough.</p>';
const RTF = '{\\rtf1 Follow-up for depression.\\par}';
const BIG = 'x'.repeat(3 * 1024 * 1024);

const notes = () => [
  { resourceType: 'DocumentReference', id: 'n-html', type: { text: 'Progress note' },
    content: [{ attachment: { contentType: 'text/html', url: 'Binary/html' } }] },
  { resourceType: 'DocumentReference', id: 'n-rtf', type: { text: 'Therapy note' },
    content: [{ attachment: { contentType: 'application/rtf', url: `${BASE}/Binary/rtf` } }] },
  { resourceType: 'DocumentReference', id: 'n-gone', type: { text: 'Old note' },
    content: [{ attachment: { contentType: 'text/plain', url: 'Binary/gone' } }] },
  { resourceType: 'DocumentReference', id: 'n-big', type: { text: 'Scanned chart' },
    content: [{ attachment: { contentType: 'text/plain', url: 'Binary/big' } }] },
  { resourceType: 'DocumentReference', id: 'n-away', type: { text: 'Elsewhere' },
    content: [{ attachment: { contentType: 'text/html', url: 'https://evil.example/Binary/1' } },
      { attachment: { contentType: 'text/html', url: 'https://portal.example/tenant-b/fhir/Binary/1' } }] },
  { resourceType: 'DiagnosticReport', id: 'r1', code: { text: 'Discharge summary' }, status: 'final',
    presentedForm: [{ contentType: 'text/plain', url: 'Binary/as-fhir' }] },
];

// A portal with the notes above: Binary/html and /rtf as their own bytes,
// /gone a 404, /big over the limit, /as-fhir as a FHIR Binary resource.
function portal(calls) {
  return async (input, init = {}) => {
    const url = typeof input === 'string' ? input : input.url;
    calls.push({ url, init });
    const u = new URL(url);
    const path = u.pathname.replace('/tenant-a/fhir', '');
    if (path === '/Patient/p1') return jsonResponse({ resourceType: 'Patient', id: 'p1' });
    if (path === '/DocumentReference') return jsonResponse(searchset(notes().slice(0, 5)));
    if (path === '/DiagnosticReport') return jsonResponse(searchset(notes().slice(5)));
    if (path === '/Binary/html') return new Response(HTML, { headers: { 'content-type': 'text/html' } });
    if (path === '/Binary/rtf') return new Response(RTF, { headers: { 'content-type': 'application/rtf' } });
    if (path === '/Binary/big') return new Response(BIG, { headers: { 'content-type': 'text/plain' } });
    if (path === '/Binary/as-fhir') return jsonResponse({ resourceType: 'Binary', contentType: 'text/plain', data: b64('Discharged home.') });
    if (path.startsWith('/Binary/')) return jsonResponse({ resourceType: 'OperationOutcome' }, 404);
    return jsonResponse(searchset([]));
  };
}

test('notes\' Binary attachments are fetched with the token and put inline; one 404 loses nothing else', async () => {
  const calls = [];
  globalThis.fetch = portal(calls);
  const { bundle, errors } = await fetchPatientRecords(connection(), { clientId: 'widget', retryDelayMs: 1 });
  const byId = Object.fromEntries(bundle.entry.map((e) => [e.resource.id, e.resource]));
  assert.equal(fromB64(byId['n-html'].content[0].attachment.data), HTML);
  assert.equal(byId['n-html'].content[0].attachment.url, 'Binary/html', 'the URL stays');
  assert.equal(fromB64(byId['n-rtf'].content[0].attachment.data), RTF);
  assert.equal(fromB64(byId.r1.presentedForm[0].data), 'Discharged home.', 'a FHIR Binary answer gives its data');
  assert.equal(byId['n-gone'].content[0].attachment.data, undefined);
  assert.equal(byId['n-big'].content[0].attachment.data, undefined);

  const binaryCalls = calls.filter((c) => c.url.includes('/Binary/'));
  for (const c of binaryCalls) {
    assert.equal(c.init.headers.Authorization, 'Bearer at-1');
    assert.equal(c.init.cache, 'no-store');
  }
  const html = binaryCalls.find((c) => c.url === `${BASE}/Binary/html`);
  assert.match(html.init.headers.Accept, /^text\/html\b/, 'Accept is the attachment\'s content type');
  assert.deepEqual(calls.filter((c) => !c.url.startsWith(`${BASE}/`)), [], 'nothing outside the FHIR base was fetched');

  assert.ok(errors.every((e) => e.type === 'Binary'), JSON.stringify(errors));
  const messages = errors.map((e) => e.message);
  assert.equal(messages.length, 4, messages.join('\n'));
  assert.ok(messages.some((m) => /^Old note: .*HTTP 404/.test(m)), 'the 404 is reported');
  assert.ok(messages.some((m) => /^Scanned chart: its text is too large to fetch/.test(m)), 'the limit is reported');
  assert.equal(messages.filter((m) => /^Elsewhere: its text is on another site/.test(m)).length, 2,
    'another host and another tenant are both refused');
});

test('the limits: a declared size over the limit is not fetched, and the total across notes is capped', async () => {
  const calls = [];
  globalThis.fetch = portal(calls);
  const resources = [
    { resourceType: 'DocumentReference', type: { text: 'Huge' }, content: [{ attachment: { contentType: 'text/plain', url: 'Binary/html', size: 5e6 } }] },
    { resourceType: 'DocumentReference', type: { text: 'A' }, content: [{ attachment: { contentType: 'text/html', url: 'Binary/html' } }] },
    { resourceType: 'DocumentReference', type: { text: 'B' }, content: [{ attachment: { contentType: 'text/html', url: 'Binary/html' } }] },
    { resourceType: 'DocumentReference', type: { text: 'Inline' }, content: [{ attachment: { contentType: 'text/plain', url: 'Binary/x', data: b64('kept') } }] },
    // A PDF (and an image) the core lists without reading: not downloaded, and no problem.
    { resourceType: 'DocumentReference', type: { text: 'Scan' }, content: [{ attachment: { contentType: 'application/pdf', url: 'Binary/pdf' } },
      { attachment: { contentType: 'image/jpeg', url: 'https://elsewhere.example/x.jpg' } }] },
  ];
  const errors = await fetchAttachments(connection(), resources, { clientId: 'widget', retryDelayMs: 1 },
    { each: 1024, total: HTML.length + 5, count: 10 });
  assert.equal(calls.length, 2, 'the huge one, the inline one, the PDF and the image were not requested');
  assert.equal(fromB64(resources[1].content[0].attachment.data), HTML);
  assert.equal(resources[2].content[0].attachment.data, undefined, 'B is over the total');
  assert.equal(fromB64(resources[3].content[0].attachment.data), 'kept');
  assert.deepEqual(errors.map((e) => e.message.split(':')[0]), ['Huge', 'B']);
});

test('attachment URLs: relative ones resolve under the FHIR base; other sites and tenants are refused', () => {
  assert.equal(attachmentUrl('Binary/7', BASE), `${BASE}/Binary/7`);
  assert.equal(attachmentUrl(`${BASE}/Binary/7`, BASE), `${BASE}/Binary/7`);
  assert.equal(attachmentUrl('https://evil.example/tenant-a/fhir/Binary/7', BASE), null);
  assert.equal(attachmentUrl('http://portal.example/tenant-a/fhir/Binary/7', BASE), null);
  assert.equal(attachmentUrl('../../tenant-b/fhir/Binary/7', BASE), null);
  assert.equal(attachmentUrl('/tenant-b/fhir/Binary/7', BASE), null);
});
