// SPDX-License-Identifier: Apache-2.0
// The patient's record as the "download my record" document certified
// portals offer: a C-CDA R2.1 Continuity of Care Document (CCD), made at
// load from the portal's own records and served as a `Binary`
// (application/xml) behind a DocumentReference ("Summary of episode note",
// LOINC 34133-9). Four sections with their entries and narrative —
// problems, medications, allergies, the most recent results — each entry
// pointing at its row of the narrative table, as C-CDA asks. Only the demo makes these;
// what reads them is the core.

// FHIR code system URLs → the OIDs C-CDA names them by.
const OIDS = {
  'http://snomed.info/sct': '2.16.840.1.113883.6.96',
  'http://loinc.org': '2.16.840.1.113883.6.1',
  'http://www.nlm.nih.gov/research/umls/rxnorm': '2.16.840.1.113883.6.88',
  'http://hl7.org/fhir/sid/icd-10-cm': '2.16.840.1.113883.6.90',
  'http://hl7.org/fhir/sid/cvx': '2.16.840.1.113883.12.292',
  'http://unitsofmeasure.org': '2.16.840.1.113883.6.8',
};
const LOINC = OIDS['http://loinc.org'];
const SNOMED = OIDS['http://snomed.info/sct'];
const RXNORM = OIDS['http://www.nlm.nih.gov/research/umls/rxnorm'];
const ACT_CODE = '2.16.840.1.113883.5.6';
const ACT_STATUS_ASSERTION = '2.16.840.1.113883.5.4';
// The demo's document ids: HL7's example OID, one extension per document.
const EXAMPLE_ROOT = '2.16.840.1.113883.19.5';

export const CCD_LOINC = '34133-9';
const CCD_TITLE = 'Summary of episode note';

