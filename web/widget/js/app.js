// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The Chartlock widget: the patient's vault, their providers, their records
// explained, and what they share. Runs on its own origin; the C++ core runs
// in a Worker (core-worker.js); the vault holds everything, sealed.
import { AddedFiles, cardOptions, fileSources, hasSources } from './added-files.js';
import { ClinicianShare } from './clinician-share.js';
import { checkManifest } from './consent.js';
import { startCore } from './core.js';
import { announce, guardAgainstFocusHijack, h, saveFile, show } from './dom.js';
import { CHASED_TYPES, RESOURCE_LABELS, fetchPatientRecords } from './fhir-fetch.js';
import { RecordLocation } from './locate-view.js';
import { qrSvg } from './qr-view.js';
import { recordsView } from './records-view.js';
import { Sharing } from './sharing.js';
import { connect } from './smart.js';
import { DeviceSync } from './sync-screen.js';
import { listenForTool } from './tool-channel.js';
import { MIN_PASSPHRASE, Vault, kdfFor } from './vault.js';
import { dateStyle, formatDay, formatMoment } from './dates.js';

/** @typedef {import('./types').DirectoryMatch} DirectoryMatch */
/** @typedef {import('./types').Provider} Provider */
/** @typedef {import('./types').VaultState} VaultState */

