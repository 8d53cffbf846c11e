// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The records explained (the core's summary, docs/summary-schema.md), as the
// patient reads them: the story first, then what to talk about, then the
// details — each lab with its range, flag, a small trend chart and where the
// result came from; every listed item with its source; and a timeline.
import { h } from './dom.js';
import { formatDay } from './dates.js';
import { sparkGeometry } from './spark-scale.js';

/** @typedef {import('../../../wasm/chartlock-core').Summary} Summary */
/** @typedef {import('../../../wasm/chartlock-core').LabSeries} LabSeries */
/** @typedef {import('../../../wasm/chartlock-core').LatestPoint} LatestPoint */
/** @typedef {import('../../../wasm/chartlock-core').PressurePoint} PressurePoint */
/** @typedef {import('../../../wasm/chartlock-core').Range} Range */
/** @typedef {import('../../../wasm/chartlock-core').Trend} Trend */
/** @typedef {import('../../../wasm/chartlock-core').TimelineEvent} TimelineEvent */
/** @typedef {import('../../../wasm/chartlock-core').NotesRecord} NotesRecord */
/** @typedef {import('../../../wasm/chartlock-core').RecordAttachment} RecordAttachment */
/** @typedef {import('./dom.js').Child} Child */
/**
 * A vital sign as vitalRow reads it: blood pressure's points have systolic and
 * diastolic, the other vital signs' a value (VitalSeries in wasm/chartlock-core.d.ts).
 * @typedef {Partial<LatestPoint & PressurePoint>} VitalPoint
 * @typedef {{ name: string, flag: string, flagText: string, latest?: VitalPoint | null, history?: VitalPoint[], trend?: Trend | null,
 *   categoryLabel?: string, range?: Range | null }} VitalView  categoryLabel: the series' (BMI); blood pressure's is on
 *   its latest point; range: the usual range (none for blood pressure, whose chart is its systolic values)
 */
/** @typedef {{ value?: number | null }} ChartPoint  a point of a chart */

const SVG = 'http://www.w3.org/2000/svg';
/** @param {string} tag @param {Record<string, string | number>} [attrs] */
const svg = (tag, attrs = {}) => {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
};

// Every number, unit, range, trend and flag below is the core's own words
// (docs/summary-schema.md, "display" fields): at the precision each test is
// reported in, units in words, never "In range" without a range.

/** @param {string} f  the flag @param {string} text  its words */
function flag(f, text) {
  return h('span', { class: `flag flag-${f}` }, text);
}

// A small line chart of a series against its usual range (a shaded band),
// on a scale that does not make a small change look large (spark-scale.js).
// Decorative for screen readers: the same facts are in the text next to it.
/**
 * @param {ChartPoint[]} history
 * @param {Range | null} [range]
 */
function sparkline(history, range) {
  const values = history.map((p) => p.value).filter(/** @returns {v is number} */ (v) => typeof v === 'number');
  if (values.length < 2) return null;
  const W = 120, H = 32;
  const { points, band } = sparkGeometry(values, range, { width: W, height: H, pad: 3 });
  const chart = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, 'aria-hidden': 'true', class: 'spark' });
  if (band) chart.append(svg('rect', { x: 0, y: band.top, width: W, height: Math.max(band.bottom - band.top, 1), class: 'spark-range' }));
  chart.append(svg('polyline', { points: points.map(([x, y]) => `${x},${y}`).join(' '), class: 'spark-line' }));
  const [lastX, lastY] = points[points.length - 1];
  chart.append(svg('circle', { cx: lastX, cy: lastY, r: 2.5, class: 'spark-dot' }));
  return chart;
}

/** @param {Range | null | undefined} range */
function rangeText(range) {
  if (!range?.display) return 'no usual range';
  return `${range.display} (${range.source === 'report' ? 'the lab’s range' : 'typical adult range'})`;
}

/** @param {Trend | null | undefined} t */
const trendText = (t) => (t?.direction ? t.display : t?.note ?? 'not enough data');

/** @param {string | undefined} date */
const on = (date) => (date ? formatDay(date) : 'an unknown date');

/** @param {{ history?: { sources?: string[] }[] }} entry */
const sourcesOf = (entry) => [...new Set((entry.history ?? []).flatMap((p) => p.sources ?? []))];

