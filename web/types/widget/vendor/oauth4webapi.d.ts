// SPDX-License-Identifier: Apache-2.0
// vendor/oauth4webapi.js: node_modules/oauth4webapi/build/index.js, copied
// by web/build.mjs. Its types are the package's own.
export * from 'oauth4webapi';
