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
// of their text. The page also fetches the .wasm with `integrity` and
// compiles it, at the same time as the scripts (rather than in the Worker
// once it runs, which started the download about 60 ms later), and posts
// the compiled module to the Worker before any request.
/** @param {string} base  the URL core-worker.js and ../wasm/ are relative to */
function spawnWorker(base) {
  /** @param {string} path @param {string} hash */
  const text = async (path, hash) => {
    const response = await fetch(new URL(path, base), { integrity: hash });
    if (!response.ok) throw new Error(`${path}: ${response.status}`);
    return response.text();
  };
  // With `integrity` the Response arrives only once the whole body is
  // checked, so the compile cannot overlap the download; it still runs on
  // V8's background threads, while the Worker starts.
  const module = WebAssembly.compileStreaming(fetch(new URL('../wasm/chartlock-core.wasm', base), { integrity: integrity.wasm }))
    .catch((e) => { throw new Error(`the core's .wasm did not load or did not match its integrity hash (${e.message})`); });
  module.catch(() => {});  // Core awaits it once the Worker runs; a failure before then is not unhandled
  const scripts = Promise.all([
    text('../wasm/chartlock-core.js', integrity.glue),
    text('./core-worker.js', integrity.worker),
  ]).then(([glue, worker]) => URL.createObjectURL(new Blob([glue, '\n', worker], { type: 'text/javascript' })));
  return { scripts, module };
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
    /** @type {((error: CoreError) => void) | undefined} set by whenUnavailable */
    this.onUnavailable = undefined;
    // Resolves with the Worker once it runs and has the compiled module; rejects (CoreError core-unavailable)
    // when a script does not match its hash or the .wasm does not load.
    const { scripts, module } = spawnWorker(base);
    this.ready = scripts.then(async (url) => {
      const worker = this.#start(url);
      try {
        // The Worker's first message, before any request (call() awaits this).
        worker.postMessage({ wasm: await module });
      } catch (e) {
        worker.terminate();
        URL.revokeObjectURL(url);
        throw e;
      }
      return worker;
    }).catch((e) => { throw this.#fail(e.message); });
    this.ready.catch(() => {});  // callers see it through call() and onUnavailable
  }

  /**
   * Calls `handler` once, when the core cannot start: at once if it already
   * could not (the core may start, and fail, before the page's code has loaded).
   * @param {(error: CoreError) => void} handler
   */
  whenUnavailable(handler) {
    this.onUnavailable = handler;
    if (this.failure) handler(this.failure);
  }

  /** @param {string} url */
  #start(url) {
    const worker = new Worker(url);
    worker.onmessage = (/** @type {MessageEvent<CoreReply>} */ { data }) => {
      if (data.event === 'core-ready') {
        URL.revokeObjectURL(url);
        // A mark on the page's timeline for start-up measurements (bench/widget-start.mjs):
        // when the .wasm arrived and when the Worker had it instantiated.
        const wasm = /** @type {PerformanceResourceTiming[]} */ (performance.getEntriesByType('resource')).find((e) => e.name.endsWith('.wasm'));
        performance.mark('chartlock:core-ready', { startTime: data.readyAt - performance.timeOrigin,
          detail: { wasmFetched: wasm ? wasm.responseEnd : null } });
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

/** @type {Core | null} */
let started = null;
// The page's one core, started by whichever asks first: boot.js, as soon as
// the integrity probe has passed (this module and its hashes are all it
// needs, so the core downloads and compiles while app.js's ~30 modules
// load), or app.js.
export const startCore = () => (started ??= new Core());
