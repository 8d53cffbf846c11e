// SPDX-License-Identifier: Apache-2.0
// Never run by a browser that checks import-map integrity: web/build.mjs pins
// this module to a hash it does not have (js/boot.js says why).
export default 'loaded without its integrity checked';
