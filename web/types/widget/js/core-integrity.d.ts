// SPDX-License-Identifier: Apache-2.0
// js/core-integrity.js, written by web/build.mjs: the SRI hashes
// (`sha384-…`) of what the core Worker runs.
declare const integrity: {
  /** js/core-worker.js */
  worker: string;
  /** wasm/chartlock-core.js, the Emscripten glue */
  glue: string;
  /** wasm/chartlock-core.wasm */
  wasm: string;
};
export default integrity;