/** @param {LabSeries} lab */
function labRow(lab) {
  const latest = lab.latest ?? {};
  return h('li', { class: 'lab' },
    h('div', { class: 'lab-head' }, h('strong', {}, lab.name), ' ', flag(lab.flag, lab.flagText)),
    h('div', {}, `${latest.display ?? '?'} on ${on(latest.date)}`, latest.method ? ` (${latest.method})` : '',
      ` · usual: ${rangeText(lab.range)}`),
    h('div', { class: 'lab-trend' }, sparkline(lab.history ?? [], lab.range), ' ', `Trend: ${trendText(lab.trend)}`),
    h('details', {}, h('summary', {}, `About ${lab.name}`),
      h('p', {}, lab.plain ?? 'This test is not in Chartlock’s knowledge base yet.'),
      lab.range?.reference && h('p', { class: 'source' }, `Range source: ${lab.range.reference}`),
      h('p', { class: 'source' }, `From: ${sourcesOf(lab).join(', ') || 'unknown'}`)));
}

/** @param {VitalView} v */
function vitalRow(v) {
  const l = v.latest ?? {};
  return h('li', { class: 'lab' },
    h('div', { class: 'lab-head' }, h('strong', {}, v.name), ' ', flag(v.flag, v.flagText)),
    h('div', {}, `${l.display ?? '?'} on ${on(l.date)}`, (l.categoryLabel ?? v.categoryLabel) ? ` · ${l.categoryLabel ?? v.categoryLabel}` : ''),
    h('div', { class: 'lab-trend' }, sparkline((v.history ?? []).map((p) => ({ value: p.systolic ?? p.value })), v.range), ' ',
      `Trend: ${trendText(v.trend)}`));
}

// "from clinic-a.json, clinic-b.json": where an item came from, in small
// muted text as labs show it.
/** @param {string[] | undefined} sources */
function from(sources) {
  return sources?.length ? h('span', { class: 'source from' }, ` · from ${sources.join(', ')}`) : null;
}

// The history as dated events, newest first, under a heading per year. The
// first events are shown; the rest open on demand.
const TIMELINE_SHOWN = 15;

/** @param {TimelineEvent[]} events */
function timelineYears(events) {
  /** @type {{ year: string, events: TimelineEvent[] }[]} */
  const years = [];
  for (const e of events) {
    const year = e.date.slice(0, 4);
    if (years.at(-1)?.year !== year) years.push({ year, events: [] });
    /** @type {{ events: TimelineEvent[] }} there is one: pushed just above if not */ (years.at(-1)).events.push(e);
  }
  return years;
}

/**
 * @param {TimelineEvent[]} events
 * @param {string} [continuedYear]
 */
function timelineList(events, continuedYear) {
  return timelineYears(events).map(({ year, events: list }) => h('div', { class: 'timeline-year' },
    h('h4', {}, year === continuedYear ? `${year} (continued)` : year),
    h('ul', { class: 'timeline' }, list.map((e) => h('li', { class: `timeline-event timeline-${e.kind}` },
      h('time', { datetime: e.date }, formatDay(e.date)), ' ', e.text, from(e.sources))))));
}

/** @param {TimelineEvent[]} [events] */
function timelineSection(events = []) {
  const shown = events.slice(0, TIMELINE_SHOWN), rest = events.slice(TIMELINE_SHOWN);
  return h('section', { class: 'records-section', 'aria-labelledby': 'timeline-heading' },
    h('h3', { id: 'timeline-heading' }, 'Timeline'),
    events.length === 0 ? h('p', { class: 'muted' }, 'No dated events on record.') : timelineList(shown),
    rest.length > 0 && h('details', { class: 'timeline-more' }, h('summary', {}, `Show all ${events.length} events`),
      timelineList(rest, shown.at(-1)?.date.slice(0, 4))));
}

// A long list shows its first items and keeps the rest one click away (a
// <details>, so it opens by keyboard too and says whether it is open): the page
// stays short enough to use, and nothing is dropped.
const LIST_SHOWN = 8;

