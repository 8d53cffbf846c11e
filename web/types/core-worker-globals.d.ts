// SPDX-License-Identifier: Apache-2.0
// What the core Worker's script has defined before core-worker.js runs
// (web/widget/js/core.js builds it from the Emscripten glue, which defines
// ChartlockCore). Only tsconfig.worker.json includes this file.

/** The Emscripten glue's factory (-sMODULARIZE, EXPORT_NAME=ChartlockCore). */
declare var ChartlockCore: import('../../wasm/chartlock-core').ChartlockCoreFactory;
