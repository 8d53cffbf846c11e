// SPDX-License-Identifier: Apache-2.0
// Runs the module on the main thread and in a Worker, for the browser test.
window.ingestOnMainThread = async (urls) => {
  const core = await ChartlockCore();
  const sources = await Promise.all(urls.map(async (u) => ({
    name: u.split('/').pop(), bytes: new Uint8Array(await (await fetch(u)).arrayBuffer()) })));
  return core.ingest(sources);
};

window.ingestInWorker = (urls) => new Promise((resolve, reject) => {
  const worker = new Worker('wasm-core-worker.js');
  worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.record));
  worker.onerror = (e) => reject(new Error(e.message));
  worker.postMessage(urls);
});

// The module's record of each text (one Patient, NDJSON), on the main thread
// or in a Worker, the widget's place: strings made by the page's own decoders.
window.ingestTexts = async (texts, inWorker) => {
  if (inWorker) {
    return new Promise((resolve, reject) => {
      const worker = new Worker('wasm-core-worker.js');
      worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data.records));
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage({ texts });
    });
  }
  const core = await ChartlockCore();
  return texts.map((text) => core.ingest([{ name: 'p.ndjson', bytes: new TextEncoder().encode(text) }]));
};

window.vaultRoundTrip = async () => {
  const core = await ChartlockCore();
  const plain = new TextEncoder().encode('records at rest');
  const vault = core.vaultSeal('passphrase', plain, { opslimit: 2, memlimit: 64 * 1024 * 1024 });
  const back = new TextDecoder().decode(core.vaultOpen('passphrase', vault));
  let wrong = '';
  try { core.vaultOpen('other', vault); } catch (e) { wrong = e.code; }
  return { back, wrong };
};
