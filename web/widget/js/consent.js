// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Consent, as the patient sees it: the core's words for each category, the
// check of a tool's manifest, and the patient's choices written as CONSENT.json
// (docs/consent.md). Which items a consent shares, and the receipt, are the
// core's (core/src/consent): nothing here decides what leaves.

/**
 * What the consent screen calls a category, from the core's words for it
 * ("lab results" → "Lab results"; the patient's own details spelled out).
 * @param {import('./types').ConsentLabels} labels
 * @param {string} category
 */
export function categoryLabel(labels, category) {
  const words = labels.categories[/** @type {import('./types').Category} */ (category)] ?? category;
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return category === 'patient' ? `${label}: your name, sex and date of birth` : label;
}

export class ManifestError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.code = 'bad-manifest';
  }
}

const B64URL_KEY = /^[A-Za-z0-9_-]{43}$/;
const MAX_SCOPES = 100;
const MAX_SCOPE_LENGTH = 200;

// A tool's origin must be one a patient can trust to be that tool: https, or
// plain http only on this machine (loopback: development and the demo).
// `null` (a sandboxed frame, a file: page, a data: URL) and http elsewhere are
// refused: anyone on the network could pose as such a page.
/**
 * @param {string} origin
 * @returns {'ok' | 'not-an-origin' | 'insecure'}
 */
function originKind(origin) {
  let url;
  try {
    url = new URL(origin);
  } catch {
    return origin === 'null' ? 'insecure' : 'not-an-origin';
  }
  if (url.protocol === 'file:' || url.origin === 'null') return 'insecure';  // file:, data:, blob: and the like have no origin of their own
  if (url.origin !== origin) return 'not-an-origin';  // exactly scheme://host[:port], nothing more
  if (url.protocol === 'https:') return 'ok';
  if (url.protocol !== 'http:') return 'insecure';
  const host = url.hostname;
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) ? 'ok' : 'insecure';
}

// Checks a tool manifest (docs/tool-manifest.md) against the page that sent it;
// `covered`: the categories the core says its scopes cover. What it returns is
// rebuilt from the checked fields alone: nothing else the page put in the
// manifest (however large) is kept, shown or stored in the vault.
/**
 * @param {any} manifest  untyped: whatever the tool's page posted
 * @param {string | null} senderOrigin
 * @param {(scopes: string[]) => Promise<string[]>} covered
 * @returns {Promise<import('./types').Manifest>}
 */
export async function checkManifest(manifest, senderOrigin, covered) {
  const m = manifest !== null && typeof manifest === 'object' ? manifest : {};
  if (m.type !== 'chartlock-tool-manifest' || m.version !== 1) throw new ManifestError('This is not a Chartlock tool manifest (version 1).');
  for (const field of ['name', 'origin', 'purpose', 'retention']) {
    if (typeof m[field] !== 'string' || !m[field].trim() || m[field].length > 500) {
      throw new ManifestError(`The tool's manifest has no valid "${field}".`);
    }
  }
  const kind = originKind(m.origin);
  if (kind === 'not-an-origin') throw new ManifestError('The tool\'s manifest has no valid "origin" (scheme://host[:port]).');
  if (kind === 'insecure') {
    throw new ManifestError(`The tool says it is ${m.origin}, which is not a secure website (https). Chartlock will not share with it.`);
  }
  if (m.origin !== senderOrigin) {
    throw new ManifestError(`The tool says it is ${m.origin}, but the page asking is ${senderOrigin}. Chartlock will not share with it.`);
  }
  // Array.from: holes in a sparse array become undefined, and are refused.
  /** @type {unknown[]} */
  const scopes = Array.isArray(m.scopes) && m.scopes.length <= MAX_SCOPES ? Array.from(m.scopes) : [];
  if (scopes.length === 0 || scopes.some((s) => typeof s !== 'string' || !s.trim() || s.length > MAX_SCOPE_LENGTH)) {
    throw new ManifestError(`The tool's manifest does not say what it asks for (scopes: 1 to ${MAX_SCOPES}, each at most ${MAX_SCOPE_LENGTH} characters).`);
  }
  const keys = m.keys !== null && typeof m.keys === 'object' ? m.keys : {};
  if (typeof keys.x25519 !== 'string' || typeof keys.ed25519 !== 'string' || !B64URL_KEY.test(keys.x25519) || !B64URL_KEY.test(keys.ed25519)) {
    throw new ManifestError('The tool\'s manifest has no valid public keys.');
  }
  /** @type {import('./types').Manifest} */
  const checked = {
    type: 'chartlock-tool-manifest', version: 1,
    name: m.name, origin: m.origin, purpose: m.purpose, retention: m.retention,
    scopes: /** @type {string[]} checked above */ (scopes),
    keys: { x25519: keys.x25519, ed25519: keys.ed25519 },
  };
  if ((await covered([...checked.scopes])).length === 0) throw new ManifestError('The tool asks for nothing Chartlock can share.');
  return checked;
}

// The patient's choices on the consent screen (UI state: Sets), and CONSENT.json for the core.
/**
 * @param {Iterable<string>} requested  the categories the tool's scopes cover
 * @returns {import('./types').Selection}
 */
export function defaultSelection(requested) {
  return { categories: new Set(requested), sensitive: new Set(), removed: new Set(), from: '', to: '', hide: false };
}

/**
 * CONSENT.json for the core (docs/consent.md).
 * @param {string[]} scopes
 * @param {import('./types').Selection} sel
 * @param {number} [shiftDays]  the grant's offset, when the patient hides their name and exact dates
 */
export function consentJson(scopes, sel, shiftDays) {
  return JSON.stringify({
    scopes,
    categories: [...sel.categories].filter((c) => c !== 'patient'),
    patient: sel.categories.has('patient'),
    sensitive: [...sel.sensitive],
    from: sel.from || null,
    to: sel.to || null,
    exclude: [...sel.removed],
    deidentify: sel.hide && shiftDays ? { shiftDays } : false,
  });
}

// The consent screen's dates are typed as year-month-day in a plain text field:
// one Tab stop each (Chromium's date input is three, month, day and year), the
// same order in every locale, and what the core reads (docs/consent.md).
// Lenient with what a person types: one-digit months and days, and / or . between.
/**
 * @param {string} text
 * @returns {string | null}  '' for no date, the date as YYYY-MM-DD, or null when the text is not a date
 */
export function readDate(text) {
  const t = text.trim();
  if (t === '') return '';
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;  // 2024-02-30
  return `${m[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
