// SPDX-License-Identifier: Apache-2.0
// The tool page: opens Chartlock, receives only a share handle, and asks its
// own backend to fetch and open the bundle.
import { renderShares } from './render.js';

const status = document.getElementById('status');
const received = document.getElementById('received');

async function load() {
  renderShares(received, await (await fetch('/api/shares')).json(), async (s) => {
    await fetch(`/api/shares/${s.grantId}/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    load();
  });
}

document.getElementById('connect').addEventListener('click', async () => {
  const manifest = await (await fetch('/manifest.json')).json();
  Chartlock.connect({
    manifest,
    onShare: async (handle) => {
      status.textContent = 'Chartlock shared your records. Fetching them…';
      const r = await fetch('/api/shares', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(handle) });
      status.textContent = r.ok ? 'Received.' : 'Fetching failed.';
      load();
    },
    onDisconnect: async ({ grantId }) => {
      status.textContent = 'You disconnected this tool in Chartlock.';
      // The backend learns it from the relay (410), not from this page's word.
      await fetch(`/api/shares/${grantId}/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      load();
    },
    onError: (e) => { status.textContent = `Chartlock: ${e.message}`; },
  });
});
load();
