// SPDX-License-Identifier: Apache-2.0
// THIRD-PARTY-NOTICES for the static demo's folder: the licences of the
// third-party code and data it bundles, read from where the build took each
// from (the Debian source trees the wasm build compiled, Debian's copyright
// files, node_modules), so that the notices follow what is bundled.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const read = (file) => {
  if (!existsSync(file)) throw new Error(`${file} is missing: it holds a licence the static demo must carry`);
  return readFileSync(file, 'utf8').trim();
};

/** The text of the stand-alone `License: NAME` paragraph of a Debian copyright file. */
function debianLicence(file, name) {
  const paragraphs = read(file).split(/\n\s*\n/);
  const p = paragraphs.find((x) => x.startsWith(`License: ${name}\n`));
  if (!p) throw new Error(`${file}: no License: ${name} paragraph`);
  return p.split('\n').slice(1).map((l) => (l.trim() === '.' ? '' : l.replace(/^ /, ''))).join('\n');
}

/** The Copyright line of the first (Files: *) paragraph of a Debian copyright file. */
const debianCopyright = (file) => `Copyright ${/^Copyright:\s*(.+)$/m.exec(read(file))?.[1] ?? 'its authors'}`;

/** @param {string} root  the repository; `wasmBuild`: the wasm build directory (its _debsrc) */
export function thirdPartyNotices(root, wasmBuild) {
  const sections = [
    ['libsodium (in widget/wasm/chartlock-core.wasm): ISC', read(path.join(wasmBuild, '_debsrc/libsodium/LICENSE'))],
    ['simdjson (in widget/wasm/chartlock-core.wasm): Apache-2.0',
      `${debianCopyright('/usr/share/doc/libsimdjson-dev/copyright')}\n\nThe full text of the Apache License 2.0 is in this folder's LICENSE file.`],
    ['nlohmann/json (in widget/wasm/chartlock-core.wasm): MIT', read('/usr/share/doc/nlohmann-json3-dev/copyright')],
    ['Emscripten runtime (widget/wasm/chartlock-core.js and the C/C++ runtime in the .wasm): MIT (Expat) or University of Illinois/NCSA',
      `${debianCopyright('/usr/share/doc/emscripten/copyright')}\n\n${debianLicence('/usr/share/doc/emscripten/copyright', 'Expat')}`],
    ['pugixml (in widget/wasm/chartlock-core.wasm: the C-CDA reader): MIT', read(path.join(wasmBuild, '_debsrc/pugixml/LICENSE.md'))],
    ['Mbed TLS (in widget/wasm/chartlock-core.wasm: ES256 for SMART Health Cards): Apache-2.0',
      `${debianCopyright('/usr/share/doc/libmbedtls-dev/copyright')}\n\nThe full text of the Apache License 2.0 is in this folder's LICENSE file.`],
    ['zlib (in widget/wasm/chartlock-core.wasm: inflating SMART Health Cards): zlib', read(path.join(wasmBuild, '_debsrc/zlib/LICENSE'))],
    // LGPL-2.1-or-later, linked into the .wasm: the whole of Chartlock's source
    // and build (README) let anyone relink it with a changed libqrencode.
    ['libqrencode (in widget/wasm/chartlock-core.wasm: QR codes): LGPL-2.1-or-later. Its source is Debian\'s package qrencode '
      + '(apt-get source qrencode); Chartlock\'s source and build let anyone rebuild the .wasm with a changed copy.',
    read(path.join(wasmBuild, '_debsrc/qrencode/COPYING'))],
    ['oauth4webapi (widget/vendor/oauth4webapi.js): MIT', read(path.join(root, 'node_modules/oauth4webapi/LICENSE.md'))],
    ['Nickname lookup, Old Dominion University (core/knowledge/nicknames.csv, in the .wasm): Apache-2.0',
      'Used unchanged. The full text of the Apache License 2.0 is in this folder\'s LICENSE file.'],
  ];
  return `Third-party notices for the Chartlock static demo

Chartlock itself is licensed under the Apache License 2.0 (LICENSE). This
folder also bundles the following third-party code and data.
${sections.map(([title, text]) => `\n${'='.repeat(78)}\n${title}\n${'='.repeat(78)}\n\n${text}\n`).join('')}`;
}
