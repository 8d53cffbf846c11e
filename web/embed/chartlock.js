// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Chartlock embed script for AI tool websites. One script, one call:
//
//   <script src="https://widget.example/embed/chartlock.js" integrity="sha384-…" crossorigin="anonymous"></script>
//   Chartlock.connect({ manifest, onShare, onDisconnect, onError });
//
// It opens the Chartlock widget in a window on the widget's own origin — the
// only place the patient's records are ever in the clear — and relays back
// only a share handle { relay, grantId, seq, patientKey }. Every message is checked for
// the widget's exact origin and window.
(() => {
  // Run by the classic <script> tag that loads this file (types: web/types/embed.d.ts).
  const script = new URL(/** @type {HTMLScriptElement} */ (document.currentScript).src);
  const widgetOrigin = script.origin;
  // The widget's page is beside embed/: at its origin's root, or under a path (a static host's folder).
  const widgetPage = new URL('../index.html#connect', script).href;

  /** @param {Partial<ChartlockConnectOptions>} [options]  checked here: a page may pass anything */
  function connect({ manifest, onShare = () => {}, onDisconnect = () => {}, onError = () => {} } = {}) {
    if (!manifest || typeof manifest !== 'object') throw new TypeError('Chartlock.connect needs a manifest');
    const popup = window.open(widgetPage, 'chartlock-widget', 'popup,width=560,height=780');
    if (!popup) {
      onError({ code: 'popup-blocked', message: 'The browser blocked the Chartlock window; allow pop-ups for this site.' });
      return { close() {} };
    }
    /** @param {MessageEvent} event */
    const onMessage = (event) => {
      if (event.origin !== widgetOrigin || event.source !== popup) return;  // nobody else speaks for the widget
      const m = event.data ?? {};
      if (m.type === 'chartlock-ready') {
        popup.postMessage({ type: 'chartlock-connect', manifest }, widgetOrigin);
      } else if (m.type === 'chartlock-share') {
        // A handle, never records: the tool's backend fetches and opens the bundle.
        // patientKey is the grant's own public signing key: the tool pins it
        // so that no relay can hand it a bundle somebody else signed.
        onShare({ relay: String(m.relay), grantId: String(m.grantId), seq: Number(m.seq), patientKey: String(m.patientKey) });
      } else if (m.type === 'chartlock-disconnect') {
        onDisconnect({ grantId: String(m.grantId) });
      } else if (m.type === 'chartlock-error') {
        onError({ code: String(m.code), message: String(m.message) });
      }
    };
    window.addEventListener('message', onMessage);
    return {
      close() {
        window.removeEventListener('message', onMessage);
        if (!popup.closed) popup.close();
      },
    };
  }

  window.Chartlock = Object.freeze({ connect, widgetOrigin });
})();
