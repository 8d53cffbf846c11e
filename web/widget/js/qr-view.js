// SPDX-License-Identifier: Apache-2.0
// @ts-check
// A QR code drawn as SVG from the modules the core computed (core qrCode,
// over libqrencode): one path of dark runs, a 4-module light margin (the
// quiet zone readers need), sharp edges at any size, printable.

const SVG = 'http://www.w3.org/2000/svg';
const QUIET = 4;

/**
 * @param {{ size: number, modules: Uint8Array }} code
 * @param {string} label  what it holds, for screen readers
 * @returns {SVGSVGElement}
 */
export function qrSvg({ size, modules }, label) {
  const n = size + 2 * QUIET;
  const svg = /** @type {SVGSVGElement} */ (document.createElementNS(SVG, 'svg'));
  svg.setAttribute('viewBox', `0 0 ${n} ${n}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('class', 'qr');
  const background = document.createElementNS(SVG, 'rect');
  background.setAttribute('width', String(n));
  background.setAttribute('height', String(n));
  background.setAttribute('fill', '#fff');
  let d = '';
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size;) {
      if (!modules[y * size + x]) { x += 1; continue; }
      let run = 1;
      while (x + run < size && modules[y * size + x + run]) run += 1;
      d += `M${x + QUIET} ${y + QUIET}h${run}v1h-${run}z`;
      x += run;
    }
  }
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}
