// SPDX-License-Identifier: Apache-2.0
// The static demo's tool page: opens Chartlock and receives a share handle,
// as the Node demo's tool site does (demo/tool-site/app.js). Having no
// backend, it fetches what it was given from the relay in the folder's
// Service Worker (or, published on two sites, the relay server they share:
// build.mjs --relay-url) and opens it here, in the page, with the tool SDK
// (tool/share-client.mjs) over the wasm core and the demo key published in
// this folder — which a real tool does on its server, with a key that never
// leaves it (index.html says so).
import { startDemo } from '../start.js';
import { toolManifest } from '../demo/tool-site/manifest.mjs';
import { describeShare } from '../demo/tool-site/received.mjs';
import { renderShares } from '../demo/tool-site/render.js';
import { shareClient } from '../tool-sdk/share-client.mjs';

const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const received = /** @type {HTMLElement} */ (document.getElementById('received'));
const connect = /** @type {HTMLButtonElement} */ (document.getElementById('connect'));
// The relay this tool reads from: the folder's own (./_demo/relay, in the
// Service Worker), or, published as two sites, the one the build named.
const relayUrl = new URL(/** @type {HTMLMetaElement} */ (document.querySelector('meta[name="chartlock-relay"]')).content, location.href).href;

await startDemo('../');
const [keys, keyFile, core] = await Promise.all([
  fetch('demo-tool.pub.json').then((r) => r.json()),
  fetch('demo-tool.key').then((r) => r.text()),
  /** @type {any} */ (window).ChartlockCore({ locateFile: (/** @type {string} */ f) => new URL(`../widget/wasm/${f}`, location.href).href }),
]);
// The SDK opens what the page fetched (offline: its fetchShare takes relay origins only, and this
// relay is a path in the folder, ./_demo/relay).
const tool = shareClient(core, { keyFile, offline: true });
/** @type {Map<string, any>} */
const shares = new Map();  // grantId → what the page shows of it

/** @type {Map<string, any>} */
const handles = new Map();  // grantId → the handle Chartlock gave

/**
 * Fetches a grant's bundle from the relay, signed with the tool's key as the SDK signs it, and opens it.
 * @param {{ relay: string, grantId: string, patientKey: string }} handle
 */
async function fetchAndOpen(handle) {
  handles.set(handle.grantId, handle);
  const path = `/v1/grants/${handle.grantId}/bundle`;
  if (!/^[0-9a-f]{32}$/.test(handle.grantId) || new URL(handle.relay).href !== relayUrl) {
    status.textContent = 'That share names a relay this demo tool does not use.';
    return;
  }
  const response = await fetch(`${handle.relay}${path}`, { cache: 'no-store',
    headers: { Authorization: core.requestSign({ method: 'GET', path, key: keyFile }) } });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    shares.set(handle.grantId, { ...(shares.get(handle.grantId) ?? { grantId: handle.grantId }),
      error: { code: body.error ?? 'http', status: response.status, message: `the relay answered ${response.status} (${body.message ?? ''})` } });
    status.textContent = 'Fetching failed.';
    render();
    return;
  }
  await openReceived(new Uint8Array(await response.arrayBuffer()), handle);
}

const render = () => renderShares(received, [...shares.values()], (s) => fetchAndOpen(handles.get(s.grantId)));

/**
 * Opens a share's bundle in the page and shows what it holds.
 * @param {Uint8Array} bundle
 * @param {{ grantId: string, patientKey: string }} handle  as the embed script's onShare gave it
 */
export async function openReceived(bundle, { grantId, patientKey }) {
  const highest = shares.get(grantId)?.sequence;
  try {
    const share = await tool.openShare({ bundle, grantId, patientKey, ...(highest ? { minSequence: highest } : {}) });
    shares.set(grantId, { grantId, error: null, ...describeShare(share) });
    status.textContent = 'Received, and opened in this page with the demo key.';
  } catch (e) {
    shares.set(grantId, { ...(shares.get(grantId) ?? { grantId }), error: { code: e.code, message: e.message } });
    status.textContent = `Opening failed: ${e.message}`;
  }
  render();
}

connect.disabled = false;
connect.addEventListener('click', () => {
  /** @type {any} */ (window).Chartlock.connect({
    manifest: toolManifest({ origin: location.origin, keys }),
    onShare: async (/** @type {any} */ handle) => {
      status.textContent = 'Chartlock shared your records. Fetching them and opening them in this page…';
      await fetchAndOpen(handle);
    },
    onDisconnect: async (/** @type {{ grantId: string }} */ { grantId }) => {
      status.textContent = 'You disconnected this tool in Chartlock.';
      // The relay says so too (410), not only this page's word.
      const handle = handles.get(grantId);
      if (handle) await fetchAndOpen(handle);
      status.textContent = 'You disconnected this tool in Chartlock.';
    },
    onError: (/** @type {any} */ e) => { status.textContent = `Chartlock: ${e.message}`; },
  });
});
