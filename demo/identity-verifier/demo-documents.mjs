// SPDX-License-Identifier: Apache-2.0
// Demo documents: what the demo verifier "reads" instead of doing OCR and
// face matching. An ID card is a real PNG (a small picture of a card) whose
// tEXt chunk `chartlock-demo-id` holds JSON { given, family, birthDate,
// expires, face }; a selfie is a PNG whose tEXt chunk `chartlock-demo-face`
// holds { face }. `face` is an opaque string: two pictures show the same face
// when it is equal. Any other image (a photo, a screenshot, a broken file)
// reads as unreadable, as a blurred photo would at a real verifier.
// Web platform only (the same code runs in the static demo's Service Worker):
// the pictures are written with stored (uncompressed) deflate blocks, which
// needs no compressor; reading inflates with DecompressionStream.
const SIGNATURE = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
export const ID_KEYWORD = 'chartlock-demo-id';
export const FACE_KEYWORD = 'chartlock-demo-face';
const MAX_CHUNKS = 64;
const MAX_TEXT = 4096;
const MAX_PIXELS = 4096 * 4096;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const latin1 = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const unlatin1 = (bytes) => String.fromCharCode(...bytes);
function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
const u32 = (n) => Uint8Array.from([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
const readU32 = (b, at) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

function chunk(type, data) {
  const typed = concat([latin1(type), data]);
  return concat([u32(data.length), typed, u32(crc32(typed))]);
}

// A zlib stream (RFC 1950) of stored deflate blocks (RFC 1951 §3.2.4).
function zlibStored(raw) {
  const blocks = [Uint8Array.from([0x78, 0x01])];
  for (let at = 0; at < raw.length || at === 0; at += 0xffff) {
    const part = raw.subarray(at, at + 0xffff);
    const last = at + 0xffff >= raw.length ? 1 : 0;
    blocks.push(Uint8Array.from([last, part.length & 0xff, part.length >>> 8, ~part.length & 0xff, (~part.length >>> 8) & 0xff]), part);
    if (last) break;
  }
  let a = 1;
  let b = 0;
  for (const x of raw) { a = (a + x) % 65521; b = (b + a) % 65521; }
  blocks.push(u32(((b << 16) | a) >>> 0));
  return concat(blocks);
}

// A colour from a string (FNV-1a): the same face always gets the same colours.
function colourOf(text, salt) {
  let h = 0x811c9dc5;
  for (const c of `${salt}:${text}`) h = Math.imul(h ^ c.codePointAt(0), 0x01000193) >>> 0;
  return [64 + (h % 160), 64 + ((h >>> 8) % 160), 64 + ((h >>> 16) % 160)];
}

// An RGB canvas with rectangle and disc drawing, encoded as an 8-bit RGB PNG.
function canvas(width, height, background) {
  const px = new Uint8Array(width * height * 3);
  const set = (x, y, [r, g, b]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 3;
    px[i] = r; px[i + 1] = g; px[i + 2] = b;
  };
  const rect = (x0, y0, w, h, c) => { for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, c); };
  const disc = (cx, cy, r, c) => { for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y, c); };
  rect(0, 0, width, height, background);
  const png = (text) => {
    const ihdr = concat([u32(width), u32(height), Uint8Array.from([8, 2, 0, 0, 0])]);  // 8-bit RGB, no interlace
    const raw = new Uint8Array((width * 3 + 1) * height);
    for (let y = 0; y < height; y++) {
      raw[y * (width * 3 + 1)] = 0;  // filter: none
      raw.set(px.subarray(y * width * 3, (y + 1) * width * 3), y * (width * 3 + 1) + 1);
    }
    return concat([SIGNATURE, chunk('IHDR', ihdr),
      ...(text ? [chunk('tEXt', concat([latin1(text.keyword), Uint8Array.from([0]), latin1(text.value)]))] : []),
      chunk('IDAT', zlibStored(raw)), chunk('IEND', new Uint8Array(0))]);
  };
  return { rect, disc, png };
}

// A card: a coloured band, a portrait (the face's colours) and grey "text" lines.
function cardPicture(face, expired) {
  const c = canvas(172, 108, [244, 246, 248]);
  c.rect(0, 0, 172, 18, expired ? [164, 22, 26] : [28, 79, 138]);
  c.rect(10, 28, 48, 62, [220, 224, 230]);
  c.disc(34, 50, 12, colourOf(face, 'skin'));
  c.rect(18, 66, 32, 24, colourOf(face, 'shirt'));
  for (const [y, w] of [[32, 90], [44, 70], [56, 96], [68, 60], [80, 84]]) c.rect(68, y, w, 5, [120, 128, 138]);
  return c;
}