/**
 * @template T
 * @param {string} title
 * @param {T[]} items
 * @param {(item: T) => Child} render
 * @param {string} [empty]
 * @param {{ shown?: number, more?: (hidden: number, all: number) => string }} [collapse]  how many show at first, and
 *   what the button for the rest says (default "Show all N <title>")
 */
function section(title, items, render, empty = 'None on record.', collapse = {}) {
  const { shown = LIST_SHOWN, more = (_hidden, all) => `Show all ${all} ${title.toLowerCase()}` } = collapse;
  const first = items.slice(0, shown), rest = items.slice(shown);
  return h('section', { class: 'records-section', 'aria-labelledby': sectionId(title) },
    h('h3', { id: sectionId(title), tabindex: '-1' }, title),
    items.length === 0 ? h('p', { class: 'muted' }, empty) : h('ul', {}, first.map(render)),
    rest.length > 0 && h('details', { class: 'more' }, h('summary', {}, more(rest.length, items.length)),
      h('ul', {}, rest.map(render))));
}

/** @param {string} title */
const sectionId = (title) => `records-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;

// Links to every section (a long record is many screens, more on a phone), and
// past the longest list: keyboard and screen-reader users jump instead of tabbing through.
/** @param {string[]} titles */
function sectionNav(titles) {
  return h('nav', { class: 'records-nav', 'aria-label': 'Sections of your records' },
    h('ul', {}, titles.map((t) => h('li', {}, h('a', { href: `#${sectionId(t)}` }, t)))));
}

/** @param {import('../../../wasm/chartlock-core').SummaryMedication} m */
function medicationRow(m) {
  const when = m.current === 'active' ? 'listed as active' : m.since ? `last prescribed ${formatDay(m.since)}` : '';
  return h('li', {}, m.name, m.classes?.length ? ` — ${m.classes.join(', ')}` : '', when ? ` (${when})` : '', from(m.sources));
}

// Current medicines (the core's rule, said in the narrative), then past ones,
// closed: a patient checks what they take now.
/** @param {Summary} summary */
function medicationsSection(summary) {
  const list = section('Medications', summary.activeMedications, medicationRow,
    summary.pastMedications.length ? 'No current medicines on record.' : 'None on record.');
  if (summary.pastMedications.length > 0) {
    list.append(h('details', { class: 'more' },
      h('summary', {}, `Past medicines (${summary.pastMedications.length})`),
      h('ul', {}, summary.pastMedications.map(medicationRow))));
  }
  return list;
}

