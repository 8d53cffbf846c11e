// SPDX-License-Identifier: Apache-2.0
// @ts-check
// An International Patient Summary (a FHIR document Bundle, HL7 FHIR IPS) as
// a clinician reads it: the patient, then the sections in the order the IPS
// Composition profile lists them, each entry in plain words with its dates,
// values and ranges, and where it came from (the Bundle's Provenance). Any
// conforming IPS is read, not only Chartlock's (docs/ips.md). Everything is
// written as text nodes: nothing in the document is ever markup here.
import { h } from './dom.js';
import { formatDay } from './dates.js';

/** @typedef {import('./dom.js').Child} Child */

// The IPS Composition's sections, in the profile's order (IPS IG, Composition
// (IPS): sectionProblems … sectionAdvanceDirectives), by LOINC.
export const IPS_SECTION_ORDER = ['11450-4', '48765-2', '10160-0', '11369-6', '30954-2', '47519-4', '46264-8', '11348-0',
  '47420-5', '18776-5', '29762-2', '10162-6', '42348-3', '8716-3'];

/** @param {any} cc  a CodeableConcept */
function conceptText(cc) {
  if (!cc || typeof cc !== 'object') return '';
  if (typeof cc.text === 'string' && cc.text) return cc.text;
  const coding = Array.isArray(cc.coding) ? cc.coding : [];
  const shown = coding.find((/** @type {any} */ c) => typeof c?.display === 'string' && c.display);
  if (shown) return shown.display;
  if (coding.some((/** @type {any} */ c) => c?.system === 'http://terminology.hl7.org/CodeSystem/data-absent-reason')) return 'Not recorded';
  const first = coding.find((/** @type {any} */ c) => typeof c?.code === 'string');
  if (!first) return '';
  const system = SYSTEM_NAMES[first.system] ?? first.system;
  return system ? `${system} ${first.code}` : first.code;
}

