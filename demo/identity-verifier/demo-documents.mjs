// Demo documents: what the demo verifier "reads" instead of doing OCR and
// face matching. An ID card is a real PNG (a small picture of a card) whose
// tEXt chunk `chartlock-demo-id` holds JSON { given, family, birthDate,
// expires, face }; a selfie is a PNG whose tEXt chunk `chartlock-demo-face`
// holds { face }. `face` is an opaque string: two pictures show the same face
// when it is equal. Any other image (a photo, a screenshot, a broken file)
// reads as unreadable, as a blurred photo would at a real verifier.
import { createHash } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
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

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

// A colour from a string: the same face always gets the same colours.
function colourOf(text, salt) {
  const h = createHash('sha256').update(`${salt}:${text}`).digest();
  return [64 + (h[0] % 160), 64 + (h[1] % 160), 64 + (h[2] % 160)];
}

// An RGB canvas with rectangle and disc drawing, encoded as an 8-bit RGB PNG.
function canvas(width, height, background) {
  const px = Buffer.alloc(width * height * 3);
  const set = (x, y, [r, g, b]) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const i = (y * width + x) * 3;
    px[i] = r; px[i + 1] = g; px[i + 2] = b;
  };
  const rect = (x0, y0, w, h, c) => { for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, c); };
  const disc = (cx, cy, r, c) => { for (let y = cy - r; y <= cy + r; y++) for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y, c); };
  rect(0, 0, width, height, background);
  const png = (text) => {
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(width, 0);
    ihdr.writeUInt32BE(height, 4);
    ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;  // 8-bit RGB, no interlace
    const raw = Buffer.alloc((width * 3 + 1) * height);
    for (let y = 0; y < height; y++) {
      raw[y * (width * 3 + 1)] = 0;  // filter: none
      px.copy(raw, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
    }
    return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr),
      ...(text ? [chunk('tEXt', Buffer.concat([Buffer.from(text.keyword, 'latin1'), Buffer.from([0]), Buffer.from(text.value, 'latin1')]))] : []),
      chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
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
 * Reads a demo document: { kind: 'id', given, family, birthDate, expires, face }
 * or { kind: 'selfie', face }, or null when the picture is not a readable demo
 * document (not a PNG, cut off, a bad checksum, no demo text, bad fields).
 * Never throws on any input.
 */
export function readDemoDocument(buffer) {
  try {
    return read(buffer);
  } catch {
    return null;
  }
}

function read(buffer) {
  if (!Buffer.isBuffer(buffer) || buffer.length < SIGNATURE.length + 12 || !buffer.subarray(0, 8).equals(SIGNATURE)) return null;
  let at = 8;
  let count = 0;
  let sawHeader = false;
  let sawEnd = false;
  let pixels = 0;
  const idat = [];
  const texts = new Map();
  while (at < buffer.length) {
    if (++count > MAX_CHUNKS || at + 12 > buffer.length) return null;
    const length = buffer.readUInt32BE(at);
    const type = buffer.toString('latin1', at + 4, at + 8);
    if (length > buffer.length - at - 12) return null;  // cut off
    const data = buffer.subarray(at + 8, at + 8 + length);
    if (crc32(buffer.subarray(at + 4, at + 8 + length)) !== buffer.readUInt32BE(at + 8 + length)) return null;
    at += 12 + length;
    if (!sawHeader) {
      if (type !== 'IHDR' || length !== 13) return null;
      sawHeader = true;
      pixels = data.readUInt32BE(0) * data.readUInt32BE(4);
      if (pixels === 0 || pixels > MAX_PIXELS) return null;
      continue;
    }
    if (type === 'IEND') { sawEnd = true; break; }
    if (type === 'IDAT') idat.push(data);
    if (type === 'tEXt' && length <= MAX_TEXT) {
      const nul = data.indexOf(0);
      if (nul > 0) texts.set(data.toString('latin1', 0, nul), data.toString('latin1', nul + 1));
    }
  }
  if (!sawEnd || idat.length === 0) return null;
  // The picture itself must decompress (a corrupt image is unreadable too).
  inflateSync(Buffer.concat(idat), { maxOutputLength: pixels * 8 + 4096 * 8 });
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