// index.html has both.
const main = /** @type {HTMLElement} */ (document.getElementById('main'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
/** @param {string} text */
const say = (text) => announce(status, text);

// Usually already started by boot.js; it needs nothing from config.json.
const core = startCore();
/** @type {import('./types').WidgetConfig} */
const config = await (await fetch('config.json', { cache: 'no-store' })).json();
// Without its core the widget has nothing safe to offer: the page's main
// element is replaced, so no screen drawn later (into the old one) shows.
core.whenUnavailable((err) => {
  const replacement = /** @type {HTMLElement} */ (main.cloneNode(false));
  replacement.append(h('section', { class: 'card', 'aria-labelledby': 'unavailable-h' },
    h('h1', { id: 'unavailable-h' }, 'Chartlock cannot start'), errorBox(err.message)));
  main.replaceWith(replacement);
});
// config.json is not pinned by SRI: its kdf may raise the vault's cost, never lower it (vault.js).
const vault = new Vault(core, { idleMinutes: config.idleMinutes ?? 10, kdf: kdfFor(config.kdf), onLock: () => {
  openVersion = -1;  // the worker dropped the records with the passphrase
  start();
}, onSaved: () => deviceSync.saved() });
// The vault's state, on the screens shown only while it is unlocked.
const opened = () => /** @type {VaultState} */ (vault.state);
for (const event of ['pointerdown', 'keydown']) document.addEventListener(event, () => vault.touch(), { passive: true });
guardAgainstFocusHijack();

// The records are read into the core once per change of the providers' data
// (or of whose records are read).
let recordsVersion = 0;
let openVersion = -1;
/** @type {string | undefined} */
let openPerson;
// The records of one person: `person` (a grant's), else the one the patient
// chose when the providers hold several people's (a family member's portal);
// never a mix of them.
/** @param {string} [person] */
async function openRecords(person) {
  const state = opened();
  const whose = person ?? state.person;
  if (openVersion === recordsVersion && openPerson === whose) return;
  try {
    await core.call('recordsOpen', sourcesOf(state), { ...cardOptions(state.files ?? []), ...(whose ? { person: whose } : {}) });
  } catch (err) {
    // The person chosen before is no longer among them (a provider removed): choose again.
    if (/** @type {any} */ (err).code !== 'unknown-person' || person || !state.person) throw err;
    delete state.person;
    await vault.save();
    await core.call('recordsOpen', sourcesOf(state), cardOptions(state.files ?? []));
  }
  openVersion = recordsVersion;
  openPerson = person ?? state.person;
}

/**
 * Several people's records: who they are, and a choice of whose to read and share.
 * @param {import('./types').PersonInfo[]} persons
 */
function personChooser(persons) {
  const state = opened();
  const named = (/** @type {import('./types').PersonInfo} */ p) => p.name || 'Someone without a name on record';
  return h('section', { class: 'card', 'aria-labelledby': 'persons-h' },
    h('h2', { id: 'persons-h' }, `These are the records of ${persons.length} people`),
    h('p', {}, 'Your providers hold records of different people (for example a family member whose records you can see). '
      + 'Chartlock keeps each person\'s records apart and never mixes them. Whose records do you want to see and share?'),
    h('ul', { class: 'providers' }, persons.map((p) => h('li', {},
      h('strong', {}, named(p)), p.birthDate ? `, born ${formatDay(p.birthDate)}` : '', ` — from ${p.sources.join(', ')} `,
      h('button', { type: 'button', onclick: async () => {
        state.person = p.key;
        await vault.save();
        recordsVersion += 1;
        home();
      } }, `Show ${named(p)}'s records`)))));
}
const sharing = new Sharing({ core, vault, config, main, say, home: () => home(), refreshProviders, openRecords,
  toolChannel: (origin) => (toolRequest && toolRequest.manifest.origin === origin ? toolRequest.channel : null) });
const clinicianShare = new ClinicianShare({ core, main, say, home: () => home(), sharing, vault, state: opened, config });
const addedFiles = new AddedFiles({ core, vault, state: opened, main, say, home: () => home(), changed: () => { recordsVersion += 1; } });
const deviceSync = new DeviceSync({ core, vault, config, main, say, home: () => home(), back: () => start(),
  changed: () => { recordsVersion += 1; } });
const recordLocation = new RecordLocation({ core, vault, config, main, say, home: () => home(), state: opened,
  connect: (provider) => connectProvider(provider) });

// A tool page that opened the widget, once it has introduced itself; or why
// it was refused (shown on every screen, so no later screen hides it).
/** @typedef {{ channel: import('./types').ToolChannel, manifest: import('./types').Manifest }} ToolRequest */
/** @type {ToolRequest | null} set once, never cleared */
let toolRequest = null;
/** @type {string | null} */
let toolRefusal = null;
listenForTool(async (channel, manifest) => {
  // A tool page on the widget's own origin shares its storage, the vault
  // included: a setup for demos only (the static demo), said on every screen.
  if (channel.origin === window.location.origin) {
    document.querySelector('header.top')?.append(h('p', { class: 'demo-only', role: 'note' },
      'For demos only: this tool\'s page is served from Chartlock\'s own web address, so it could read what Chartlock '
      + 'keeps in this browser. Use it with synthetic records, never with real ones.'));
  }
  try {
    toolRequest = { channel, manifest: await checkManifest(manifest, channel.origin, (scopes) => core.call('consentCategories', scopes)) };
    if (vault.unlocked) home();
  } catch (err) {
    channel.send({ type: 'chartlock-error', code: err.code ?? 'bad-manifest', message: err.message });
    toolRefusal = err.message;
    start();
  }
});

function refusalCard() {
  return toolRefusal && h('section', { class: 'card', 'aria-labelledby': 'refusal-h' },
    h('h2', { id: 'refusal-h' }, 'This tool cannot connect'), errorBox(toolRefusal),
    h('p', {}, 'Nothing was shared with it. You can close this window.'));
}

/** @param {string} message */
function errorBox(message) {
  return h('p', { class: 'error', role: 'alert' }, message);
}

/**
 * @param {string} id
 * @param {string} label
 * @param {string} autocomplete
 */
function passphraseField(id, label, autocomplete) {
  return [h('label', { for: id }, label),
    h('input', { id, name: id, type: 'password', required: true, minlength: MIN_PASSPHRASE, autocomplete })];
}

/**
 * The value of a form's input (named property access on its elements).
 * @param {HTMLFormElement} form
 * @param {string} name
 */
const inputValue = (form, name) => /** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value;

// ---- vault: create, unlock, lock, delete ----

/** @param {string} [problem] */
function createScreen(problem) {
  /** @type {HTMLFormElement} */
  const form = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    const pass = inputValue(form, 'passphrase');
    if (pass !== inputValue(form, 'confirm')) return createScreen('The two passphrases are not the same.');
    say('Creating your vault…');
    try {
      const recoveryKey = await vault.create(pass);
      say('Your vault is ready. Keep your recovery key now.');
      recoveryKeyScreen(recoveryKey);
    } catch (err) {
      createScreen(err.message);
    }
  } },
  refusalCard(),
  h('h1', {}, 'Create your vault'),
  h('p', {}, 'Chartlock keeps your health records on this device, locked with a passphrase only you know. ',
    'Records are decrypted and explained here, in your browser — never on our servers.'),
  h('p', { class: 'warning' }, 'Next you will get a ', h('strong', {}, 'recovery key'),
    ': with it you can open your vault if you forget this passphrase. Chartlock cannot recover either of them for you.'),
  problem && errorBox(problem),
  ...passphraseField('passphrase', `Passphrase (at least ${MIN_PASSPHRASE} characters)`, 'new-password'),
  ...passphraseField('confirm', 'Type it again', 'new-password'),
  h('button', { type: 'submit', class: 'primary' }, 'Create vault'),
  h('p', {}, 'Already keep your vault in sync on another device? ',
    h('button', { type: 'button', onclick: () => deviceSync.signInScreen() }, 'Sign in with your recovery key')),
  h('p', {}, 'Have a backup of your vault? ', restoreButton()));
  show(main, form);
}

