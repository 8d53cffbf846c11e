// @ts-check
// A SMART Health Link made in the widget (docs/shl.md): the file key, the
// link id and the link's own management key are fresh and random; the IPS is
// encrypted here (shlink.js, WebCrypto), the relay stores the ciphertext and
// answers the manifest (docs/relay-protocol.md §10), and the key exists only
// in the link. The vault keeps the link (to show its code again) and its
// management key (to stop it).
import { encryptFile, formatShlink, toBase64url } from './shlink.js';

/** @typedef {import('./types').HealthLink} HealthLink */

export const LINK_DAYS = { default: 14, max: 365 };

/**
 * @param {object} o
 * @param {import('./core.js').Core} o.core
 * @param {import('./relay-client.js').Relay} o.relay
 * @param {Uint8Array<ArrayBuffer>} o.ips  the IPS Bundle's bytes
 * @param {string} o.label
 * @param {number} o.days
 * @param {string} [o.passcode]
 * @param {number} [o.now]  ms
 * @returns {Promise<HealthLink>}
 */
export async function makeHealthLink({ core, relay, ips, label, days, passcode, now = Date.now() }) {
  const id = toBase64url(crypto.getRandomValues(new Uint8Array(32)));
  const fileKey = crypto.getRandomValues(new Uint8Array(32));
  const keys = await core.call('keysGenerate');
  const managementKey = JSON.parse(keys.public).ed25519;
  const expiresAt = Math.floor(now / 1000) + Math.round(days * 86400);
  await relay.createLink({ id, key: keys.secret, managementKey, expiresAt, passcode: passcode || undefined });
  try {
    await relay.putLinkFile(id, keys.secret, await encryptFile(fileKey, ips));
  } catch (e) {
    await relay.revokeLink(id, keys.secret).catch(() => {});  // no link without its file
    throw e;
  }
  const link = formatShlink({ url: relay.linkUrl(id), key: fileKey, exp: expiresAt, flag: passcode ? 'P' : '', label });
  return { id, link, label, createdAt: new Date(now).toISOString(), expiresAt, ...(passcode ? { passcode } : {}), key: keys.secret };
}

/**
 * @param {import('./relay-client.js').Relay} relay
 * @param {HealthLink} link
 */
export async function stopHealthLink(relay, link) {
  try {
    await relay.revokeLink(link.id, link.key);
  } catch (e) {
    // Already stopped or expired at the relay: stopped is what was asked.
    if (!(e.status === 410 || e.status === 404)) throw e;
  }
  link.revokedAt = new Date().toISOString();
}

/** A link still working: not stopped, not expired. @param {HealthLink} link @param {number} [now] ms */
export const isLive = (link, now = Date.now()) => !link.revokedAt && link.expiresAt * 1000 > now;
