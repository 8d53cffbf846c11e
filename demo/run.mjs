// Runs the whole demo on this machine, each part on its own localhost origin:
// two provider portals (SMART on FHIR), the relay (SQLite), the Chartlock
// widget, and an AI tool's website that embeds it. Stops with Ctrl-C.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEMO_PASSWORD, DEMO_USER, FAMILY_PROVIDER, PROVIDERS, startStack } from './stack.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = (name, fallback) => Number(process.env[`CHARTLOCK_DEMO_${name}_PORT`] ?? fallback);

const stack = await startStack({
  chartlock: path.join(root, 'build/chartlock'),
  wasm: path.join(root, 'build-wasm/chartlock-core.js'),
  widgetDist: path.join(root, 'web/dist/widget'),
  ports: { widget: port('WIDGET', 9000), relay: port('RELAY', 8787), tool: port('TOOL', 9300),
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
  Each portal's demo login: ${DEMO_USER} / ${DEMO_PASSWORD}

  Widget ${stack.widget.origin} · relay ${stack.relay.url} · portals ${[...stack.providers, stack.family].map((p) => p.origin).join(', ')}
  Demo data: ${stack.dir}

Press Ctrl-C to stop.`);

const stop = async () => {
  await stack.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