/** @param {string} [problem] */
function unlockScreen(problem) {
  /** @type {HTMLFormElement} */
  const form = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    say('Unlocking…');
    try {
      await vault.unlock(inputValue(form, 'passphrase'));
      say('Unlocked.');
      home();
      deviceSync.opened();
    } catch (err) {
      say('');  // not "Unlocking…" under the error
      unlockScreen(err.message);
    }
  } },
  refusalCard(),
  h('h1', {}, 'Unlock your vault'),
  problem && errorBox(problem),
  ...passphraseField('passphrase', 'Passphrase', 'current-password'),
  h('button', { type: 'submit', class: 'primary' }, 'Unlock'),
  h('details', {}, h('summary', {}, 'Forgot your passphrase?'),
    h('p', {}, 'Chartlock cannot recover it. If you kept your recovery key, restore a backup of your vault with it '
      + '(then choose a new passphrase). Otherwise you can delete this vault and start again.'),
    restoreButton(), ' ', deleteButton()),
  h('p', {}, 'Have a backup of your vault? ', restoreButton()));
  show(main, form);
}

function restoreButton() {
  return h('button', { type: 'button', onclick: () => restoreScreen() }, 'Restore from a backup');
}

// ---- recovery key, backup, restore, new passphrase ----

/**
 * The recovery key, shown once: what it is for, how to keep it.
 * @param {string} recoveryKey  groups joined by "-"
 * @param {{ wasOn: boolean, pending: boolean, unsaved?: string }} [sync]  a new key made while sync was on (it was
 *   turned off; `pending`: the copy the old key opens could not be deleted yet; `unsaved`: why that could not be saved)
 */
function recoveryKeyScreen(recoveryKey, sync = { wasOn: false, pending: false }) {
  const groups = recoveryKey.split(/[-\s]+/).join(' ');
  const qrBox = h('div', { class: 'qr-box' });
  core.call('qrCode', groups, 'M').then((code) => qrBox.append(qrSvg(code, 'Your recovery key as a QR code')),
    () => qrBox.remove());
  const copied = h('span', { role: 'status' });
  /** @type {HTMLFormElement} */
  const form = h('form', { class: 'card', 'aria-labelledby': 'recovery-h', onsubmit: (e) => {
    e.preventDefault();
    say('');
    home();
  } },
  h('h1', { id: 'recovery-h' }, 'Your recovery key'),
  h('p', {}, 'This is the second key to your vault. You need it if you forget your passphrase, or to open a backup of your vault '
    + 'on a new device when you no longer know the passphrase.'),
  h('p', { class: 'recovery-key', id: 'recovery-key', 'aria-label': 'Your recovery key' }, groups),
  // The same text as a QR code, to photograph or print: drawn from the core's modules, never sent anywhere.
  qrBox,
  h('ul', {},
    h('li', {}, 'Keep it on paper somewhere safe, or in a password manager. Do not keep it next to your passphrase.'),
    h('li', {}, 'It is shown only now. Chartlock does not keep a copy and cannot recover it for you.'),
    h('li', {}, 'Anyone with it and a copy of your vault can open your vault: keep it private.'),
    h('li', {}, h('strong', {}, 'If you lose both your passphrase and this recovery key, your vault is lost.'))),
  h('p', {}, h('button', { type: 'button', onclick: async () => {
    try {
      await navigator.clipboard.writeText(groups);
      copied.textContent = ' Copied.';
    } catch {
      copied.textContent = ' Your browser did not allow copying: select the key and copy it, or write it down.';
    }
  } }, 'Copy'), ' ', h('button', { type: 'button', onclick: () => window.print() }, 'Print'), copied),
  sync.wasOn && syncAgainBox(groups, sync.pending, sync.unsaved),
  h('p', {}, h('input', { type: 'checkbox', id: 'kept', name: 'kept', required: true }), ' ',
    h('label', { for: 'kept' }, 'I have kept my recovery key')),
  h('button', { type: 'submit', class: 'primary' }, 'Continue'));
  show(main, form);
}

// A new recovery key turned sync off (the old key reaches no copy any more): on again with the new one, if the patient wants.
/**
 * @param {string} recoveryKey
 * @param {boolean} pending  the old key's copy is still at the relay
 * @param {string} [unsaved]  why turning sync off could not be saved on this device
 */
function syncAgainBox(recoveryKey, pending, unsaved) {
  const result = h('p', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', onclick: async () => {
    button.disabled = true;
    result.textContent = 'Turning sync on…';
    // A new key's sync id: never one found turned off elsewhere, so 'needs-confirm' does not come back here.
    const failed = await deviceSync.turnOn(recoveryKey, '').catch((err) => err.message);
    result.textContent = failed ?? 'Sync is on again, with your new recovery key. On your other devices, sign in with the new key.';
    button.disabled = !failed;
  } }, 'Turn sync on again with the new key');
  return h('div', { class: 'warning' },
    h('p', {}, pending
      ? 'Sync was turned off. Your vault\'s copy at the relay, which your old recovery key can open, could not be deleted yet: '
        + 'Chartlock keeps trying, and until then the old key can still open that copy.'
      : 'Sync was turned off: your vault\'s copy at the relay, which your old recovery key could open, was deleted.',
    ' Your other devices stop syncing and keep what they have.'),
    unsaved && h('p', {}, `This device could not save yet that sync is off (${unsaved}): it is saved with your next change `
      + 'here. Your new recovery key is made and kept all the same.'),
    button, result);
}

