// SPDX-License-Identifier: Apache-2.0
// Two widget windows, one vault (web/widget/js/vault-merge.js): what either
// window made survives the other's save — grants with their secret keys,
// revocations, receipts, rotated refresh tokens, newer records.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { mergeVaultStates } from '../../web/widget/js/vault-merge.js';

const base = () => ({ version: 1, createdAt: '2026-01-01T00:00:00Z', providers: [], grants: [], receipts: [] });
const grant = (id, extra = {}) => ({ grantId: id, keys: { secret: `secret-${id}`, public: '{}' }, sequence: 1, status: 'active', ...extra });
const provider = (id, { fetchedAt = null, expires = 0, refresh = 'r0', entries = 0 } = {}) => ({
  id, name: id, fhirBase: `https://${id}.example/fhir`, conf: {}, fetchedAt, errors: [],
  tokens: { access_token: 'a', refresh_token: refresh, expires_at: expires, scope: '', patient: 'p' },
  bundle: { entry: Array.from({ length: entries }, (_, i) => ({ resource: { resourceType: 'Observation', id: String(i) } })) },
});

test('grants made in either window are both kept, with their keys', () => {
  const a = { ...base(), grants: [grant('g1')] };
  const b = { ...base(), grants: [grant('g2')] };
  const m = mergeVaultStates(a, b);
  assert.deepEqual(m.grants.map((g) => [g.grantId, g.keys.secret]), [['g1', 'secret-g1'], ['g2', 'secret-g2']]);
});

test('a revocation is never undone; otherwise the later version wins', () => {
  const revoked = () => grant('g', { status: 'revoked', revokedAt: 5, sequence: 1 });
  const shared = () => grant('g', { sequence: 3 });
  assert.equal(mergeVaultStates({ ...base(), grants: [shared()] }, { ...base(), grants: [revoked()] }).grants[0].status, 'revoked');
  assert.equal(mergeVaultStates({ ...base(), grants: [revoked()] }, { ...base(), grants: [shared()] }).grants[0].status, 'revoked');
  const mine = grant('g', { sequence: 2 });
  const m = mergeVaultStates({ ...base(), grants: [mine] }, { ...base(), grants: [shared()] });
  assert.equal(m.grants[0].sequence, 3);
  assert.equal(m.grants[0], mine, 'this window\'s object, updated in place: the screens hold it');
});

test('receipts of both, once each', () => {
  const r = (g, s) => ({ type: 'chartlock-consent-receipt', grantId: g, sequence: s });
  const m = mergeVaultStates({ ...base(), receipts: [r('g1', 1), r('g1', 2)] }, { ...base(), receipts: [r('g1', 1), r('g2', 1)] });
  assert.deepEqual(m.receipts.map((x) => `${x.grantId}/${x.sequence}`), ['g1/1', 'g1/2', 'g2/1']);
});

test('a provider: the newer fetch and the newer tokens, each kept', () => {
  // This window fetched records later; the other refreshed the token later (a rotated refresh token).
  const mine = provider('p', { fetchedAt: '2026-02-02T00:00:00Z', expires: 100, refresh: 'old', entries: 5 });
  const theirs = provider('p', { fetchedAt: '2026-02-01T00:00:00Z', expires: 200, refresh: 'rotated', entries: 3 });
  const [m] = mergeVaultStates({ ...base(), providers: [mine] }, { ...base(), providers: [theirs] }).providers;
  assert.equal(m.bundle.entry.length, 5);
  assert.equal(m.tokens.refresh_token, 'rotated');
  const both = mergeVaultStates({ ...base(), providers: [provider('a')] }, { ...base(), providers: [provider('b')] });
  assert.deepEqual(both.providers.map((p) => p.id), ['a', 'b']);
});

test('the verified identity: the newer, unless forgotten since; the person shown is this window\'s', () => {
  const id = (at) => ({ idToken: `t${at}`, identity: { resourceType: 'Patient', name: [], birthDate: '', address: [], telecom: [] },
    verifiedAt: at, expiresAt: at + 1000, assurance: 'ial2', verifier: 'V' });
  assert.equal(mergeVaultStates({ ...base(), identity: id(1) }, { ...base(), identity: id(2) }).identity.verifiedAt, 2);
  const forgotten = mergeVaultStates({ ...base(), identityForgottenAt: 5 }, { ...base(), identity: id(2) });
  assert.equal(forgotten.identity, undefined);
  assert.equal(forgotten.identityForgottenAt, 5);
  assert.equal(mergeVaultStates({ ...base(), identityForgottenAt: 5 }, { ...base(), identity: id(9) }).identity.verifiedAt, 9);
  assert.equal(mergeVaultStates({ ...base(), person: 'mine' }, { ...base(), person: 'theirs' }).person, 'mine');
  assert.equal(mergeVaultStates({ ...base() }, { ...base(), person: 'theirs' }).person, 'theirs');
});

