// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The portal redirects here with ?code&state. Hand the URL to the widget
// window that opened us — our own origin only — and close.
(() => {
  const url = window.location.href;
  history.replaceState(null, '', window.location.pathname);  // the code leaves the address bar at once
  if (window.opener) window.opener.postMessage({ type: 'chartlock-smart-callback', url }, window.location.origin);
  window.close();
})();
