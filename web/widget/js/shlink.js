// SPDX-License-Identifier: Apache-2.0
// @ts-check
// The receiving side of a SMART Health Link (HL7 SMART Health Cards and Links
// IG, STU1, "SMART Health Links"), written from the specification: read a
// `shlink:/` link, ask its manifest for the files (with a passcode when the
// link says P), fetch each, and decrypt it — compact JWE, `alg: dir`,
// `enc: A256GCM`, optionally `zip: DEF` — with the key that travels only in
// the link. Works with any conforming server, not only Chartlock's relay.

export const SHLINK_PREFIX = 'shlink:/';
const MAX_LINK = 16 * 1024;
// A file bigger than this, compressed or not, is refused: an IPS is kilobytes.
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export class ShlinkError extends Error {
  /**
   * @param {'not-a-link' | 'damaged' | 'expired' | 'passcode' | 'inactive' | 'server' | 'network' | 'decrypt' | 'too-large'} code
   * @param {string} message  in the reader's words
   * @param {{ remainingAttempts?: number }} [extra]
   */
  constructor(code, message, extra = {}) {
    super(message);
    this.code = code;
    this.remainingAttempts = extra.remainingAttempts;
  }
}

/**
 * @typedef {object} ShlinkPayload
 * @property {string} url  the manifest's URL (or, with flag U, the file's)
 * @property {Uint8Array<ArrayBuffer>} key  32 bytes
 * @property {number} [exp]  seconds since the epoch
 * @property {string} flag  of L, P, U
 * @property {string} [label]
 */

/** @param {string} text @returns {Uint8Array<ArrayBuffer> | null} */
export function fromBase64url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

// The manifest and file URLs a link may name: https, or http on this
// machine (a local relay in development and tests).
/** @param {string} value */
function safeUrl(value) {
  let url;
  try { url = new URL(value); } catch { return null; }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  return url.protocol === 'https:' || (url.protocol === 'http:' && local) ? url : null;
}

/**
 * A link as a patient or clinician may paste it: `shlink:/…`, or a viewer
 * URL whose fragment holds one (`https://viewer.example/#shlink:/…`).
 * @param {string} text
 * @param {number} [now]  ms
 * @returns {ShlinkPayload}
 */
export function parseShlink(text, now = Date.now()) {
  const trimmed = String(text ?? '').trim();
  if (trimmed.length > MAX_LINK) throw new ShlinkError('not-a-link', 'This is too long to be a SMART Health Link.');
  const at = trimmed.indexOf(SHLINK_PREFIX);
  if (at < 0) throw new ShlinkError('not-a-link', 'This is not a SMART Health Link: it should contain “shlink:/”.');
  const bytes = fromBase64url(trimmed.slice(at + SHLINK_PREFIX.length));
  /** @type {any} untyped until checked */
  let p = null;
  try { p = bytes && JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)); } catch { p = null; }
  if (!p || typeof p !== 'object') throw new ShlinkError('damaged', 'This SMART Health Link is damaged: part of it may be missing.');
  const url = typeof p.url === 'string' && safeUrl(p.url);
  const key = typeof p.key === 'string' && p.key.length === 43 ? fromBase64url(p.key) : null;
  if (!url || !key || key.length !== 32) throw new ShlinkError('damaged', 'This SMART Health Link is damaged: its address or key is not valid.');
  const flag = typeof p.flag === 'string' ? p.flag : '';
  if (!/^[LPU]*$/.test(flag) || (flag.includes('U') && flag.includes('P'))) {
    throw new ShlinkError('damaged', 'This SMART Health Link is damaged: its flags are not valid.');
  }
  if (p.v !== undefined && p.v !== 1) throw new ShlinkError('damaged', `This SMART Health Link is of version ${p.v}, which this viewer does not read.`);
  const exp = typeof p.exp === 'number' && Number.isFinite(p.exp) ? p.exp : undefined;
  if (exp !== undefined && exp * 1000 < now) {
    throw new ShlinkError('expired', `This link expired on ${new Date(exp * 1000).toLocaleString()}. Ask the patient for a new one.`);
  }
  const label = typeof p.label === 'string' ? p.label.slice(0, 80) : undefined;
  return { url: url.href, key, exp, flag, label };
}

/** @param {Response} r */
async function errorOf(r) {
  /** @type {any} */
  let body = null;
  try { body = await r.json(); } catch { body = null; }
  if (r.status === 401) {
    const left = Number.isInteger(body?.remainingAttempts) ? body.remainingAttempts : undefined;
    return new ShlinkError('passcode', left === undefined ? 'That passcode is not right.'
      : left > 0 ? `That passcode is not right. ${left} ${left === 1 ? 'try is' : 'tries are'} left.`
        : 'That passcode is not right, and no tries are left: the link no longer opens. Ask the patient for a new one.',
    { remainingAttempts: left });
  }
  if (r.status === 404) return new ShlinkError('inactive', 'This link no longer opens: it has expired, or the patient has stopped sharing it.');
  return new ShlinkError('server', `The server holding the records answered with an error (HTTP ${r.status}).`);
}

