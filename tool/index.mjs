// SPDX-License-Identifier: Apache-2.0
// @ts-check
// @chartlock/tool — for an AI tool's backend (Node): fetch the share bundle a
// patient sent through Chartlock from the relay, and open and verify it with
// the tool's secret key. It runs the same wasm core as the patient's widget.
//
//   import { createTool } from '@chartlock/tool';
//   const tool = await createTool({ keyFile: fs.readFileSync('tool.key', 'utf8'),
//     relays: ['https://relay.example'] });   // the only relays this tool talks to
//   const share = await tool.fetchShare({ relay, grantId, patientKey });  // patientKey is required
//   // minSequence: the newest version seen before; an older one is refused
//   share.fhirBundle        // the FHIR R4 Bundle the patient consented to
//   share.summaryMarkdown   // the same, explained, ready as LLM context
//   share.receipt           // what the patient agreed to, signed with the bundle
//   await tool.openShare({ bundle, patientKey })  // a bundle already held (a file): the same checks
//   // createTool({ keyFile, offline: true }): no relay at all, openShare only
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, ToolError, shareClient } from './share-client.mjs';

export { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, ToolError };

/** @typedef {import('../wasm/chartlock-core').ChartlockCoreFactory} ChartlockCoreFactory */
/** @typedef {import('./share-client.mjs').Share} Share */

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultWasm = path.resolve(here, process.env.CHARTLOCK_WASM_BUILD ?? '../build-wasm', 'chartlock-core.js');

/** @type {Map<string, Promise<import('../wasm/chartlock-core').ChartlockCoreModule>>} */
const cores = new Map();
// One instance of the (stateless) core per module path, however many tools are made.
/** @param {string} wasm */
function loadCore(wasm) {
  let p = cores.get(wasm);
  if (!p) {
    p = /** @type {ChartlockCoreFactory} */ (createRequire(import.meta.url)(wasm))();
    p.catch(() => cores.delete(wasm));
    cores.set(wasm, p);
  }
  return p;
}

/**
 * The SDK in a tool's backend: shareClient (share-client.mjs) over the core loaded from `wasm`.
 * @param {object} options
 * @param {string} options.keyFile  the tool's secret key file (JSON text)
 * @param {string[]} [options.relays]  the origins of the relays this tool fetches from (`https://relay.example`):
 *   a share handle naming any other is refused before a request is made (the handle comes from a browser)
 * @param {number} [options.timeoutMs]  per fetch, connecting to the last byte (default 30 s)
 * @param {number} [options.maxBytes]  the largest answer read from a relay (default 64 MiB)
 * @param {boolean} [options.insecureSkipSignerPin]  accept a handle without patientKey, so a bundle signed by
 *   ANY key opens (a relay could substitute one): for tests only; warns when set
 * @param {string} [options.wasm]  the path of chartlock-core.js
 * @param {typeof fetch} [options.fetch]
 * @param {boolean} [options.offline]  no relay at all: only openShare (bundles the tool already holds); relays may then be left out
 * @returns {Promise<ReturnType<typeof shareClient>>}
 */
export async function createTool({ wasm = defaultWasm, ...options }) {
  return shareClient(await loadCore(wasm), { ...options,
    warn: (message) => process.emitWarning(message, { code: 'CHARTLOCK_INSECURE_SIGNER_PIN' }) });
}

/**
 * The wasm core the SDK runs (one instance per module path), for a tool that reads a share further
 * (the summary JSON, the record JSON: `summarize`, `ingest`, `Records`), as chartlock-mcp does.
 * @param {{ wasm?: string }} [options]  wasm: the path of chartlock-core.js
 * @returns {Promise<import('../wasm/chartlock-core').ChartlockCoreModule>}
 */
export function toolCore({ wasm = defaultWasm } = {}) {
  return loadCore(wasm);
}

// A new tool key pair: { secret: key file text (keep private), public: public key file text }.
/**
 * @param {{ wasm?: string }} [options]  wasm: the path of chartlock-core.js
 * @returns {Promise<import('../wasm/chartlock-core').KeyPair>}
 */
export async function generateToolKeys({ wasm = defaultWasm } = {}) {
  const core = await loadCore(wasm);
  return core.keysGenerate();
}
