// SPDX-License-Identifier: Apache-2.0
// emcc 3.1.6 fetches the .wasm by URL whenever `fetch` exists, which Node 20
// has but cannot use on a file path ("Failed to parse URL"). Hiding fetch
// under Node makes the module read the file instead; browsers are unaffected.
var fetch = (typeof process == 'object' && process.versions && process.versions.node)
  ? undefined : globalThis.fetch;
