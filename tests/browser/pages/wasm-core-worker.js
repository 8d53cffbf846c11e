// SPDX-License-Identifier: Apache-2.0
// In a Worker the module looks for its .wasm next to the worker script, not
// next to chartlock-core.js: say where it is.
importScripts('/wasm/chartlock-core.js');
onmessage = async (e) => {
  try {
    const core = await ChartlockCore({ locateFile: (file) => `/wasm/${file}` });
    if (e.data.texts) {
      postMessage({ records: e.data.texts.map((text) => core.ingest([{ name: 'p.ndjson', bytes: new TextEncoder().encode(text) }])) });
      return;
    }
    const sources = await Promise.all(e.data.map(async (u) => ({
      name: u.split('/').pop(), bytes: new Uint8Array(await (await fetch(u)).arrayBuffer()) })));
    postMessage({ record: core.ingest(sources) });
  } catch (err) {
    postMessage({ error: `${err.code ?? ''} ${err.message}` });
  }
};
