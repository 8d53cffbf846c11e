// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Where a small trend chart draws its points and its usual-range band: pure
// geometry (no DOM), so that the scale's honesty is tested on its own
// (tests/js/spark-scale.test.mjs).
//
// A chart that zooms to its own values makes any change look dramatic: 97 →
// 96 % oxygen fills the whole height and reads as a fall. So the vertical
// scale is set by what a change means, not by how small it is:
// - with a usual range, the scale is the range and the values together, with
//   a margin, and the range is drawn as a band: a value inside the band is fine
//   however the line slopes;
// - without a two-sided range, the scale spans at least ±10 % of the values'
//   mean (a tenth either way is a change a patient would call real for most
//   measurements: weight, pulse, a lab value), so a 1 % change stays a small
//   wiggle instead of a cliff.

/** @typedef {{ low?: number | null, high?: number | null }} SparkRange */
/**
 * @typedef {object} SparkGeometry
 * @property {[number, number][]} points  x, y of each value, left (oldest) to right
 * @property {{ top: number, bottom: number } | null} band  the usual range's y extent; null without a range
 * @property {{ min: number, max: number }} domain  the values at the bottom and the top of the chart
 */

/** The least span of the scale without a range, as a fraction of the values' mean, either way. */
export const MIN_SPAN_FRACTION = 0.1;
/** The space kept above and below the range and values, as a fraction of their span. */
export const MARGIN_FRACTION = 0.1;

/** @param {unknown} v @returns {v is number} */
const finite = (v) => typeof v === 'number' && Number.isFinite(v);

/**
 * The values at the bottom and top of the chart.
 * @param {number[]} values  at least one
 * @param {SparkRange | null} [range]
 */
export function sparkDomain(values, range) {
  const bounds = [range?.low, range?.high].filter(finite);
  const all = values.concat(bounds);
  let min = Math.min(...all), max = Math.max(...all);
  if (bounds.length < 2) {
    // No full range to judge by: never less than ±10 % of the mean, centred on the values.
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const least = 2 * MIN_SPAN_FRACTION * Math.abs(mean) || 1;  // all zero: any span will do
    if (max - min < least) {
      const mid = (Math.min(...values) + Math.max(...values)) / 2;
      min = Math.min(min, mid - least / 2);
      max = Math.max(max, mid + least / 2);
    }
  }
  const margin = (max - min) * MARGIN_FRACTION;
  return { min: min - margin, max: max + margin };
}

/**
 * @param {number[]} values  oldest first; two at least for a line
 * @param {SparkRange | null} [range]
 * @param {{ width?: number, height?: number, pad?: number }} [box]
 * @returns {SparkGeometry}
 */
export function sparkGeometry(values, range, { width = 120, height = 32, pad = 3 } = {}) {
  const domain = sparkDomain(values, range);
  /** @param {number} v */
  const y = (v) => height - pad - ((v - domain.min) / (domain.max - domain.min)) * (height - 2 * pad);
  /** @param {number} i */
  const x = (i) => pad + (values.length > 1 ? i / (values.length - 1) : 0.5) * (width - 2 * pad);
  const low = range && finite(range.low) ? range.low : null, high = range && finite(range.high) ? range.high : null;
  // A one-sided range ("60 or more") shades from its bound to the chart's edge.
  const band = low === null && high === null ? null
    : { top: high === null ? 0 : y(high), bottom: low === null ? height : y(low) };
  return { points: values.map((v, i) => [x(i), y(v)]), band, domain };
}
