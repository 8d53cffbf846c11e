// The records, as the patient reads them: who, what is active, latest
// results, with where each item came from.
import { h } from './dom.js';

const label = (code) => code?.text ?? code?.display ?? code?.code ?? 'Unnamed';
const date = (s) => (s ? s.slice(0, 10) : 'date unknown');
const from = (item) => [...new Set(item.sources.map((s) => s.source))].join(', ');

function valueText(v) {
  if (!v) return 'no value';
  if (v.kind === 'quantity' || v.kind === 'integer') return `${v.comparator ?? ''}${v.value ?? '?'} ${v.unit ?? ''}`.trim();
  return v.text ?? label(v.code);
}

function list(title, items, render) {
  return h('section', { class: 'records-section' }, h('h3', {}, title),
    items.length === 0 ? h('p', { class: 'muted' }, 'None recorded.') : h('ul', {}, items.map(render)));
}

export function recordsView(record, providers) {
  const p = record.patient;
  const active = (s) => !s || s === 'active' || s === 'recurrence' || s === 'relapse';
  const labs = new Map();  // latest result per test
  for (const o of record.observations) {
    if (!o.category.includes('laboratory') || !o.effective) continue;
    const key = o.code.code ?? label(o.code);
    if (!labs.has(key) || labs.get(key).effective < o.effective) labs.set(key, o);
  }
  return h('div', { class: 'records' },
    p && h('p', {}, h('strong', {}, p.name ?? 'You'), p.birthDate ? `, born ${p.birthDate}` : '',
      ` — records from ${providers.map((x) => x.name).join(' and ')}.`),
    list('Conditions', record.conditions.filter((c) => active(c.clinicalStatus)),
      (c) => h('li', {}, label(c.code), ` (since ${date(c.onset)})`, h('span', { class: 'source' }, ` from ${from(c)}`))),
    list('Medications', record.medications.filter((m) => m.status === 'active'),
      (m) => h('li', {}, label(m.code), m.dosage ? ` — ${m.dosage}` : '', h('span', { class: 'source' }, ` from ${from(m)}`))),
    list('Allergies', record.allergies,
      (a) => h('li', {}, label(a.code), a.criticality ? ` (${a.criticality} risk)` : '', h('span', { class: 'source' }, ` from ${from(a)}`))),
    list('Latest lab results', [...labs.values()].sort((a, b) => label(a.code).localeCompare(label(b.code))),
      (o) => h('li', {}, `${label(o.code)}: ${valueText(o.value)} on ${date(o.effective)}`, h('span', { class: 'source' }, ` from ${from(o)}`))),
    list('Immunizations', [...record.immunizations].sort((a, b) => (b.occurrence ?? '').localeCompare(a.occurrence ?? '')).slice(0, 10),
      (i) => h('li', {}, `${label(i.code)} on ${date(i.occurrence)}`)));
}