/** @param {number} n */
const bytesWords = (n) => (n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

const FORMAT_WORDS = /** @type {Record<string, string>} */ ({ pdf: 'PDF', rtf: 'RTF', html: 'HTML', cda: 'C-CDA document',
  xml: 'XML', text: 'text', binary: 'file' });

// One attachment of a note: its words (collapsed, so the list stays short),
// or what it is and why it was not read (a PDF, a note the portal did not give).
/** @param {RecordAttachment} a @param {string} kind  the note's type, not repeated as its title */
function attachmentView(a, kind) {
  const title = a.title && a.title !== kind ? a.title : '';
  if (a.text) {
    return h('details', { class: 'note-text' },
      h('summary', {}, title ? `Read the note: ${title}` : 'Read the note'),
      h('div', { class: 'note-body' }, a.text.split(/\n{2,}/).map((p) => h('p', {}, p))),
      a.note && h('p', { class: 'source' }, `Read from ${FORMAT_WORDS[a.format ?? ''] ?? 'the attachment'}: ${a.note}.`));
  }
  const what = a.format === 'pdf' || /^application\/pdf/.test(a.contentType ?? '') ? 'PDF'
    : FORMAT_WORDS[a.format ?? ''] ?? a.contentType ?? 'An attachment';
  const details = [title, a.size ? bytesWords(a.size) : '', a.creation ? `made ${formatDay(a.creation)}` : ''].filter(Boolean);
  const why = what === 'PDF' ? 'Chartlock does not read PDFs yet'
    : a.note ?? (a.url ? 'its text was not fetched from the portal' : 'it holds no text');
  return h('p', { class: 'muted note-unread' }, `${what}${details.length ? ` (${details.join(', ')})` : ''}, not read: ${why}.`);
}

/**
 * @typedef {{ key: string, kind: string, date: string, authors: string[], attachments: RecordAttachment[],
 *   sources: string[] }} NoteView
 */

/** @param {NotesRecord | undefined} notes @returns {NoteView[]} newest first */
function noteViews(notes) {
  /** @param {{ text?: string, display?: string } | undefined} c @param {string} fallback */
  const label = (c, fallback) => c?.text ?? c?.display ?? fallback;
  /** @type {NoteView[]} */
  const out = [];
  for (const d of notes?.documents ?? []) {
    if (d.status === 'entered-in-error') continue;
    out.push({ key: d.key, kind: label(d.code, 'Clinical note'), date: d.date ?? '', authors: d.authors ?? [],
      attachments: d.attachments, sources: [...new Set(d.sources.map((s) => s.source))] });
  }
  for (const r of notes?.reports ?? []) {
    if (r.status === 'entered-in-error') continue;
    out.push({ key: r.key, kind: label(r.code, 'Report'), date: r.effective ?? r.issued ?? '', authors: [],
      attachments: r.presentedForm ?? [], sources: [...new Set(r.sources.map((s) => s.source))] });
  }
  return out.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

/** @param {NoteView} n */
function noteRow(n) {
  return h('li', { class: 'note' },
    h('strong', {}, n.kind), n.date ? ` on ${formatDay(n.date)}` : '', n.authors.length ? ` by ${n.authors.join(', ')}` : '',
    from(n.sources),
    n.attachments.map((a) => attachmentView(a, n.kind)));
}

// What matters first: the most serious things to talk about and the first
// questions; the rest one click away.
const TOP_SHOWN = 5;

/**
 * @param {Summary} summary
 * @param {NotesRecord} [notes]  the notes with their text (Records.notes())
 */
export function recordsView(summary, notes) {
  // The core ranks them (most serious, then most recent, first): its order is the one shown.
  const insights = summary.insights;
  const titles = ['Things to talk about', 'Questions for your next appointment', 'Lab results', 'Vital signs', 'Conditions',
    'Medications', 'Allergies', 'Immunizations', 'Recent visits', 'Clinical notes'];
  const labs = section('Lab results', summary.labs, labRow, 'No lab results on record.');
  if (summary.labs.length > 5) {
    labs.insertBefore(h('a', { class: 'skip', href: `#${sectionId('Vital signs')}` }, 'Skip past the lab results'), labs.children[1]);
  }
  return h('div', { class: 'records' },
    h('p', { class: 'narrative' }, summary.narrative),
    h('p', { class: 'source' }, `From: ${summary.sources.join(', ')}. This explains your records; it is not a diagnosis.`),
    sectionNav(titles),
    section('Things to talk about', insights, (i) => h('li', { class: `insight insight-${i.severity}` },
      h('strong', {}, i.title), h('p', {}, i.text), h('p', { class: 'source' }, `Source: ${i.source}`)), undefined,
      { shown: TOP_SHOWN, more: (hidden) => `Show ${hidden} more ${hidden === 1 ? 'thing' : 'things'} to talk about` }),
    section('Questions for your next appointment', summary.questions, (q) => h('li', {}, q.text), undefined,
      { shown: TOP_SHOWN, more: (hidden) => `Show ${hidden} more ${hidden === 1 ? 'question' : 'questions'}` }),
    labs,
    section('Vital signs', summary.vitals, vitalRow),
    section('Conditions', summary.activeConditions, (c) => h('li', {}, c.plain, c.onset ? ` (since ${formatDay(c.onset)})` : '',
      from(c.sources))),
    medicationsSection(summary),
    section('Allergies', summary.allergies, (a) => h('li', {}, a.plain, a.criticality ? ` (${a.criticality} risk)` : '',
      from(a.sources))),
    section('Immunizations', summary.immunizations, (i) => h('li', {}, `${i.plain} on ${formatDay(i.date)}`,
      from(i.sources))),
    section('Recent visits', summary.recentEncounters, (e) => h('li', {}, `${formatDay(e.date)}: ${e.plain}`,
      e.reasons?.length ? ` (${e.reasons.join(', ')})` : '', from(e.sources))),
    section('Clinical notes', noteViews(notes), noteRow, 'No clinical notes on record.'),
    timelineSection(summary.timeline));
}