// A code with no words shown as "LOINC 4548-4", the system by its usual name.
/** @type {Record<string, string>} */
const SYSTEM_NAMES = { 'http://loinc.org': 'LOINC', 'http://snomed.info/sct': 'SNOMED CT',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm', 'http://hl7.org/fhir/sid/cvx': 'CVX',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM' };

// A status: the code of its first coding (its words when given), as FHIR's status value sets write it.
/** @param {any} s */
function statusText(s) {
  if (typeof s === 'string') return s;
  const coding = Array.isArray(s?.coding) ? s.coding : [];
  return (typeof s?.text === 'string' && s.text) || coding.find((/** @type {any} */ c) => c?.display)?.display
    || coding.find((/** @type {any} */ c) => typeof c?.code === 'string')?.code || '';
}

/** @param {unknown} value */
function day(value) {
  if (typeof value !== 'string' || !/^\d{4}(-\d{2}(-\d{2})?)?/.test(value)) return '';
  return formatDay(value.slice(0, 10));
}

/** @param {any} q  a Quantity */
function quantity(q) {
  if (!q || typeof q !== 'object' || typeof q.value !== 'number') return '';
  const unit = typeof q.unit === 'string' ? q.unit : typeof q.code === 'string' ? q.code : '';
  return `${q.comparator ?? ''}${q.value}${unit ? ` ${unit}` : ''}`;
}

/** @param {any} r  an Observation or component */
function observationValue(r) {
  if (r.valueQuantity) return quantity(r.valueQuantity);
  if (r.valueCodeableConcept) return conceptText(r.valueCodeableConcept);
  if (typeof r.valueString === 'string') return r.valueString;
  if (typeof r.valueBoolean === 'boolean') return r.valueBoolean ? 'yes' : 'no';
  if (typeof r.valueInteger === 'number') return String(r.valueInteger);
  if (r.dataAbsentReason) return `no value (${conceptText(r.dataAbsentReason).toLowerCase() || 'not recorded'})`;
  return '';
}

/** @param {any[]} ranges */
function rangeText(ranges) {
  const r = Array.isArray(ranges) ? ranges[0] : null;
  if (!r) return '';
  if (typeof r.text === 'string' && r.text) return r.text;
  const low = quantity(r.low), high = quantity(r.high);
  if (low && high) return `${low} to ${high}`;
  if (low) return `at least ${low}`;
  if (high) return `up to ${high}`;
  return '';
}

/** @param {any} r @returns {{ name: string, details: string[] }} */
function describe(r) {
  /** @type {string[]} */
  const details = [];
  const add = (/** @type {string} */ label, /** @type {string} */ value) => { if (value) details.push(`${label}: ${value}`); };
  const status = statusText;
  switch (r.resourceType) {
    case 'Condition':
      add('Status', status(r.clinicalStatus));
      add('Since', day(r.onsetDateTime ?? r.onsetPeriod?.start) || (typeof r.onsetString === 'string' ? r.onsetString : ''));
      add('Resolved', day(r.abatementDateTime ?? r.abatementPeriod?.start));
      return { name: conceptText(r.code) || 'A condition', details };
    case 'AllergyIntolerance': {
      add('Status', status(r.clinicalStatus));
      add('Criticality', typeof r.criticality === 'string' ? r.criticality : '');
      const reactions = (Array.isArray(r.reaction) ? r.reaction : []).flatMap((/** @type {any} */ x) =>
        (Array.isArray(x?.manifestation) ? x.manifestation : []).map(conceptText)).filter(Boolean);
      add('Reactions', reactions.join(', '));
      return { name: conceptText(r.code) || 'An allergy or intolerance', details };
    }
    case 'MedicationStatement':
    case 'MedicationRequest': {
      add('Status', typeof r.status === 'string' ? r.status : '');
      const dose = (Array.isArray(r.dosage) ? r.dosage : Array.isArray(r.dosageInstruction) ? r.dosageInstruction : [])
        .map((/** @type {any} */ d) => d?.text).filter((/** @type {any} */ t) => typeof t === 'string');
      add('Dose', dose.join('; '));
      add(r.resourceType === 'MedicationRequest' ? 'Prescribed' : 'Taken', day(r.authoredOn ?? r.effectiveDateTime ?? r.effectivePeriod?.start));
      return { name: conceptText(r.medicationCodeableConcept) || (typeof r.medicationReference?.display === 'string' ? r.medicationReference.display : '') || 'A medicine', details };
    }
    case 'Immunization':
      add('Given', day(r.occurrenceDateTime));
      add('Status', typeof r.status === 'string' && r.status !== 'completed' ? r.status : '');
      return { name: conceptText(r.vaccineCode) || 'A vaccine', details };
    case 'Observation': {
      const components = (Array.isArray(r.component) ? r.component : [])
        .map((/** @type {any} */ c) => `${conceptText(c?.code)} ${observationValue(c ?? {})}`.trim()).filter(Boolean);
      add('Result', observationValue(r) || components.join(', '));
      add('Usual range', rangeText(r.referenceRange));
      add('Flag', (Array.isArray(r.interpretation) ? r.interpretation : []).map(conceptText).filter(Boolean).join(', '));
      add('Date', day(r.effectiveDateTime ?? r.effectivePeriod?.start ?? r.issued));
      return { name: conceptText(r.code) || 'A result', details };
    }
    case 'Procedure':
      add('Date', day(r.performedDateTime ?? r.performedPeriod?.start));
      add('Status', typeof r.status === 'string' && r.status !== 'completed' ? r.status : '');
      return { name: conceptText(r.code) || 'A procedure', details };
    default:
      return { name: conceptText(r.code) || conceptText(r.type) || r.resourceType || 'An entry', details };
  }
}

// The Bundle's entries by every name a reference inside it may use.
/** @param {any} bundle */
function indexOf(bundle) {
  /** @type {Map<string, any>} */
  const byRef = new Map();
  for (const e of Array.isArray(bundle?.entry) ? bundle.entry : []) {
    const r = e?.resource;
    if (!r || typeof r !== 'object') continue;
    if (typeof e.fullUrl === 'string') byRef.set(e.fullUrl, r);
    if (typeof r.resourceType === 'string' && typeof r.id === 'string') byRef.set(`${r.resourceType}/${r.id}`, r);
  }
  return byRef;
}

/**
 * Whether a Bundle is an IPS document this view reads.
 * @param {any} bundle
 */
export function isIpsDocument(bundle) {
  return bundle?.resourceType === 'Bundle' && bundle.type === 'document' && bundle.entry?.[0]?.resource?.resourceType === 'Composition';
}

/**
 * The summary as elements, for the viewer's page.
 * @param {any} bundle  an IPS document Bundle (isIpsDocument)
 * @returns {HTMLElement}
 */
export function ipsView(bundle) {
  const byRef = indexOf(bundle);
  const composition = bundle.entry[0].resource;
  /** @type {Map<any, string[]>} */
  const sources = new Map();
  for (const r of byRef.values()) {
    if (r.resourceType !== 'Provenance') continue;
    const who = (Array.isArray(r.agent) ? r.agent : []).map((/** @type {any} */ a) => a?.who?.display).find((/** @type {any} */ d) => typeof d === 'string');
    if (!who) continue;
    for (const t of Array.isArray(r.target) ? r.target : []) {
      const target = byRef.get(t?.reference);
      if (target && !(sources.get(target) ?? []).includes(who)) sources.set(target, [...(sources.get(target) ?? []), who]);
    }
  }
  const patient = byRef.get(composition.subject?.reference);
  const name = patient && Array.isArray(patient.name) && patient.name[0]
    ? (patient.name[0].text ?? [...(patient.name[0].given ?? []), patient.name[0].family ?? ''].join(' ').trim()) : '';
  /** @type {any[]} */
  const sections = (Array.isArray(composition.section) ? composition.section : []).slice();
  const rank = (/** @type {any} */ s) => {
    const code = s?.code?.coding?.find((/** @type {any} */ c) => c?.system === 'http://loinc.org')?.code;
    const i = IPS_SECTION_ORDER.indexOf(code);
    return i < 0 ? IPS_SECTION_ORDER.length : i;
  };
  sections.sort((a, b) => rank(a) - rank(b));
  return h('article', { class: 'ips card' },
    h('header', { class: 'ips-patient' },
      h('h1', {}, typeof composition.title === 'string' ? composition.title : 'Patient summary'),
      h('p', {}, h('strong', {}, name || 'Name not shared'),
        patient?.birthDate ? `, born ${day(patient.birthDate)}` : '', patient?.gender ? `, ${patient.gender}` : ''),
      h('p', { class: 'muted' }, `Summary made ${day(composition.date) || 'on an unknown date'}. `,
        'It holds what the patient chose to share; it may not be their whole record.')),
    ...sections.map((s, i) => {
      const entries = (Array.isArray(s.entry) ? s.entry : []).map((/** @type {any} */ e) => byRef.get(e?.reference)).filter(Boolean);
      const id = `section-${i}`;
      return h('section', { class: 'ips-section', 'aria-labelledby': id },
        h('h2', { id }, typeof s.title === 'string' && s.title ? s.title : conceptText(s.code) || 'Section'),
        entries.length === 0
          ? h('p', { class: 'muted' }, s.emptyReason ? `None listed: ${conceptText(s.emptyReason).toLowerCase() || 'no reason given'}.` : 'None listed.')
          : h('ul', {}, entries.map((/** @type {any} */ r) => {
            const { name: what, details } = describe(r);
            const from = sources.get(r) ?? [];
            return h('li', {}, h('strong', {}, what), details.length > 0 ? ` — ${details.join('; ')}` : '',
              from.length > 0 ? h('span', { class: 'source' }, ` (from ${from.join(', ')})`) : '');
          })));
    }));
}
