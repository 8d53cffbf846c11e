// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The tool SDK's fetching and opening of shares over a wasm core it is given,
// with no Node API: createTool (index.mjs) runs it in a tool's backend, and
// the static demo's tool page, which has no server, runs it in the page.
import { relayOrigin } from './relay-url.mjs';

/** @typedef {import('../wasm/chartlock-core').ChartlockCoreModule} ChartlockCoreModule */
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

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export class ToolError extends Error {
  /**
   * @param {string} code  the relay's or the core's error code, or bad-options, bad-grant, bad-key, bad-bundle,
   *   signer-not-pinned, relay-not-allowed, timeout, too-large, http, unreachable
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
 * @param {unknown} value
 * @param {string} name
 * @returns {number}
 */
function positive(value, name) {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ToolError('bad-options', `${name} must be a positive number`);
  }
  return value;
}

/**
 * The SDK over a loaded core: createTool (index.mjs) in Node, or a page.
 * @param {ChartlockCoreModule} core
 * @param {object} options
 * @param {string} options.keyFile  the tool's secret key file (JSON text)
 * @param {string[]} [options.relays]  the origins of the relays this tool fetches from (`https://relay.example`):
 *   a share handle naming any other is refused before a request is made (the handle comes from a browser)
 * @param {number} [options.timeoutMs]  per fetch, connecting to the last byte (default 30 s)
 * @param {number} [options.maxBytes]  the largest answer read from a relay (default 64 MiB)
 * @param {boolean} [options.insecureSkipSignerPin]  accept a handle without patientKey, so a bundle signed by
 *   ANY key opens (a relay could substitute one): for tests only; `warn` is called when set
 * @param {typeof fetch} [options.fetch]
 * @param {boolean} [options.offline]  no relay at all: only openShare (bundles the tool already holds); relays may then be left out
 * @param {(message: string) => void} [options.warn]  how a warning is given (in Node, process.emitWarning)
 * @returns {{ publicKeys: PublicKeyFile, fetchShare: typeof fetchShare, openShare: typeof openShare }}
 */
