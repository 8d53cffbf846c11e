// SPDX-License-Identifier: Apache-2.0
// The widget's dates: one format, the month in words, the locale's order, and
// the same words the core writes inside its sentences (the summary's dateStyle).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dateStyle, formatDay, formatMoment, timeAgo } from '../../web/widget/js/dates.js';
import { loadCore } from './support.mjs';

test('the order follows the locale; the words are the same everywhere', () => {
  assert.equal(dateStyle('en-US'), 'month-day-year');
  assert.equal(dateStyle('en-GB'), 'day-month-year');
  assert.equal(dateStyle('de-DE'), 'day-month-year');
  assert.equal(formatDay('2023-06-13', 'month-day-year'), 'June 13, 2023');
  assert.equal(formatDay('2023-06-13T22:30:00-05:00', 'day-month-year'), '13 June 2023');  // the date as written
  assert.equal(formatDay('2023-06', 'month-day-year'), 'June 2023');
  assert.equal(formatDay('2023', 'day-month-year'), '2023');
  assert.equal(formatDay('unknown', 'day-month-year'), 'unknown');
  assert.equal(formatDay('2023-13-01', 'day-month-year'), '2023-13-01');
  assert.match(formatMoment(Date.UTC(2026, 11, 4, 19, 15), 'en-US'), /^December \d, 2026 at \d{1,2}:\d{2}/);
});

test('how long ago a device last synced, in words', () => {
  const now = Date.UTC(2026, 11, 5, 12, 0);
  assert.equal(timeAgo(now - 20 * 1000, now), 'just now');
  assert.equal(timeAgo(now - 61 * 1000, now), 'a minute ago');
  assert.equal(timeAgo(now - 59 * 60 * 1000, now), '59 minutes ago');
  assert.equal(timeAgo(now - 60 * 60 * 1000, now), 'an hour ago');
  assert.equal(timeAgo(now - 23 * 3600 * 1000, now), '23 hours ago');
  assert.equal(timeAgo(now - 30 * 3600 * 1000, now), 'yesterday');
  assert.match(timeAgo(now - 10 * 86400 * 1000, now), /^on (November 25, 2026|25 November 2026)$/);
});

test('the core writes dates in sentences as the widget writes its own', async () => {
  const core = await loadCore();
  const bundle = {
    resourceType: 'Bundle', type: 'collection', entry: [
      { resource: { resourceType: 'Patient', id: 'p', name: [{ family: 'Ng', given: ['Mai'] }], birthDate: '1961-02-03', gender: 'female' } },
      { resource: { resourceType: 'Observation', status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '2345-7' }] }, effectiveDateTime: '2025-03-09',
        valueQuantity: { value: 180, unit: 'mg/dL', system: 'http://unitsofmeasure.org', code: 'mg/dL' } } },
    ],
  };
  const sources = [{ name: 'a.json', bytes: new TextEncoder().encode(JSON.stringify(bundle)) }];
  for (const style of /** @type {const} */ (['month-day-year', 'day-month-year'])) {
    const summary = JSON.parse(core.summarize(sources, { today: '2025-06-01', dateStyle: style }));
    assert.ok(summary.narrative.includes(`born ${formatDay('1961-02-03', style)}`), summary.narrative);
    assert.ok(summary.insights.some((i) => i.text.includes(formatDay('2025-03-09', style))));
  }
  assert.throws(() => core.summarize(sources, { dateStyle: 'yyyy' }), /dateStyle must be/);
});