function selfiePicture(face) {
  const c = canvas(96, 96, [214, 228, 240]);
  c.disc(48, 40, 22, colourOf(face, 'skin'));
  c.rect(20, 66, 56, 30, colourOf(face, 'shirt'));
  return c;
}

const ascii = (value) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** An ID card (a PNG) for the demo verifier. */
export function demoIdCard({ given, family, birthDate, expires, face }) {
  const expired = typeof expires === 'string' && expires < new Date().toISOString().slice(0, 10);
  return cardPicture(String(face), expired).png({ keyword: ID_KEYWORD,
    value: ascii({ given: String(given), family: String(family), birthDate: String(birthDate), expires: String(expires), face: String(face) }) });
}

/** A selfie (a PNG) for the demo verifier. */
export function demoSelfie({ face }) {
  return selfiePicture(String(face)).png({ keyword: FACE_KEYWORD, value: ascii({ face: String(face) }) });
}

/** A real PNG that carries no demo text: what a photo the verifier cannot read looks like. */
export function demoUnreadablePhoto() {
  const c = canvas(120, 80, [90, 90, 96]);
  for (let i = 0; i < 12; i++) c.rect(i * 10, (i * 17) % 70, 14, 10, [150, 150, 158]);
  return c.png(null);
}

const isDate = (s) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))
  && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;
const isText = (s) => typeof s === 'string' && s.trim().length > 0 && s.length <= 200;

/**
 * Reads a demo document (bytes): resolves to { kind: 'id', given, family, birthDate, expires, face }
 * or { kind: 'selfie', face }, or null when the picture is not a readable demo
 * document (not a PNG, cut off, a bad checksum, no demo text, bad fields).
 * Never throws on any input.
 */
export async function readDemoDocument(buffer) {
  try {
    return await read(buffer);
  } catch {
    return null;
  }
}

// Inflates a zlib stream, refusing more than `limit` bytes of output.
async function inflate(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate')).getReader();
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return size;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error('the picture is larger than its header says');
    }
  }
}

async function read(buffer) {
  if (!(buffer instanceof Uint8Array) || buffer.length < SIGNATURE.length + 12 || SIGNATURE.some((b, i) => buffer[i] !== b)) return null;
  let at = 8;
  let count = 0;
  let sawHeader = false;
  let sawEnd = false;
  let pixels = 0;
  const idat = [];
  const texts = new Map();
  while (at < buffer.length) {
    if (++count > MAX_CHUNKS || at + 12 > buffer.length) return null;
    const length = readU32(buffer, at);
    const type = unlatin1(buffer.subarray(at + 4, at + 8));
    if (length > buffer.length - at - 12) return null;  // cut off
    const data = buffer.subarray(at + 8, at + 8 + length);
    if (crc32(buffer.subarray(at + 4, at + 8 + length)) !== readU32(buffer, at + 8 + length)) return null;
    at += 12 + length;
    if (!sawHeader) {
      if (type !== 'IHDR' || length !== 13) return null;
      sawHeader = true;
      pixels = readU32(data, 0) * readU32(data, 4);
      if (pixels === 0 || pixels > MAX_PIXELS) return null;
      continue;
    }
    if (type === 'IEND') { sawEnd = true; break; }
    if (type === 'IDAT') idat.push(data);
    if (type === 'tEXt' && length <= MAX_TEXT) {
      const nul = data.indexOf(0);
      if (nul > 0) texts.set(unlatin1(data.subarray(0, nul)), unlatin1(data.subarray(nul + 1)));
    }
  }
  if (!sawEnd || idat.length === 0) return null;
  // The picture itself must decompress (a corrupt image is unreadable too).
  await inflate(concat(idat), pixels * 8 + 4096 * 8);
  if (texts.has(ID_KEYWORD)) {
    const d = JSON.parse(texts.get(ID_KEYWORD));
    if (!isText(d?.given) || !isText(d.family) || !isDate(d.birthDate) || !isDate(d.expires) || !isText(d.face)) return null;
    return { kind: 'id', given: d.given, family: d.family, birthDate: d.birthDate, expires: d.expires, face: d.face };
  }
  if (texts.has(FACE_KEYWORD)) {
    const d = JSON.parse(texts.get(FACE_KEYWORD));
    if (!isText(d?.face)) return null;
    return { kind: 'selfie', face: d.face };
  }
  return null;
}
