// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The widget's entry. The page pins this script with its <script integrity>,
// which every browser checks; every other module is pinned by the import
// map's `integrity`, which a browser may not check — and one that does not
// would run the widget from modules nobody verified (a changed CDN copy).
// So before anything else: the import map pins js/integrity-probe.js to a
// hash it does not have. A browser that checks refuses to import it; if it
// imports, this browser does not check, and the widget does not start.
const main = /** @type {HTMLElement} */ (document.getElementById('main'));

/** @param {string} text */
function refuse(text) {
  const p = document.createElement('p');
  p.className = 'error';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  const h1 = document.createElement('h1');
  h1.textContent = 'Chartlock cannot start';
  const card = document.createElement('section');
  card.className = 'card';
  card.append(h1, p);
  main.replaceChildren(card);
}

// The probe must be there (a 404 would also fail the import): fetched beside
// the import, not before it, so the two requests cost one round trip.
const [there, refused] = await Promise.all([
  fetch('js/integrity-probe.js', { cache: 'no-store' }).then((r) => r.ok, () => false),
  import('./integrity-probe.js').then(() => false, () => true),
]);
const checks = there && refused;
if (checks) {
  // A module that fails its hash (or cannot be fetched) stops the widget here, said plainly.
  // One entry for the pages of this folder: the widget, and the viewer of
  // SMART Health Links (viewer.html), each pinned by the same import map.
  const viewer = document.body.dataset.entry === 'viewer';
  // The widget's core needs only core.js and its hashes: started now, its
  // Worker and .wasm load while app.js's module graph does. A module that
  // fails its hash fails app.js's import too, which says so below.
  if (!viewer) import('./core.js').then((m) => m.startCore(), () => {});
  const entry = viewer ? import('./viewer.js') : import('./app.js');
  await entry.catch(() => refuse('Part of Chartlock\'s code did not match what this page expects, so Chartlock '
    + 'did not start. Reload the page; if this goes on, the site serving Chartlock may have been changed.'));
} else {
  refuse(there
    ? 'This browser cannot check that Chartlock\'s code is the code that was published. Update your browser, or use a current version of Chrome, Edge, Firefox or Safari.'
    : 'Chartlock could not check its own code. Check your connection and reload the page.');
}
export {};  // a module: top-level await
