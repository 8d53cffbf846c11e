// @ts-check
// The vault: everything the widget keeps about the patient — provider
// connections and their tokens, fetched records, grants, consent receipts —
// as one JSON state, sealed by the core (Argon2id + XChaCha20-Poly1305) and
// stored in IndexedDB as ciphertext only. It locks itself after inactivity.
import { idbDestroy, idbGet, idbPut } from './idb.js';

/** @typedef {import('./types').VaultState} VaultState */

export const MIN_PASSPHRASE = 10;
const KEY = 'vault';

/** @returns {VaultState} */
export function emptyState() {
  return { version: 1, createdAt: new Date().toISOString(), providers: [], grants: [], receipts: [] };
}

export class VaultError extends Error {
  /**
   * @param {'weak-passphrase' | 'exists' | 'missing' | 'wrong-passphrase' | 'damaged' | 'locked'} code
   * @param {string} message
   */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

export class Vault {
  /**
   * @param {import('./types').CoreCaller} core
   * @param {object} [options]
   * @param {number} [options.idleMinutes]  locks itself after this long without activity
   * @param {import('./types').VaultParams} [options.kdf]  Argon2id cost
   * @param {() => void} [options.onLock]
   */
  constructor(core, { idleMinutes = 10, kdf = { opslimit: 3, memlimit: 64 * 1024 * 1024 }, onLock = () => {} } = {}) {
    this.core = core;
    this.idleMs = idleMinutes * 60 * 1000;
    this.kdf = kdf;
    this.onLock = onLock;
    /** @type {VaultState | null} null while locked */
    this.state = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.epoch = 0;  // bumped on every open and every forget
  }

  get unlocked() { return this.state !== null; }

  async exists() { return (await idbGet(KEY)) !== undefined; }

  /** @param {string} passphrase */
  async create(passphrase) {
    if (passphrase.length < MIN_PASSPHRASE) {
      throw new VaultError('weak-passphrase', `Use at least ${MIN_PASSPHRASE} characters.`);
    }
    if (await this.exists()) throw new VaultError('exists', 'A vault already exists on this device.');
    const state = emptyState();
    await idbPut(KEY, await this.core.call('vaultCreate', passphrase.normalize('NFC'), state, this.kdf));
    this.#opened(state);
  }

  /** @param {string} passphrase */
  async unlock(passphrase) {
    const sealed = await idbGet(KEY);
    if (sealed === undefined) throw new VaultError('missing', 'There is no vault on this device yet.');
    try {
      this.#opened(await this.core.call('vaultUnlock', passphrase.normalize('NFC'), sealed));
    } catch (e) {
      if (e.code === 'wrong-passphrase') throw new VaultError('wrong-passphrase', 'That passphrase does not open this vault.');
      if (['tampered', 'truncated', 'not-a-bundle', 'malformed'].includes(e.code)) {
        throw new VaultError('damaged', 'The vault on this device is damaged and cannot be opened.');
      }
      throw e;
    }
  }

  // Seals the current state again; call after every change.
  async save() {
    this.#require();
    const epoch = this.epoch;
    const sealed = await this.core.call('vaultSave', /** @type {VaultState} */ (this.state), this.kdf);  // #require: unlocked
    // Locked or deleted while sealing: writing now would bring a deleted
    // vault back, or overwrite it with a stale state.
    if (this.epoch !== epoch) throw new VaultError('locked', 'The vault was locked before it could be saved.');
    await idbPut(KEY, sealed);
  }

  async lock() {
    await this.#forget();
    this.onLock();
  }

  // Deletes the vault and everything in it from this device.
  async destroy() {
    await this.#forget();
    await idbDestroy();
  }

  // Any user activity pushes the automatic lock back.
  touch() {
    if (!this.unlocked) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.lock(), this.idleMs);
  }

  async #forget() {
    clearTimeout(this.timer);
    this.state = null;
    this.epoch += 1;
    await this.core.call('vaultLock');
  }

  /** @param {VaultState} state */
  #opened(state) {
    this.state = state;
    this.epoch += 1;
    this.touch();
  }

  #require() {
    if (!this.unlocked) throw new VaultError('locked', 'The vault is locked.');
  }
}
