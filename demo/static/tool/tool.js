// The static demo's tool page: opens Chartlock and receives a share handle,
// as the Node demo's tool site does (demo/tool-site/app.js). Having no
// backend, it opens what it receives here, in the page, with the tool SDK
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

await startDemo('../');
const [keys, keyFile, core] = await Promise.all([
  fetch('demo-tool.pub.json').then((r) => r.json()),
  fetch('demo-tool.key').then((r) => r.text()),
  /** @type {any} */ (window).ChartlockCore({ locateFile: (/** @type {string} */ f) => new URL(`../widget/wasm/${f}`, location.href).href }),
]);
// No relay in this folder yet: the SDK opens bundles the page holds (offline), and refuses to fetch.
const tool = shareClient(core, { keyFile, offline: true });
/** @type {Map<string, any>} */
const shares = new Map();  // grantId → what the page shows of it

const render = () => renderShares(received, [...shares.values()], async () => {
  status.textContent = 'This static demo has no relay yet: a new version cannot be fetched here.';
});

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
      status.textContent = 'Chartlock shared your records, but this static demo has no relay yet to fetch them from '
        + '(the Node demo, scripts/demo, has one).';
      shares.set(handle.grantId, { grantId: handle.grantId, error: { code: 'no-relay', message: 'no relay in the static demo yet' } });
      render();
    },
    onDisconnect: () => { status.textContent = 'You disconnected this tool in Chartlock.'; },
    onError: (/** @type {any} */ e) => { status.textContent = `Chartlock: ${e.message}`; },
  });
});