export function shareClient(core, { keyFile, relays, timeoutMs = DEFAULT_TIMEOUT_MS, maxBytes = DEFAULT_MAX_BYTES,
  insecureSkipSignerPin = false, fetch: fetchFn = globalThis.fetch, offline = false, warn = () => {} }) {
  if (offline === true && relays === undefined) relays = [];
  else if (!Array.isArray(relays) || relays.length === 0) {  // required unless offline
    throw new ToolError('bad-options', 'relays must list the origins of the relays this tool uses, e.g. [\'https://relay.example\']');
  }
  /** @type {Set<string>} */
  const allowed = new Set();
  for (const r of relays) {
    const o = relayOrigin(r);
    if (!o) throw new ToolError('bad-options', `relays: ${JSON.stringify(r)} is not a relay origin (http(s)://host[:port])`);
    allowed.add(o);
  }
  positive(timeoutMs, 'timeoutMs');
  positive(maxBytes, 'maxBytes');
  if (insecureSkipSignerPin === true) {
    warn('insecureSkipSignerPin: shares without a patientKey are accepted, whoever signed them; '
      + 'a relay could substitute a bundle. Pass the handle\'s patientKey instead.');
  }
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
   * The answer's body, at most maxBytes of it: a larger announced length is
   * refused before reading, a longer body is cut off while streaming.
   * @param {Response} response
   * @param {AbortController} abort
   * @param {Promise<never>} aborted  rejects once `abort` fires (a fetch given in the options may ignore the signal)
   * @returns {Promise<Uint8Array<ArrayBuffer>>}
   */
  async function readCapped(response, abort, aborted) {
    const tooLarge = () => new ToolError('too-large', `the relay's answer is larger than ${maxBytes} bytes (maxBytes)`,
      response.status);
    const announced = Number(response.headers.get('content-length') ?? NaN);
    if (announced > maxBytes) {
      abort.abort();
      throw tooLarge();
    }
    if (!response.body) return new Uint8Array(0);
    /** @type {Uint8Array[]} */
    const chunks = [];
    let size = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        abort.abort();
        reader.cancel().catch(() => {});
        throw tooLarge();
      }
      chunks.push(value);
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (const c of chunks) { out.set(c, at); at += c.byteLength; }
    return out;
  }

  /**
   * @param {object} handle  what the embed script's onShare gave the tool's page
   * @param {string} handle.relay  must be one of the relays given to createTool
   * @param {string} handle.grantId
   * @param {string} handle.patientKey  the grant's patient key: pins the bundle's signer (required)
   * @param {number} [handle.minSequence]  the newest version seen before
   * @param {number} [handle.now]  unix seconds (expiry check)
   * @returns {Promise<Share>}
   */
  async function fetchShare({ relay, grantId, patientKey, minSequence, now }) {
    // Everything the handle says is checked before any request: it comes from a browser.
    if (!/^[0-9a-f]{32}$/.test(grantId ?? '')) throw new ToolError('bad-grant', 'grantId must be 32 lowercase hex digits');
    const pinned = typeof patientKey === 'string' && patientKey !== '';
    if (!pinned && insecureSkipSignerPin !== true) {
      throw new ToolError('signer-not-pinned', 'patientKey is required: it pins who signed the bundle '
        + '(docs/bundle-format.md: callers must pin the signer); pass the share handle\'s patientKey');
    }
    const origin = relayOrigin(relay);
    if (!origin || !allowed.has(origin)) {
      throw new ToolError('relay-not-allowed', `the share names a relay this tool does not use (${String(relay).slice(0, 200)}); `
        + 'allowed: ' + [...allowed].join(', '));
    }
    const target = `/v1/grants/${grantId}/bundle`;
    const authorization = core.requestSign({ method: 'GET', path: target, key: keyFile });
    const abort = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; abort.abort(); }, timeoutMs);
    /** @type {Promise<never>} */
    const aborted = new Promise((_, reject) => {
      abort.signal.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
    aborted.catch(() => {});
    /** @type {Uint8Array<ArrayBuffer>} */
    let bundle;
    try {
      let response;
      try {
        response = await Promise.race([fetchFn(`${origin}${target}`, { headers: { Authorization: authorization },
          signal: abort.signal, redirect: 'error' }), aborted]);
      } catch (e) {
        if (timedOut) throw new ToolError('timeout', `the relay did not answer within ${timeoutMs} ms`);
        throw new ToolError('unreachable', `the relay could not be reached: ${e.message}`);
      }
      try {
        if (!response.ok) {
          /** @type {{ error?: string, message?: string }} */
          let body = {};
          try { body = JSON.parse(new TextDecoder().decode(await readCapped(response, abort, aborted))); } catch (e) {
            if (e instanceof ToolError || timedOut) throw e;  /* else: not JSON */
          }
          throw new ToolError(typeof body.error === 'string' ? body.error : 'http',
            `${RELAY_MESSAGES[response.status] ?? `the relay answered ${response.status}`}` +
            (typeof body.message === 'string' ? ` (${body.message.slice(0, 500)})` : ''), response.status);
        }
        bundle = await readCapped(response, abort, aborted);
      } catch (e) {
        if (timedOut && !(e instanceof ToolError && e.code !== 'http')) {
          throw new ToolError('timeout', `the relay did not finish answering within ${timeoutMs} ms`, response.status);
        }
        if (e instanceof ToolError) throw e;
        throw new ToolError('unreachable', `the relay's answer broke off: ${e.message}`, response.status);
      }
    } finally {
      clearTimeout(timer);
    }
    return openShare({ bundle, grantId, patientKey, minSequence, now });
  }

  /**
   * Opens and verifies a bundle the tool already holds (a file, an earlier fetch): the same checks as
   * fetchShare's. Without grantId, the bundle's own grant id is checked against its signed receipt.
   * @param {object} options
   * @param {Uint8Array} options.bundle
   * @param {string} options.patientKey  pins the signer (required unless insecureSkipSignerPin)
   * @param {string} [options.grantId]
   * @param {number} [options.minSequence]
   * @param {number} [options.now]  unix seconds (expiry check)
   * @returns {Promise<Share>}
   */
  async function openShare({ bundle, grantId, patientKey, minSequence, now }) {
    const pinned = typeof patientKey === 'string' && patientKey !== '';
    if (!pinned && insecureSkipSignerPin !== true) {
      throw new ToolError('signer-not-pinned', 'patientKey is required: it pins who signed the bundle '
        + '(docs/bundle-format.md: callers must pin the signer)');
    }
    if (!(bundle instanceof Uint8Array)) throw new ToolError('bad-bundle', 'bundle must be bytes (a Uint8Array)');
    if (grantId === undefined) {
      try {
        grantId = core.bundlePeek(bundle).grantId;
      } catch (e) {
        throw new ToolError(e.code ?? 'bad-bundle', `the bundle did not open: ${e.message}`);
      }
    }
    let opened;
    try {
      opened = core.bundleOpen(bundle, {
        key: keyFile,
        // Pin the patient's key: a relay cannot then substitute a bundle
        // signed by anyone else. Unpinned only with insecureSkipSignerPin.
        ...(pinned ? { expectedSigner: publicKeyFile(patientKey) } : {}),
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

  return { publicKeys, fetchShare, openShare };
}
