// SPDX-License-Identifier: Apache-2.0
// The records' small trend charts do not exaggerate (issue 19, item 8): a
// 97 → 96 % oxygen reading against its usual range 95–100 is a small step, not
// a fall from the top of the chart to the bottom; the usual range is drawn as
// a band; and without a range a tiny change stays small.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { sparkDomain, sparkGeometry } from '../../web/widget/js/spark-scale.js';

const BOX = { width: 120, height: 32, pad: 3 };
/** How far the line moves from the first point to the last, as a fraction of the chart's height. */
const drop = (values, range) => {
  const { points } = sparkGeometry(values, range, BOX);
  return Math.abs(points.at(-1)[1] - points[0][1]) / BOX.height;
};

test('97 → 96 % oxygen against 95–100 moves the line by less than a quarter of the chart', () => {
  const moved = drop([97, 96], { low: 95, high: 100 });
  assert.ok(moved < 0.25, `moved ${(moved * 100).toFixed(0)} % of the height`);
  assert.ok(moved > 0, 'but it does move');
});

test('a series with a usual range draws the band, inside the chart, with room around it', () => {
  const { band, points } = sparkGeometry([97, 96], { low: 95, high: 100 }, BOX);
  assert.ok(band, 'a band');
  assert.ok(band.top > 0 && band.bottom < BOX.height, `the band has a margin (${band.top}–${band.bottom})`);
  assert.ok(band.bottom - band.top > BOX.height / 2, 'the band is most of the chart');
  for (const [, y] of points) assert.ok(y >= band.top && y <= band.bottom, 'values in range are drawn inside the band');
});

test('a value far outside the range is still on the chart, and the range stays in view', () => {
  const { band, points } = sparkGeometry([98, 80], { low: 95, high: 100 }, BOX);
  for (const [, y] of points) assert.ok(y >= 0 && y <= BOX.height);
  assert.ok(points.at(-1)[1] > band.bottom, '80 is drawn below the band');
});

test('a one-sided range ("60 or more") shades from its bound to the edge', () => {
  const { band } = sparkGeometry([90, 85], { low: 60, high: null }, BOX);
  assert.equal(band.top, 0);
  assert.ok(band.bottom < BOX.height && band.bottom > 0);
});

test('without a range: no band, and a 1 % change is not stretched over the chart', () => {
  const g = sparkGeometry([97, 96], null, BOX);
  assert.equal(g.band, null);
  assert.ok(drop([97, 96], null) < 0.1, `moved ${(drop([97, 96], null) * 100).toFixed(0)} % of the height`);
  // At least ±10 % of the mean either way.
  const { min, max } = sparkDomain([97, 96], null);
  assert.ok(max - min >= 0.2 * 96.5 - 1e-9);
  // A real change (weight 80 → 60 kg) still shows as one.
  assert.ok(drop([80, 60], null) > 0.5);
});

test('flat and zero series draw, without dividing by zero', () => {
  for (const values of [[0, 0, 0], [5, 5]]) {
    for (const [x, y] of sparkGeometry(values, null, BOX).points) assert.ok(Number.isFinite(x) && Number.isFinite(y));
  }
});
