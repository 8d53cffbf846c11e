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

// Checks a tool manifest (docs/tool-manifest.md) against the page that sent it;
// `covered`: the categories the core says its scopes cover.
/**
 * @param {any} manifest  untyped: whatever the tool's page posted
 * @param {string | null} senderOrigin
 * @param {(scopes: string[]) => Promise<string[]>} covered
 * @returns {Promise<import('./types').Manifest>}
 */
export async function checkManifest(manifest, senderOrigin, covered) {
  const m = manifest ?? {};
  if (m.type !== 'chartlock-tool-manifest' || m.version !== 1) throw new ManifestError('This is not a Chartlock tool manifest (version 1).');
  for (const field of ['name', 'origin', 'purpose', 'retention']) {
    if (typeof m[field] !== 'string' || !m[field].trim() || m[field].length > 500) {
      throw new ManifestError(`The tool's manifest has no valid "${field}".`);
    }
  }
  if (m.origin !== senderOrigin) {
    throw new ManifestError(`The tool says it is ${m.origin}, but the page asking is ${senderOrigin}. Chartlock will not share with it.`);
  }
  if (!Array.isArray(m.scopes) || m.scopes.length === 0 || m.scopes.some((/** @type {unknown} */ s) => typeof s !== 'string')) {
    throw new ManifestError('The tool\'s manifest does not say what it asks for (scopes).');
  }
  if (!B64URL_KEY.test(m.keys?.x25519 ?? '') || !B64URL_KEY.test(m.keys?.ed25519 ?? '')) {
    throw new ManifestError('The tool\'s manifest has no valid public keys.');
  }
  if ((await covered(m.scopes)).length === 0) throw new ManifestError('The tool asks for nothing Chartlock can share.');
  return m;
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
