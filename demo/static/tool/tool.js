// The static demo's tool page: opens Chartlock and receives a share handle,
// as the Node demo's tool site does (demo/tool-site/app.js); having no
// backend, it opens what it received in the page (see index.html).
import { startDemo } from '../start.js';
import { toolManifest } from '../demo/tool-site/manifest.mjs';

const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const connect = /** @type {HTMLButtonElement} */ (document.getElementById('connect'));

await startDemo('../');
const keys = await (await fetch('demo-tool.pub.json')).json();
connect.disabled = false;
connect.addEventListener('click', () => {
  /** @type {any} */ (window).Chartlock.connect({
    manifest: toolManifest({ origin: location.origin, keys }),
    onShare: async (/** @type {any} */ handle) => {
      status.textContent = 'Chartlock shared your records. Opening them in this page…';
      const r = await fetch(new URL(`v1/grants/${handle.grantId}/bundle`, `${handle.relay}/`));
      if (!r.ok) status.textContent = `Fetching failed: ${(await r.json().catch(() => ({}))).message ?? r.status}`;
    },
    onDisconnect: () => { status.textContent = 'You disconnected this tool in Chartlock.'; },
    onError: (/** @type {any} */ e) => { status.textContent = `Chartlock: ${e.message}`; },
  });
});
