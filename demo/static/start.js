// SPDX-License-Identifier: Apache-2.0
// Starts the static demo in a page of its folder: registers the Service
// Worker (service-worker.js at the folder's root) and resolves once it
// controls this page, so that the demo's portals answer. `root`: the
// folder's URL relative to this page ('./' or '../').
export async function startDemo(root) {
  if (!('serviceWorker' in navigator)) throw new Error('This browser cannot run the offline demo (no Service Worker support).');
  const scope = new URL(root, location.href).href;
  await navigator.serviceWorker.register(new URL('service-worker.js', scope), { type: 'module', scope });
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {  // the first visit: the worker claims this page once active
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
}
