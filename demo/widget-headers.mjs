// SPDX-License-Identifier: Apache-2.0
// The headers the widget relies on, wherever it is served from: the Node demo
// (widget-server.mjs) and the static demo's Service Worker. A strict
// Content-Security-Policy (no inline script but the hashed import map, no
// eval but WebAssembly's), no framing, no referrer.

/**
 * @param {{ importMapHash: string, connectSrc?: string[], frameAncestors?: string }} o
 *   importMapHash: from the built widget's build.json
 */
export function widgetCsp({ importMapHash, connectSrc = [], frameAncestors = "'none'" }) {
  return [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' '${importMapHash}'`,
    // The core Worker starts from a Blob of scripts the page fetched with SRI
    // (web/widget/js/core.js); nothing else may start a Worker.
    "worker-src blob:",
    `connect-src 'self' ${connectSrc.join(' ')}`.trim(),
    "style-src 'self'",
    // No remote images: a page of the widget's origin cannot signal out
    // through an <img> (the widget shows none but its own).
    "img-src 'self' data:",
    "form-action 'none'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
}

// The SMART Health Link viewer (viewer.html) fetches a link's manifest and
// files from whatever https server the link names (docs/shl.md): its page
// may connect there, and nothing else changes.
/** @param {string} csp  the widget's */
export const viewerCsp = (csp) => csp.replace(/connect-src [^;]*/, (directive) => `${directive} https:`);

/** The headers of every answer of the widget's origin. */
export const widgetHeaders = (csp) => ({ 'Content-Security-Policy': csp, 'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-store' });
