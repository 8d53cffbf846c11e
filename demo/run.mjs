// SPDX-License-Identifier: Apache-2.0
// Runs the whole demo on this machine, each part on its own localhost origin:
// provider portals (SMART on FHIR, and Patient/$match for record location),
// an identity verifier, the relay (SQLite), the Chartlock widget, and an AI
// tool's website that embeds it. Stops with Ctrl-C.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { FORMER_FAMILY_NAME } from './record-network.mjs';
import { DEMO_PASSWORD, DEMO_USER, FAMILY_PROVIDER, PROVIDERS, startStack } from './stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = (name, fallback) => Number(process.env[`CHARTLOCK_DEMO_${name}_PORT`] ?? fallback);

const stack = await startStack({
  chartlock: path.join(root, 'build/chartlock'),
  wasm: path.join(root, 'build-wasm/chartlock-core.js'),
  widgetDist: path.join(root, 'web/dist/widget'),
  ports: { widget: port('WIDGET', 9000), relay: port('RELAY', 8787), tool: port('TOOL', 9300), verifier: port('VERIFIER', 9200),
    providers: [port('PROVIDER1', 9101), port('PROVIDER2', 9102)], family: port('FAMILY', 9103) },
});

console.log(`
Chartlock demo is running.

  Open the AI tool's site:   ${stack.tool.origin}
  and press "Connect your health records".

  In the Chartlock window: create a vault (any passphrase of 10+ characters),
  then "Find a provider" and search for:
    ${PROVIDERS[0].name} (${PROVIDERS[0].city}) — and — ${PROVIDERS[1].name}
  ${FAMILY_PROVIDER.name} holds a family member's records: connect it too to
  see Chartlock keep two people apart.

  Or "Verify my identity" (the demo verifier: the demo ID card and selfie for
  ${stack.patient.name[0].given.join(' ')} ${stack.patient.name[0].family} are under "Demo documents" there; add the former
  last name ${FORMER_FAMILY_NAME}), then let Chartlock find the records across
  ${stack.network.length + 3} demo providers (docs/record-location.md).
  Each portal's demo login: ${DEMO_USER} / ${DEMO_PASSWORD}

  Widget ${stack.widget.origin} · relay ${stack.relay.url} · verifier ${stack.verifier.origin}
  portals ${[...stack.providers, stack.family, ...stack.network].map((p) => p.origin).join(', ')}
  Demo data: ${stack.dir}

Press Ctrl-C to stop.`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
