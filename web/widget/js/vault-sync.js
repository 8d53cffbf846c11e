// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The same vault on the patient's other devices (docs/relay-protocol.md §11,
// docs/vault-format.md §11): the relay keeps a sync copy — the vault's state
// sealed in the core under a key derived from the recovery key, so the relay
// sees ciphertext, sizes and times only. A sync reads the latest copy,
// merges it into this device's state (vault-merge.js: nothing either device
// made is lost, nothing removed comes back), and writes the result naming
// the version it read; when another device wrote in between (409), it reads
// and merges again.
import { RelayError } from './relay-client.js';
import { mergeVaultStates } from './vault-merge.js';

/** @typedef {import('./types').VaultState} VaultState */
/** @typedef {import('./types').SyncDevice} SyncDevice */

/**
 * What of the vault's state belongs to this device alone and never goes into
 * the sync copy, nor comes from one: `retiredSync` (the copies of an earlier
 * recovery key this device still has to delete — in the copy, every device
 * would delete it, drop it, merge it back and write it again, forever) and
 * `syncOffElsewhere` (this device's last sync found sync turned off).
 * @type {readonly (keyof VaultState)[]}
 */
const DEVICE_LOCAL = ['retiredSync', 'syncOffElsewhere'];

/**
 * `state` without what is this device's alone (a copy; `state` is left as is).
 * @param {VaultState} state
 * @returns {VaultState}
 */
export function withoutDeviceLocal(state) {
  const copy = { ...state };
  for (const k of DEVICE_LOCAL) delete copy[k];
  return copy;
}

/** How many times a sync reads and merges again when other devices keep writing first. */
const kTries = 5;

export class VaultSyncClient {
  /**
   * @param {import('./types').CoreCaller} core
   * @param {string} baseUrl  the relay
   */
  constructor(core, baseUrl) {
    this.core = core;
    this.base = baseUrl.replace(/\/+$/, '');
  }

  /**
   * @param {'GET' | 'PUT' | 'DELETE'} method
   * @param {string} target  path and query
   * @param {string} keys  VaultSync.keys
   * @param {Uint8Array<ArrayBuffer>} [body]
   * @returns {Promise<{ status: number, version: number, bytes: Uint8Array<ArrayBuffer>, json: any }>}
   */
  async #send(method, target, keys, body) {
    const authorization = await this.core.call('syncRequestSign', { method, path: target, body: body ?? new Uint8Array(), keys });
    let response;
    try {
      response = await fetch(`${this.base}${target}`, {
        method, headers: { Authorization: authorization, ...(body ? { 'Content-Type': 'application/octet-stream' } : {}) }, body,
      });
    } catch (e) {
      throw new RelayError(0, 'unreachable', `Chartlock's relay could not be reached to sync (${e.message}). Your changes are kept on this device.`);
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    /** @type {any} */
    let json = null;
    if ((response.headers.get('Content-Type') ?? '').startsWith('application/json')) {
      try { json = JSON.parse(new TextDecoder().decode(bytes)); } catch { /* not ours */ }
    }
    return { status: response.status, version: Number(response.headers.get('Chartlock-Sync-Version') ?? 0), bytes, json };
  }

  /** @param {{ status: number, json: any }} r */
  static #error(r) {
    return new RelayError(r.status, r.json?.error ?? 'http', r.json?.message ?? `The relay answered ${r.status}.`);
  }

  /**
   * The relay's latest copy, opened: null when nothing is stored.
   * @param {string} keys
   * @param {string} syncId
   * @returns {Promise<{ state: VaultState, version: number } | null>}
   */
  async fetchLatest(keys, syncId) {
    const r = await this.#send('GET', `/v1/sync/${syncId}`, keys);
    if (r.status === 404 && r.json?.error === 'no-sync') return null;
    if (r.status !== 200) throw VaultSyncClient.#error(r);
    // A copy written before these were kept out may still carry them: never taken from it.
    return { state: withoutDeviceLocal(await this.core.call('syncOpenState', keys, r.bytes)), version: r.version };
  }

  /**
   * One sync of a state whose `sync` is set: merged with the relay's latest
   * copy and written back; this device's entry in `devices` says when.
   * Only the first sync (turning sync on) may find nothing stored: later, an
   * empty space means sync was turned off on another device (or the copies
   * were purged), and writing would turn it on again behind the patient's back.
   * @param {VaultState} state  this device's state
   * @param {{ id: string, name: string }} device
   * @param {{ first?: boolean }} [options]
   * @returns {Promise<{ state: VaultState, version: number }>}  the merged state (as stored at the relay, with
   *   this device's own fields kept)
   */
  async sync(state, device, { first = false } = {}) {
    if (!state.sync) throw new Error('sync is not turned on for this vault');
    const { keys, syncId } = state.sync;
    let mine = state;
    for (let attempt = 0; attempt < kTries; attempt++) {
      const latest = await this.fetchLatest(keys, syncId);
      if (!latest && !first) {
        throw new RelayError(404, 'sync-off', 'Sync was turned off on another of your devices, so this device stopped syncing too.');
      }
      const merged = latest ? mergeVaultStates(mine, latest.state) : mine;
      /** @type {SyncDevice} */
      const entry = { id: device.id, name: device.name, lastSync: new Date().toISOString() };
      merged.devices = [...(merged.devices ?? []).filter((d) => d.id !== device.id), entry];
      const copy = await this.core.call('syncSealState', keys, withoutDeviceLocal(merged));
      const version = latest?.version ?? 0;
      const r = await this.#send('PUT', `/v1/sync/${syncId}?version=${version}`, keys, copy);
      if (r.status === 200 || r.status === 201) return { state: merged, version: r.json.version };
      if (r.status !== 409) throw VaultSyncClient.#error(r);
      mine = merged;  // another device wrote first: read and merge again
    }
    throw new RelayError(409, 'version-conflict', 'Your other devices kept saving at the same moment; sync will try again.');
  }

  /**
   * Turns sync off for every device: the relay deletes every copy.
   * @param {string} keys
   * @param {string} syncId
   */
  async turnOff(keys, syncId) {
    const r = await this.#send('DELETE', `/v1/sync/${syncId}`, keys);
    if (r.status !== 204 && !(r.status === 404 && r.json?.error === 'no-sync')) throw VaultSyncClient.#error(r);
  }
}
