// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Sharing with a tool, without the DOM: a grant, the share the core builds
// for it under the patient's consent, sealing that exact content for the
// tool's key, the grant and bundle on the relay (taken back if the bundle is
// refused), the vault saved, and disconnecting. The view (sharing.js) shows
// what `prepare` returns before anything is sent; `send` seals those same
// bytes. What goes is decided in the core; nothing here chooses items.
import { consentJson } from './consent.js';

/** @typedef {import('./types').Manifest} Manifest */
/** @typedef {import('./types').Grant} Grant */
/** @typedef {import('./types').SharedGrant} SharedGrant */
/** @typedef {import('./types').VaultState} VaultState */
/** @typedef {import('./types').Selection} Selection */
/** @typedef {import('./types').ShareResult} ShareResult */

const DAY = 24 * 60 * 60;
export const GRANT_DAYS = 30;
// "Hide my name and exact dates": a secret offset per grant, 30 to 365 days either way.
const MIN_SHIFT = 30;
const MAX_SHIFT = 365;

/** @param {Uint8Array} bytes */
const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

/** @param {Manifest['keys']} keys */
const publicKeyFile = (keys) => JSON.stringify({ type: 'chartlock-public-keys', version: 1, x25519: keys.x25519, ed25519: keys.ed25519 });

/**
 * A days offset drawn uniformly from ±[MIN_SHIFT, MAX_SHIFT].
 * @param {(n: number) => Uint8Array} random
 */
export function drawShiftDays(random) {
  const span = MAX_SHIFT - MIN_SHIFT + 1;
  const limit = Math.floor(0x10000 / (2 * span)) * 2 * span;  // no modulo bias
  for (;;) {
    const [a, b] = random(2);
    const v = a * 256 + b;
    if (v >= limit) continue;
    const r = v % (2 * span);
    return r < span ? MIN_SHIFT + r : -(MIN_SHIFT + r - span);
  }
}

/**
 * @typedef {object} Prepared  What will be sealed: shown to the patient, then sent as it is.
 * @property {Grant} grant
 * @property {boolean} isNew  the grant is not on the relay yet
 * @property {Selection} selection
 * @property {number} sequence
 * @property {number} createdAt
 * @property {ShareResult} content
 */

export class ShareFlow {
  /**
   * @param {object} env
   * @param {import('./types').CoreCaller} env.core  the core Worker
   * @param {import('./relay-client.js').Relay} env.relay
   * @param {{ state: VaultState | null, save: () => Promise<void> }} env.vault  unlocked while sharing
   * @param {string} env.relayUrl
   * @param {() => number} [env.now]  Unix seconds
   * @param {(n: number) => Uint8Array} [env.random]
   * @param {() => string} [env.today]  YYYY-MM-DD
   */
  constructor({ core, relay, vault, relayUrl, now = () => Math.floor(Date.now() / 1000),
    random = (n) => crypto.getRandomValues(new Uint8Array(n)), today = () => new Date().toISOString().slice(0, 10) }) {
    this.core = core;
    this.relay = relay;
    this.vault = vault;
    this.relayUrl = relayUrl;
    this.now = now;
    this.random = random;
    this.today = today;
  }

  /**
   * A new grant, not yet on the relay: its id, its own signing key, its term,
   * and with dates hidden its secret offset.
   * @param {Manifest} manifest
   * @param {{ hideDates?: boolean, person?: string, personName?: string }} [options]  `person`: whose records
   *   the grant is for (the open records' key): every later version is checked by the core to be theirs
   * @returns {Promise<Grant>}
   */
  async newGrant(manifest, { hideDates = false, person, personName } = {}) {
    const createdAt = this.now();
    return {
      grantId: hex(this.random(16)),
      tool: manifest,
      relay: this.relayUrl,
      keys: await this.core.call('keysGenerate'),
      sequence: 0,
      createdAt,
      expiresAt: createdAt + GRANT_DAYS * DAY,
      status: 'active',
      ...(hideDates ? { shiftDays: drawShiftDays(this.random) } : {}),
      ...(person ? { person, personName: personName ?? '' } : {}),
    };
  }

