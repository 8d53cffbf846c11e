// SPDX-License-Identifier: Apache-2.0
// wasm/utf8_text.js, the module's way of making a long text a JS string, run
// over crafted bytes: the core only ever hands it valid UTF-8 that does not
// start with a BOM, so the module's own tests cannot reach its other paths.
// Every case must give what one `new TextDecoder().decode(bytes)` gives.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { root } from './support.mjs';

// The library as Emscripten reads it: one object handed to mergeInto.
function loadLibrary() {
  const source = readFileSync(path.join(root, 'wasm', 'utf8_text.js'), 'utf8');
  const library = {};
  new Function('mergeInto', 'LibraryManager', source)((_, object) => Object.assign(library, object), {
    library: {},
  });
  return library;
}

// chartlock_utf8_text over `bytes` placed at `offset` in a fresh heap, with
// the runs worked out as bindings.cpp's non_ascii_runs does (maximal runs of
// bytes >= 0x80), given here by a plain loop.
// `signed`: the addresses passed as emcc 3.1.6 passes one past 2 GiB, as a
// negative number (the same 32 bits).
function decodeThroughLibrary(fn, bytes, { offset = 64, signed = false } = {}) {
  const runs = [];
  for (let i = 0; i < bytes.length; ) {
    if (bytes[i] < 0x80) { ++i; continue; }
    const start = i;
    while (i < bytes.length && bytes[i] >= 0x80) ++i;
    runs.push(start, i);
  }
  const runsAt = (offset + bytes.length + 3) & ~3;
  const heap = new ArrayBuffer(runsAt + runs.length * 4 + 64);  // room after, as a heap has
  const HEAPU8 = new Uint8Array(heap);
  const HEAPU32 = new Uint32Array(heap);
  HEAPU8.set(bytes, offset);
  HEAPU32.set(runs, runsAt >>> 2);
  const bound = new Function('HEAPU8', 'HEAPU32', 'Emval', `return (${fn.toString()});`)(
    HEAPU8, HEAPU32, { toHandle: (value) => value });
  const address = (a) => (signed ? a - 2 ** 32 : a);
  return bound(address(offset), bytes.length, address(runsAt), runs.length);
}

const utf8 = (text) => new TextEncoder().encode(text);
const bytes = (...parts) => new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...utf8(p)] : p)));

const cases = {
  'empty': bytes(),
  'ASCII only': bytes('{"a":1}'),
  'a unit between ASCII': bytes('37.2 ', [0xC2, 0xB0], 'C and 3 m', [0xC2, 0xB2]),
  'a two-byte character at the start and the end': bytes([0xC3, 0xA9], 'tude', [0xC3, 0xA9]),
  'three- and four-byte characters': bytes('a', [0xE2, 0x82, 0xAC], 'b', [0xF0, 0x9F, 0x98, 0x80], 'c'),
  'a BOM alone': bytes([0xEF, 0xBB, 0xBF]),
  'a BOM then a two-byte character': bytes([0xEF, 0xBB, 0xBF, 0xC3, 0xA9], 'x'),
  'a BOM after ASCII (kept)': bytes('a', [0xEF, 0xBB, 0xBF], 'b'),
  'two BOMs at the start (the second kept)': bytes([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF], 'b'),
  'a truncated sequence cut by ASCII': bytes([0xE2, 0x82], 'A'),
  'an overlong NUL': bytes('a', [0xC0, 0x80], 'b'),
  'a UTF-16 surrogate encoded': bytes('a', [0xED, 0xA0, 0x80], 'b'),
  'a lone continuation byte': bytes('a', [0x80], 'b'),
  'a lone continuation byte at the start': bytes([0x80], 'b'),
  'a four-byte sequence cut at the end': bytes('a', [0xF0, 0x9F, 0x98]),
  'a two-byte lead followed by a lead': bytes('a', [0xC3, 0xC3], 'b'),
  'a two-byte lead at the end': bytes('a', [0xC3]),
  'bytes that are never UTF-8': bytes('a', [0xFE, 0xFF], 'b', [0xF8, 0x88, 0x80, 0x80, 0x80]),
};

test('every crafted text decodes as one TextDecoder call does', () => {
  const fn = loadLibrary().chartlock_utf8_text;
  assert.equal(typeof fn, 'function');
  for (const [name, input] of Object.entries(cases)) {
    assert.equal(decodeThroughLibrary(fn, input), new TextDecoder().decode(input), name);
  }
});

test('random mixes of ASCII, valid and invalid sequences decode as one call does', () => {
  const fn = loadLibrary().chartlock_utf8_text;
  const pieces = [[0x41], [0x20], [0xC2, 0xB0], [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80],
    [0xEF, 0xBB, 0xBF], [0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x9F], [0xFF]];
  let seed = 12345;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  for (let round = 0; round < 2000; ++round) {
    const input = new Uint8Array(Array.from({ length: random(12) }, () => pieces[random(pieces.length)]).flat());
    assert.equal(decodeThroughLibrary(fn, input), new TextDecoder().decode(input), `bytes ${[...input]}`);
  }
});

test('addresses passed as negative numbers are read as the unsigned addresses they are', () => {
  const fn = loadLibrary().chartlock_utf8_text;
  for (const [name, input] of Object.entries(cases)) {
    assert.equal(decodeThroughLibrary(fn, input, { signed: true }), new TextDecoder().decode(input), name);
  }
});

// chartlock_latin1_text over `bytes` (each a Latin-1 character) at `offset`.
function latin1ThroughLibrary(fn, bytes, { offset = 64, signed = false } = {}) {
  const heap = new ArrayBuffer(offset + bytes.length + 64);
  const HEAPU8 = new Uint8Array(heap);
  HEAPU8.set(bytes, offset);
  // What follows the text must not be read: a byte that would show.
  HEAPU8.fill(0x41, offset + bytes.length);
  const bound = new Function('HEAPU8', 'Emval', `return (${fn.toString()});`)(HEAPU8, { toHandle: (value) => value });
  return bound(signed ? offset - 2 ** 32 : offset, bytes.length);
}

test('Latin-1 bytes become their characters, U+0000 to U+00FF', () => {
  const library = loadLibrary();
  assert.equal(library.chartlock_latin1_strings(), 1, 'under Node');
  const every = Uint8Array.from({ length: 256 }, (_, i) => i);
  const expected = String.fromCharCode(...every);
  assert.equal(latin1ThroughLibrary(library.chartlock_latin1_text, every), expected);
  assert.equal(latin1ThroughLibrary(library.chartlock_latin1_text, every, { signed: true }), expected);
  assert.equal(latin1ThroughLibrary(library.chartlock_latin1_text, new Uint8Array()), '');
});
