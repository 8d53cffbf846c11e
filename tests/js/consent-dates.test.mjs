// SPDX-License-Identifier: Apache-2.0
// The consent screen's dates, typed as year-month-day in a text field (one Tab
// stop each): what is read as a date, and what is said not to be one.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { readDate } from '../../web/widget/js/consent.js';

test('a date typed as year-month-day is read, loosely typed ones written the one way', () => {
  assert.equal(readDate('2024-03-31'), '2024-03-31');
  assert.equal(readDate(' 2024-3-5 '), '2024-03-05');
  assert.equal(readDate('2024/03/05'), '2024-03-05');
  assert.equal(readDate('2024-02-29'), '2024-02-29');
});

test('empty is no limit; what is not a date is null', () => {
  assert.equal(readDate(''), '');
  assert.equal(readDate('   '), '');
  for (const text of ['2024-13-01', '2023-02-29', '2024-04-31', '2024-03', '03/31/2024', '31.03.2024', 'yesterday', '20240331', '0024-01-01x']) {
    assert.equal(readDate(text), null, text);
  }
});
