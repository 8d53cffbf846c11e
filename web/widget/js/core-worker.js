// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The Web Worker that runs the C++ core (wasm): everything that touches the
// patient's records in the clear — parsing, summarizing, the vault, sealing —
// happens here, off the UI thread. Requests: {id, method, args}; replies:
// {id, result} | {id, error: {code, message}}; progress: {id, progress};
// events: core-ready, core-failed.
//
// It is not loaded by URL: core.js fetches this file and the Emscripten glue
// (which defines ChartlockCore) with Subresource Integrity and starts one
// Worker from their text. The .wasm, fetched with its integrity and compiled
// by core.js, arrives as the first message: {wasm: WebAssembly.Module}.
/* global ChartlockCore */
// Types: tsconfig.worker.json (the globals: web/types/core-worker-globals.d.ts).

/** @typedef {import('../../../wasm/chartlock-core').ChartlockCoreModule} ChartlockCoreModule */

/** @type {(module: WebAssembly.Module) => void} */
let receiveModule;
/** @type {Promise<WebAssembly.Module>} */
const compiled = new Promise((resolve) => { receiveModule = resolve; });
/** @type {(error: Error) => void} */
let wasmFailed;
/** @type {Promise<ChartlockCoreModule>} */
const ready = Promise.race([
  ChartlockCore({
    instantiateWasm(imports, receive) {
      compiled.then((module) => WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module)))
        .catch((e) => wasmFailed(Object.assign(new Error(`the core's .wasm did not instantiate (${e.message})`),
          { code: 'core-unavailable' })));
      return {};  // Emscripten's signal that instantiation is asynchronous
    },
  }),
  new Promise((resolve, reject) => { wasmFailed = reject; }),
]);

// Start-up timing for bench/widget-start.mjs: when the module was
// instantiated and ready, as an absolute time (the page's clock starts at a
// different origin than the Worker's).
ready.then(() => postMessage({ event: 'core-ready', readyAt: performance.timeOrigin + performance.now() }),
  (e) => postMessage({ event: 'core-failed', code: e.code, message: e.message }));

// While the vault is unlocked its keys live here (and only here): every save
// reseals with them (vaultReseal: no Argon2id, the recovery slot kept). The
// passphrase, or the recovery key it was opened with, is kept too, to open
// another window's save of the same vault (vaultReopen). lock() forgets all.
/** @type {import('../../../wasm/chartlock-core').VaultKeys | null} */
let keys = null;
/** @type {{ passphrase: string } | { recoveryKey: string } | null} */
let secret = null;
/** @type {import('../../../wasm/chartlock-core').Directory | null} */
let directory = null;
/** @type {import('../../../wasm/chartlock-core').Records | null} */
let records = null;  // the providers' records, read once per change (a core Records object)

const locked = () => Object.assign(new Error('the vault is locked'), { code: 'locked' });
/** @param {import('../../../wasm/chartlock-core').VaultKeys} next */
function holdKeys(next) {
  keys?.fill(0);
  keys = next;
}
/** @param {Uint8Array} plaintext  wiped once read */
function parseState(plaintext) {
  const state = JSON.parse(new TextDecoder().decode(plaintext));
  plaintext.fill(0);
  return state;
}
/** @param {unknown} state */
const encodeState = (state) => new TextEncoder().encode(JSON.stringify(state));

