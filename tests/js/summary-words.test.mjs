// SPDX-License-Identifier: Apache-2.0
// The words suite: what a patient reads in the widget (the summary JSON the
// wasm core gives it, dates in the patient's style) and the Markdown a tool
// reads, over generated multi-provider patients and five Synthea patients
// made by someone else's generator. Each check is a promise to the reader:
//   - no value, range or change shown with more precision than its test is
//     reported in (three significant digits for a test the core does not know);
//   - no UCUM notation or {annotation} in place of a unit;
//   - no LOINC long-form name ("[Mass/volume] in Serum or Plasma", "Lipid 1996 panel");
//   - "current medicines" never empty for a patient prescribed one in the
//     last year (read from the FHIR itself, not from the core);
//   - no YYYY-MM-DD inside a sentence when the widget asks for its style.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { fixtures, loadCore, runCli } from './support.mjs';

const synthea = path.join(fixtures, 'synthea-r4');

// ---- the patients ----

// The day the patient reads their records: three months after the newest
// visit or prescription, as a patient opening them after their last
// appointment would (deterministic, and inside the 12 months "current" covers).
/** @param {{ bytes: Uint8Array }[]} files */
function todayFor(files) {
  let newest = '';
  for (const f of files) {
    for (const { resource: r } of JSON.parse(Buffer.from(f.bytes).toString()).entry ?? []) {
      const day = (r?.resourceType === 'MedicationRequest' ? r.authoredOn : r?.resourceType === 'Encounter' ? r.period?.start : '') ?? '';
      if (day.slice(0, 10) > newest) newest = day.slice(0, 10);
    }
  }
  const d = new Date(`${newest || '2025-10-03'}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 90);
  return d.toISOString().slice(0, 10);
}

/** @returns {{ name: string, today: string, files: { name: string, bytes: Uint8Array }[] }[]} */
function patients() {
  const out = [];
  // The largest is kept gzipped (bytes unchanged inside); it is read as the patient's file.
  for (const file of readdirSync(synthea).filter((f) => /\.json(\.gz)?$/.test(f)).sort()) {
    const raw = readFileSync(path.join(synthea, file));
    const files = [{ name: file.replace(/\.gz$/, ''), bytes: new Uint8Array(file.endsWith('.gz') ? gunzipSync(raw) : raw) }];
    out.push({ name: file, today: todayFor(files), files });
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-words-'));
  for (const [seed, providers] of [[1, 3], [2, 2], [3, 1], [5, 2], [8, 3], [13, 2]]) {
    const out_dir = path.join(dir, `seed-${seed}`);
    const r = runCli(['generate', '--seed', String(seed), '--providers', String(providers), '--size', '200KB',
      '--now', '2026-01-01', '--out', out_dir]);
    assert.equal(r.status, 0, r.stderr);
    const files = readdirSync(out_dir).filter((f) => /^provider-\d+\.json$/.test(f)).sort()
      .map((f) => ({ name: f, bytes: new Uint8Array(readFileSync(path.join(out_dir, f))) }));
    out.push({ name: `generated seed ${seed}`, today: todayFor(files), files });
  }
  return out;
}

// ---- what a reader must never see ----

const UCUM = [/\{[^}]*\}/, /10\*\d/, /\^/, /\[(Hg|IU|iU|lb_av|in_i|oz_av|degF|pH|HPF|LPF|ppm|drp)\]/, /\bCel\b/, /\bu(g|mol|L|IU)\b/];
const LOINC_LONG = [
  /\[(Mass|Moles|Units|Presence|Volume|Enzymatic|Ratio|Mass ratio|Arbitrary|Entitic|Number|Length|Time|Percentile|Catalytic|Interpretation|Type|Substance)[^\]]*\]/i,
  /\[#\/[^\]]*\]/,
  / in (Serum|Plasma|Serum or Plasma|Blood|Urine|Capillary blood|Body fluid)\b/,
  /\b(19|20)\d\d panel\b/,
  / by (Automated count|Manual count|Test strip|calculation|Calculation)\b/i,
];
const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/;

/** @param {string} where @param {string} text */
function plainWords(where, text) {
  for (const re of UCUM) assert.doesNotMatch(text, re, `${where}: a unit code in "${text}"`);
  for (const re of LOINC_LONG) assert.doesNotMatch(text, re, `${where}: a LOINC long name in "${text}"`);
}

/** @param {string} number @returns {number} decimals written */
const decimalsOf = (number) => (number.includes('.') ? number.split('.')[1].length : 0);
/** @param {string} number @returns {number} significant digits written */
const significant = (number) => number.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length;

/**
 * A number shown at most at `decimals` places (exactly, for a value); with
 * the precision not known, at most three significant digits below 100.
 * @param {string} where @param {string} text @param {number | null} decimals @param {boolean} exact
 */
function precise(where, text, decimals, exact) {
  for (const m of text.matchAll(/-?\d+(?:\.\d+)?/g)) {
    const n = m[0];
    if (/^(19|20)\d\d$/.test(n) && /since|on|in/.test(text)) continue;  // a year
    if (n === '1.73') continue;                                          // "per 1.73 m²", a unit
    if (decimals === null) {
      assert.ok(Math.abs(Number(n)) >= 100 ? decimalsOf(n) === 0 : significant(n) <= 3,
        `${where}: ${n} in "${text}" is more precise than three significant digits`);
    } else if (exact) {
      assert.equal(decimalsOf(n), decimals, `${where}: ${n} in "${text}" should have ${decimals} decimals`);
    } else {
      assert.ok(decimalsOf(n) <= decimals, `${where}: ${n} in "${text}" has more than ${decimals} decimals`);
    }
  }
}

/** @param {string} text the value as shown, without its unit */
const numberPart = (text) => text.replace(/^[<>=≤≥]+/, '').split(' ')[0].replace(/%$/, '');

/** @param {any} s the summary JSON @param {string} who */
function checkSummary(s, who) {
  for (const series of [...s.labs, ...s.vitals]) {
    const where = `${who}: ${series.name}`;
    plainWords(where, series.name);
    plainWords(where, series.unitText);
    const points = series.id === 'blood-pressure' ? series.history : series.history;
    for (const p of points) {
      if (typeof p.value === 'number') precise(where, numberPart(p.display), series.decimals, true);
      else if (p.systolic != null) for (const n of p.display.split(' ')[0].split('/')) precise(where, n, series.decimals, true);
      plainWords(where, p.display);
      if (p.range?.display) {
        precise(where, p.range.display.replace(/mL\/min per 1\.73 m²/g, ''), series.decimals, false);
        plainWords(where, p.range.display);
      }
    }
    for (const t of [series.trend, series.diastolicTrend].filter(Boolean)) {
      precise(where, t.display.replace(/since .*$/, '').replace(/mL\/min per 1\.73 m²/g, ''), series.decimals, false);
      plainWords(where, t.display);
      assert.doesNotMatch(t.display, ISO_DAY, `${where}: a YYYY-MM-DD in "${t.display}"`);
    }
    assert.ok(!(series.flagText === 'In range' && !series.range?.display && series.id !== 'blood-pressure'),
      `${where}: "In range" with no usual range`);
  }
  const sentences = [s.narrative, ...s.insights.flatMap((i) => [i.title, i.text, i.question ?? '']),
    ...s.questions.map((q) => q.text), ...s.timeline.map((e) => e.text)];
  for (const text of sentences) {
    plainWords(who, text);
    assert.doesNotMatch(text, /\d+\.\d{4,}/, `${who}: a number with four or more decimals in "${text}"`);
  }
  for (const text of [s.narrative, ...s.insights.map((i) => i.text), ...s.questions.map((q) => q.text)]) {
    assert.doesNotMatch(text, ISO_DAY, `${who}: a YYYY-MM-DD in "${text}"`);
  }
}

/** @param {string} md @param {string} who */
function checkMarkdown(md, who) {
  const body = md.split('\n').filter((line) => !line.startsWith('Data from') && !line.startsWith('- 2'))  // file names
    .join('\n');
  for (const re of UCUM) assert.doesNotMatch(body, re, `${who} (Markdown): a unit code`);
  for (const re of LOINC_LONG) {
    const hit = body.match(re);
    assert.equal(hit, null, `${who} (Markdown): a LOINC long name: ${hit?.[0]} in …${body.slice(Math.max(0, (hit?.index ?? 0) - 80), (hit?.index ?? 0) + 40)}…`);
  }
  assert.doesNotMatch(body, /\d+\.\d{4,}/, `${who} (Markdown): a number with four or more decimals`);
}

// ---- medicines, from the FHIR itself ----

/** Medicines prescribed in the 12 months before `today`, and not stopped. */
function prescribedLastYear(files, today) {
  const from = new Date(`${today}T00:00:00Z`);
  from.setUTCFullYear(from.getUTCFullYear() - 1);
  const names = new Set();
  for (const f of files) {
    const bundle = JSON.parse(Buffer.from(f.bytes).toString());
    for (const { resource: r } of bundle.entry ?? []) {
      if (r?.resourceType !== 'MedicationRequest' || !r.authoredOn) continue;
      if (['stopped', 'cancelled', 'entered-in-error', 'draft'].includes(r.status)) continue;
      const day = r.authoredOn.slice(0, 10);
      if (day >= from.toISOString().slice(0, 10) && day <= today) names.add(r.medicationCodeableConcept?.text ?? r.id);
    }
  }
  return names;
}

test('what the patient and a tool read: precision, units, names, current medicines, dates', async () => {
  const core = await loadCore();
  const all = patients();
  let prescribed = 0;
  for (const p of all) {
    for (const dateStyle of ['month-day-year', 'day-month-year']) {
      const summary = JSON.parse(core.summarize(p.files, { today: p.today, dateStyle }));
      checkSummary(summary, p.name);
      if (prescribedLastYear(p.files, p.today).size > 0) {
        prescribed += 1;
        assert.ok(summary.activeMedications.length > 0, `${p.name}: prescribed in the last year, yet no current medicines`);
        assert.doesNotMatch(summary.narrative, /No current medicines/, `${p.name}: "${summary.narrative}"`);
      }
    }
    checkMarkdown(core.summarize(p.files, { today: p.today, format: 'markdown' }), p.name);
  }
  assert.ok(prescribed > 0, 'some patient was prescribed a medicine in the last year: the medicines check ran');
});

test('the checks catch what they look for', () => {
  assert.throws(() => plainWords('t', '6.0 10*3/uL'));
  assert.throws(() => plainWords('t', 'Thyrotropin [Units/volume] in Serum or Plasma'));
  assert.throws(() => plainWords('t', 'Lipid 1996 panel'));
  assert.throws(() => precise('t', '84.68', 0, true));
  assert.throws(() => precise('t', '4.197', null, false));
  assert.doesNotThrow(() => precise('t', '0.92', 2, true));
  assert.doesNotThrow(() => precise('t', '70 to 99', 0, false));
});