/** @param {string} url @param {RequestInit} init */
async function request(url, init) {
  try {
    return await fetch(url, { ...init, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch {
    throw new ShlinkError('network', 'The server holding the records could not be reached. Check the connection and try again.');
  }
}

/**
 * The files a link gives: each `{ contentType, jwe }`, not yet decrypted.
 * @param {ShlinkPayload} link
 * @param {{ recipient: string, passcode?: string }} who
 * @returns {Promise<{ contentType: string, jwe: string }[]>}
 */
export async function fetchFiles(link, { recipient, passcode }) {
  if (link.flag.includes('U')) {
    const url = new URL(link.url);
    url.searchParams.set('recipient', recipient);
    const r = await request(url.href, { method: 'GET' });
    if (!r.ok) throw await errorOf(r);
    return [{ contentType: 'application/fhir+json', jwe: (await r.text()).trim() }];
  }
  /** @type {Record<string, string>} */
  const body = { recipient };
  if (link.flag.includes('P')) body.passcode = passcode ?? '';
  const r = await request(link.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw await errorOf(r);
  /** @type {any} */
  let manifest;
  try { manifest = await r.json(); } catch { manifest = null; }
  if (!Array.isArray(manifest?.files)) throw new ShlinkError('server', 'The server sent something other than the list of shared files.');
  /** @type {{ contentType: string, jwe: string }[]} */
  const files = [];
  for (const f of manifest.files) {
    const contentType = typeof f?.contentType === 'string' ? f.contentType : '';
    if (typeof f?.embedded === 'string') {
      files.push({ contentType, jwe: f.embedded });
    } else if (typeof f?.location === 'string' && safeUrl(f.location)) {
      const got = await request(f.location, { method: 'GET' });
      if (!got.ok) throw await errorOf(got);
      files.push({ contentType, jwe: (await got.text()).trim() });
    } else {
      throw new ShlinkError('server', 'The server listed a file without a valid address.');
    }
  }
  return files;
}

/** @param {ReadableStream<Uint8Array>} stream @param {number} limit */
async function readAll(stream, limit) {
  const reader = stream.getReader();
  /** @type {Uint8Array[]} */
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new ShlinkError('too-large', 'A shared file is too large to open here.');
    }
    parts.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * A compact JWE (`dir`, `A256GCM`, optional `zip: DEF`) decrypted with the
 * link's key: the file's bytes. Anything else, or a file that does not
 * decrypt (wrong key, changed on the way), is refused.
 * @param {string} jwe
 * @param {Uint8Array<ArrayBuffer>} key
 * @returns {Promise<Uint8Array<ArrayBuffer>>}
 */
export async function decryptFile(jwe, key) {
  const damaged = () => new ShlinkError('decrypt', 'A shared file could not be opened: it is damaged, or the link\'s key does not fit it.');
  if (jwe.length > MAX_FILE_BYTES * 2) throw new ShlinkError('too-large', 'A shared file is too large to open here.');
  const parts = jwe.split('.');
  if (parts.length !== 5 || parts[1] !== '') throw damaged();
  const [protectedB64, , ivB64, ctB64, tagB64] = parts;
  /** @type {any} */
  let header = null;
  try { header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(fromBase64url(protectedB64) ?? new Uint8Array())); } catch { header = null; }
  if (header?.alg !== 'dir' || header?.enc !== 'A256GCM' || (header.zip !== undefined && header.zip !== 'DEF')) throw damaged();
  const iv = fromBase64url(ivB64), ct = fromBase64url(ctB64), tag = fromBase64url(tagB64);
  if (!iv || iv.length !== 12 || !ct || !tag || tag.length !== 16) throw damaged();
  const sealed = new Uint8Array(ct.length + 16);
  sealed.set(ct);
  sealed.set(tag, ct.length);
  let plain;
  try {
    const k = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['decrypt']);
    plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(protectedB64), tagLength: 128 }, k, sealed));
  } catch {
    throw damaged();
  }
  if (header.zip !== 'DEF') return plain;
  try {
    return await readAll(new Blob([plain]).stream().pipeThrough(new DecompressionStream('deflate-raw')), MAX_FILE_BYTES);
  } catch (e) {
    if (e instanceof ShlinkError) throw e;
    throw damaged();
  }
}

/** @param {Uint8Array} bytes */
export function toBase64url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

// The protected header Chartlock writes, byte for byte (docs/shl.md): the
// C++ writer (crypto/jwe/) and this one give the same first part.
const JWE_HEADER = '{"alg":"dir","enc":"A256GCM","cty":"application/fhir+json"}';

/**
 * A file encrypted for a link (docs/shl.md, "The file"): compact JWE, `dir`,
 * `A256GCM`, a fresh 12-byte iv, the header's base64url text as AAD, no zip.
 * @param {Uint8Array<ArrayBuffer>} key  32 bytes, the link's
 * @param {Uint8Array<ArrayBuffer>} plaintext
 * @returns {Promise<string>}
 */
export async function encryptFile(key, plaintext) {
  const header = toBase64url(new TextEncoder().encode(JWE_HEADER));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const k = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(header), tagLength: 128 }, k, plaintext));
  return [header, '', toBase64url(iv), toBase64url(sealed.subarray(0, sealed.length - 16)), toBase64url(sealed.subarray(sealed.length - 16))].join('.');
}

/**
 * A link's text, `shlink:/` + base64url of its JSON payload (the IG's field order).
 * @param {{ url: string, key: Uint8Array, exp?: number, flag?: string, label?: string }} p
 */
export function formatShlink({ url, key, exp, flag, label }) {
  const payload = { url, key: toBase64url(key), ...(exp ? { exp } : {}), ...(flag ? { flag } : {}), ...(label ? { label: label.slice(0, 80) } : {}), v: 1 };
  return `${SHLINK_PREFIX}${toBase64url(new TextEncoder().encode(JSON.stringify(payload)))}`;
}
