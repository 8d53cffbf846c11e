// SPDX-License-Identifier: Apache-2.0
// The API web/embed/chartlock.js gives an AI tool's page: window.Chartlock.

/** What reaches the tool's page when the patient shares: a handle, never records. */
interface ChartlockShareHandle {
  /** The relay's base URL. */
  relay: string;
  /** 32 hex digits. */
  grantId: string;
  /** The bundle's version (sequence). */
  seq: number;
  /** The grant's Ed25519 public key, base64url: pin it when opening the bundle. */
  patientKey: string;
}

interface ChartlockConnectOptions {
  /** The tool's manifest (docs/tool-manifest.md); the widget checks it. */
  manifest: object;
  onShare?: (share: ChartlockShareHandle) => void;
  onDisconnect?: (event: { grantId: string }) => void;
  onError?: (error: { code: string; message: string }) => void;
}

interface ChartlockEmbed {
  /** Opens the widget; `close()` stops listening and closes its window. */
  connect(options: ChartlockConnectOptions): { close(): void };
  /** The widget's origin: where the script was loaded from. */
  readonly widgetOrigin: string;
}

interface Window {
  /** Set by the embed script (web/embed/chartlock.js) on a tool's page. */
  Chartlock?: ChartlockEmbed;
}
