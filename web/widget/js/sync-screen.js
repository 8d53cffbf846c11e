// SPDX-License-Identifier: Apache-2.0
// @ts-check
// "This device and others": the same vault on the patient's other devices,
// as the patient sees it — the home screen's card (what sync keeps where,
// the devices and when each last synced, turning it on and off), "Keep this
// vault in sync" (the recovery key asked for once), and "Sign in with your
// recovery key" on a browser with no vault. The syncing itself is
// vault-sync.js (merge, compare-and-set); this module decides when: after
// the vault is opened and after each save (debounced), never blocking a
// screen; a failure is said in plain words and tried again later, and being
// offline is not an error.
import { idbGet, idbPut } from './idb.js';
import { h, show } from './dom.js';
import { timeAgo } from './dates.js';
import { MIN_PASSPHRASE } from './vault.js';
import { mergeVaultStates } from './vault-merge.js';
import { VaultSyncClient } from './vault-sync.js';

/** @typedef {import('./types').VaultState} VaultState */
/** @typedef {{ id: string, name: string }} ThisDevice */

/** After a save, how long to wait for more before syncing (a burst of saves is one sync). */
const DEBOUNCE_MS = 2000;
/** After a failure, or offline: when to try again (sooner when the browser says it is back online). */
const RETRY_MS = 60000;
// This browser's id and name among the devices: not secret, and not part of
// the vault (a backup restored elsewhere must not bring this device's id).
const DEVICE_KEY = 'sync-device';

/**
 * What the screens need from the page (app.js).
 * @typedef {object} SyncContext
 * @property {import('./types').CoreCaller} core
 * @property {import('./vault.js').Vault} vault
 * @property {import('./types').WidgetConfig} config
 * @property {HTMLElement} main
 * @property {(text: string) => void} say
 * @property {() => unknown} home  shows the home screen
 * @property {() => unknown} back  the screen before (the start screen, without a vault)
 * @property {() => void} changed  the records changed (the core reads them again)
 */

// Said before turning sync on with a key whose sync was last found turned off elsewhere (turnOn).
const OFF_ELSEWHERE_WARNING = 'Sync with this recovery key was turned off on another device. If a new recovery key was made '
  + 'there, use the new one.';

/** @param {string} message */
const errorBox = (message) => h('p', { class: 'error', role: 'alert' }, message);

/** A name for this device until the patient gives one: its browser and system. */
function guessedName() {
  const ua = navigator.userAgent;
  const browser = /Edg\//.test(ua) ? 'Edge' : /Firefox\//.test(ua) ? 'Firefox' : /Chrom(e|ium)\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari' : 'A browser';
  const system = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'Mac'
    : /Windows/.test(ua) ? 'Windows' : /CrOS/.test(ua) ? 'ChromeOS' : /Linux/.test(ua) ? 'Linux' : '';
  return system ? `${browser} on ${system}` : browser;
}

/**
 * What changed between two looks at a state that the screens show (a sync
 * that brought nothing new does not redraw the screen).
 * @param {VaultState} s
 */
const shownOf = (s) => JSON.stringify([s.providers.map((p) => [p.id, p.fetchedAt]), (s.files ?? []).map((f) => f.id),
  s.grants.map((g) => [g.grantId, g.status, g.sequence]), s.receipts.length, (s.links ?? []).map((l) => [l.id, l.revokedAt]),
  s.identity?.verifiedAt ?? null]);

/**
 * A typed recovery key's sync identity, or why it does not read as one (the group with the typo).
 * @param {import('./types').CoreCaller} core
 * @param {string} text
 * @returns {Promise<import('../../../wasm/chartlock-core').SyncIdentity | string>}
 */
async function identityOf(core, text) {
  try {
    return await core.call('syncIdentity', text);
  } catch (e) {
    if (/** @type {any} */ (e).code !== 'malformed') throw e;
    return typoMessage(await core.call('recoveryKeyProblem', text));
  }
}

