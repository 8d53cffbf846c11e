// SPDX-License-Identifier: Apache-2.0
// The static demo's start page: starts the Service Worker, then offers the tool's site.
import { startDemo } from './start.js';

const status = /** @type {HTMLElement} */ (document.getElementById('status'));
try {
  await startDemo('./');
  status.textContent = 'The demo is ready.';
  /** @type {HTMLElement} */ (document.getElementById('open-tool')).hidden = false;
} catch (e) {
  status.textContent = `The demo could not start: ${e.message}`;
}
