// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Records the patient holds as files (issue 13, "Add files"): a FHIR export
// (JSON or NDJSON), a portal's "Download my record" C-CDA document, a SMART
// Health Card. A file is read in the core Worker, never uploaded: the core
// tells what it is by its content (docs/record-schema.md) and refuses what it
// cannot read, with its reason, before anything is kept. The patient names
// where it came from; the file is then one source of their records, kept in
// the sealed vault, and removable as a provider is (a removal is remembered,
// so that another window's copy does not bring it back: vault-merge.js).
// A SMART Health Card is verified before it is read: the widget fetches its
// issuer's keys (`iss` + /.well-known/jwks.json) and the core checks the
// signature; one that does not verify is refused with the reason, and kept
// only if the patient says so — then every item of it says "not verified".
import { h, show } from './dom.js';
import { formatMoment } from './dates.js';
import { toBase64 } from './fhir-fetch.js';

/** @typedef {import('./types').VaultState} VaultState */
/** @typedef {import('./types').AddedFile} AddedFile */
/** @typedef {import('./types').FileCheck} FileCheck */
/** @typedef {import('./dom.js').Child} Child */
/**
 * @typedef {object} Readable  a file the core read
 * @property {File} file
 * @property {Uint8Array} bytes
 * @property {FileCheck} check
 * @property {{ issuer: string, jwks: string }[]} cardKeys
 * @property {string} [unverified]  why its card did not verify, when it did not
 */

// The vault is sealed whole on every save: a file much bigger than a portal's
// records would make every save slow. Bigger exports go to the CLI.
export const MAX_FILE_BYTES = 25 * 1024 * 1024;
export const MAX_NAME = 100;
// What the picker offers; the core decides by content, not by name.
const ACCEPT = '.json,.ndjson,.jsonl,.xml,.cda,.ccd,.smart-health-card,.txt,application/json,application/fhir+json,text/xml,application/xml';

/** @param {string} text */
export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

