// The tool page: opens Chartlock, receives only a share handle, and asks its
// own backend to fetch and open the bundle.
const status = document.getElementById('status');
const received = document.getElementById('received');

function el(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

function render(shares) {
  received.replaceChildren();
  if (shares.length === 0) return received.append(el('p', 'Nothing yet.'));
  for (const s of shares) {
    const box = el('article');
    box.className = 'share';
    box.append(el('h3', `Grant ${s.grantId.slice(0, 8)}…, version ${s.sequence ?? '—'}`));
    if (s.error) box.append(el('p', `Last fetch failed: ${s.error.message}`));
    if (s.counts) {
      const list = el('ul');
      for (const [type, n] of Object.entries(s.counts)) list.append(el('li', `${type}: ${n}`));
      box.append(list);
      const pre = el('pre', s.summaryMarkdown ?? '');
      pre.className = 'summary';
      // It scrolls: a named region in the tab order, so a keyboard can scroll it too.
      const heading = el('h4', 'The summary we received (what our AI reads)');
      heading.id = `summary-${s.grantId}`;
      Object.assign(pre, { tabIndex: 0 });
      pre.setAttribute('role', 'region');
      pre.setAttribute('aria-labelledby', heading.id);
      box.append(heading, pre);
    }
    const again = el('button', 'Fetch again');
    again.type = 'button';
    again.addEventListener('click', async () => {
      await fetch(`/api/shares/${s.grantId}/refresh`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      load();
    });
    box.append(again);
    received.append(box);
  }
}

async function load() {
  render(await (await fetch('/api/shares')).json());
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
