// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The vault: everything the widget keeps about the patient — provider
// connections and their tokens, fetched records, grants, consent receipts —
// as one JSON state, sealed by the core (Argon2id + XChaCha20-Poly1305) and
// stored in IndexedDB as ciphertext only. The Worker holds the vault's keys
// while it is unlocked: a save reseals with them (no Argon2id, the recovery
// key kept). A backup is the stored sealed bytes as they are. It locks itself after inactivity.
//
// Several widget windows may have the vault open at once. Each save happens
// under a Web Lock and checks the stored revision: when another window saved
// since this one read the vault, the stored state is opened and merged in
// first (vault-merge.js), so that nothing either window made is lost.
import { idbDestroy, idbGet, idbPut } from './idb.js';
import { mergeVaultStates } from './vault-merge.js';

/** @typedef {import('./types').VaultState} VaultState */
/** @typedef {import('./types').VaultParams} VaultParams */

export const MIN_PASSPHRASE = 10;
const KEY = 'vault';
const LOCK = 'chartlock-vault';

/**
 * The stored record, `{ sealed, revision }`; a vault stored before revisions
 * is its sealed bytes alone (revision 0). Undefined: none, or not a vault.
 * @param {unknown} value
 * @returns {{ sealed: Uint8Array, revision: number } | undefined}
 */
export function storedVault(value) {
  if (value instanceof Uint8Array) return { sealed: value, revision: 0 };
  const v = /** @type {any} */ (value);
  if (v && v.sealed instanceof Uint8Array && Number.isSafeInteger(v.revision) && v.revision >= 0) {
    return { sealed: v.sealed, revision: v.revision };
  }
  return undefined;
}

/**
 * Runs `fn` holding the vault's Web Lock (every window of this origin waits
 * for it); where the browser has none, as it comes.
 * @template T
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
function withWebLock(fn) {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? /** @type {Promise<T>} request resolves with what fn resolves with */ (locks.request(LOCK, fn)) : fn();
}

// The Argon2id cost of the vault. These numbers are pinned with this module
// (web/build.mjs puts its hash in the page's import map), unlike config.json,
// which the deployment serves unpinned: config.json may raise them, never
// lower them (kdfFor). The floor is the core's (crypto/vault: OWASP's minimum
// for Argon2id, m = 19 MiB, t = 2, p = 1); the core refuses to seal below it too.
export const KDF_FLOOR = Object.freeze({ opslimit: 2, memlimit: 19456 * 1024 });
export const KDF_DEFAULT = Object.freeze({ opslimit: 3, memlimit: 64 * 1024 * 1024 });
const KDF_MAX = Object.freeze({ opslimit: 10, memlimit: 1024 * 1024 * 1024 });  // the core's bounds

/** @param {VaultParams} p  @returns {boolean} */
export const kdfBelowFloor = (p) => !(Number(p.opslimit) >= KDF_FLOOR.opslimit && Number(p.memlimit) >= KDF_FLOOR.memlimit);

/**
 * The parameters new seals use: the pinned default, raised field by field (up
 * to the core's bounds) where the deployment's config asks for more. Anything
 * lower, or not a whole number, is ignored: a tampered config.json cannot
 * weaken the vault.
 * @param {unknown} [configured]  config.json's `kdf`
 * @returns {VaultParams}
 */
export function kdfFor(configured) {
  const c = /** @type {Record<string, unknown>} */ (configured !== null && typeof configured === 'object' ? configured : {});
  /** @param {'opslimit' | 'memlimit'} k */
  const pick = (k) => {
    const v = c[k];
    return typeof v === 'number' && Number.isSafeInteger(v) && v > KDF_DEFAULT[k] ? Math.min(v, KDF_MAX[k]) : KDF_DEFAULT[k];
  };
  return { opslimit: pick('opslimit'), memlimit: pick('memlimit') };
}

/**
 * The Argon2id parameters a sealed vault states in its header (docs/vault-format.md §1),
 * or null when it is too short to say.
 * @param {Uint8Array} sealed
 * @returns {VaultParams | null}
 */