/** @param {string} [problem] */
function restoreScreen(problem) {
  const file = h('input', { id: 'backup-file', name: 'backup-file', type: 'file', accept: '.clv,application/octet-stream' });
  /** @param {{ passphrase: string } | { recoveryKey: string }} secret */
  const restore = async (secret) => {
    const picked = /** @type {HTMLInputElement} */ (file).files?.[0];
    if (!picked) return restoreScreen('Choose your backup file first.');
    if (await vault.exists() && !window.confirm('Replace the vault in this browser with the backup? Everything in this '
      + 'browser\'s vault that is not in the backup is lost, and tools shared with only from it can no longer be disconnected here.')) return;
    say('Opening your backup…');
    try {
      await vault.restore(new Uint8Array(await picked.arrayBuffer()), secret);
      openVersion = -1;
      recordsVersion += 1;
      if ('recoveryKey' in secret) {
        say('Your backup is open. Choose a new passphrase.');
        newPassphraseScreen();
      } else {
        say('Your vault was restored.');
        home();
      }
      deviceSync.opened();
    } catch (err) {
      say('');
      restoreScreen(err.message);
    }
  };
  const passphrase = h('input', { id: 'restore-passphrase', type: 'password', autocomplete: 'current-password' });
  const recovery = h('input', { id: 'restore-recovery-key', type: 'text', autocomplete: 'off', spellcheck: 'false' });
  show(main, h('section', { class: 'card', 'aria-labelledby': 'restore-h' },
    refusalCard(),
    h('h1', { id: 'restore-h' }, 'Restore from a backup'),
    h('p', {}, 'A backup is your whole vault in one file (it ends in .clv), encrypted: it opens only with your passphrase '
      + 'or your recovery key. Restoring makes it the vault in this browser.'),
    problem && errorBox(problem),
    h('label', { for: 'backup-file' }, 'Your backup file'), file,
    h('h2', {}, 'Open it with your passphrase'),
    h('label', { for: 'restore-passphrase' }, 'Passphrase'), passphrase,
    h('button', { type: 'button', class: 'primary', onclick: () => restore({ passphrase: /** @type {HTMLInputElement} */ (passphrase).value }) },
      'Restore with passphrase'),
    h('h2', {}, 'Or with your recovery key'),
    h('label', { for: 'restore-recovery-key' }, 'Recovery key'), recovery,
    h('button', { type: 'button', onclick: () => restore({ recoveryKey: /** @type {HTMLInputElement} */ (recovery).value }) },
      'Restore with recovery key'),
    h('p', {}, h('button', { type: 'button', onclick: () => start() }, 'Back'))));
}

// After opening with the recovery key: the passphrase was forgotten, so a new one (the recovery key stays).
/** @param {string} [problem] */
function newPassphraseScreen(problem) {
  /** @type {HTMLFormElement} */
  const form = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    const pass = inputValue(form, 'passphrase');
    if (pass !== inputValue(form, 'confirm')) return newPassphraseScreen('The two passphrases are not the same.');
    say('Setting your new passphrase…');
    try {
      await vault.changePassphrase('', pass);
      say('Your new passphrase is set. Your recovery key still works.');
      home();
    } catch (err) {
      newPassphraseScreen(err.message);
    }
  } },
  h('h1', {}, 'Choose a new passphrase'),
  h('p', {}, 'Your vault is open with your recovery key. Choose a new passphrase to unlock it from now on; your recovery key stays the same.'),
  problem && errorBox(problem),
  ...passphraseField('passphrase', `New passphrase (at least ${MIN_PASSPHRASE} characters)`, 'new-password'),
  ...passphraseField('confirm', 'Type it again', 'new-password'),
  h('button', { type: 'submit', class: 'primary' }, 'Set passphrase'));
  show(main, form);
}

/** @param {string} [problem] */
function changePassphraseScreen(problem) {
  /** @type {HTMLFormElement} */
  const form = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    const pass = inputValue(form, 'passphrase');
    if (pass !== inputValue(form, 'confirm')) return changePassphraseScreen('The two new passphrases are not the same.');
    say('Changing your passphrase…');
    try {
      await vault.changePassphrase(inputValue(form, 'current'), pass);
      say('Your passphrase was changed. Your recovery key still works.');
      home();
    } catch (err) {
      say('');
      changePassphraseScreen(err.message);
    }
  } },
  h('h1', {}, 'Change your passphrase'),
  h('p', {}, 'Your recovery key stays the same. Backups you made before still open with the old passphrase.'),
  problem && errorBox(problem),
  ...passphraseField('current', 'Current passphrase', 'current-password'),
  ...passphraseField('passphrase', `New passphrase (at least ${MIN_PASSPHRASE} characters)`, 'new-password'),
  ...passphraseField('confirm', 'Type the new one again', 'new-password'),
  h('button', { type: 'submit', class: 'primary' }, 'Change passphrase'), ' ',
  h('button', { type: 'button', onclick: () => home() }, 'Back'));
  show(main, form);
}