/** @type {import('./types').CoreHandlers} */
const methods = {
  version: (core) => core.version(),

  // Vault: the whole state, JSON in and out; only ciphertext (and, once, the
  // new recovery key's text) leaves the worker.
  vaultCreate: (core, [pass, state, params]) => {
    const made = core.vaultCreate(pass, encodeState(state), params ?? {});
    holdKeys(made.keys);
    secret = { passphrase: pass };
    return { sealed: made.vault, recoveryKey: made.recoveryKey };
  },
  // Signing in to a synced vault on a new device: its own passphrase, the same recovery key.
  vaultCreateWithRecoveryKey: (core, [pass, text, state, params]) => {
    const made = core.vaultCreateWithRecoveryKey(pass, text, encodeState(state), params ?? {});
    holdKeys(made.keys);
    secret = { passphrase: pass };
    return made.vault;
  },
  vaultUnlock: (core, [pass, sealed]) => {
    const opened = core.vaultUnlock(pass, sealed);
    holdKeys(opened.keys);
    secret = { passphrase: pass };
    return parseState(opened.plaintext);
  },
  vaultUnlockWithRecoveryKey: (core, [text, sealed]) => {
    const opened = core.vaultUnlockWithRecoveryKey(text, sealed);
    holdKeys(opened.keys);
    secret = { recoveryKey: text };
    return parseState(opened.plaintext);
  },
  // Another window's save of the same vault, opened with the secret this one
  // holds (vault.js merges it); its keys are the newest, so they are kept.
  vaultReopen: (core, [sealed]) => {
    if (secret === null) throw locked();
    const opened = 'passphrase' in secret ? core.vaultUnlock(secret.passphrase, sealed)
      : core.vaultUnlockWithRecoveryKey(secret.recoveryKey, sealed);
    holdKeys(opened.keys);
    return parseState(opened.plaintext);
  },
  vaultSave: (core, [state, params]) => {
    if (keys === null || secret === null) throw locked();
    try {
      return core.vaultReseal(keys, encodeState(state));
    } catch (e) {
      // Keys below today's floor (a vault sealed before there was one): sealed
      // again with the same passphrase at today's cost, once.
      if (e.code !== 'invalid-argument' || !('passphrase' in secret)) throw e;
      holdKeys(core.vaultChangePassphrase(keys, secret.passphrase, params ?? {}));
      return core.vaultReseal(keys, encodeState(state));
    }
  },
  // New keys for the next save: the passphrase slot replaced, the recovery slot kept.
  vaultChangePassphrase: (core, [current, next, params]) => {
    if (keys === null || secret === null) throw locked();
    // Opened with the recovery key (a forgotten passphrase), nothing to check.
    if ('passphrase' in secret && secret.passphrase !== current) {
      throw Object.assign(new Error('That passphrase does not open this vault.'), { code: 'wrong-passphrase' });
    }
    holdKeys(core.vaultChangePassphrase(keys, next, params ?? {}));
    secret = { passphrase: next };
    return true;
  },
  // A stored vault (version 1 or 2) sealed anew with a new content key and recovery key.
  vaultMakeRecoveryKey: (core, [pass, sealed, params]) => {
    if (keys === null || secret === null) throw locked();
    const made = core.vaultMakeRecoveryKey(pass, sealed, params ?? {});
    holdKeys(made.keys);
    secret = { passphrase: pass };
    return { sealed: made.vault, recoveryKey: made.recoveryKey };
  },
  // Whether a recovery key opens the stored vault (turning sync on with it):
  // nothing is kept, the keys the worker holds stay as they are.
  vaultRecoveryKeyOpens: (core, [text, sealed]) => {
    try {
      const opened = core.vaultUnlockWithRecoveryKey(text, sealed);
      opened.keys.fill(0);
      opened.plaintext.fill(0);
      return true;
    } catch (e) {
      if (e.code === 'wrong-recovery-key' || e.code === 'no-recovery-key') return false;
      throw e;
    }
  },
  vaultInfo: (core, [sealed]) => core.vaultInfo(sealed),
  recoveryKeyProblem: (core, [text]) => core.recoveryKeyProblem(text),
  vaultLock: () => {
    keys?.fill(0);
    keys = null;
    secret = null;
    records?.delete();
    records = null;
    return true;
  },

  ingest: (core, [sources, options]) => JSON.parse(core.ingest(sources, options ?? {})),
  summarize: (core, [sources, options]) => JSON.parse(core.summarize(sources, options ?? {})),
  summarizeMarkdown: (core, [sources, options]) => core.summarizeMarkdown(sources, options ?? {}),

  directoryLoad: (core, [bytes]) => {
    directory?.delete();
    directory = new core.Directory(bytes);
    return directory.size();
  },
  // { total, matches }: how many providers match in all (the core counts), and the best `limit`.
  directorySearch: (core, [query, limit]) => {
    if (!directory) throw Object.assign(new Error('no directory loaded'), { code: 'no-directory' });
    return JSON.parse(directory.search(query, limit ?? 20));
  },

  matchQueries: (core, [verified]) => JSON.parse(core.matchQueries(JSON.stringify(verified))),

  // The records of one person (`person`: a key, when the providers hold several).
  recordsOpen: (core, [sources, options]) => {
    records?.delete();
    records = null;
    records = new core.Records(sources, options ?? {});
    return true;
  },
  // No card in it (or one too damaged to name its issuer): no keys to fetch;
  // reading it (fileCheck) then says what it is, or why it cannot be read.
  cardIssuers: (core, [bytes]) => {
    try {
      return JSON.parse(core.healthCardIssuers(bytes));
    } catch (e) {
      if (e.code === 'card-malformed') return [];
      throw e;
    }
  },
  fileCheck: (core, [source, cards]) => {
    try {
      const record = JSON.parse(core.ingest([source], cards ?? {}));
      const [read] = record.sources;
      return { format: read.format, resources: read.resources, persons: 1, warnings: record.warnings.length };
    } catch (e) {
      // A family's export: readable; whose records to show is chosen when they are read.
      if (e.code !== 'different-persons') throw e;
      return { format: 'records', resources: 0, persons: e.persons.length, warnings: 0 };
    }
  },
  recordsSummary: (core, [options]) => JSON.parse(openRecords().summary(options ?? {})),
  recordsPerson: () => openRecords().person(),
  recordsNotes: () => JSON.parse(openRecords().notes()),
  consentCatalog: () => JSON.parse(openRecords().consentCatalog()),
  consentCategories: (core, [scopes]) => core.consentCategories(scopes),
  consentLabels: (core) => core.consentLabels(),
  consentPreview: (core, [consent]) => JSON.parse(openRecords().consentPreview(consent)),
  share: (core, [request]) => openRecords().share(request),
  recordsIps: (core, [consent, options]) => openRecords().ips(consent, options),
  qrCode: (core, [text, level]) => core.qrCode(text, level),

  keysGenerate: (core) => core.keysGenerate(),
  keysPublic: (core, [secret]) => core.keysPublic(secret),
  bundleSeal: (core, [request]) => core.bundleSeal(request),
  requestSign: (core, [request]) => core.requestSign(request),
  // Vault sync (vault-sync.js): the state in and out as the vault's, sealed
  // under the sync key alone.
  syncIdentity: (core, [text]) => core.syncIdentity(text),
  syncSealState: (core, [syncKeys, state]) => core.syncSeal(syncKeys, encodeState(state)),
  syncOpenState: (core, [syncKeys, copy]) => parseState(core.syncOpen(syncKeys, copy)),
  syncRequestSign: (core, [request]) => core.syncRequestSign(request),
};

