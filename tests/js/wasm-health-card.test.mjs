// SPDX-License-Identifier: Apache-2.0
// SMART Health Cards through the wasm module, as the widget will read them:
// the issuer named before any key is known (healthCardIssuers), then the card
// read with that issuer's keys (cardKeys), the same record as the native CLI;
// refusals carry their code; keys bound to another issuer do not verify.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { fixtures, loadCore, runCli } from './support.mjs';

const shc = (name) => path.join(fixtures, 'shc', name);
const bytesOf = (name) => new Uint8Array(readFileSync(shc(name)));
const jwks = readFileSync(shc('issuer.jwks.json'), 'utf8');
const issuer = 'https://spec.smarthealth.cards/examples/issuer';
const card = 'example-00-e-file.smart-health-card';

test('healthCardIssuers names the issuer and key before anything is verified', async () => {
  const core = await loadCore();
  assert.deepEqual(JSON.parse(core.healthCardIssuers(bytesOf(card))),
    [{ issuer, kid: '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s' }]);
  assert.throws(() => core.healthCardIssuers(new TextEncoder().encode('shc:/567')), { code: 'card-malformed' });
});

test('a card read with its issuer\'s keys gives the native CLI\'s record, byte for byte', async () => {
  const core = await loadCore();
  const wasm = core.ingest([{ name: card, bytes: bytesOf(card) }], { cardKeys: [{ issuer, jwks }] });
  const native = runCli(['record', '--jwks', shc('issuer.jwks.json'), card], { cwd: path.join(fixtures, 'shc') });
  assert.equal(native.status, 0, native.stderr);
  assert.equal(wasm + '\n', native.stdout.toString());
  const record = JSON.parse(wasm);
  assert.ok(record.immunizations.every((i) => i.sources[0].card.verified && i.sources[0].card.issuer === issuer));
});

test('refusals carry their code; unverified cards are kept only when asked', async () => {
  const core = await loadCore();
  const source = [{ name: card, bytes: bytesOf(card) }];
  assert.throws(() => core.ingest(source), { code: 'card-unknown-key' });
  assert.throws(() => core.ingest(source, { cardKeys: [{ issuer: 'https://other.example', jwks }] }), { code: 'card-unknown-key' });
  assert.throws(() => core.ingest(source, { cardKeys: [{ jwks: '{}' }] }), { code: 'invalid-argument' });
  const kept = JSON.parse(core.ingest(source, { allowUnverifiedCards: true }));
  assert.ok(kept.immunizations.length > 0);
  assert.ok(kept.immunizations.every((i) => i.sources[0].card.verified === false));
  assert.equal(kept.warnings[0].code, 'card-unknown-key');
});