/** @param {string} [problem] */
function makeRecoveryKeyScreen(problem) {
  /** @type {HTMLFormElement} */
  const form = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    say('Making your recovery key…');
    let recoveryKey;
    try {
      recoveryKey = await vault.makeRecoveryKey(inputValue(form, 'passphrase'));
    } catch (err) {
      say('');
      makeRecoveryKeyScreen(err.message);
      return;
    }
    // The key is made and stored: from here on it is shown, whatever else fails. The old key must reach nothing
    // any more: its sync copy is deleted at the relay (retried later if offline).
    /** @type {{ wasOn: boolean, pending: boolean, unsaved?: string }} */
    let sync;
    try {
      sync = await deviceSync.retireForNewKey();
    } catch (err) {
      sync = { wasOn: Boolean(vault.state?.sync), pending: true, unsaved: err.message };
    }
    say('Keep your recovery key now.');
    recoveryKeyScreen(recoveryKey, sync);
  } },
  h('h1', {}, 'Make a recovery key'),
  h('p', {}, 'A recovery key opens your vault if you forget your passphrase. If you had one, it stops working for everything saved '
    + 'from now on (older backups still open with it).'),
  opened().sync && h('p', {}, 'Sync is on. A new recovery key turns it off and deletes your vault\'s copy at the relay, which is '
    + 'locked with the old key; you can then turn sync on again with the new key.'),
  problem && errorBox(problem),
  ...passphraseField('passphrase', 'Your passphrase', 'current-password'),
  h('button', { type: 'submit', class: 'primary' }, 'Make a recovery key'), ' ',
  h('button', { type: 'button', onclick: () => home() }, 'Back'));
  show(main, form);
}

// The stored vault's sealed bytes as a file: ciphertext only.
async function downloadBackup() {
  try {
    const sealed = await vault.backup();
    saveFile(/** @type {Uint8Array<ArrayBuffer>} */ (sealed), `chartlock-vault-${new Date().toISOString().slice(0, 10)}.clv`);
    say('Your backup was downloaded.');
  } catch (err) {
    say(`Your backup could not be made: ${err.message}`);
  }
}

function safetyCard() {
  const make = h('button', { type: 'button', onclick: () => makeRecoveryKeyScreen() }, 'Make a recovery key');
  const note = h('p', {});
  vault.hasRecoveryKey().then((has) => {
    if (has) make.textContent = 'Make a new recovery key';
    else note.textContent = 'Your vault has no recovery key: if you forget your passphrase, it cannot be opened. Make one now.';
  }, () => {});
  return h('section', { class: 'card', 'aria-labelledby': 'safety-h' }, h('h2', { id: 'safety-h' }, 'Keep your vault safe'),
    h('p', {}, 'A backup is your whole vault in one encrypted file: it opens only with your passphrase or your recovery key, '
      + 'so you can keep it anywhere (a USB stick, your cloud storage, email to yourself). With it, you can restore your vault '
      + 'on a new device.'),
    note,
    h('button', { type: 'button', onclick: () => downloadBackup() }, 'Back up your vault'), ' ',
    h('button', { type: 'button', onclick: () => changePassphraseScreen() }, 'Change passphrase'), ' ', make);
}

function deleteButton() {
  return h('button', { type: 'button', class: 'danger', guard: true, onclick: () => deleteEverything() }, 'Delete everything');
}

// Deleting the vault deletes the only keys that can disconnect the tools
// shared with: so they are disconnected first, and if one cannot be, the
// patient is told plainly before anything is deleted. With sync on, a sync
// runs first: the grants the relay's copy then carries have their keys on
// the other devices and stay connected; any other (shared a moment ago, or
// sync not working) is disconnected as with sync off.
async function deleteEverything({ force = false } = {}) {
  // Locked (a forgotten passphrase): the grants' keys are sealed in the vault, so no tool can be disconnected from here.
  const locked = !vault.state;
  const synced = Boolean(vault.state?.sync);
  let live = /** @type {import('./types').SharedGrant[]} */ ([]);
  if (!locked && !force) {
    if (synced) say('Syncing first, so that your other devices have everything…');
    live = await deviceSync.grantsOnlyHere();
  }
  const kept = synced && !locked ? opened().grants.filter((g) => g.status === 'active' && !live.includes(g)) : [];
  const names = (/** @type {import('./types').SharedGrant[]} */ gs) => [...new Set(gs.map((g) => g.tool.name))].join(', ');
  const syncWords = !synced || locked ? ''
    : live.length
      ? ` Sync is on, but your other devices may not have the keys of what you shared with ${names(live)} (shared a moment `
        + 'ago, or sync did not work just now), so those are disconnected here first.'
        + `${kept.length ? ` The tools your other devices can disconnect stay connected (${names(kept)}).` : ''}`
      : ' Sync is on: your other devices keep your vault, and the tools you share with stay connected (disconnect them from '
        + 'another device).';
  if (!force && !window.confirm(`Delete your vault and everything in it from this device? This cannot be undone.${
    live.length && !synced ? ` It also disconnects ${names(live)}.` : ''}${syncWords}${locked ? ' Your vault is locked, '
    + 'so the tools you shared with cannot be disconnected from here: they keep their access until it ends, unless you '
    + 'disconnect them from a backup or another device.' : ''}`)) return;
  /** @type {{ name: string, message: string, until: number }[]} */
  const failed = [];
  if (!force) {
    say('Disconnecting your tools…');
    for (const g of live) {
      try {
        await sharing.flow.disconnect(g);
      } catch (err) {
        failed.push({ name: g.tool.name, message: /** @type {any} */ (err).message, until: g.expiresAt });
      }
    }
  }
  if (failed.length > 0) {
    say('Nothing was deleted yet.');
    show(main, h('section', { class: 'card' }, h('h1', {}, 'Nothing was deleted yet'),
      h('p', {}, 'These tools could not be disconnected. If you delete your vault now, they can still fetch what you shared '
        + 'until their access ends, and nothing here could stop them any more:'),
      h('ul', {}, failed.map((f) => h('li', {}, `${f.name}: ${f.message} (access ends ${formatDay(f.until * 1000)})`))),
      h('button', { type: 'button', onclick: () => deleteEverything() }, 'Try again'), ' ',
      h('button', { type: 'button', class: 'danger', guard: true, onclick: () => deleteEverything({ force: true }) }, 'Delete anyway'), ' ',
      h('button', { type: 'button', onclick: () => home() }, 'Back')));
    return;
  }
  await vault.destroy();
  say('Everything was deleted from this device.');
  createScreen();
}

