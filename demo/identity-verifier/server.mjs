// SPDX-License-Identifier: Apache-2.0
// The demo identity verifier on loopback: the Node front door of
// verifier.mjs (what it answers is there).
//
//   node demo/identity-verifier/server.mjs --port 9300 \
//     --client chartlock-widget=http://127.0.0.1:9000/callback.html \
//     [--name "Demo ID check"] [--sample "Maria|Lopez|1984-03-12"]
import { pathToFileURL } from 'node:url';

import { listen } from '../node-front-door.mjs';
import { createVerifier } from './verifier.mjs';


export async function startVerifier({ port = 0, host = '127.0.0.1', ...options }) {
  let verifier;
  const server = await listen((request) => verifier.handle(request), { port, host, name: options.name ?? 'identity verifier' });
  verifier = await createVerifier({ ...options, issuer: server.origin });
  return { origin: server.origin, issuer: verifier.issuer, jwks: verifier.jwks, name: verifier.name, close: server.close };
}

function parseArgs(argv) {
  const opts = { clients: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--port') opts.port = Number(v);
    else if (k === '--host') opts.host = v;
    else if (k === '--name') opts.name = v;
    else if (k === '--token-ttl') opts.tokenTtlSeconds = Number(v);
    else if (k === '--sample') {
      const [given, family, birthDate] = v.split('|');
      opts.samplePerson = { given, family, birthDate };
    } else if (k === '--client') {
      const at = v.indexOf('=');
      if (at <= 0) throw new Error('--client needs id=redirectUri');
      (opts.clients[v.slice(0, at)] ??= { redirectUris: [] }).redirectUris.push(v.slice(at + 1));
    } else throw new Error(`unknown option ${k}`);
  }
  if (Object.keys(opts.clients).length === 0) throw new Error('at least one --client id=redirectUri is required');
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const v = await startVerifier(parseArgs(process.argv.slice(2)));
    console.log(`${v.name}: ${v.issuer}`);
    process.on('SIGTERM', () => v.close().then(() => process.exit(0)));
    process.on('SIGINT', () => v.close().then(() => process.exit(0)));
  } catch (e) {
    console.error(`identity-verifier: ${e.message}`);
    process.exit(2);
  }
}