export function sealedParams(sealed) {
  if (!(sealed instanceof Uint8Array) || sealed.length < 22) return null;
  const view = new DataView(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  return { opslimit: view.getUint32(10, true), memlimit: Number(view.getBigUint64(14, true)) };
}

/** @returns {VaultState} */
export function emptyState() {
  return { version: 1, createdAt: new Date().toISOString(), providers: [], grants: [], receipts: [] };
}

export class VaultError extends Error {
  /**
   * @param {'weak-passphrase' | 'weak-kdf' | 'exists' | 'missing' | 'wrong-passphrase' | 'damaged' | 'locked'
   *   | 'wrong-recovery-key' | 'no-recovery-key' | 'recovery-key-typo'} code
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
   * @param {VaultParams} [options.kdf]  Argon2id cost of new seals: KDF_FLOOR or more (kdfFor)
   * @param {() => void} [options.onLock]
   * @param {() => void} [options.onSaved]  after each save of a change (sync-screen.js syncs it to the other devices)
   * @param {{ get: typeof idbGet, put: typeof idbPut, destroy: typeof idbDestroy }} [options.store]
   *   IndexedDB (tests: in memory)
   * @param {<T>(fn: () => Promise<T>) => Promise<T>} [options.lock]  the Web Lock shared by this origin's windows
   */
  constructor(core, { idleMinutes = 10, kdf = KDF_DEFAULT, onLock = () => {}, onSaved = () => {},
    store = { get: idbGet, put: idbPut, destroy: idbDestroy }, lock = withWebLock } = {}) {
    if (kdfBelowFloor(kdf)) {
      throw new VaultError('weak-kdf', `The vault's key derivation must cost at least ${KDF_FLOOR.opslimit} passes `
        + `and ${KDF_FLOOR.memlimit / 1024} KiB.`);
    }
    this.core = core;
    this.store = store;
    this.idleMs = idleMinutes * 60 * 1000;
    this.kdf = kdf;
    this.onLock = onLock;
    this.onSaved = onSaved;
    /** @type {VaultState | null} null while locked */
    this.state = null;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.epoch = 0;  // bumped on every open and every forget
    this.lockWith = lock;
    this.revision = 0;  // the stored revision this window's state was read from (or written as)
  }

  get unlocked() { return this.state !== null; }

  async exists() { return storedVault(await this.store.get(KEY)) !== undefined; }

  /** @param {string} passphrase */
  async create(passphrase) {
    if (passphrase.length < MIN_PASSPHRASE) {
      throw new VaultError('weak-passphrase', `Use at least ${MIN_PASSPHRASE} characters.`);
    }
    const state = emptyState();
    /** @type {string} */
    let recoveryKey = '';
    await this.lockWith(async () => {
      if (await this.exists()) throw new VaultError('exists', 'A vault already exists on this device.');
      const made = await this.core.call('vaultCreate', passphrase.normalize('NFC'), state, this.kdf);
      await this.store.put(KEY, { sealed: made.sealed, revision: 1 });
      recoveryKey = made.recoveryKey;
    });
    this.#opened(state, 1);
    return recoveryKey;  // to show once: it is stored nowhere
  }

  /**
   * A new device signing in to a synced vault (vault-sync.js): `state` is the
   * relay's latest copy, opened with the sync key of `recoveryKey`; it becomes
   * this browser's vault under this device's own passphrase and the same
   * recovery key.
   * @param {string} passphrase
   * @param {string} recoveryKey  as typed
   * @param {VaultState} state
   */
  async createFromSync(passphrase, recoveryKey, state) {
    if (passphrase.length < MIN_PASSPHRASE) {
      throw new VaultError('weak-passphrase', `Use at least ${MIN_PASSPHRASE} characters.`);
    }
    await this.lockWith(async () => {
      if (await this.exists()) throw new VaultError('exists', 'A vault already exists on this device.');
      const sealed = await this.core.call('vaultCreateWithRecoveryKey', passphrase.normalize('NFC'), recoveryKey, state, this.kdf);
      await this.store.put(KEY, { sealed, revision: 1 });
    });
    this.#opened(state, 1);
  }

  /**
   * Opens `sealed` (a backup file's bytes) with a passphrase or the recovery
   * key and makes it this browser's vault, replacing the one stored here (the
   * caller asks the patient first).
   * @param {Uint8Array} sealed
   * @param {{ passphrase: string } | { recoveryKey: string }} secret
   */
  async restore(sealed, secret) {
    await this.#forget();
    const state = await this.#open(sealed, secret);
    let revision = 0;
    await this.lockWith(async () => {
      const stored = storedVault(await this.store.get(KEY));
      revision = (stored?.revision ?? 0) + 1;
      await this.store.put(KEY, { sealed, revision });
    });
    this.#opened(state, revision);
  }

  /**
   * @param {Uint8Array} sealed
   * @param {{ passphrase: string } | { recoveryKey: string }} secret
   * @returns {Promise<VaultState>}
   */
  async #open(sealed, secret) {
    try {
      return 'passphrase' in secret
        ? await this.core.call('vaultUnlock', secret.passphrase.normalize('NFC'), sealed)
        : await this.core.call('vaultUnlockWithRecoveryKey', secret.recoveryKey, sealed);
    } catch (e) {
      if (e.code === 'wrong-passphrase') throw new VaultError('wrong-passphrase', 'That passphrase does not open this vault.');
      if (e.code === 'wrong-recovery-key') throw new VaultError('wrong-recovery-key', 'That recovery key does not open this vault.');
      if (e.code === 'no-recovery-key') throw new VaultError('no-recovery-key', 'This vault has no recovery key: open it with its passphrase.');
      if (e.code === 'malformed' && 'recoveryKey' in secret) {
        // A typo in the text (else the file itself is what is malformed).
        const problem = await this.core.call('recoveryKeyProblem', secret.recoveryKey);
        if (problem) {
          throw new VaultError('recovery-key-typo', problem.group
            ? `Group ${problem.group} of your recovery key has a typo (${problem.message}). Check that group against your copy.`
            : `That does not read as a recovery key (${problem.message}).`);
        }
      }
      if (['tampered', 'truncated', 'not-a-bundle', 'malformed'].includes(e.code)) {
        throw new VaultError('damaged', 'This vault is damaged (or is not a Chartlock vault) and cannot be opened.');
      }
      throw e;
    }
  }

  /**
   * A new passphrase; the recovery key stays as it is. `current` is checked
   * unless the vault was opened with the recovery key.
   * @param {string} current
   * @param {string} next
   */
  async changePassphrase(current, next) {
    this.#require();
    if (next.length < MIN_PASSPHRASE) throw new VaultError('weak-passphrase', `Use at least ${MIN_PASSPHRASE} characters.`);
    try {
      await this.core.call('vaultChangePassphrase', current.normalize('NFC'), next.normalize('NFC'), this.kdf);
    } catch (e) {
      if (e.code === 'wrong-passphrase') throw new VaultError('wrong-passphrase', 'That is not your current passphrase.');
      throw e;
    }
    await this.save();
  }

  /**
   * "Make a recovery key" (or a new one: the earlier one then opens nothing
   * saved from now on). Returns its text, to show once.
   * @param {string} passphrase
   */
  async makeRecoveryKey(passphrase) {
    this.#require();
    await this.save();
    const epoch = this.epoch;
    let recoveryKey = '';
    await this.lockWith(async () => {
      const stored = storedVault(await this.store.get(KEY));
      if (stored === undefined) throw new VaultError('missing', 'This vault was deleted (in another window).');
      let made;
      try {
        made = await this.core.call('vaultMakeRecoveryKey', passphrase.normalize('NFC'), stored.sealed, this.kdf);
      } catch (e) {
        if (e.code === 'wrong-passphrase') throw new VaultError('wrong-passphrase', 'That is not your passphrase.');
        throw e;
      }
      if (this.epoch !== epoch) throw new VaultError('locked', 'The vault was locked meanwhile.');
      await this.store.put(KEY, { sealed: made.sealed, revision: stored.revision + 1 });
      // Another window's save in between: this window's next save merges it (vaultReopen).
      if (stored.revision === this.revision) this.revision = stored.revision + 1;
      recoveryKey = made.recoveryKey;
    });
    return recoveryKey;
  }

  /** Whether the stored vault has a recovery key (its header says; version 1 never does). */
  async hasRecoveryKey() {
    const stored = storedVault(await this.store.get(KEY));
    if (stored === undefined) return false;
    return (await this.core.call('vaultInfo', stored.sealed)).hasRecoveryKey;
  }

  /**
   * Whether `recoveryKey` (as typed) opens the stored vault: turning sync on
   * with another vault's key would merge two vaults. Errors: `malformed` (a typo).
   * @param {string} recoveryKey
   */
  async recoveryKeyOpens(recoveryKey) {
    const stored = storedVault(await this.store.get(KEY));
    if (stored === undefined) return false;
    return this.core.call('vaultRecoveryKeyOpens', recoveryKey, stored.sealed);
  }

  /**
   * This device's vault sealed anew under a recovery key made on another
   * device (sync-screen.js, when the synced copy is this vault's under that
   * newer key): this device's passphrase, checked, stays; the old recovery key
   * then opens nothing saved from now on.
   * @param {string} passphrase  this device's
   * @param {string} recoveryKey  the newer key, as typed
   */
  async adoptRecoveryKey(passphrase, recoveryKey) {
    this.#require();
    await this.save();
    const epoch = this.epoch;
    await this.lockWith(async () => {
      const stored = storedVault(await this.store.get(KEY));
      if (stored === undefined) throw new VaultError('missing', 'This vault was deleted (in another window).');
      let theirs;
      try {
        theirs = await this.core.call('vaultUnlock', passphrase.normalize('NFC'), stored.sealed);
      } catch (e) {
        if (e.code === 'wrong-passphrase') throw new VaultError('wrong-passphrase', 'That is not this device\'s passphrase.');
        throw e;
      }
      if (this.epoch !== epoch || this.state === null) throw new VaultError('locked', 'The vault was locked meanwhile.');
      const mine = this.state;
      if (stored.revision !== this.revision) Object.assign(mine, mergeVaultStates(mine, theirs));  // another window saved
      const sealed = await this.core.call('vaultCreateWithRecoveryKey', passphrase.normalize('NFC'), recoveryKey, mine, this.kdf);
      await this.store.put(KEY, { sealed, revision: stored.revision + 1 });
      this.revision = stored.revision + 1;
    });
  }

  /** The stored vault's sealed bytes, saved first: what a backup file holds. */
  async backup() {
    this.#require();
    await this.save();
    const stored = storedVault(await this.store.get(KEY));
    if (stored === undefined) throw new VaultError('missing', 'There is no vault on this device.');
    return stored.sealed;
  }

  /** @param {string} passphrase */
  async unlock(passphrase) {
    const stored = storedVault(await this.store.get(KEY));
    if (stored === undefined) throw new VaultError('missing', 'There is no vault on this device yet.');
    const { sealed, revision } = stored;
    this.#opened(await this.#open(sealed, { passphrase }), revision);
    // A vault sealed below today's floor (before there was one) opened: its
    // data is kept, and it is sealed again now with this.kdf rather than at
    // the next change. Should that fail, the next save does it.
    const old = sealedParams(sealed);
    if (old && kdfBelowFloor(old)) await this.save().catch(() => {});
  }

  // Seals the current state again; call after every change. When another
  // window saved since this one read the vault, its state is merged in first
  // (in place: objects this window holds stay the vault's). `fromSync`: the
  // save of what a sync just merged, which the other devices already have.
  async save({ fromSync = false } = {}) {
    this.#require();
    const epoch = this.epoch;
    // Locked or deleted meanwhile: writing now would bring a deleted vault
    // back, or overwrite it with a stale state.
    const still = () => {
      if (this.epoch !== epoch) throw new VaultError('locked', 'The vault was locked before it could be saved.');
      return /** @type {VaultState} */ (this.state);
    };
    await this.lockWith(async () => {
      const stored = storedVault(await this.store.get(KEY));
      still();
      if (stored === undefined) throw new VaultError('missing', 'This vault was deleted (in another window): nothing was saved.');
      if (stored.revision !== this.revision) {
        const theirs = await this.core.call('vaultReopen', stored.sealed);
        const mine = still();
        const merged = mergeVaultStates(mine, theirs);
        for (const k of Object.keys(mine)) if (!(k in merged)) delete /** @type {any} */ (mine)[k];
        Object.assign(mine, merged);
      }
      const sealed = await this.core.call('vaultSave', still(), this.kdf);
      still();
      await this.store.put(KEY, { sealed, revision: stored.revision + 1 });
      this.revision = stored.revision + 1;
    });
    if (!fromSync) this.onSaved();
  }

  async lock() {
    await this.#forget();
    this.onLock();
  }

  // Deletes the vault and everything in it from this device.
  async destroy() {
    await this.#forget();
    await this.store.destroy();
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

  /**
   * @param {VaultState} state
   * @param {number} revision  the stored revision it was read from
   */
  #opened(state, revision) {
    this.state = state;
    this.revision = revision;
    this.epoch += 1;
    this.touch();
  }

  #require() {
    if (!this.unlocked) throw new VaultError('locked', 'The vault is locked.');
  }
}