// ---- home: providers and records ----

async function home() {
  const state = opened();
  const providers = h('section', { class: 'card', 'aria-labelledby': 'providers-h' },
    h('h2', { id: 'providers-h' }, 'Your providers'),
    state.providers.length === 0
      ? h('p', {}, 'No providers yet. Find your clinic or hospital to bring in your records.')
      : h('ul', { class: 'providers' }, state.providers.map(providerItem)),
    h('button', { type: 'button', class: 'primary', onclick: () => findScreen() }, 'Find a provider'));
  const records = h('section', { class: 'card', 'aria-labelledby': 'records-h' }, h('h2', { id: 'records-h' }, 'Your records'));
  // The tool that opened the widget: asking, or already shared with (then: its newest records, not a second grant).
  const live = toolRequest && state.grants.find((g) => g.status === 'active' && g.tool.origin === toolRequest?.manifest.origin
    && (!g.person || !state.person || g.person === state.person));
  const request = toolRequest && h('section', { class: 'card request', 'aria-labelledby': 'request-h' },
    live
      ? [h('h2', { id: 'request-h' }, `You share your records with ${toolRequest.manifest.name}`),
        h('p', {}, `It has version ${live.sequence}, shared on ${formatMoment(live.sharedAt * 1000)}.`),
        h('button', { type: 'button', class: 'primary', onclick: () => sharing.updateScreen(live) },
          `Share your most recent records with ${toolRequest.manifest.name}`)]
      : [h('h2', { id: 'request-h' }, `${toolRequest.manifest.name} would like to see some of your records`),
        h('p', {}, toolRequest.manifest.purpose),
        !hasSources(state)
          ? h('p', {}, 'Connect a provider or add a file first, then choose what to share.')
          : h('button', { type: 'button', class: 'primary', onclick: () => sharing.consentScreen(/** @type {ToolRequest} */ (toolRequest).manifest,
            { channel: /** @type {ToolRequest} */ (toolRequest).channel }) }, `Review and share with ${toolRequest.manifest.name}`)]);
  show(main, h('h1', { class: 'visually-hidden' }, 'Chartlock'), refusalCard(), request, recordLocation.card(), providers,
    addedFiles.card(), records,
    sharing.toolsSection(), hasSources(state) && clinicianShare.card(), safetyCard(),
    deviceSync.card(h('button', { type: 'button', onclick: () => vault.lock() }, 'Lock now'), ' ', deleteButton()));
  if (hasSources(state)) {
    const before = status.textContent;  // e.g. how the last fetch went: keep it announced
    say('Reading your records…');
    try {
      await openRecords();
      const summary = await core.call('recordsSummary', { today: new Date().toISOString().slice(0, 10), dateStyle: dateStyle() });
      if (state.person) {
        records.append(h('p', { class: 'person' }, `Showing ${summary.patient.name || 'one person'}'s records. `,
          h('button', { type: 'button', onclick: async () => {
            delete state.person;
            await vault.save();
            recordsVersion += 1;
            home();
          } }, 'See another person\'s records')));
      }
      records.append(recordsView(summary, await core.call('recordsNotes')));
      say(before === 'Reading your records…' ? '' : before);
    } catch (err) {
      const persons = /** @type {any} */ (err).code === 'different-persons' ? /** @type {any} */ (err).persons : null;
      records.replaceWith(persons ? personChooser(persons) : records);
      if (persons) say('Your providers hold the records of more than one person: choose whose to see.');
      else records.append(errorBox(`Your records could not be read: ${err.message}`));
    }
  }
}

