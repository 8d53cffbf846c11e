// SPDX-License-Identifier: Apache-2.0
// The demo's moving parts on loopback, each on its own origin: two provider
// portals serving one generated patient (overlapping records), a third
// holding a family member's records (another person: never merged with the
// first), a record-location network of portals answering Patient/$match —
// some holding the patient with other details on file, one a namesake — an
// identity verifier, a provider directory listing them among 10,000 others,
// and the widget. Used by the demo runner and by the browser tests.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { generateToolKeys } from '../tool/index.mjs';
import { startVerifier } from './identity-verifier/server.mjs';
import { NETWORK_PROVIDERS, networkDemographics, networkOf, patientOf } from './record-network.mjs';
import { startRelay } from './relay-process.mjs';
import { portalMatch } from './smart-provider/patient-match.mjs';
import { startProvider } from './smart-provider/server.mjs';
import { startToolSite } from './tool-site/server.mjs';
import { startWidget } from './widget-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CLIENT_ID = 'chartlock-widget';
export const DEMO_USER = 'maria';
export const DEMO_PASSWORD = 'demo-password';
// What the widget asks each portal for.
export const WIDGET_SCOPE = 'launch/patient openid fhirUser offline_access patient/*.rs';

export const PROVIDERS = [
  { name: 'Riverside Family Medicine', city: 'Springfield', state: 'IL' },
  { name: 'Lakeview Heart and Vascular', city: 'Springfield', state: 'IL' },
];
// A portal where the same login (a parent's proxy access) holds another person's records.
export const FAMILY_PROVIDER = { name: 'Maple Street Pediatrics', city: 'Springfield', state: 'IL' };

