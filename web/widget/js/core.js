// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The UI's handle on the core Worker: call(method, ...args) → Promise.
import integrity from './core-integrity.js';

/** @typedef {import('./types').CoreMethods} CoreMethods */
/** @typedef {import('./types').CoreMethod} CoreMethod */
/** @typedef {import('./types').CoreReply} CoreReply */

export class CoreError extends Error {
  /** @param {{ code: string, message: string, persons?: import('./types').PersonInfo[] }} error */
  constructor({ code, message, persons }) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
    /** For code different-persons: the persons the providers' records are about. */
    this.persons = persons;
  }
}

// The Worker sees the patient's records in the clear, so it runs only code
// this page can vouch for. The page's own modules are pinned by Subresource
// Integrity (index.html's import map), core-integrity.js among them: written
// by web/build.mjs, it holds the hashes of the Worker script, the Emscripten
// glue and the .wasm. Browsers have no SRI for Worker scripts, so the page
// fetches both scripts with `integrity` and starts the Worker from one Blob
// of their text; the Worker fetches the .wasm with `integrity` in turn.
/** @param {string} base  the URL core-worker.js and ../wasm/ are relative to */
async function spawnWorker(base) {
  /** @param {string} path @param {string} hash */
  const text = async (path, hash) => {
    const response = await fetch(new URL(path, base), { integrity: hash });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.text();
  };
  const [glue, worker] = await Promise.all([
    text('../wasm/chartlock-core.js', integrity.glue),
    text('./core-worker.js', integrity.worker),
  ]);
  const wasm = { url: new URL('../wasm/chartlock-core.wasm', base).href, integrity: integrity.wasm };
  const blob = new Blob([`const CHARTLOCK_WASM = ${JSON.stringify(wasm)};\n`, glue, '\n', worker], { type: 'text/javascript' });
  return URL.createObjectURL(blob);
}

const UNAVAILABLE = 'Chartlock could not start safely: its core did not load, or did not match what this page expects. ' +
  'Nothing was read or sent. Reload the page; if this happens again, do not use this copy of Chartlock.';

export class Core {
  constructor(base = import.meta.url) {
    // `any`: a reply's result comes back from the Worker untyped; call() types it by method.
    /** @type {Map<number, { resolve: (result: any) => void, reject: (error: CoreError) => void }>} */
    this.pending = new Map();
    this.nextId = 1;
    /** @type {CoreError | null} */
    this.failure = null;
    /**
     * Set by the page: called once, when the core cannot start.
     * @type {((error: CoreError) => void) | undefined}
     */
    this.onUnavailable;  // declared for tsc only: reading it does nothing
    // Resolves with the Worker once it runs; rejects (CoreError core-unavailable)
    // when a script does not match its hash or the .wasm does not load.
    this.ready = spawnWorker(base).then((url) => this.#start(url), (e) => { throw this.#fail(e.message); });
    this.ready.catch(() => {});  // callers see it through call() and onUnavailable
  }

  /** @param {string} url */
  #start(url) {
    const worker = new Worker(url);
    worker.onmessage = (/** @type {MessageEvent<CoreReply>} */ { data }) => {
      if (data.event === 'core-ready') {
        URL.revokeObjectURL(url);
        // A mark on the page's timeline for start-up measurements (bench/widget-start.mjs).
        /** @param {number | null} t */
        const at = (t) => (t === null ? null : t - performance.timeOrigin);
        performance.mark('chartlock:core-ready', { startTime: /** @type {number} */ (at(data.readyAt)), detail: { wasmFetched: at(data.wasmFetchedAt) } });
        return;
      }
      if (data.event === 'core-failed') {
        URL.revokeObjectURL(url);
        worker.terminate();
        this.#fail(data.message);
        return;
      }
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      if (data.error) p.reject(new CoreError(data.error));
      else p.resolve(data.result);
    };
    worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new CoreError({ code: 'worker', message: e.message }));
      this.pending.clear();
    };
    return worker;
  }

  // Returns the one CoreError every call gets from now on.
  /** @param {string} detail */
  #fail(detail) {
    if (this.failure) return this.failure;
    console.error('chartlock core:', detail);  // the technical reason, for whoever debugs this copy; never PHI
    this.failure = new CoreError({ code: 'core-unavailable', message: UNAVAILABLE });
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    this.onUnavailable?.(this.failure);
    return this.failure;
  }

  /**
   * Runs `method` in the Worker; rejects with a CoreError (its `code` the core's).
   * @template {CoreMethod} M
   * @param {M} method
   * @param {Parameters<CoreMethods[M]>} args
   * @returns {Promise<ReturnType<CoreMethods[M]>>}
   */
  async call(method, ...args) {
    const worker = await this.ready;
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args });
    });
  }
}
