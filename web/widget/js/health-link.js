// SPDX-License-Identifier: Apache-2.0
// @ts-check
// A SMART Health Link made in the widget (docs/shl.md): the file key, the
// link id and the link's own management key are fresh and random; the IPS is
// encrypted here (shlink.js, WebCrypto), the relay stores the ciphertext and
// answers the manifest (docs/relay-protocol.md §10), and the key exists only
// in the link. The vault keeps the link (to show its code again) and its
// management key (to stop it). A long-term link (flag L) also keeps the
// patient's choices, so that "Update" replaces its file with the summary of
// their newest records under the same choices, as a tool's share is updated.
import { encryptFile, formatShlink, parseShlink, toBase64url } from './shlink.js';

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
 * @param {string} [o.consent]  the consent JSON the IPS was made from: given, the link is long-term (flag L)
 * @param {number} [o.now]  ms
 * @returns {Promise<HealthLink>}
 */
export async function makeHealthLink({ core, relay, ips, label, days, passcode, consent, now = Date.now() }) {
  const id = toBase64url(crypto.getRandomValues(new Uint8Array(32)));
  const fileKey = crypto.getRandomValues(new Uint8Array(32));
  const keys = await core.call('keysGenerate');
  const managementKey = JSON.parse(keys.public).ed25519;
  const expiresAt = Math.floor(now / 1000) + Math.round(days * 86400);
  await relay.createLink({ id, key: keys.secret, managementKey, expiresAt, passcode: passcode || undefined, longTerm: Boolean(consent) });
  try {
    await relay.putLinkFile(id, keys.secret, await encryptFile(fileKey, ips));
  } catch (e) {
    await relay.revokeLink(id, keys.secret).catch(() => {});  // no link without its file
    throw e;
  }
  const flag = `${consent ? 'L' : ''}${passcode ? 'P' : ''}`;
  const link = formatShlink({ url: relay.linkUrl(id), key: fileKey, exp: expiresAt, flag, label });
  return { id, link, label, createdAt: new Date(now).toISOString(), expiresAt, ...(passcode ? { passcode } : {}), key: keys.secret,
    ...(consent ? { consent } : {}) };
}

/**
 * A long-term link's file replaced (the same key, a fresh iv): the recipient's
 * next visit gets `ips`.
 * @param {import('./relay-client.js').Relay} relay
 * @param {HealthLink} link
 * @param {Uint8Array<ArrayBuffer>} ips
 */
export async function updateHealthLink(relay, link, ips) {
  const { key } = parseShlink(link.link, 0);
  if (!link.consent) throw new Error('this link cannot be updated: it was not made to follow your newest records');
  await relay.putLinkFile(link.id, link.key, await encryptFile(key, ips));
  link.updatedAt = new Date().toISOString();
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