const file = (id) => ({ id, name: `file ${id}`, fileName: `${id}.json`, addedAt: '2026-02-01T00:00:00Z', size: 2,
  check: { format: 'bundle', resources: 1, persons: 1, warnings: 0 }, data: 'e30=' });

test('files added in either window are both kept', () => {
  const m = mergeVaultStates({ ...base(), files: [file('f1')] }, { ...base(), files: [file('f2')] });
  assert.deepEqual(m.files.map((f) => f.id), ['f1', 'f2']);
  assert.deepEqual(mergeVaultStates(base(), base()).files, [], 'a vault from before files merges to none');
});

test('a provider or file removed in one window stays removed, whichever window saves', () => {
  const removedAt = '2026-03-01T00:00:00Z';
  const connectedBefore = { ...provider('riverside'), connectedAt: '2026-02-01T00:00:00Z' };
  const remover = { ...base(), removed: [{ id: 'riverside', at: removedAt }, { id: 'f1', at: removedAt }] };
  const other = { ...base(), providers: [connectedBefore, provider('legacy')], files: [file('f1'), file('f2')],
    removed: [{ id: 'legacy', at: '2026-01-15T00:00:00Z' }] };
  for (const m of [mergeVaultStates(remover, other), mergeVaultStates(other, remover)]) {
    assert.deepEqual(m.providers.map((p) => p.id), [], 'removed, and one without a connection time is removed too');
    assert.deepEqual(m.files.map((f) => f.id), ['f2']);
    assert.deepEqual(m.removed.map((r) => r.id).sort(), ['f1', 'legacy', 'riverside'], 'removals are kept, for the next merge');
  }
  // Refreshing in the other window after the removal does not bring it back: only connecting again does.
  const refreshed = { ...connectedBefore, fetchedAt: '2026-04-01T00:00:00Z' };
  assert.deepEqual(mergeVaultStates(remover, { ...base(), providers: [refreshed] }).providers, []);
  const reconnected = { ...connectedBefore, connectedAt: '2026-04-01T00:00:00Z' };
  assert.deepEqual(mergeVaultStates(remover, { ...base(), providers: [reconnected] }).providers.map((p) => p.id), ['riverside']);
});

test('sync: the newer turn-on, unless turned off since; devices of both, the later sync of each', () => {
  const on = (since, keys = `k${since}`) => ({ keys, syncId: `id-${keys}`, since });
  assert.equal(mergeVaultStates({ ...base(), sync: on(1) }, { ...base(), sync: on(2) }).sync.since, 2);
  assert.equal(mergeVaultStates({ ...base() }, { ...base(), sync: on(2) }).sync.keys, 'k2');
  const off = mergeVaultStates({ ...base(), syncOffAt: 5 }, { ...base(), sync: on(2) });
  assert.equal(off.sync, undefined, 'turned off on this device: another window\'s older copy does not turn it on');
  assert.equal(off.syncOffAt, 5);
  assert.equal(mergeVaultStates({ ...base(), syncOffAt: 5 }, { ...base(), sync: on(9) }).sync.since, 9, 'turned on again later');
  const device = (id, lastSync, name = id) => ({ id, name, lastSync });
  const mine = device('laptop', '2026-03-01T10:00:00Z');
  const m = mergeVaultStates(
    { ...base(), devices: [mine, device('phone', '2026-03-01T09:00:00Z')] },
    { ...base(), devices: [device('laptop', '2026-03-02T10:00:00Z', 'Laptop'), device('tablet', '2026-02-01T00:00:00Z')] });
  assert.deepEqual(m.devices.map((d) => [d.id, d.lastSync]),
    [['laptop', '2026-03-02T10:00:00Z'], ['phone', '2026-03-01T09:00:00Z'], ['tablet', '2026-02-01T00:00:00Z']]);
  assert.equal(m.devices[0], mine, 'updated in place');
  assert.equal(m.devices[0].name, 'Laptop');
  const older = mergeVaultStates({ ...base(), devices: [device('x', '2026-03-05T00:00:00Z', 'new')] },
    { ...base(), devices: [device('x', '2026-03-01T00:00:00Z', 'old')] });
  assert.equal(older.devices[0].name, 'new');
  assert.equal(mergeVaultStates(base(), base()).devices, undefined);
});