// The records as the core's sources: one per provider, named for it, and one
// per file the patient added, named as they named it.
/** @param {VaultState} state */
function sourcesOf(state) {
  return [...state.providers.map((p) => ({ name: p.name, bytes: new TextEncoder().encode(JSON.stringify(p.bundle)) })),
    ...fileSources(state.files ?? [])];
}

/** @param {Provider} p */
function providerItem(p) {
  const count = p.bundle.entry.length;
  const updated = p.fetchedAt ? `updated ${formatMoment(Date.parse(p.fetchedAt))}` : 'not fetched yet';
  return h('li', {}, h('strong', {}, p.name), ' — ', `${count} records, ${updated}`,
    p.errors.length > 0 && h('div', { class: 'fetch-errors' },
      h('p', {}, 'Some records could not be fetched this time. Everything else was kept; “Refresh” tries again.'),
      h('ul', {}, p.errors.map((e) => h('li', {}, `${RESOURCE_LABELS[e.type] ?? 'All your records'}: ${e.message.replace(/\.?$/, '.')}`,
        e.kept ? ` Showing the ${e.kept} fetched before.` : '')))),
    ' ', h('button', { type: 'button', onclick: () => syncProvider(p).then(() => home()) }, `Refresh ${p.name}`),
    ' ', h('button', { type: 'button', onclick: () => confirmRemoveProvider(p) }, `Remove ${p.name}`));
}

// Removing a provider drops its records and its sign-in from the vault; a
// removal is remembered (vault-merge.js), so that another window's copy does
// not bring it back. Connecting it again later is a new connection.
/** @param {Provider} p */
function confirmRemoveProvider(p) {
  show(main, h('section', { class: 'card', 'aria-labelledby': 'remove-h' },
    h('h1', { id: 'remove-h' }, `Remove ${p.name}?`),
    h('p', {}, 'Its records and your sign-in to its portal leave your vault. Tools you shared with keep what they received '
      + `until you disconnect them. Your account at ${p.name} is not touched, and you can connect it again later.`),
    h('button', { type: 'button', class: 'primary', onclick: async () => {
      const state = opened();
      state.providers = state.providers.filter((x) => x !== p);
      (state.removed ??= []).push({ id: p.id, at: new Date().toISOString() });
      await vault.save();
      recordsVersion += 1;
      say(`Removed ${p.name}.`);
      home();
    } }, `Remove ${p.name}`), ' ',
    h('button', { type: 'button', onclick: () => home() }, 'Cancel')));
}

// ---- finding and connecting providers ----

/** @type {Promise<number> | null} */
let directoryLoaded = null;
function loadDirectory() {
  directoryLoaded ??= (async () => {
    const r = await fetch(config.directoryUrl);
    if (!r.ok) throw new Error(`the directory could not be loaded (HTTP ${r.status})`);
    return core.call('directoryLoad', new Uint8Array(await r.arrayBuffer()));
  })();
  return directoryLoaded;
}

// How many matches a search shows; the core says how many there are in all.
const SEARCH_SHOWN = 20;

// A FHIR base as the vault keeps it (smart.js: no trailing slash), to tell
// whether a directory entry is a provider already connected.
/** @param {string} url */
const sameBase = (url) => url.replace(/\/+$/, '');

function findScreen() {
  const results = h('ul', { class: 'results', 'aria-live': 'polite' });
  const count = h('p', { class: 'result-count', role: 'status' });
  const input = h('input', { id: 'provider-search', type: 'search', autocomplete: 'off', placeholder: 'Name, city or state' });
  let pending = 0;
  input.addEventListener('input', async () => {
    const ticket = ++pending;
    const query = input.value;
    if (!query.trim()) {
      count.textContent = '';
      return results.replaceChildren();
    }
    await loadDirectory();
    const { total, matches } = await core.call('directorySearch', query, SEARCH_SHOWN);
    if (ticket !== pending) return;  // the patient kept typing
    const connected = new Set(opened().providers.map((p) => sameBase(p.fhirBase)));
    count.textContent = matchCount(total, matches.length);
    results.replaceChildren(...(matches.length === 0
      ? [h('li', {}, 'No provider matches. Check the spelling, or try the city.')]
      : matches.map((m) => h('li', {}, h('span', {}, h('strong', {}, m.name), ` — ${m.city}, ${m.state}`), ' ',
          connected.has(sameBase(m.fhirBase))
            // Its records are already in ("Refresh" on the first screen brings new ones); signing in
            // again stays possible, as a second choice: another person's account there, or a new sign-in.
            ? [h('span', { class: 'connected' }, 'Connected'), ' ',
              h('button', { type: 'button', onclick: () => connectProvider(m),
                'aria-label': `Connect ${m.name} (${m.city}, ${m.state}) again` }, 'Connect again')]
            : h('button', { type: 'button', class: 'primary', onclick: () => connectProvider(m),
              'aria-label': `Connect ${m.name} (${m.city}, ${m.state})` }, 'Connect')))));
  });
  show(main, h('section', { class: 'card' }, h('h1', {}, 'Find a provider'),
    h('label', { for: 'provider-search' }, 'Search the provider directory'), input, count, results,
    h('button', { type: 'button', onclick: () => home() }, 'Back')));
  loadDirectory().catch((err) => results.replaceChildren(h('li', {}, errorBox(err.message))));
  input.focus();
}