const esc = (s) => String(s ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;');

// A FHIR instant or date → an HL7 TS (20240301103000+0000, or 20240301).
export function hl7Time(fhir) {
  if (typeof fhir !== 'string' || !/^\d{4}/.test(fhir)) return null;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/.exec(fhir);
  if (!m) return null;
  const [, y, mo = '', d = '', h, mi, s = '00', zone] = m;
  if (!h) return `${y}${mo}${d}`;
  const tz = !zone || zone === 'Z' ? '+0000' : zone.replace(':', '');
  return `${y}${mo}${d}${h}${mi}${s}${tz}`;
}

const time = (tag, fhir) => {
  const v = hl7Time(fhir);
  return v ? `<${tag} value="${v}"/>` : `<${tag} nullFlavor="UNK"/>`;
};

const displayOf = (cc) => cc?.text ?? cc?.coding?.find((c) => c.display)?.display ?? '';

// A CodeableConcept → a C-CDA coded element: its first coding in a system
// C-CDA names (preferring `prefer`), the others as translations.
function coded(tag, cc, { prefer, attrs = '', ref } = {}) {
  const known = (cc?.coding ?? []).filter((c) => c.code && OIDS[c.system]);
  known.sort((a, b) => Number(OIDS[b.system] === prefer) - Number(OIDS[a.system] === prefer));
  const original = ref ? `<originalText><reference value="#${ref}"/></originalText>` : '';
  if (!known.length) return `<${tag}${attrs} nullFlavor="OTH">${original}</${tag}>`;
  const [first, ...rest] = known;
  const translations = rest.map((c) =>
    `<translation code="${esc(c.code)}" codeSystem="${OIDS[c.system]}" displayName="${esc(c.display ?? '')}"/>`).join('');
  return `<${tag}${attrs} code="${esc(first.code)}" codeSystem="${OIDS[first.system]}" displayName="${esc(first.display ?? displayOf(cc))}">`
    + `${original}${translations}</${tag}>`;
}

const table = (headers, rows) => rows.length
  ? `<table border="1" width="100%"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>`
    + `${rows.join('')}</tbody></table>`
  : '';

// One section: `entries` empty → the section says it has no information.
function section({ templateId, extension, code, title, narrative, entries, empty }) {
  const head = `<templateId root="${templateId}"/><templateId root="${templateId}" extension="${extension}"/>`
    + `<code code="${code}" codeSystem="${LOINC}" codeSystemName="LOINC" displayName="${esc(title)}"/><title>${esc(title)}</title>`;
  if (!entries.length) return `<component><section nullFlavor="NI">${head}<text>${esc(empty)}</text></section></component>`;
  return `<component><section>${head}<text>${narrative}</text>${entries.map((e) => `<entry typeCode="DRIV">${e}</entry>`).join('')}`
    + `</section></component>`;
}

const id = (resource) => `<id root="${EXAMPLE_ROOT}" extension="${esc(`${resource.resourceType}/${resource.id}`)}"/>`;

function problems(store) {
  const list = store.search('Condition').filter((c) => (c.category ?? []).some((cat) =>
    (cat.coding ?? []).some((x) => x.code === 'problem-list-item' || x.code === 'health-concern')));
  const rows = [];
  const entries = list.map((c, i) => {
    const ref = `problem-${i + 1}`;
    const status = c.clinicalStatus?.coding?.[0]?.code ?? 'unknown';
    const active = status === 'active' || status === 'recurrence' || status === 'relapse';
    rows.push(`<tr ID="${ref}-row"><td ID="${ref}">${esc(displayOf(c.code))}</td><td>${esc(status)}</td>`
      + `<td>${esc(c.onsetDateTime ?? '')}</td><td>${esc(c.abatementDateTime ?? '')}</td></tr>`);
    const onset = hl7Time(c.onsetDateTime);
    const abated = hl7Time(c.abatementDateTime);
    const range = `<effectiveTime>${onset ? `<low value="${onset}"/>` : '<low nullFlavor="UNK"/>'}`
      + `${abated ? `<high value="${abated}"/>` : ''}</effectiveTime>`;
    return `<act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/>`
      + `<templateId root="2.16.840.1.113883.10.20.22.4.3" extension="2015-08-01"/>${id(c)}`
      + `<code code="CONC" codeSystem="${ACT_CODE}" displayName="Concern"/><statusCode code="${active ? 'active' : 'completed'}"/>${range}`
      + `<entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">`
      + `<templateId root="2.16.840.1.113883.10.20.22.4.4"/><templateId root="2.16.840.1.113883.10.20.22.4.4" extension="2015-08-01"/>`
      + `<id root="${EXAMPLE_ROOT}" extension="${esc(`Condition/${c.id}/observation`)}"/>`
      + `<code code="55607006" codeSystem="${SNOMED}" displayName="Problem"><translation code="75326-9" codeSystem="${LOINC}" displayName="Problem"/></code>`
      + `<text><reference value="#${ref}-row"/></text><statusCode code="completed"/>${range}`
      + `${coded('value', c.code, { prefer: SNOMED, attrs: ' xsi:type="CD"', ref })}</observation></entryRelationship></act>`;
  });
  return section({ templateId: '2.16.840.1.113883.10.20.22.2.5.1', extension: '2015-08-01', code: '11450-4',
    title: 'Problems', entries, empty: 'No information about problems.',
    narrative: table(['Problem', 'Status', 'Onset', 'Resolved'], rows) });
}

function medications(store) {
  const list = [...store.search('MedicationRequest'), ...store.search('MedicationStatement')];
  const rows = [];
  const entries = list.map((m, i) => {
    const ref = `medication-${i + 1}`;
    const concept = m.medicationCodeableConcept ?? { text: m.medicationReference?.display };
    const start = m.authoredOn ?? m.effectivePeriod?.start ?? m.effectiveDateTime;
    const end = m.dispenseRequest?.validityPeriod?.end ?? m.effectivePeriod?.end;
    const sig = m.dosageInstruction?.[0]?.text ?? m.dosage?.[0]?.text ?? '';
    rows.push(`<tr ID="${ref}-row"><td ID="${ref}">${esc(displayOf(concept))}</td><td>${esc(sig)}</td>`
      + `<td>${esc(m.status ?? '')}</td><td>${esc(start ?? '')}</td></tr>`);
    const intended = m.resourceType === 'MedicationRequest';
    return `<substanceAdministration classCode="SBADM" moodCode="${intended ? 'INT' : 'EVN'}">`
      + `<templateId root="2.16.840.1.113883.10.20.22.4.16"/><templateId root="2.16.840.1.113883.10.20.22.4.16" extension="2014-06-09"/>`
      + `${id(m)}<text><reference value="#${ref}-row"/></text>`
      + `<statusCode code="${m.status === 'active' ? 'active' : 'completed'}"/>`
      + `<effectiveTime xsi:type="IVL_TS">${time('low', start)}${end ? time('high', end) : ''}</effectiveTime>`
      + `<consumable><manufacturedProduct classCode="MANU"><templateId root="2.16.840.1.113883.10.20.22.4.23"/>`
      + `<templateId root="2.16.840.1.113883.10.20.22.4.23" extension="2014-06-09"/><manufacturedMaterial>`
      + `${coded('code', concept, { prefer: RXNORM, ref })}</manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration>`;
  });
  return section({ templateId: '2.16.840.1.113883.10.20.22.2.1.1', extension: '2014-06-09', code: '10160-0',
    title: 'Medications', entries, empty: 'No information about medications.',
    narrative: table(['Medication', 'Instructions', 'Status', 'Started'], rows) });
}

function allergies(store) {
  const list = store.search('AllergyIntolerance');
  const rows = [];
  const entries = list.map((a, i) => {
    const ref = `allergy-${i + 1}`;
    const reaction = a.reaction?.[0]?.manifestation?.[0];
    const status = a.clinicalStatus?.coding?.[0]?.code ?? 'active';
    rows.push(`<tr ID="${ref}-row"><td ID="${ref}">${esc(displayOf(a.code))}</td>`
      + `<td ID="${ref}-reaction">${esc(displayOf(reaction))}</td><td>${esc(a.criticality ?? '')}</td><td>${esc(status)}</td></tr>`);
    const reactionEntry = reaction
      ? `<entryRelationship typeCode="MFST" inversionInd="true"><observation classCode="OBS" moodCode="EVN">`
        + `<templateId root="2.16.840.1.113883.10.20.22.4.9"/><templateId root="2.16.840.1.113883.10.20.22.4.9" extension="2014-06-09"/>`
        + `<id root="${EXAMPLE_ROOT}" extension="${esc(`AllergyIntolerance/${a.id}/reaction`)}"/>`
        + `<code code="ASSERTION" codeSystem="${ACT_STATUS_ASSERTION}"/><statusCode code="completed"/>`
        + `${coded('value', reaction, { prefer: SNOMED, attrs: ' xsi:type="CD"', ref: `${ref}-reaction` })}</observation></entryRelationship>`
      : '';
    return `<act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.30"/>`
      + `<templateId root="2.16.840.1.113883.10.20.22.4.30" extension="2015-08-01"/>${id(a)}`
      + `<code code="CONC" codeSystem="${ACT_CODE}" displayName="Concern"/>`
      + `<statusCode code="${status === 'active' ? 'active' : 'completed'}"/><effectiveTime>${time('low', a.recordedDate ?? a.onsetDateTime)}</effectiveTime>`
      + `<entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN">`
      + `<templateId root="2.16.840.1.113883.10.20.22.4.7"/><templateId root="2.16.840.1.113883.10.20.22.4.7" extension="2014-06-09"/>`
      + `<id root="${EXAMPLE_ROOT}" extension="${esc(`AllergyIntolerance/${a.id}/observation`)}"/>`
      + `<code code="ASSERTION" codeSystem="${ACT_STATUS_ASSERTION}"/><text><reference value="#${ref}-row"/></text>`
      + `<statusCode code="completed"/><effectiveTime>${time('low', a.onsetDateTime ?? a.recordedDate)}</effectiveTime>`
      + `<value xsi:type="CD" code="419199007" codeSystem="${SNOMED}" displayName="Allergy to substance (disorder)"/>`
      + `<participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT">`
      + `${coded('code', a.code, { ref })}</playingEntity></participantRole></participant>${reactionEntry}`
      + `</observation></entryRelationship></act>`;
  });
  return section({ templateId: '2.16.840.1.113883.10.20.22.2.6.1', extension: '2015-08-01', code: '48765-2',
    title: 'Allergies and adverse reactions', entries, empty: 'No information about allergies.',
    narrative: table(['Substance', 'Reaction', 'Criticality', 'Status'], rows) });
}

// A quantity → PQ attributes (UCUM code when there is one, else "1").
const pq = (q) => `value="${esc(q.value)}" unit="${esc(q.code ?? q.unit ?? '1')}"`;

function resultObservation(o, ref) {
  const q = o.valueQuantity;
  const value = q && typeof q.value === 'number' ? `<value xsi:type="PQ" ${pq(q)}/>`
    : o.valueCodeableConcept ? coded('value', o.valueCodeableConcept, { attrs: ' xsi:type="CD"' })
      : typeof o.valueString === 'string' ? `<value xsi:type="ST">${esc(o.valueString)}</value>` : '';
  const interpretation = o.interpretation?.[0]?.coding?.[0]?.code;
  const range = o.referenceRange?.[0];
  const rangeXml = range && (range.low || range.high)
    ? `<referenceRange><observationRange><value xsi:type="IVL_PQ">${range.low ? `<low ${pq(range.low)}/>` : ''}`
      + `${range.high ? `<high ${pq(range.high)}/>` : ''}</value></observationRange></referenceRange>`
    : '';
  return `<component><observation classCode="OBS" moodCode="EVN">`
    + `<templateId root="2.16.840.1.113883.10.20.22.4.2"/><templateId root="2.16.840.1.113883.10.20.22.4.2" extension="2015-08-01"/>`
    + `${id(o)}${coded('code', o.code, { prefer: LOINC, ref })}<text><reference value="#${ref}-row"/></text>`
    + `<statusCode code="completed"/>${time('effectiveTime', o.effectiveDateTime ?? o.issued)}${value}`
    + `${interpretation ? `<interpretationCode code="${esc(interpretation)}" codeSystem="2.16.840.1.113883.5.83"/>` : ''}`
    + `${rangeXml}</observation></component>`;
}

// A summary, not the archive: the most recent results only.
export const CCD_MAX_RESULTS = 50;

function results(store) {
  const when = (o) => String(o.effectiveDateTime ?? o.issued ?? '');
  const labs = [...store.search('Observation', { category: 'laboratory' })]
    .sort((a, b) => when(b).localeCompare(when(a))).slice(0, CCD_MAX_RESULTS);
  const byKey = new Map(labs.map((o) => [`Observation/${o.id}`, o]));
  // A report's results in its organizer; a result no report names, alone.
  const groups = [];
  const grouped = new Set();
  for (const report of store.search('DiagnosticReport')) {
    const members = (report.result ?? []).map((r) => byKey.get(r.reference)).filter(Boolean);
    if (!members.length) continue;
    for (const o of members) grouped.add(o);
    groups.push({ code: report.code, when: report.effectiveDateTime ?? report.issued, members, source: report });
  }
  for (const o of labs) if (!grouped.has(o)) groups.push({ code: o.code, when: o.effectiveDateTime, members: [o], source: o });
  const rows = [];
  let n = 0;
  const entries = groups.map((g) => {
    const components = g.members.map((o) => {
      const ref = `result-${++n}`;
      const q = o.valueQuantity;
      const shown = q ? `${q.value} ${q.unit ?? q.code ?? ''}`.trim() : displayOf(o.valueCodeableConcept) || (o.valueString ?? '');
      const range = o.referenceRange?.[0];
      const rangeText = range ? `${range.low?.value ?? ''}–${range.high?.value ?? ''} ${range.low?.unit ?? range.high?.unit ?? ''}`.trim() : '';
      rows.push(`<tr ID="${ref}-row"><td ID="${ref}">${esc(displayOf(o.code))}</td><td>${esc(shown)}</td>`
        + `<td>${esc(rangeText)}</td><td>${esc(o.effectiveDateTime ?? '')}</td></tr>`);
      return resultObservation(o, ref);
    }).join('');
    return `<organizer classCode="BATTERY" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.1"/>`
      + `<templateId root="2.16.840.1.113883.10.20.22.4.1" extension="2015-08-01"/>${id(g.source)}`
      + `${coded('code', g.code, { prefer: LOINC })}<statusCode code="completed"/>`
      + `<effectiveTime>${time('low', g.when)}${time('high', g.when)}</effectiveTime>${components}</organizer>`;
  });
  return section({ templateId: '2.16.840.1.113883.10.20.22.2.3.1', extension: '2015-08-01', code: '30954-2',
    title: 'Results', entries, empty: 'No information about results.',
    narrative: table(['Test', 'Result', 'Reference range', 'Date'], rows) });
}

function recordTarget(patient) {
  const name = patient.name?.find((x) => x.use === 'official') ?? patient.name?.[0] ?? {};
  const gender = { male: 'M', female: 'F' }[patient.gender] ?? 'UN';
  const addr = patient.address?.[0];
  const addrXml = addr
    ? `<addr use="HP">${(addr.line ?? []).map((l) => `<streetAddressLine>${esc(l)}</streetAddressLine>`).join('')}`
      + `<city>${esc(addr.city)}</city><state>${esc(addr.state)}</state><postalCode>${esc(addr.postalCode)}</postalCode>`
      + `<country>${esc(addr.country ?? 'US')}</country></addr>`
    : '<addr nullFlavor="UNK"/>';
  return `<recordTarget><patientRole><id root="${EXAMPLE_ROOT}" extension="${esc(`Patient/${patient.id}`)}"/>${addrXml}`
    + `<telecom nullFlavor="UNK"/><patient><name use="L">${(name.given ?? []).map((g) => `<given>${esc(g)}</given>`).join('')}`
    + `<family>${esc(name.family)}</family></name>`
    + `<administrativeGenderCode code="${gender}" codeSystem="2.16.840.1.113883.5.1"/>${time('birthTime', patient.birthDate)}`
    + `</patient></patientRole></recordTarget>`;
}

/**
 * The CCD of the store's patient.
 * @param {import('./fhir-store.mjs').FhirStore} store
 * @param {{ organization: string, now?: Date }} o  the portal's name (author and custodian)
 * @returns {string} the XML
 */
export function ccdDocument(store, { organization, now = new Date() }) {
  const when = hl7Time(now.toISOString().replace(/\.\d+Z$/, 'Z'));
  const org = `<representedOrganization><id root="${EXAMPLE_ROOT}" extension="portal"/><name>${esc(organization)}</name>`
    + `<telecom nullFlavor="UNK"/><addr nullFlavor="UNK"/></representedOrganization>`;
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + '<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:sdtc="urn:hl7-org:sdtc">\n'
    + '<realmCode code="US"/><typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>'
    + '<templateId root="2.16.840.1.113883.10.20.22.1.1"/><templateId root="2.16.840.1.113883.10.20.22.1.1" extension="2015-08-01"/>'
    + '<templateId root="2.16.840.1.113883.10.20.22.1.2"/><templateId root="2.16.840.1.113883.10.20.22.1.2" extension="2015-08-01"/>'
    + `<id root="${EXAMPLE_ROOT}" extension="${esc(`ccd-${store.patient.id}`)}"/>`
    + `<code code="${CCD_LOINC}" codeSystem="${LOINC}" codeSystemName="LOINC" displayName="${CCD_TITLE}"/>\n`
    + `<title>${esc(organization)}: summary of your record</title>\n`
    + `<effectiveTime value="${when}"/><confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>`
    + '<languageCode code="en-US"/>\n'
    + `${recordTarget(store.patient)}\n`
    + `<author><time value="${when}"/><assignedAuthor><id root="${EXAMPLE_ROOT}" extension="portal-device"/>`
    + `<addr nullFlavor="UNK"/><telecom nullFlavor="UNK"/><assignedAuthoringDevice><softwareName>Demo portal</softwareName>`
    + `</assignedAuthoringDevice>${org}</assignedAuthor></author>\n`
    + `<custodian><assignedCustodian><representedCustodianOrganization><id root="${EXAMPLE_ROOT}" extension="portal"/>`
    + `<name>${esc(organization)}</name><telecom nullFlavor="UNK"/><addr nullFlavor="UNK"/></representedCustodianOrganization>`
    + `</assignedCustodian></custodian>\n`
    + '<component><structuredBody>\n'
    + [allergies(store), medications(store), problems(store), results(store)].join('\n')
    + '\n</structuredBody></component>\n</ClinicalDocument>\n';
}

// When the records last changed: the document's time, so that a portal
// started again (the static demo's worker, often) serves the same document,
// not one a sync would take for new.
const newest = (store) => new Date(Math.max(0, ...[...store.byKey.values()]
  .map((r) => Date.parse(r.meta?.lastUpdated ?? '')).filter((t) => Number.isFinite(t))));

/**
 * Adds the CCD to `store` (a FhirStore) as a Binary and a DocumentReference
 * that points at it; returns the DocumentReference.
 * @param {import('./fhir-store.mjs').FhirStore} store
 * @param {{ organization: string, now?: Date }} o
 */
export function serveRecordAsCcda(store, { organization, now = newest(store) }) {
  const xml = ccdDocument(store, { organization, now });
  const bytes = new TextEncoder().encode(xml);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const file = { resourceType: 'Binary', id: 'ccd', contentType: 'application/xml', data: btoa(binary) };
  store.upsert(file);
  file.meta.lastUpdated = now.toISOString();
  const doc = {
    resourceType: 'DocumentReference', id: 'ccd', status: 'current',
    type: { coding: [{ system: 'http://loinc.org', code: CCD_LOINC, display: CCD_TITLE }], text: 'Summary of your record (C-CDA)' },
    category: [{ coding: [{ system: 'http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category', code: 'clinical-note',
      display: 'Clinical Note' }] }],
    subject: { reference: `Patient/${store.patient.id}` }, date: now.toISOString(),
    author: [{ display: organization }],
    content: [{ attachment: { contentType: 'application/xml', url: 'Binary/ccd', size: bytes.length, title: 'Summary of your record' },
      format: { system: 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode', code: 'urn:hl7-org:sdwg:ccda-structuredBody:2.1',
        display: 'For documents following C-CDA 2.1 constraints using a structured body' } }],
  };
  store.upsert(doc);
  doc.meta.lastUpdated = now.toISOString();
  return doc;
}
