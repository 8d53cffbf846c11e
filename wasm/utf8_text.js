// SPDX-License-Identifier: Apache-2.0
// A JS library for the module (--js-library): a long UTF-8 text in wasm
// memory made one JavaScript string, the same string one
// `new TextDecoder().decode(bytes)` gives, faster when the text is ASCII but
// for a few runs (wasm/bindings.cpp, js_text, says why; docs/performance.md,
// "Wasm against native, a third time").
//
// `runs` points at `count` offsets, pairs [start, end) of each maximal run of
// bytes >= 0x80. ASCII stretches go through the decoder's fast path; a run
// that is one valid two-byte sequence is made by String.fromCharCode; any other
// run by the decoder. A run is whole, so no sequence is cut, and an invalid
// one decodes to the same U+FFFD as in one call. One call drops a BOM at
// offset 0 only: only a run there goes through a decoder that drops it.
mergeInto(LibraryManager.library, {
  chartlock_utf8_text__deps: ['$Emval'],
  chartlock_utf8_text: function(text, length, runs, count) {
    // emcc 3.1.6 passes the arguments as signed 32-bit numbers: an address
    // past 2 GiB (the heap may grow to 4 GiB) would be negative, and subarray
    // would count it from the heap's end.
    text >>>= 0;
    length >>>= 0;
    runs >>>= 0;
    count >>>= 0;
    var bytes = HEAPU8.subarray(text, text + length);
    var decoder = new TextDecoder('utf-8', {ignoreBOM: true});
    var parts = [];
    var at = 0;
    for (var k = 0; k < count; k += 2) {
      var start = HEAPU32[(runs >>> 2) + k];
      var end = HEAPU32[(runs >>> 2) + k + 1];
      if (start > at) parts.push(decoder.decode(bytes.subarray(at, start)));
      var lead = bytes[start];
      var next = bytes[start + 1];
      if (end - start == 2 && lead >= 0xC2 && lead <= 0xDF && next <= 0xBF) {
        parts.push(String.fromCharCode((lead & 0x1F) << 6 | next & 0x3F));
      } else {
        parts.push((start == 0 ? new TextDecoder() : decoder).decode(bytes.subarray(start, end)));
      }
      at = end;
    }
    if (at < length || count == 0) parts.push(decoder.decode(bytes.subarray(at)));
    return Emval.toHandle(parts.length == 1 ? parts[0] : parts.join(''));
  },

  // Whether chartlock_latin1_text can be used: under Node (its Buffer; a
  // browser's Buffer is a bundler's polyfill, a JavaScript loop), as pre.js tells.
  chartlock_latin1_strings: function() {
    return typeof process == 'object' && process.versions && process.versions.node && typeof Buffer == 'function' ? 1 : 0;
  },
  // `length` Latin-1 bytes at `text` as one string (each byte its character,
  // U+0000-U+00FF): a copy, where the pieces above decode and join. The text
  // is the UTF-8 one with every two-byte sequence made its byte
  // (wasm/bindings.cpp, to_latin1). Addresses unsigned, as above.
  chartlock_latin1_text__deps: ['$Emval'],
  chartlock_latin1_text: function(text, length) {
    text >>>= 0;
    length >>>= 0;
    return Emval.toHandle(Buffer.from(HEAPU8.buffer, text, length).toString('latin1'));
  },
});
