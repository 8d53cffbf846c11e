// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Dates as the patient reads them, one way everywhere: the month in words, in
// their locale's order ("June 13, 2023" in the US, "13 June 2023" elsewhere).
// The core writes the dates inside its sentences in the same style (the
// summary's dateStyle option, core/src/summary/civil_date.cpp day_text); the
// widget's words are English, so only the order follows the locale.

/** @typedef {import('../../../wasm/chartlock-core').DateStyle} DateStyle */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
  'November', 'December'];

/**
 * The order the patient's locale writes a day in: month first (en-US) or day first.
 * @param {string} [locale]  default: the browser's
 * @returns {Exclude<DateStyle, 'iso'>}
 */
export function dateStyle(locale) {
  const parts = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric' })
    .formatToParts(new Date(Date.UTC(2023, 5, 13, 12)));
  const month = parts.findIndex((p) => p.type === 'month'), day = parts.findIndex((p) => p.type === 'day');
  return month >= 0 && month < day ? 'month-day-year' : 'day-month-year';
}

/**
 * A day: a FHIR date ("2023-06-13", "2023-06", "2023", or a dateTime whose
 * date part counts, as the core reads it), or a time in ms (its day in the
 * patient's time zone). Anything else comes back as written.
 * @param {string | number} when
 * @param {Exclude<DateStyle, 'iso'>} [style]
 */
export function formatDay(when, style = dateStyle()) {
  let year, month, day;
  if (typeof when === 'number') {
    const d = new Date(when);
    [year, month, day] = [d.getFullYear(), d.getMonth() + 1, d.getDate()];
  } else {
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(when);
    if (!m) return when;
    [year, month, day] = [Number(m[1]), m[2] ? Number(m[2]) : undefined, m[3] ? Number(m[3]) : undefined];
    if (month !== undefined && (month < 1 || month > 12)) return when;
  }
  if (month === undefined) return String(year);
  const name = MONTHS[month - 1];
  if (day === undefined) return `${name} ${year}`;
  return style === 'month-day-year' ? `${name} ${day}, ${year}` : `${day} ${name} ${year}`;
}

/**
 * A moment: its day as formatDay writes it, and the time in the locale's clock.
 * @param {number} ms
 * @param {string} [locale]
 */
export function formatMoment(ms, locale) {
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(new Date(ms));
  return `${formatDay(ms, dateStyle(locale))} at ${time}`;
}

/**
 * How long ago, in words ("just now", "a minute ago", "3 hours ago",
 * "yesterday"); older than that, its day.
 * @param {number} ms
 * @param {number} [now]
 */
export function timeAgo(ms, now = Date.now()) {
  const minutes = Math.floor((now - ms) / 60000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return minutes === 1 ? 'a minute ago' : `${minutes} minutes ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? 'an hour ago' : `${hours} hours ago`;
  if (hours < 48) return 'yesterday';
  return `on ${formatDay(ms)}`;
}