/**
 * What a search found, in words: all of it, or the best few and how to see the rest.
 * @param {number} total  providers matching, as the core counts them
 * @param {number} shown
 */
function matchCount(total, shown) {
  if (total === 0) return '';
  const all = `${total.toLocaleString()} provider${total === 1 ? '' : 's'}`;
  if (shown >= total) return `${all} match${total === 1 ? 'es' : ''}.`;
  return `${all} match: showing the ${shown} best. Refine your search to see the others: `
    + 'add the city or state, or more of the name.';
}

/** @param {Pick<DirectoryMatch, 'id' | 'name' | 'fhirBase'>} match  a directory entry, or a network's provider */
async function connectProvider(match) {
  // Opened here, in the click, or the browser blocks it.
  const popup = window.open('about:blank', '_blank', 'popup,width=520,height=720');  // unnamed: no other page can reach it by name
  if (!popup) return show(main, errorBox('Your browser blocked the sign-in window. Allow pop-ups for this site and try again.'));
  say(`Opening ${match.name}'s patient portal…`);
  // What the patient sees meanwhile (and not the last try's error).
  show(main, h('section', { class: 'card' }, h('h1', {}, `Signing in to ${match.name}`),
    h('p', {}, `Sign in to ${match.name}'s patient portal in the window that opened, and allow Chartlock to read your records.`)));
  try {
    const connection = await connect({ fhirBase: match.fhirBase, clientId: config.clientId,
      redirectUri: new URL('callback.html', window.location.href).toString(), scope: config.scope, popup });
    // Connecting again keeps what was fetched before, until the new fetch replaces it.
    const old = opened().providers.find((p) => p.id === match.id);
    /** @type {Provider} */
    const provider = { id: match.id, name: match.name, ...connection, bundle: old?.bundle ?? { entry: [] }, errors: [],
      fetchedAt: old?.fetchedAt ?? null, connectedAt: new Date().toISOString() };
    opened().providers = opened().providers.filter((p) => p.id !== provider.id).concat(provider);
    await syncProvider(provider);
    home();
  } catch (err) {
    say('');
    show(main, h('section', { class: 'card' }, h('h1', {}, `Could not connect ${match.name}`), errorBox(err.message),
      h('p', {}, 'Nothing was changed.'),
      h('button', { type: 'button', class: 'primary', onclick: () => connectProvider(match) }, 'Try again'), ' ',
      h('button', { type: 'button', onclick: () => findScreen() }, 'Back')));
  }
}

/** @param {Provider} provider */
async function syncProvider(provider) {
  const progress = h('progress', { max: 1, value: 0, 'aria-label': `Fetching records from ${provider.name}` });
  const line = h('p', {}, 'Starting…');
  show(main, h('section', { class: 'card' }, h('h1', {}, `Fetching your records from ${provider.name}`), progress, line));
  try {
    const { bundle, errors } = await fetchPatientRecords(provider, {
      clientId: config.clientId,
      previous: provider.bundle,
      onTokens: () => vault.save(),  // a rotated refresh token must not be lost
      onProgress: ({ done, total, type, resources }) => {
        progress.max = total;
        progress.value = done;
        line.textContent = `${type}: ${resources} records so far (${done} of ${total} kinds)`;
      },
    });
    provider.bundle = bundle;
    provider.errors = errors;
    provider.fetchedAt = new Date().toISOString();
    // A note whose text the portal would not give is one problem of its own, not a kind of record.
    // Neither a note's text nor a name is a kind of record: each is said on its own.
    const notes = errors.filter((e) => e.type === 'Binary').length;
    const names = errors.filter((e) => CHASED_TYPES.includes(e.type)).length;
    const kinds = errors.length - notes - names;
    say(`Fetched ${bundle.entry.length} records from ${provider.name}.${kinds
      ? ` ${kinds} kind${kinds === 1 ? '' : 's'} of record could not be fetched; the rest was kept.` : ''}${notes
      ? ` The text of ${notes} note${notes === 1 ? '' : 's'} could not be fetched; the notes are listed without it.` : ''}${names
      ? ' Some names of clinicians, places or medicines could not be fetched.' : ''}`);
  } catch (err) {
    provider.errors = [{ type: 'all', message: err.message }];
    say(`Fetching from ${provider.name} failed: ${err.message} Your records from before were kept.`);
  }
  recordsVersion += 1;
  await vault.save();
}

async function refreshProviders() {
  for (const p of opened().providers) await syncProvider(p);
}

async function start() {
  if (vault.unlocked) return home();
  return (await vault.exists()) ? unlockScreen() : createScreen();
}

start();