function cli(chartlock, args) {
  const r = spawnSync(chartlock, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`chartlock ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

export async function startStack({
  chartlock = path.resolve(here, '../build/chartlock'),
  relayBinary = path.resolve(path.dirname(chartlock), 'chartlock-relay'),
  wasm,
  widgetDist,
  seed = 2026,
  size = '400KB',
  directoryCount = 10000,
  tokenTtlSeconds = 3600,
  ports = {},
  // The demo patients' histories run up to today, as a real patient's do:
  // "current medicines" and "due" rules then read as they would for them.
  today = new Date().toISOString().slice(0, 10),
  // More origins the widget may fetch from: SMART Health Card issuers whose
  // keys it asks for (a deployment lists the issuers it trusts, or https:).
  connectSrc = [],
} = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-demo-'));
  const generate = (/** @type {string[]} */ args) => cli(chartlock, ['generate', '--now', today, ...args]);
  generate(['--seed', String(seed), '--size', size, '--providers', '2', '--out', dir]);
  generate(['--seed', String(seed + 1), '--size', '150KB', '--providers', '1', '--out', path.join(dir, 'family')]);
  const networkDir = path.join(dir, 'network');
  const held = NETWORK_PROVIDERS.filter((p) => p.variant !== 'namesake').length;
  generate(['--seed', String(seed), '--size', '100KB', '--providers', String(held), '--out', networkDir]);
  generate(['--seed', String(seed + 3), '--size', '100KB', '--providers', '1', '--out', path.join(networkDir, 'namesake')]);

  const config = { clientId: CLIENT_ID, scope: WIDGET_SCOPE, directoryUrl: 'directory.json' };
  const clients = { [CLIENT_ID]: { redirectUris: [] } };  // filled in once the widget's origin is known
  const widget = await startWidget({ port: ports.widget ?? 0, dist: widgetDist, config, connectSrc: ['http://127.0.0.1:*', ...connectSrc] });
  clients[CLIENT_ID].redirectUris.push(`${widget.origin}/callback.html`);
  const relay = await startRelay({ binary: relayBinary, db: path.join(dir, 'relay.db'), listen: `127.0.0.1:${ports.relay ?? 0}`,
    args: ['--allowed-origin', widget.origin] });
  config.relayUrl = relay.url;

  // The identity verifier (OpenID Connect, demo documents), and what the
  // network's portals need to answer Patient/$match: the core's matcher, and
  // the verifier's keys to check the identity a query presents.
  const patient = patientOf(path.join(dir, 'provider-1.json'));
  const official = patient.name.find((n) => n.use === 'official') ?? patient.name[0];
  const verifier = await startVerifier({ port: ports.verifier ?? 0, clients,
    samplePerson: { given: official.given.join(' '), family: official.family, birthDate: patient.birthDate } });
  config.verifier = { issuer: verifier.issuer, clientId: CLIENT_ID, name: 'Demo ID check' };
  const core = await createRequire(import.meta.url)(wasm
    ?? path.resolve(here, '..', process.env.CHARTLOCK_WASM_BUILD ?? 'build-wasm', 'chartlock-core.js'))();
  const match = portalMatch(core, verifier, CLIENT_ID);

  const providers = [];
  for (const [i, p] of PROVIDERS.entries()) {
    providers.push(await startProvider({
      data: path.join(dir, `provider-${i + 1}.json`), name: p.name, clients, port: ports.providers?.[i] ?? 0,
      user: DEMO_USER, password: DEMO_PASSWORD, tokenTtlSeconds, allowedOrigins: [widget.origin], match,
      sensitiveNote: i === 0,  // a behavioral health note: kept back by default when sharing
    }));
  }
  const family = await startProvider({
    data: path.join(dir, 'family', 'provider-1.json'), name: FAMILY_PROVIDER.name, clients, port: ports.family ?? 0,
    user: DEMO_USER, password: DEMO_PASSWORD, tokenTtlSeconds, allowedOrigins: [widget.origin], match,
  });
  const network = [];
  let heldIndex = 0;
  for (const p of NETWORK_PROVIDERS) {
    const data = p.variant === 'namesake'  // another person, with the patient's name
      ? path.join(networkDir, 'namesake', 'provider-1.json')
      : path.join(networkDir, `provider-${++heldIndex}.json`);
    const demographics = networkDemographics(p.variant, patient);
    network.push(await startProvider({ data, name: p.name, clients, port: 0, user: DEMO_USER, password: DEMO_PASSWORD,
      tokenTtlSeconds, allowedOrigins: [widget.origin], match, demographics }));
  }
  const directoryFile = path.join(dir, 'directory.json');
  const listed = [...PROVIDERS.map((p, i) => [p, providers[i]]), [FAMILY_PROVIDER, family],
    ...NETWORK_PROVIDERS.map((p, i) => [p, network[i]])];
  cli(chartlock, ['directory', 'generate', '--out', directoryFile, '--count', String(directoryCount),
    ...listed.flatMap(([p, server]) => ['--listing', `${p.name}|${p.city}|${p.state}|${server.fhirBase}`])]);
  config.directoryUrl = `${widget.origin}/directory.json`;
  widget.serveFile('/directory.json', directoryFile);
  // The record-location network: its portals, by their directory entries (docs/record-location.md).
  const directory = JSON.parse(readFileSync(directoryFile, 'utf8'));
  const networkFile = path.join(dir, 'network.json');
  writeFileSync(networkFile, JSON.stringify(networkOf(directory, listed.map(([p, server]) => ({ ...p, fhirBase: server.fhirBase }))), null, 1));
  config.networkUrl = `${widget.origin}/network.json`;
  widget.serveFile('/network.json', networkFile);

  const toolKeys = await generateToolKeys({ wasm });
  const tool = await startToolSite({ port: ports.tool ?? 0, widgetOrigin: widget.origin, embedIntegrity: widget.build.embedIntegrity,
    keys: toolKeys, relays: [relay.url], wasm });
  writeFileSync(path.join(dir, 'stack.json'), JSON.stringify({ widget: widget.origin, tool: tool.origin, relay: relay.url,
    providers: providers.map((p) => p.fhirBase), family: family.fhirBase, network: network.map((p) => p.fhirBase),
    verifier: verifier.origin }));

  return {
    dir, config, widget, providers, family, network, verifier, patient, relay, tool, toolKeys,
    async close() {
      await tool.close();
      for (const p of [...providers, ...network]) await p.close();
      await family.close();
      await verifier.close();
      await widget.close();
      await relay.stop();
    },
  };
}
