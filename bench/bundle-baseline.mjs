// SPDX-License-Identifier: Apache-2.0
// The baseline for benchmark 4: share bundle v1 (docs/bundle-format.md) built
// and opened in JavaScript on libsodium-wrappers (npm), the same primitives in
// the same order as crypto/bundle: X25519 key agreement (crypto_kx), BLAKE2b
// of the receipt, secretstream XChaCha20-Poly1305 over 64 KiB chunks (the
// header as additional data of chunk 0), u32-framed, Ed25519ph (sign_init /
// update / final_create) over everything. The bundles it writes open with
// our bundleOpen and ours open here: run.mjs checks both ways before timing.
//
// What it leaves out of the opener's checks: header field ranges, part name
// and media-type rules; they cost nothing measurable next to the crypto.
import sodiumModule from 'libsodium-wrappers';

export const sodium = sodiumModule;
export const ready = sodiumModule.ready;

const MAGIC = Uint8Array.from([0x89, 0x43, 0x4c, 0x42, 0x0d, 0x0a, 0x1a, 0x0a]);
const HEADER = 201;
const CHUNK = 64 * 1024;
const ABYTES = 17;

const b64url = (s) => sodium.from_base64(s, sodium.base64_variants.URLSAFE_NO_PADDING);

// Our key files (JSON) → libsodium-wrappers keys.
export function keysFromFiles(secretFile, publicFile) {
  const secret = JSON.parse(secretFile);
  const pub = JSON.parse(publicFile);
  const signer = sodium.crypto_sign_seed_keypair(b64url(secret.ed25519.seed));
  return {
    x25519Public: b64url(pub.x25519),
    x25519Secret: b64url(secret.x25519.secret),
    signerPublic: signer.publicKey,
    signerSecret: signer.privateKey,
  };
}

function partsPlaintext(parts) {
  const enc = new TextEncoder();
  let size = 0;
  const encoded = parts.map((p) => {
    const name = enc.encode(p.name);
    const media = enc.encode(p.mediaType);
    size += 2 + name.length + 2 + media.length + 8 + p.bytes.length;
    return { name, media, bytes: p.bytes };
  });
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  for (const p of encoded) {
    view.setUint16(at, p.name.length, true); out.set(p.name, at + 2); at += 2 + p.name.length;
    view.setUint16(at, p.media.length, true); out.set(p.media, at + 2); at += 2 + p.media.length;
    view.setBigUint64(at, BigInt(p.bytes.length), true); at += 8;
    out.set(p.bytes, at); at += p.bytes.length;
  }
  return out;
}

// {recipientPk, signerPk, signerSk, grantId (16 bytes), sequence, createdAt,
//  expiresAt, receipt, parts: [{name, mediaType, bytes}]} → bundle bytes
export function baselineSeal(req) {
  const eph = sodium.crypto_kx_keypair();
  const { sharedTx: key } = sodium.crypto_kx_client_session_keys(eph.publicKey, eph.privateKey, req.recipientPk);
  sodium.memzero(eph.privateKey);
  const { state, header: streamHeader } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);

  const header = new Uint8Array(HEADER);
  const hv = new DataView(header.buffer);
  header.set(MAGIC, 0);
  header[8] = 1;
  header.set(req.recipientPk, 9);
  header.set(eph.publicKey, 41);
  header.set(req.signerPk, 73);
  header.set(req.grantId, 105);
  hv.setBigUint64(121, BigInt(req.sequence), true);
  hv.setBigInt64(129, BigInt(req.createdAt), true);
  hv.setBigInt64(137, BigInt(req.expiresAt), true);
  header.set(sodium.crypto_generichash(32, req.receipt, null), 145);
  header.set(streamHeader, 177);

  const plain = partsPlaintext([{ name: 'receipt', mediaType: 'application/json', bytes: req.receipt }, ...req.parts]);
  const chunks = Math.max(1, Math.ceil(plain.length / CHUNK));
  const out = new Uint8Array(HEADER + plain.length + chunks * (4 + ABYTES) + 4 + 64);
  const ov = new DataView(out.buffer);
  out.set(header, 0);
  let at = HEADER;
  for (let i = 0; i < chunks; i++) {
    const chunk = plain.subarray(i * CHUNK, Math.min(plain.length, (i + 1) * CHUNK));
    const tag = i === chunks - 1 ? sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
      : sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const c = sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, i === 0 ? header : null, tag);
    ov.setUint32(at, c.length, true);
    out.set(c, at + 4);
    at += 4 + c.length;
  }
  ov.setUint32(at, 0, true);
  at += 4;
  const sign = sodium.crypto_sign_init();
  sodium.crypto_sign_update(sign, out.subarray(0, at));
  out.set(sodium.crypto_sign_final_create(sign, req.signerSk), at);
  return out;
}

// bundle bytes, recipient's X25519 keys → {receipt, parts}; throws on any failure.
export function baselineOpen(bundle, recipientPk, recipientSk) {
  if (bundle.length < HEADER + 4 + 64) throw new Error('truncated');
  for (let i = 0; i < MAGIC.length; i++) if (bundle[i] !== MAGIC[i]) throw new Error('not a bundle');
  const header = bundle.subarray(0, HEADER);
  const signed = bundle.subarray(0, bundle.length - 64);
  const sign = sodium.crypto_sign_init();
  sodium.crypto_sign_update(sign, signed);
  if (!sodium.crypto_sign_final_verify(sign, bundle.subarray(bundle.length - 64), header.subarray(73, 105))) {
    throw new Error('bad signature');
  }
  const { sharedRx: key } = sodium.crypto_kx_server_session_keys(recipientPk, recipientSk, header.subarray(41, 73));
  const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header.subarray(177, 201), key);
  const view = new DataView(bundle.buffer, bundle.byteOffset, bundle.byteLength);
  const pieces = [];
  let size = 0;
  let at = HEADER;
  let final = false;
  for (let i = 0; !final; i++) {
    const len = view.getUint32(at, true);
    if (len < ABYTES || at + 4 + len > signed.length) throw new Error('bad frame');
    const r = sodium.crypto_secretstream_xchacha20poly1305_pull(state, bundle.subarray(at + 4, at + 4 + len), i === 0 ? header : null);
    if (!r) throw new Error('tampered');
    pieces.push(r.message);
    size += r.message.length;
    final = r.tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    at += 4 + len;
  }
  if (view.getUint32(at, true) !== 0 || at + 4 !== signed.length) throw new Error('bad end');
  const plain = new Uint8Array(size);
  let p = 0;
  for (const piece of pieces) { plain.set(piece, p); p += piece.length; }
  // Parts: the receipt first, its digest checked against the header.
  const pv = new DataView(plain.buffer);
  const dec = new TextDecoder();
  const parts = [];
  for (let q = 0; q < plain.length;) {
    const n = pv.getUint16(q, true); const name = dec.decode(plain.subarray(q + 2, q + 2 + n)); q += 2 + n;
    const m = pv.getUint16(q, true); const mediaType = dec.decode(plain.subarray(q + 2, q + 2 + m)); q += 2 + m;
    const len = Number(pv.getBigUint64(q, true)); q += 8;
    parts.push({ name, mediaType, bytes: plain.subarray(q, q + len) });
    q += len;
  }
  const digest = sodium.crypto_generichash(32, parts[0].bytes, null);
  if (sodium.compare(digest, header.subarray(145, 177)) !== 0) throw new Error('receipt digest differs');
  return { receipt: parts[0].bytes, parts: parts.slice(1) };
}
