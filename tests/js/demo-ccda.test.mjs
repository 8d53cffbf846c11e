// SPDX-License-Identifier: Apache-2.0
// The demo portal's "download my record" C-CDA document
// (demo/smart-provider/ccda.mjs): a well-formed CCD whose entries match the
// portal's records (counted here by an XML parser, python3's, against the
// store), served as a DocumentReference → Binary (application/xml), and
// read by the core as a note (the narrative of each section).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, test } from 'node:test';

import { CCD_LOINC, CCD_MAX_RESULTS, ccdDocument, hl7Time, serveRecordAsCcda } from '../../demo/smart-provider/ccda.mjs';
import { FhirStore } from '../../demo/smart-provider/fhir-store.mjs';
import { loadCore, runCli } from './support.mjs';

let data;
before(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-ccda-'));
  const gen = runCli(['generate', '--seed', '3', '--size', '600KB', '--providers', '1', '--out', dir]);
  assert.equal(gen.status, 0, gen.stderr);
  data = readFileSync(path.join(dir, 'provider-1.json'), 'utf8');
});
const storeOf = () => new FhirStore({ text: data });

// Each entry template's count, and the document's title, code and sections,
// as an XML parser sees them (refuses a document that is not well-formed).
function parsed(xml) {
  const script = `
import json, sys, xml.dom.minidom as m
d = m.parseString(sys.stdin.buffer.read())
root = d.documentElement
counts = {}
for t in d.getElementsByTagName('templateId'):
    if t.getAttribute('extension'):
        counts[t.getAttribute('root')] = counts.get(t.getAttribute('root'), 0) + 1
sections = [s.getElementsByTagName('title')[0].firstChild.data for s in d.getElementsByTagName('section')]
code = [c for c in root.childNodes if c.nodeType == 1 and c.tagName == 'code'][0].getAttribute('code')
print(json.dumps({'root': root.tagName, 'ns': root.namespaceURI, 'counts': counts, 'sections': sections, 'code': code}))`;
  const r = spawnSync('python3', ['-c', script], { input: xml, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

const hasCategory = (r, code) => (r.category ?? []).some((c) => (c.coding ?? []).some((x) => x.code === code));

test('the CCD is well-formed C-CDA with an entry for each of the portal\'s problems, medications, allergies and recent results', () => {
  const store = storeOf();
  // The generated records may have no allergy: one, with a reaction.
  store.upsert({ resourceType: 'AllergyIntolerance', id: 'peanut', patient: { reference: `Patient/${store.patient.id}` },
    clinicalStatus: { coding: [{ code: 'active' }] }, criticality: 'high', recordedDate: '2019-04-02',
    code: { coding: [{ system: 'http://snomed.info/sct', code: '256349002', display: 'Peanut' }] },
    reaction: [{ manifestation: [{ coding: [{ system: 'http://snomed.info/sct', code: '39579001', display: 'Anaphylaxis' }] }] }] });
  const doc = parsed(ccdDocument(store, { organization: 'Clinic <One> & Co' }));
  assert.equal(doc.root, 'ClinicalDocument');
  assert.equal(doc.ns, 'urn:hl7-org:v3');
  assert.equal(doc.code, CCD_LOINC);
  assert.deepEqual(doc.sections, ['Allergies and adverse reactions', 'Medications', 'Problems', 'Results']);
  const count = (template) => doc.counts[`2.16.840.1.113883.10.20.22.${template}`] ?? 0;
  assert.equal(count('1.2'), 1, 'the CCD template');
  const problems = store.search('Condition').filter((c) => hasCategory(c, 'problem-list-item') || hasCategory(c, 'health-concern'));
  assert.ok(problems.length > 0);
  assert.equal(count('4.3'), problems.length, 'a problem concern per problem');
  assert.equal(count('4.4'), problems.length, 'a problem observation per problem');
  const meds = store.search('MedicationRequest').length + store.search('MedicationStatement').length;
  assert.ok(meds > 0);
  assert.equal(count('4.16'), meds, 'a medication activity per prescription or statement');
  assert.equal(count('4.30'), store.search('AllergyIntolerance').length, 'an allergy concern per allergy');
  assert.equal(count('4.7'), store.search('AllergyIntolerance').length, 'an allergy observation per allergy');
  assert.equal(count('4.9'), 1, 'its reaction');
  const labs = store.search('Observation').filter((o) => hasCategory(o, 'laboratory')).length;
  assert.ok(labs > 0);
  assert.equal(count('4.2'), Math.min(labs, CCD_MAX_RESULTS), 'a result observation per recent lab result');
  assert.ok(count('4.1') > 0 && count('4.1') <= count('4.2'), 'results in organizers');
});

test('FHIR times become HL7 timestamps', () => {
  assert.equal(hl7Time('2020-12-26T13:29:00+00:00'), '20201226132900+0000');
  assert.equal(hl7Time('1998-08-24T14:42:00-05:00'), '19980824144200-0500');
  assert.equal(hl7Time('2024-03-01T10:00:00.123Z'), '20240301100000+0000');
  assert.equal(hl7Time('1957-03-25'), '19570325');
  assert.equal(hl7Time('2024-03'), '202403');
  assert.equal(hl7Time('not a date'), null);
  assert.equal(hl7Time(undefined), null);
});

test('served as a DocumentReference whose attachment is a Binary (application/xml), which the core reads as a note', async () => {
  const store = storeOf();
  const doc = serveRecordAsCcda(store, { organization: 'Clinic One' });
  assert.equal(store.read('DocumentReference', doc.id), doc);
  assert.equal(doc.type.coding[0].code, CCD_LOINC);
  assert.ok(hasCategory(doc, 'clinical-note'));
  const { attachment } = doc.content[0];
  assert.equal(attachment.contentType, 'application/xml');
  const binary = store.read('Binary', attachment.url.replace(/^Binary\//, ''));
  assert.equal(binary.contentType, 'application/xml');
  const bytes = Buffer.from(binary.data, 'base64');
  assert.equal(attachment.size, bytes.length);
  const again = storeOf();
  assert.deepEqual(serveRecordAsCcda(again, { organization: 'Clinic One' }), doc, 'the same records, the same document');
  assert.ok(JSON.stringify(again.read('Binary', 'ccd')) === JSON.stringify(binary), 'and the same Binary');

  // The core reads the narrative: with the Binary's bytes inline, as the
  // widget hands them over after fetching them.
  const core = await loadCore();
  const inline = structuredClone(doc);
  inline.content[0].attachment.data = binary.data;
  const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: store.patient }, { resource: inline }] };
  const records = new core.Records([{ name: 'clinic-one.json', bytes: new TextEncoder().encode(JSON.stringify(bundle)) }], undefined);
  try {
    const notes = JSON.parse(records.notes());
    const [read] = notes.documents[0].attachments;
    assert.equal(read.format, 'cda');
    const problem = store.search('Condition').find((c) => hasCategory(c, 'problem-list-item'));
    for (const words of ['Problems', 'Medications', 'Results', problem.code.text]) assert.ok(read.text.includes(words), words);
  } finally {
    records.delete();
  }
});
