// SPDX-License-Identifier: Apache-2.0
// A demo provider portal: a real SMART on FHIR R4 server on loopback — the
// Node front door of portal.mjs (what it answers is there).
//
//   node demo/smart-provider/server.mjs --data provider-1.json --port 9101 \
//     --name "Riverside Family Medicine" --client chartlock-widget=http://127.0.0.1:9000/callback.html \
//     [--cacheable yes] [--rotate-refresh-tokens no]
//
// Records come from a generated Bundle or NDJSON file. --cacheable yes: its
// FHIR and discovery answers are cacheable (portal.mjs says why).
// --rotate-refresh-tokens no: a refresh answer carries no new refresh token,
// and the one the client has keeps working.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

import { listen } from '../node-front-door.mjs';
import { FhirStore } from './fhir-store.mjs';
import { serveNotesAsBinary } from './notes.mjs';
import { createPortal } from './portal.mjs';

export async function startProvider({ data, port = 0, host = '127.0.0.1', sensitiveNote = false, ...options }) {
  const store = new FhirStore({ text: readFileSync(data, 'utf8'), source: data });
  // Notes as real portals serve them: DocumentReference → Binary (notes.mjs).
  serveNotesAsBinary(store, { sensitiveNote });
  let portal;
  const server = await listen((request, info) => portal.handle(request, info), { port, host, name: options.name });
  portal = createPortal({ ...options, store, base: server.origin });
  return {
    origin: server.origin, fhirBase: portal.fhirBase, store, name: portal.name,
    requestCount: portal.requestCount, setCacheable: portal.setCacheable, close: server.close,
  };
}

function parseArgs(argv) {
  const opts = { clients: {}, allowedOrigins: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--data') opts.data = v;
    else if (k === '--port') opts.port = Number(v);
    else if (k === '--name') opts.name = v;
    else if (k === '--user') opts.user = v;
    else if (k === '--password') opts.password = v;
    else if (k === '--token-ttl') opts.tokenTtlSeconds = Number(v);
    else if (k === '--allowed-origin') opts.allowedOrigins.push(v);
    else if (k === '--cacheable') opts.cacheable = v === 'yes';
    else if (k === '--rotate-refresh-tokens') opts.rotateRefreshTokens = v !== 'no';
    else if (k === '--client') {
      const [id, uri] = v.split('=');
      (opts.clients[id] ??= { redirectUris: [] }).redirectUris.push(uri);
    } else throw new Error(`unknown option ${k}`);
  }
  if (!opts.data) throw new Error('--data FILE is required');
  if (opts.allowedOrigins.length === 0) opts.allowedOrigins = ['*'];
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const p = await startProvider(parseArgs(process.argv.slice(2)));
    console.log(`${p.name}: ${p.fhirBase}`);
    process.on('SIGTERM', () => p.close().then(() => process.exit(0)));
    process.on('SIGINT', () => p.close().then(() => process.exit(0)));
  } catch (e) {
    console.error(`smart-provider: ${e.message}`);
    process.exit(2);
  }
}
