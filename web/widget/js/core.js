// The UI's handle on the core Worker: call(method, ...args) → Promise.
export class CoreError extends Error {
  constructor({ code, message }) {
    super(message);
    this.name = 'CoreError';
    this.code = code;
  }
}

export class Core {
  constructor(workerUrl = new URL('./core-worker.js', import.meta.url)) {
    this.worker = new Worker(workerUrl);
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      if (data.event === 'core-ready') {
        // A mark on the page's timeline for start-up measurements (bench/widget-start.mjs).
        const at = (t) => (t === null ? null : t - performance.timeOrigin);
        performance.mark('chartlock:core-ready', { startTime: at(data.readyAt), detail: { wasmFetched: at(data.wasmFetchedAt) } });
        return;
      }
      const p = this.pending.get(data.id);
      if (!p) return;
      this.pending.delete(data.id);
      if (data.error) p.reject(new CoreError(data.error));
      else p.resolve(data.result);
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new CoreError({ code: 'worker', message: e.message }));
      this.pending.clear();
    };
  }

  call(method, ...args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, method, args });
    });
  }
}