// An issuer's published keys: https only (http on this machine, for the
// demo), no credentials, at most 64 KiB, a JSON object with `keys`.
const MAX_JWKS = 64 * 1024;
/** @param {string} issuer @returns {Promise<string>} the JWKS text */
export async function fetchIssuerKeys(issuer) {
  let url;
  try { url = new URL(`${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`); } catch { url = null; }
  const local = url && (url.hostname === '127.0.0.1' || url.hostname === 'localhost');
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && local))) {
    throw new Error(`its issuer (${issuer.slice(0, 100)}) is not a web address Chartlock can ask for its keys`);
  }
  let response;
  try {
    response = await fetch(url, { cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch {
    throw new Error(`the keys of its issuer (${url.origin}) could not be fetched`);
  }
  const text = response.ok ? await response.text() : '';
  if (!response.ok || text.length > MAX_JWKS) throw new Error(`its issuer (${url.origin}) did not give its keys (HTTP ${response.status})`);
  return text;
}

// How every open of the records reads the files' cards: with the keys fetched
// when each file was added, and keeping unverified cards only when the
// patient chose to keep one (each item still says whether its card verified).
/** @param {AddedFile[]} files @returns {import('./types').CardOptions} */
export function cardOptions(files) {
  const cardKeys = files.flatMap((f) => f.cardKeys ?? []);
  return { ...(cardKeys.length ? { cardKeys } : {}), ...(files.some((f) => f.unverified) ? { allowUnverifiedCards: true } : {}) };
}

/** The core's refusals of a card that does not verify (docs/record-schema.md). */
const UNVERIFIED = new Set(['card-unknown-key', 'card-bad-signature']);

/** @param {number} n */
const sizeWords = (n) => (n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);

// A name for the source from its file name: "discharge-2024.xml" → "discharge-2024".
/** @param {string} fileName */
export function suggestedName(fileName) {
  const base = fileName.replace(/\.(json|ndjson|jsonl|xml|cda|ccd|smart-health-card|txt)$/i, '').trim();
  return (base || 'My file').slice(0, MAX_NAME);
}

// A source's name must be one of a kind: it is how every item says where it came from.
/**
 * @param {string} wanted
 * @param {string[]} taken
 */
export function uniqueName(wanted, taken) {
  const name = wanted.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME) || 'My file';
  if (!taken.includes(name)) return name;
  for (let i = 2; ; i += 1) if (!taken.includes(`${name} (${i})`)) return `${name} (${i})`;
}

/** The words for what the core found in a file. @param {FileCheck} check */
export function checkWords(check) {
  const what = { bundle: 'FHIR records', resource: 'a FHIR record', ndjson: 'a FHIR export', ccda: 'a health record document (C-CDA)',
    'smart-health-card': 'a SMART Health Card' }[check.format] ?? 'records';
  if (check.persons > 1) return `${what} of ${check.persons} people`;
  return `${what}, ${check.resources} ${check.resources === 1 ? 'item' : 'items'}`;
}

/**
 * @typedef {object} AddedFilesContext
 * @property {import('./core.js').Core} core
 * @property {{ save: () => Promise<unknown> }} vault
 * @property {() => VaultState} state
 * @property {HTMLElement} main
 * @property {(text: string) => void} say
 * @property {() => unknown} home
 * @property {() => void} changed  the sources changed: read the records again
 */

export class AddedFiles {
  /** @param {AddedFilesContext} ctx */
  constructor(ctx) {
    this.ctx = ctx;
  }

  /** @returns {AddedFile[]} */
  get files() {
    const state = this.ctx.state();
    state.files ??= [];
    return state.files;
  }

  // The home screen's card: the files kept, and the means to add more.
  card() {
    const input = /** @type {HTMLInputElement} */ (h('input', { type: 'file', id: 'add-files', multiple: true, accept: ACCEPT,
      onchange: () => { if (input.files?.length) this.check([...input.files]); } }));
    const zone = h('div', { class: 'drop-zone' },
      h('label', { for: 'add-files' }, 'Add files'), ' ', input,
      h('p', { class: 'hint' }, 'or drop them here.'));
    zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('dragging'); });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', (e) => {
      e.preventDefault();
      zone.classList.remove('dragging');
      const dropped = [...(e.dataTransfer?.files ?? [])];
      if (dropped.length) this.check(dropped);
    });
    return h('section', { class: 'card', 'aria-labelledby': 'files-h' },
      h('h2', { id: 'files-h' }, 'Files you have'),
      h('p', {}, 'Records you hold as files: a FHIR export (.json, .ndjson), the "Download my record" document a patient portal '
        + 'gives (C-CDA, .xml), or a SMART Health Card. They are read here, on this device, and never uploaded.'),
      this.files.length > 0 && h('ul', { class: 'providers' }, this.files.map((f) => this.item(f))),
      zone);
  }

  /** @param {AddedFile} f */
  item(f) {
    return h('li', {}, h('strong', {}, f.name), ' — ', `${f.fileName}, ${checkWords(f.check)}${f.unverified ? ', not verified' : ''}, added ${formatMoment(Date.parse(f.addedAt))}`,
      ' ', h('button', { type: 'button', onclick: () => this.confirmRemove(f) }, `Remove ${f.name}`));
  }

  // Each file read by the core before anything is kept; then one screen to name them.
  /** @param {File[]} picked */
  async check(picked) {
    const { core, main, say } = this.ctx;
    say(`Reading ${picked.length === 1 ? picked[0].name : `${picked.length} files`}…`);
    /** @type {Readable[]} */
    const readable = [];
    /** @type {string[]} */
    const refused = [];
    /** @type {{ file: File, bytes: Uint8Array, cardKeys: { issuer: string, jwks: string }[], why: string }[]} */
    const unverified = [];
    for (const file of picked) {
      if (file.size > MAX_FILE_BYTES) {
        refused.push(`${file.name}: it is ${sizeWords(file.size)}; files up to ${sizeWords(MAX_FILE_BYTES)} can be added here.`);
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      /** @type {{ issuer: string, jwks: string }[]} */
      const cardKeys = [];
      let why = '';
      try {
        // A card's issuers, before anything of it is read: their keys first.
        const issuers = [...new Set((await core.call('cardIssuers', bytes.slice())).map((c) => c.issuer))];
        for (const issuer of issuers) {
          try {
            cardKeys.push({ issuer, jwks: await fetchIssuerKeys(issuer) });
          } catch (e) {
            why = e.message;
          }
        }
        const check = /** @type {FileCheck} */ (await core.call('fileCheck', { name: file.name, bytes: bytes.slice() }, { cardKeys }));
        readable.push({ file, bytes, check, cardKeys });
      } catch (err) {
        const e = /** @type {any} */ (err);
        if (UNVERIFIED.has(e.code)) unverified.push({ file, bytes, cardKeys, why: why || e.message });
        else refused.push(`${file.name}: Chartlock cannot read it (${e.message.replace(/\.$/, '')}).`);
      }
    }
    // A card that does not verify: said, and kept only if the patient asks.
    for (const u of unverified) {
      const check = /** @type {FileCheck} */ (await core.call('fileCheck', { name: u.file.name, bytes: u.bytes.slice() },
        { cardKeys: u.cardKeys, allowUnverifiedCards: true }).catch(() => null));
      if (check) readable.push({ file: u.file, bytes: u.bytes, check, cardKeys: u.cardKeys, unverified: u.why.replace(/\.$/, '') });
      else refused.push(`${u.file.name}: Chartlock cannot read it.`);
    }
    say('');
    const taken = [...this.ctx.state().providers.map((p) => p.name), ...this.files.map((f) => f.name)];
    const rows = readable.map(({ file, check, unverified: why }, i) => {
      const name = uniqueName(suggestedName(file.name), taken);
      taken.push(name);
      const input = /** @type {HTMLInputElement} */ (h('input', { id: `file-name-${i}`, type: 'text', value: name, maxlength: MAX_NAME, required: true }));
      const keep = why ? /** @type {HTMLInputElement} */ (h('input', { id: `file-keep-${i}`, type: 'checkbox' })) : null;
      return { input, keep, row: h('li', {}, h('label', { for: `file-name-${i}` }, `Where is ${file.name} from?`), ' ', input,
        h('p', { class: 'hint' }, `Chartlock found ${checkWords(check)}.`),
        keep && [h('p', { class: 'error', role: 'alert' }, `Its signature could not be verified: ${why}. `
          + 'It may have been changed, or be from an issuer Chartlock cannot check. Add it only if you trust where it came from.'),
        h('div', { class: 'check' }, keep, h('label', { for: `file-keep-${i}` }, 'Add it anyway, marked as not verified'))]) };
    });
    const form = h('form', { onsubmit: async (/** @type {Event} */ e) => {
      e.preventDefault();
      // An unverified card not ticked is left out.
      await this.keep(readable.map((r, i) => ({ ...r, name: rows[i].input.value, kept: !rows[i].keep || rows[i].keep.checked }))
        .filter((r) => r.kept));
    } },
    h('ul', { class: 'plain' }, rows.map((r) => r.row)),
    readable.length > 0 && h('button', { type: 'submit', class: 'primary' }, readable.length === 1 ? 'Add this file' : `Add these ${readable.length} files`),
    ' ', h('button', { type: 'button', onclick: () => this.ctx.home() }, 'Cancel'));
    show(main, h('section', { class: 'card', 'aria-labelledby': 'name-files-h' },
      h('h1', { id: 'name-files-h' }, readable.length > 0 ? 'Name where your files come from' : 'These files cannot be added'),
      readable.length > 0 && h('p', {}, 'The name is how your records say where each item came from, for example "Hospital discharge papers".'),
      refused.length > 0 && h('div', { class: 'error', role: 'alert' }, h('ul', {}, refused.map((r) => h('li', {}, r)))),
      form));
  }

  /** @param {(Readable & { name: string })[]} chosen */
  async keep(chosen) {
    if (chosen.length === 0) return this.ctx.home();
    const taken = [...this.ctx.state().providers.map((p) => p.name), ...this.files.map((f) => f.name)];
    for (const { file, bytes, check, name, cardKeys, unverified } of chosen) {
      const unique = uniqueName(name, taken);
      taken.push(unique);
      this.files.push({ id: crypto.randomUUID(), name: unique, fileName: file.name.slice(0, 255), addedAt: new Date().toISOString(),
        size: bytes.length, check, data: toBase64(bytes), ...(cardKeys.length ? { cardKeys } : {}), ...(unverified ? { unverified: true } : {}) });
    }
    await this.ctx.vault.save();
    this.ctx.changed();
    this.ctx.say(`Added ${chosen.length === 1 ? chosen[0].file.name : `${chosen.length} files`}.`);
    this.ctx.home();
  }

  /** @param {AddedFile} f */
  confirmRemove(f) {
    show(this.ctx.main, h('section', { class: 'card', 'aria-labelledby': 'remove-h' },
      h('h1', { id: 'remove-h' }, `Remove ${f.name}?`),
      h('p', {}, `Its records leave your vault. Tools you shared with keep what they received until you disconnect them. `
        + `Your own copy of ${f.fileName} is not touched.`),
      h('button', { type: 'button', class: 'primary', onclick: () => this.remove(f) }, `Remove ${f.name}`), ' ',
      h('button', { type: 'button', onclick: () => this.ctx.home() }, 'Cancel')));
  }

  /** @param {AddedFile} f */
  async remove(f) {
    const state = this.ctx.state();
    state.files = this.files.filter((x) => x.id !== f.id);
    (state.removed ??= []).push({ id: f.id, at: new Date().toISOString() });
    await this.ctx.vault.save();
    this.ctx.changed();
    this.ctx.say(`Removed ${f.name}.`);
    this.ctx.home();
  }
}

// Whether there are any records to read: a provider connected or a file added.
/** @param {VaultState} state */
export const hasSources = (state) => state.providers.length + (state.files?.length ?? 0) > 0;

// The files as the core's sources, named as the patient named them; a file
// whose card did not verify says so in its name, which every item from it
// carries as its source (on screen, in the summary, in what is shared).
/** @param {AddedFile[]} files */
export function fileSources(files) {
  return files.map((f) => ({ name: f.unverified ? `${f.name} (not verified)` : f.name, bytes: fromBase64(f.data) }));
}