function openRecords() {
  if (!records) throw Object.assign(new Error('no records are open'), { code: 'no-records' });
  return records;
}

// A message that cannot be read here (the compiled module failing to arrive) would otherwise leave every call waiting.
onmessageerror = () => wasmFailed(Object.assign(new Error('the core\'s compiled .wasm did not reach its Worker'),
  { code: 'core-unavailable' }));

onmessage = async (/** @type {MessageEvent<import('./types').CoreRequest | { wasm: WebAssembly.Module }>} */ event) => {
  if ('wasm' in event.data) {
    receiveModule(event.data.wasm);
    return;
  }
  const { id, method, args } = event.data;
  try {
    const core = await ready;
    // `any`: the arguments arrive from the page untyped (core.js's call() types them by method).
    const fn = /** @type {Record<string, ((core: ChartlockCoreModule, args: any) => unknown) | undefined>} */ (methods)[method];
    if (!fn) throw Object.assign(new Error(`unknown method ${method}`), { code: 'invalid-argument' });
    const result = fn(core, args ?? []);
    const transfer = result instanceof Uint8Array ? [result.buffer] : [];
    postMessage({ id, result }, transfer);
  } catch (e) {
    // different-persons carries who they are: the patient picks whose records to read.
    postMessage({ id, error: { code: e.code ?? 'internal', message: e.message ?? String(e),
      ...(Array.isArray(e.persons) ? { persons: e.persons } : {}) } });
  }
};
