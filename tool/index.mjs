// @ts-check
// @chartlock/tool — for an AI tool's backend (Node): fetch the share bundle a
// patient sent through Chartlock from the relay, and open and verify it with
// the tool's secret key. It runs the same wasm core as the patient's widget.
//
//   import { createTool } from '@chartlock/tool';
//   const tool = await createTool({ keyFile: fs.readFileSync('tool.key', 'utf8') });
//   const share = await tool.fetchShare({ relay, grantId, patientKey });
//   // minSequence: the newest version seen before; an older one is refused
//   share.fhirBundle        // the FHIR R4 Bundle the patient consented to
//   share.summaryMarkdown   // the same, explained, ready as LLM context
//   share.receipt           // what the patient agreed to, signed with the bundle
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {import('../wasm/chartlock-core').ChartlockCoreFactory} ChartlockCoreFactory */
/** @typedef {import('../wasm/chartlock-core').PublicKeyFile} PublicKeyFile */

/**
 * What fetchShare returns: the bundle opened and verified.
 * @typedef {object} Share
 * @property {import('../wasm/chartlock-core').BundleHeader} header
 * @property {import('../wasm/chartlock-core').ConsentReceipt} receipt  what the patient agreed to, signed with the bundle
 * @property {Record<string, { mediaType: string, bytes: Uint8Array<ArrayBuffer> }>} parts  by name
 * @property {any} fhirBundle  records.json: the FHIR R4 Bundle the patient consented to (untyped JSON: FHIR), or null
 * @property {string | null} summaryMarkdown  summary.md, or null
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultWasm = path.resolve(here, process.env.CHARTLOCK_WASM_BUILD ?? '../build-wasm', 'chartlock-core.js');

export class ToolError extends Error {
  /**
   * @param {string} code  the relay's or the core's error code, or bad-grant, bad-key, bad-bundle, http, unreachable
   * @param {string} message
   * @param {number} [status]  the relay's HTTP status, 0 when none
   */
  constructor(code, message, status = 0) {
    super(message);
    this.name = 'ToolError';
    this.code = code;
    this.status = status;
  }
}

// What each relay answer means for a tool, in words.
/** @type {Record<number, string>} */
const RELAY_MESSAGES = {
  401: 'the relay did not accept the request signature (check the clock and the key)',
  403: 'this tool key is not the one the grant names',
  404: 'the relay has no such grant, or no bundle yet',
  410: 'the patient disconnected this tool, or the grant expired: nothing more can be fetched',
  413: 'the request was too large',
  429: 'too many requests: wait and try again',
};

/**
 * @param {object} options
 * @param {string} options.keyFile  the tool's secret key file (JSON text)
 * @param {string} [options.wasm]  the path of chartlock-core.js
 * @param {typeof fetch} [options.fetch]
 * @returns {Promise<{ publicKeys: PublicKeyFile, fetchShare: typeof fetchShare }>}
 */
export async function createTool({ keyFile, wasm = defaultWasm, fetch: fetchFn = globalThis.fetch }) {
  const core = await /** @type {ChartlockCoreFactory} */ (createRequire(import.meta.url)(wasm))();
  /** @type {PublicKeyFile} */
  let publicKeys;
  try {
    publicKeys = JSON.parse(core.keysPublic(keyFile));
  } catch (e) {
    throw new ToolError(e.code ?? 'bad-key', `the tool key file is not usable: ${e.message}`);
  }
  /** @param {string} ed25519 */
  const publicKeyFile = (ed25519) => JSON.stringify({ type: 'chartlock-public-keys', version: 1, x25519: publicKeys.x25519, ed25519 });

  /**
   * @param {object} handle  what the embed script's onShare gave the tool's page
   * @param {string} handle.relay
   * @param {string} handle.grantId
   * @param {string} [handle.patientKey]  pins the signer: pass it
   * @param {number} [handle.minSequence]  the newest version seen before
   * @param {number} [handle.now]  unix seconds (expiry check)
   * @returns {Promise<Share>}
   */
  async function fetchShare({ relay, grantId, patientKey, minSequence, now }) {
    if (!/^[0-9a-f]{32}$/.test(grantId ?? '')) throw new ToolError('bad-grant', 'grantId must be 32 lowercase hex digits');
    const target = `/v1/grants/${grantId}/bundle`;
    const authorization = core.requestSign({ method: 'GET', path: target, key: keyFile });
    let response;
    try {
      response = await fetchFn(`${relay.replace(/\/+$/, '')}${target}`, { headers: { Authorization: authorization } });
    } catch (e) {
      throw new ToolError('unreachable', `the relay could not be reached: ${e.message}`);
    }
    if (!response.ok) {
      /** @type {{ error?: string, message?: string }} */
      let body = {};
      try { body = await response.json(); } catch { /* not JSON */ }
      throw new ToolError(body.error ?? 'http', `${RELAY_MESSAGES[response.status] ?? `the relay answered ${response.status}`}` +
        (body.message ? ` (${body.message})` : ''), response.status);
    }
    const bundle = new Uint8Array(await response.arrayBuffer());
    let opened;
    try {
      opened = core.bundleOpen(bundle, {
        key: keyFile,
        // Pin the patient's key when the page passed it: a relay cannot then
        // substitute a bundle signed by anyone else.
        ...(patientKey ? { expectedSigner: publicKeyFile(patientKey) } : {}),
        ...(now !== undefined ? { now } : {}),
        // The core checks the bundle is this grant's, no older than
        // minSequence, and that its consent receipt names this grant and version.
        grantId,
        ...(minSequence !== undefined ? { minSequence } : {}),
      });
    } catch (e) {
      throw new ToolError(e.code ?? 'bad-bundle', `the bundle did not open: ${e.message}`);
    }
    const dec = new TextDecoder();
    const parts = Object.fromEntries(opened.parts.map((p) => [p.name, { mediaType: p.mediaType, bytes: p.bytes }]));
    const receipt = JSON.parse(dec.decode(opened.receipt));
    return {
      header: opened.header,
      receipt,
      parts,
      fhirBundle: parts['records.json'] ? JSON.parse(dec.decode(parts['records.json'].bytes)) : null,
      summaryMarkdown: parts['summary.md'] ? dec.decode(parts['summary.md'].bytes) : null,
    };
  }

  return { publicKeys, fetchShare };
}

// A new tool key pair: { secret: key file text (keep private), public: public key file text }.
/**
 * @param {{ wasm?: string }} [options]  wasm: the path of chartlock-core.js
 * @returns {Promise<import('../wasm/chartlock-core').KeyPair>}
 */
export async function generateToolKeys({ wasm = defaultWasm } = {}) {
  const core = await /** @type {ChartlockCoreFactory} */ (createRequire(import.meta.url)(wasm))();
  return core.keysGenerate();
}