  /**
   * The grant's next version as the core builds it: the parts, the keys
   * shared, the receipt. `keys`: the items the patient was shown (the core
   * still checks each); null: all that the consent allows.
   * @param {Grant} grant
   * @param {boolean} isNew
   * @param {Selection} selection
   * @param {string[] | null} keys
   * @returns {Promise<Prepared>}
   */
  async prepare(grant, isNew, selection, keys) {
    const manifest = grant.tool;
    const sequence = grant.sequence + 1;
    const createdAt = this.now();
    const content = await this.core.call('share', {
      consent: consentJson(manifest.scopes, selection, grant.shiftDays),
      ...(keys ? { keys } : {}),
      ...(grant.person ? { person: grant.person } : {}),
      today: this.today(),
      // An AI app on the patient's computer has no website: the receipt says what it is instead.
      receipt: { tool: { name: manifest.name, ...(manifest.local ? { kind: /** @type {const} */ ('local-app') } : { origin: manifest.origin }),
        purpose: manifest.purpose, retention: manifest.retention, keys: manifest.keys }, grantId: grant.grantId, sequence, createdAt, expiresAt: grant.expiresAt, signer: patientPublic(grant) },
    });
    return { grant, isNew, selection, sequence, createdAt, content };
  }

  /**
   * Seals exactly the prepared content, puts it on the relay (a new grant
   * first; taken back if its bundle is refused, so none is left behind), and
   * records the grant and receipt in the vault.
   * @param {Prepared} prepared
   * @returns {Promise<SharedGrant>}
   */
  async send({ grant, isNew, selection, sequence, createdAt, content }) {
    const bundle = await this.core.call('bundleSeal', {
      recipient: publicKeyFile(grant.tool.keys), signer: grant.keys.secret, grantId: grant.grantId, sequence,
      createdAt, expiresAt: grant.expiresAt, receipt: new TextEncoder().encode(content.receipt), parts: content.parts,
    });
    if (isNew) {
      await this.relay.createGrant({ grantId: grant.grantId, patientKey: grant.keys.secret, patientPublic: patientPublic(grant),
        toolKey: grant.tool.keys.ed25519, expiresAt: grant.expiresAt });
    }
    try {
      await this.relay.putBundle(grant.grantId, grant.keys.secret, bundle);
    } catch (err) {
      // Best effort: the relay may be the thing that failed. The put's error is the one to report.
      if (isNew) await this.relay.revoke(grant.grantId, grant.keys.secret).catch(() => {});
      throw err;
    }
    const shared = Object.assign(grant, {
      sequence,
      selection: { categories: [...selection.categories], sensitive: [...selection.sensitive],
        removed: [...selection.removed], from: selection.from, to: selection.to, hide: selection.hide },
      sharedKeys: content.keys,
      sharedItems: content.keys.length + (content.patient ? 1 : 0),
      sharedAt: createdAt,
    });
    const state = /** @type {VaultState} */ (this.vault.state);  // unlocked: sharing is offered only then
    if (isNew) state.grants.push(shared);
    state.receipts.push(JSON.parse(content.receipt));
    await this.vault.save();
    return shared;
  }

  /**
   * Revokes the grant at the relay (already gone counts as done) and records it.
   * @param {Grant} grant
   */
  async disconnect(grant) {
    try {
      await this.relay.revoke(grant.grantId, grant.keys.secret);
    } catch (err) {
      if (/** @type {any} */ (err).status !== 410) throw err;
    }
    grant.status = 'revoked';
    grant.revokedAt = this.now();
    await this.vault.save();
  }
}

/**
 * The choices a grant was last shared with, as the consent screen keeps them.
 * @param {SharedGrant} grant
 * @returns {Selection}
 */
export function selectionOf(grant) {
  const s = grant.selection;
  return { categories: new Set(s.categories), sensitive: new Set(s.sensitive), removed: new Set(s.removed),
    from: s.from, to: s.to, hide: Boolean(s.hide) };
}

/** @param {Grant} grant */
function patientPublic(grant) {
  return JSON.parse(grant.keys.public).ed25519;
}
