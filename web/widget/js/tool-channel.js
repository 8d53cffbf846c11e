// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Talking to the AI tool's page that opened the widget (web/embed/chartlock.js).
// The widget announces itself, takes the tool's manifest from the window
// that opened it, and from then on speaks only to that window at that exact
// origin — and only ever sends a share handle, never records.
/**
 * @param {(channel: import('./types').ToolChannel, manifest: unknown) => void} onConnect
 *   `manifest`: whatever the page posted, unchecked (consent.js checkManifest checks it)
 * @returns {import('./types').ToolChannel | null}
 */
export function listenForTool(onConnect) {
  if (!window.opener || window.location.hash !== '#connect') return null;
  /** @type {Window} */
  const opener = window.opener;
  /** @type {import('./types').ToolChannel} */
  const channel = {
    origin: null,
    send(message) {
      if (this.origin && !opener.closed) opener.postMessage(message, this.origin);
    },
  };
  window.addEventListener('message', (event) => {
    // Only the window that opened us, and only its first introduction: a
    // message from any other window or a second "connect" is ignored.
    if (event.source !== opener || event.data?.type !== 'chartlock-connect' || channel.origin) return;
    channel.origin = event.origin;
    onConnect(channel, event.data.manifest);
  });
  opener.postMessage({ type: 'chartlock-ready' }, '*');  // carries nothing; the tool checks who sent it
  return channel;
}