/** @param {import('./types').RecoveryKeyProblem | null} problem */
function typoMessage(problem) {
  if (problem?.group) {
    return `Group ${problem.group} of your recovery key has a typo (${problem.message}). Check that group against your copy.`;
  }
  return `That does not read as a recovery key${problem ? ` (${problem.message})` : ''}.`;
}

/**
 * A relay failure in plain words; being offline is said as such.
 * @param {any} err
 */
function failureWords(err) {
  if (err?.code === 'unreachable' || (typeof navigator !== 'undefined' && navigator.onLine === false)) {
    return 'This device seems to be offline, or Chartlock\'s relay cannot be reached. Your changes are kept here and sync when it is back.';
  }
  return `Sync did not work this time: ${err?.message ?? err}`;
}

/**
 * Redraws `main` (`redraw` replaces its content at once, as show() does) and
 * puts keyboard focus back where it was: on the element of the new content
 * that stands where the focused one stood (the same id; else the same kind,
 * text and place among its like), or, when focus was not in `main`, where it
 * was. Nothing found (that element is gone): the heading show() focused.
 * @param {HTMLElement} main
 * @param {() => void} redraw
 */
export function redrawKeepingFocus(main, redraw) {
  const active = /** @type {HTMLElement | null} */ (document.activeElement);
  const inside = active !== null && active !== main && main.contains(active);
  /** @param {Element} el */
  const like = (el) => `${el.tagName} ${el.getAttribute('name') ?? ''} ${(el.textContent ?? '').trim()}`;
  const where = inside && !active.id ? like(active) : '';
  const nth = inside && !active.id ? [...main.querySelectorAll(active.tagName)].filter((e) => like(e) === where).indexOf(active) : -1;
  redraw();
  if (!inside) {
    if (document.activeElement === active) return;
    if (active && active !== document.body && active.isConnected) active.focus();
    else /** @type {HTMLElement | null} */ (document.activeElement)?.blur();  // it was on nothing: on nothing again
    return;
  }
  const again = active.id
    ? main.querySelector(`#${CSS.escape(active.id)}`)
    : [...main.querySelectorAll(active.tagName)].filter((e) => like(e) === where)[nth];
  if (again) /** @type {HTMLElement} */ (again).focus();
}

export class DeviceSync {
  /**
   * @param {SyncContext} ctx
   * @param {{ get: (key: string) => Promise<unknown>, put: (key: string, value: unknown) => Promise<unknown> }} [deviceStore]
   *   where this device's id and name are kept (IndexedDB; tests pass a Map)
   */
  constructor(ctx, deviceStore = { get: idbGet, put: idbPut }) {
    this.ctx = ctx;
    this.deviceStore = deviceStore;
    this.client = new VaultSyncClient(ctx.core, ctx.config.relayUrl);
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    /** @type {Promise<void> | null} the sync under way */
    this.running = null;
    this.again = false;  // a save came while syncing: sync once more after
    /**
     * The grants the last sync that worked left at the relay (by grantId), under
     * which sync id: the other devices hold their keys. Null until one worked.
     * @type {{ syncId: string, grantIds: Set<string> } | null}
     */
    this.carried = null;
    /**
     * How the last sync went, for the card: `offline` and `failed` are tried again.
     * @type {{ kind: 'idle' | 'syncing' | 'ok' | 'offline' | 'failed' | 'off-elsewhere', message?: string }}
     */
    this.status = { kind: 'idle' };
    /** @type {HTMLElement | null} the card on screen: its status line and devices are updated in place */
    this.cardEl = null;
    /** @type {import('./dom.js').Child[]} */
    this.buttons = [];
    window.addEventListener('online', () => this.soon(0));
  }

  get vault() { return this.ctx.vault; }

  /** @returns {Promise<ThisDevice | null>} */
  async thisDevice() {
    const d = /** @type {any} */ (await this.deviceStore.get(DEVICE_KEY));
    return d && typeof d.id === 'string' && typeof d.name === 'string' ? { id: d.id, name: d.name } : null;
  }

