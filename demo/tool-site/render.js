// SPDX-License-Identifier: Apache-2.0
// What the demo tool's page shows of the shares it received (each as
// received.mjs describes it): the Node tool site's page and the static
// demo's tool page.
function el(tag, text) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * @param {HTMLElement} received  where they go
 * @param {any[]} shares
 * @param {(share: any) => Promise<void>} refresh  "Fetch again"
 */
export function renderShares(received, shares, refresh) {
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
    again.addEventListener('click', () => refresh(s));
    box.append(again);
    received.append(box);
  }
}