  /** @param {string} name  @returns {Promise<ThisDevice>} */
  async #nameThisDevice(name) {
    const known = await this.thisDevice();
    const device = { id: known?.id ?? crypto.randomUUID(), name: name.trim() || known?.name || guessedName() };
    await this.deviceStore.put(DEVICE_KEY, device);
    return device;
  }

  // ---- when to sync ----

  /** The vault was just opened (unlocked, restored, signed in): sync now. */
  opened() { this.soon(0); }

  /** After a save (Vault's onSaved): sync once the saves stop for a moment. */
  saved() { this.soon(DEBOUNCE_MS); }

  /** @param {number} ms */
  soon(ms) {
    clearTimeout(this.timer);
    const state = this.vault.state;
    if (!state || (!state.sync && !state.retiredSync?.length)) return;
    this.timer = setTimeout(() => { this.run(); }, ms);
  }

  /** Syncs now (or once more after the sync under way); never throws. */
  run() {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.#once();
        } while (this.again && this.vault.unlocked);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  async #once() {
    const vault = this.vault;
    const state = vault.state;
    if (!state) return;
    const epoch = vault.epoch;
    await this.#deleteRetired(state);
    if (!state.sync) {
      if (state.retiredSync?.length) this.soon(RETRY_MS);  // an old key's copy still to delete
      return;
    }
    const device = (await this.thisDevice()) ?? (await this.#nameThisDevice(guessedName()));
    this.#setStatus({ kind: 'syncing' });
    try {
      const before = shownOf(state);
      const result = await this.client.sync(state, device);
      if (vault.epoch !== epoch || vault.state !== state) return;  // locked (or replaced) meanwhile
      this.#adopt(state, result.state);
      this.#carried(state.sync?.syncId, result.state);
      await vault.save({ fromSync: true });
      this.#setStatus({ kind: 'ok' });
      if (shownOf(state) !== before) {
        this.ctx.changed();
        // The home screen redrawn with what the other devices brought; any other screen is left alone.
        if (this.cardEl?.isConnected) {
          // Not asked for by the patient: keyboard focus stays where it was (show() would move it to the heading).
          redrawKeepingFocus(this.ctx.main, () => { this.ctx.home(); });
          this.ctx.say('Updated with the changes from your other devices.');
        }
      }
    } catch (err) {
      const e = /** @type {any} */ (err);
      if (e.code === 'locked' || vault.epoch !== epoch) return;
      if (e.code === 'sync-off') {
        // Turned off on another device: this one stops too, and keeps everything it has. Which sync id is
        // recorded: turning sync on again with that key is warned about (turnOn), as a new key may have retired it.
        if (state.sync) state.syncOffElsewhere = state.sync.syncId;
        delete state.sync;
        delete state.devices;
        state.syncOffAt = Date.now();
        await vault.save({ fromSync: true }).catch(() => {});
        this.#setStatus({ kind: 'off-elsewhere' });  // the card redrawn: sync went off
        return;
      }
      this.#setStatus({ kind: e.code === 'unreachable' || navigator.onLine === false ? 'offline' : 'failed', message: failureWords(e) });
      this.soon(RETRY_MS);
    }
  }

  /**
   * @param {string | undefined} syncId
   * @param {VaultState} stored  what the relay now holds
   */
  #carried(syncId, stored) {
    this.carried = syncId ? { syncId, grantIds: new Set(stored.grants.map((g) => g.grantId)) } : null;
  }

  /**
   * Before this device's vault is deleted: the live grants whose secret key
   * no other device may hold — all of them with sync off; with sync on, those
   * the relay's copy did not carry after a sync run now (shared a moment ago,
   * or sync failed or is offline). Deleting the vault without disconnecting
   * these would leave their tools connected with no key left to stop them.
   * @returns {Promise<import('./types').SharedGrant[]>}
   */
  async grantsOnlyHere() {
    const state = this.vault.state;
    if (!state) return [];
    const live = () => state.grants.filter((g) => g.status === 'active');
    if (!state.sync) return live();
    clearTimeout(this.timer);
    await this.run();
    const carried = this.carried;
    if (!state.sync || carried?.syncId !== state.sync.syncId) return live();
    return live().filter((g) => !carried.grantIds.has(g.grantId));
  }

  /**
   * What a sync stored made this window's state, in place (the screens hold
   * its objects); anything changed on this device while it ran is merged in.
   * @param {VaultState} state
   * @param {VaultState} synced
   */
  #adopt(state, synced) {
    const merged = mergeVaultStates(state, synced);
    for (const k of Object.keys(state)) if (!(k in merged)) delete /** @type {any} */ (state)[k];
    Object.assign(state, merged);
  }

  // Copies written under an earlier recovery key (a new one was made): deleted
  // at the relay, so that the old key reaches nothing of the vault any more.
  /** @param {VaultState} state */
  async #deleteRetired(state) {
    const retired = state.retiredSync ?? [];
    if (retired.length === 0) return;
    const left = [];
    for (const r of retired) {
      try {
        await this.client.turnOff(r.keys, r.syncId);
      } catch {
        left.push(r);
      }
    }
    if (left.length === retired.length) return;
    if (left.length) state.retiredSync = left;
    else delete state.retiredSync;
    await this.vault.save({ fromSync: true }).catch(() => {});
  }

  // The card follows: its status line and devices in place (a button being
  // used keeps its focus), the whole card when sync went on or off.
  /** @param {DeviceSync['status']} status */
  #setStatus(status) {
    this.status = status;
    const card = this.cardEl;
    const state = this.vault.state;
    if (!card?.isConnected || !state) return;
    const line = card.querySelector('.sync-status');
    const devices = card.querySelector('.devices');
    if (card.dataset.shown !== this.#shape(state) || !line) return this.#fillCard(card);
    line.textContent = this.#statusWords(state);
    if (devices) this.#listDevices(/** @type {HTMLElement} */ (devices), state);
  }

  /** What decides the card's buttons and notes: sync on or off, copies of an old key left. @param {VaultState} state */
  #shape(state) {
    return `${Boolean(state.sync)} ${state.retiredSync?.length ?? 0}`;
  }

  /** @param {HTMLElement} list  @param {VaultState} state */
  #listDevices(list, state) {
    this.thisDevice().then((me) => {
      const devices = [...(state.devices ?? [])].sort((a, b) => Date.parse(b.lastSync) - Date.parse(a.lastSync));
      list.replaceChildren(...devices.map((d) => h('li', {}, h('strong', {}, d.name),
        d.id === me?.id ? ' (this device)' : '', ` — last synced ${timeAgo(Date.parse(d.lastSync))}`)));
    }, () => {});
  }

  // ---- the home screen's card ----

  /**
   * "This device and others".
   * @param {...import('./dom.js').Child} thisDeviceButtons  lock, delete: what concerns this device alone
   */
  card(...thisDeviceButtons) {
    const card = h('section', { class: 'card sync-card', 'aria-labelledby': 'sync-h' });
    this.cardEl = card;
    this.buttons = thisDeviceButtons;
    this.#fillCard(card);
    return card;
  }

  /** @param {HTMLElement} card */
  #fillCard(card) {
    const state = this.vault.state;
    if (!state) return;
    // The status line keeps its element (a live region announces changes to one that exists).
    let line = /** @type {HTMLElement | null} */ (card.querySelector('.sync-status'));
    // A polite live region, not role=status: the page's own status region (#status) stays the one status.
    line ??= h('p', { class: 'sync-status', 'aria-live': 'polite' });
    line.textContent = this.#statusWords(state);
    const devices = h('ul', { class: 'devices', 'aria-label': 'Devices syncing this vault' });
    this.#listDevices(devices, state);
    card.dataset.shown = this.#shape(state);
    const retiredNote = state.retiredSync?.length
      ? h('p', { class: 'warning' }, 'Your vault\'s copy made with your old recovery key is still at the relay: Chartlock could not '
        + 'delete it yet and keeps trying. Until then the old recovery key can still open that copy.')
      : null;
    /** @type {(Node | string | null)[]} */
    const parts = [
      h('h2', { id: 'sync-h' }, 'This device and others'),
      h('p', {}, 'With sync on, this vault stays the same on your other devices (a laptop, a phone): what you connect, share '
        + 'or remove on one shows up on the others.'),
      h('p', {}, 'Chartlock\'s relay keeps one encrypted copy of your vault for them. It sees only how large the copy is and '
        + 'when your devices save it — never what is in it — and it cannot open it: the copy is locked with a key made from '
        + 'your recovery key, which only you have. Your recovery key is also how a new device signs in.'),
      state.sync
        ? [line, h('h3', {}, 'Your devices'), devices,
          h('p', {}, 'To add a device, open Chartlock there and choose “Sign in with your recovery key”.'),
          h('button', { type: 'button', onclick: () => { this.run(); } }, 'Sync now'), ' ',
          h('button', { type: 'button', onclick: () => this.#turnOff() }, 'Turn off sync')]
        : [line, h('button', { type: 'button', class: 'primary', onclick: () => this.turnOnScreen() },
            'Keep this vault in sync on your other devices')],
      retiredNote,
      h('h3', {}, 'This device'),
      h('p', {}, ...this.buttons),
    ].flat();
    card.replaceChildren(...parts.filter((p) => p !== null));
  }

  /** @param {VaultState} state */
  #statusWords(state) {
    const s = this.status;
    if (!state.sync) {
      return s.kind === 'off-elsewhere'
        ? 'Sync was turned off on another of your devices, so this device stopped syncing too. Everything on this device is kept.'
        : 'Sync is off: this vault is only on this device (and in any backup file you made).';
    }
    if (s.kind === 'syncing') return 'Syncing…';
    if (s.kind === 'offline' || s.kind === 'failed') return `${s.message} Chartlock will try again in a minute.`;
    return 'Sync is on.';
  }

  async #turnOff() {
    const state = this.vault.state;
    if (!state?.sync) return;
    if (!window.confirm('Turn off sync? The encrypted copy at the relay is deleted. Your other devices stop syncing and keep '
      + 'what they have; this device keeps everything too.')) return;
    this.ctx.say('Turning sync off…');
    try {
      await this.client.turnOff(state.sync.keys, state.sync.syncId);
    } catch (err) {
      this.ctx.say(`Sync could not be turned off: ${failureWords(err)} Nothing was changed; try again.`);
      return;
    }
    clearTimeout(this.timer);
    delete state.sync;
    delete state.devices;
    state.syncOffAt = Date.now();
    this.status = { kind: 'idle' };
    await this.vault.save({ fromSync: true });
    this.ctx.home();
    this.ctx.say('Sync is off. The copy at the relay was deleted.');
  }

  // ---- turning sync on ----

  /**
   * Turns sync on with `recoveryKey` (as typed) and syncs for the first time:
   * sync is on only once that worked. Returns why not, in words, or null.
   *
   * A key that does not open this device's vault is refused — unless the
   * relay holds a copy of this very vault under it (the same `createdAt`: a
   * new recovery key was made on another device). Then, given this device's
   * passphrase, the vault here is sealed anew under that key first.
   * @param {string} recoveryKey
   * @param {string} deviceName
   *
   * A key whose sync this device last found turned off on another device is
   * not used without `confirmed`: a new recovery key made there turned it off,
   * and writing the first copy again would give the old (perhaps leaked) key
   * the whole vault back. The relay cannot tell (docs/relay-protocol.md §11).
   * @param {string} [passphrase]  this device's, to move the vault to a newer key
   * @param {{ confirmed?: boolean }} [options]
   * @returns {Promise<string | null | 'needs-passphrase' | 'needs-confirm'>}
   */
  async turnOn(recoveryKey, deviceName, passphrase, { confirmed = false } = {}) {
    const state = this.vault.state;
    if (!state) return 'The vault is locked.';
    const id = await identityOf(this.ctx.core, recoveryKey);
    if (typeof id === 'string') return id;
    if (state.syncOffElsewhere === id.syncId && !confirmed) return 'needs-confirm';
    if (!(await this.vault.recoveryKeyOpens(recoveryKey))) {
      let copy = null;
      try {
        copy = await this.client.fetchLatest(id.keys, id.syncId);
      } catch (err) {
        if (/** @type {any} */ (err).code === 'unreachable') return `Sync could not be turned on. ${failureWords(err)}`;
      }
      if (!copy || copy.state.createdAt !== state.createdAt) {
        return 'That recovery key does not open this vault. Use this vault\'s recovery key: the newest one you made for it.';
      }
      if (passphrase === undefined) return 'needs-passphrase';
      await this.vault.adoptRecoveryKey(passphrase, recoveryKey);
    }
    const device = await this.#nameThisDevice(deviceName);
    clearTimeout(this.timer);
    while (this.running) await this.running;
    // The first sync runs as the sync under way: an `online` event or a save
    // meanwhile only asks for one more after it (run()). A sync of its own would
    // read before this one's first write, find no copy, and turn sync off again.
    /** @type {Promise<string | null>} */
    const first = this.#first(state, id, device);
    this.running = first.then(() => {});
    try {
      return await first;
    } finally {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.soon(0);
      }
    }
  }

  /**
   * @param {VaultState} state
   * @param {import('../../../wasm/chartlock-core').SyncIdentity} id
   * @param {ThisDevice} device
   * @returns {Promise<string | null>}
   */
  async #first(state, id, device) {
    await this.#deleteRetired(state);  // an old key's copy first, while the relay answers
    const epoch = this.vault.epoch;
    state.sync = { keys: id.keys, syncId: id.syncId, since: Date.now() };
    delete state.devices;  // any from an earlier time sync was on
    try {
      const result = await this.client.sync(state, device, { first: true });
      if (this.vault.epoch !== epoch) return 'The vault was locked meanwhile.';
      this.#adopt(state, result.state);
      this.#carried(id.syncId, result.state);
    } catch (err) {
      delete state.sync;
      return `Sync could not be turned on. ${failureWords(err)} Nothing was changed.`;
    }
    delete state.syncOffElsewhere;
    await this.vault.save({ fromSync: true });
    this.status = { kind: 'ok' };
    this.ctx.changed();
    return null;
  }

  /**
   * A new recovery key was made: the copy reachable with the old one is
   * deleted at the relay (now, or retried by later syncs), and sync is off
   * until it is turned on with the new key. Returns whether it was on,
   * whether that copy is still at the relay (its DELETE failed: retried), and
   * why the move could not be saved yet, if so. It never throws: the new key
   * is shown whatever happens here (app.js), and a copy the old key opens is
   * deleted even when saving failed (the move is then saved with the next
   * save; were the window closed first, the stored vault still names the old
   * key's sync, whose next sync finds that copy gone and turns itself off).
   * @returns {Promise<{ wasOn: boolean, pending: boolean, unsaved?: string }>}
   */
  async retireForNewKey() {
    const state = this.vault.state;
    if (!state?.sync) return { wasOn: false, pending: false };
    clearTimeout(this.timer);
    await this.running;
    (state.retiredSync ??= []).push(state.sync);
    delete state.sync;
    delete state.devices;
    state.syncOffAt = Date.now();
    this.status = { kind: 'idle' };
    /** @type {string | undefined} */
    let unsaved;
    try {
      await this.vault.save({ fromSync: true });
    } catch (err) {
      unsaved = /** @type {any} */ (err).message ?? String(err);
    }
    await this.#deleteRetired(state);
    const pending = Boolean(state.retiredSync?.length);
    if (pending) this.soon(RETRY_MS);
    return unsaved === undefined ? { wasOn: true, pending } : { wasOn: true, pending, unsaved };
  }

  /**
   * @param {string} [problem]
   * @param {{ key?: string, name?: string, askPassphrase?: boolean }} [kept]  what was typed; `key` set: the
   *   key is a newer one made on another device, and this device's passphrase is asked for too
   */
  async turnOnScreen(problem, kept = {}) {
    const named = kept.name ?? (await this.thisDevice())?.name ?? guessedName();
    const askPassphrase = Boolean(kept.key) || kept.askPassphrase;
    /** @type {HTMLFormElement} */
    const form = h('form', { class: 'card', 'aria-labelledby': 'sync-on-h', onsubmit: async (e) => {
      e.preventDefault();
      const button = /** @type {HTMLButtonElement} */ (form.querySelector('button[type=submit]'));
      button.disabled = true;
      this.ctx.say('Turning sync on…');
      /** @param {string} n */
      const value = (n) => /** @type {HTMLInputElement | null} */ (form.elements.namedItem(n))?.value;
      const key = value('sync-recovery-key') ?? '';
      /** @param {boolean} confirmed */
      const turnOn = (confirmed) => this.turnOn(key, value('device-name') ?? '', value('device-passphrase'), { confirmed })
        .catch((err) => `Sync could not be turned on: ${err.message}`);
      let failed = await turnOn(false);
      if (failed === 'needs-confirm') {
        failed = window.confirm(`${OFF_ELSEWHERE_WARNING} Turn sync on with this recovery key anyway?`)
          ? await turnOn(true) : OFF_ELSEWHERE_WARNING;
      }
      if (failed === 'needs-passphrase') {
        this.ctx.say('This recovery key was made on another of your devices. Type this device\'s passphrase to switch to it.');
        return this.turnOnScreen(undefined, { key, name: value('device-name') ?? named });
      }
      if (failed) {
        this.ctx.say('');
        return this.turnOnScreen(failed, { key: '', name: value('device-name') ?? named, askPassphrase: value('device-passphrase') !== undefined });
      }
      this.ctx.home();
      this.ctx.say('Sync is on. On your other devices, choose “Sign in with your recovery key”.');
    } },
    h('h1', { id: 'sync-on-h' }, 'Keep this vault in sync on your other devices'),
    h('p', {}, 'Chartlock\'s relay will keep an encrypted copy of your vault, so your other devices can have the same providers, '
      + 'tools and files. The relay sees only the copy\'s size and when it is saved; it cannot open it.'),
    h('p', {}, 'Type your recovery key: the 13 groups of letters and numbers you kept when you made your vault (or the text its '
      + 'QR code holds). It is used here, once, to make the keys sync uses; it is not stored and not sent anywhere.'),
    problem && errorBox(problem),
    h('label', { for: 'sync-recovery-key' }, 'Your recovery key'),
    h('input', { id: 'sync-recovery-key', name: 'sync-recovery-key', type: 'text', required: true, autocomplete: 'off',
      spellcheck: 'false', value: kept.key ?? '' }),
    h('label', { for: 'device-name' }, 'A name for this device (your other devices show it)'),
    h('input', { id: 'device-name', name: 'device-name', type: 'text', maxlength: 60, autocomplete: 'off', value: named }),
    askPassphrase && [
      h('p', { class: 'warning' }, 'This recovery key is newer than the one this device\'s vault has: it was made on another of your '
        + 'devices. Type this device\'s passphrase to switch this vault to the new key (the old key then stops opening it).'),
      h('label', { for: 'device-passphrase' }, 'This device\'s passphrase'),
      h('input', { id: 'device-passphrase', name: 'device-passphrase', type: 'password', required: true, autocomplete: 'current-password' })],
    h('button', { type: 'submit', class: 'primary' }, 'Turn on sync'), ' ',
    h('button', { type: 'button', onclick: () => this.ctx.home() }, 'Back'));
    show(this.ctx.main, form);
  }

  // ---- a browser with no vault: sign in with the recovery key ----

  /** @param {string} [problem] */
  signInScreen(problem) {
    /** @type {HTMLFormElement} */
    const form = h('form', { class: 'card', 'aria-labelledby': 'sign-in-h', onsubmit: async (e) => {
      e.preventDefault();
      const text = /** @type {HTMLInputElement} */ (form.elements.namedItem('sign-in-recovery-key')).value;
      this.ctx.say('Looking for your vault…');
      let found;
      try {
        const id = await identityOf(this.ctx.core, text);
        if (typeof id === 'string') return this.signInScreen(id);
        found = await this.client.fetchLatest(id.keys, id.syncId);
      } catch (err) {
        this.ctx.say('');
        return this.signInScreen(failureWords(err));
      }
      if (!found) {
        this.ctx.say('');
        return this.signInScreen('No synced vault was found for this recovery key. Sync may be off: on the device that has '
          + 'your vault, choose “Keep this vault in sync on your other devices”. Or restore from a backup file instead.');
      }
      this.ctx.say('Your vault was found. Choose a passphrase for this device.');
      this.#passphraseScreen(text, found.state);
    } },
    h('h1', { id: 'sign-in-h' }, 'Sign in with your recovery key'),
    h('p', {}, 'If you keep your vault in sync on another device, your recovery key brings it to this browser with everything '
      + 'in it: your providers, the tools you share with, your files. Then you choose a passphrase for this device.'),
    problem && errorBox(problem),
    h('label', { for: 'sign-in-recovery-key' }, 'Your recovery key'),
    h('input', { id: 'sign-in-recovery-key', name: 'sign-in-recovery-key', type: 'text', required: true, autocomplete: 'off',
      spellcheck: 'false' }),
    h('button', { type: 'submit', class: 'primary' }, 'Find my vault'), ' ',
    h('button', { type: 'button', onclick: () => this.ctx.back() }, 'Back'));
    show(this.ctx.main, form);
  }

  /**
   * @param {string} recoveryKey  as typed
   * @param {VaultState} state  the relay's latest copy
   * @param {string} [problem]
   */
  #passphraseScreen(recoveryKey, state, problem) {
    const tools = new Set(state.grants.filter((g) => g.status === 'active').map((g) => g.tool.name)).size;
    /** @type {HTMLFormElement} */
    const form = h('form', { class: 'card', 'aria-labelledby': 'sign-in-pass-h', onsubmit: async (e) => {
      e.preventDefault();
      /** @param {string} n */
      const value = (n) => /** @type {HTMLInputElement} */ (form.elements.namedItem(n)).value;
      if (value('passphrase') !== value('confirm')) return this.#passphraseScreen(recoveryKey, state, 'The two passphrases are not the same.');
      this.ctx.say('Opening your vault on this device…');
      try {
        await this.vault.createFromSync(value('passphrase'), recoveryKey, state);
        await this.#nameThisDevice(value('device-name'));
      } catch (err) {
        this.ctx.say('');
        return this.#passphraseScreen(recoveryKey, state, /** @type {any} */ (err).message);
      }
      this.ctx.changed();
      this.status = { kind: 'idle' };
      this.ctx.home();
      this.ctx.say('Your vault is open on this device, and keeps in sync with your other devices.');
      this.run();  // this device joins the list
    } },
    h('h1', { id: 'sign-in-pass-h' }, 'Choose a passphrase for this device'),
    h('p', {}, `Your vault was found: ${state.providers.length} provider${state.providers.length === 1 ? '' : 's'}, `
      + `${tools} connected tool${tools === 1 ? '' : 's'}. This device gets its own passphrase; your recovery key stays the same.`),
    problem && errorBox(problem),
    h('label', { for: 'passphrase' }, `Passphrase for this device (at least ${MIN_PASSPHRASE} characters)`),
    h('input', { id: 'passphrase', name: 'passphrase', type: 'password', required: true, minlength: MIN_PASSPHRASE, autocomplete: 'new-password' }),
    h('label', { for: 'confirm' }, 'Type it again'),
    h('input', { id: 'confirm', name: 'confirm', type: 'password', required: true, minlength: MIN_PASSPHRASE, autocomplete: 'new-password' }),
    h('label', { for: 'device-name' }, 'A name for this device (your other devices show it)'),
    h('input', { id: 'device-name', name: 'device-name', type: 'text', maxlength: 60, autocomplete: 'off', value: guessedName() }),
    h('button', { type: 'submit', class: 'primary' }, 'Open my vault here'), ' ',
    h('button', { type: 'button', onclick: () => this.ctx.back() }, 'Cancel'));
    show(this.ctx.main, form);
  }
}
