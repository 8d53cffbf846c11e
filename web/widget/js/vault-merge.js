// SPDX-License-Identifier: Apache-2.0
// @ts-check
// Two widget windows, one vault: when another window saved since this one
// last read the vault, this window's state and the stored one are merged
// before writing (vault.js, under a Web Lock), so that nothing either window
// made is lost — above all a grant's secret key, the only means to
// disconnect that tool, and a portal's rotated refresh token.
//
// The rules, per kind of thing the vault holds:
// - grants: every grant of either (by grantId); of two copies, a revoked one
//   wins (revoking cannot be undone), else the one shared at a later version;
// - receipts: every receipt of either (by grant and version);
// - providers: every provider of either (by id); of two copies, the fields of
//   the newer fetch (records, errors) and the newer tokens (the later expiry:
//   a rotated refresh token replaces the old one), each on its own;
// - files the patient added: every file of either (by id; a file never changes);
// - links made for clinicians: every link of either (by id); a stopped one stays stopped;
// - removals: every removal of either (by id, the later time); a provider or
//   file that either window removed is gone from the merge, unless it was
//   connected again after the removal (a provider's id is the directory's);
// - the verified identity: the newer one, unless forgotten after it was made;
// - sync (the same vault on other devices, through the relay): the newer
//   turn-on, unless turned off after it; the devices of either (by id), of
//   two copies the one that synced later;
// - whose records are shown (`person`): this window's choice;
// - what is this device's alone (`retiredSync`, `syncOffElsewhere`): this
//   window's, else the other window's — a sync copy never carries them
//   (vault-sync.js keeps them out of it and drops them from one it reads).

/** @typedef {import('./types').VaultState} VaultState */
/** @typedef {import('./types').SharedGrant} SharedGrant */
/** @typedef {import('./types').Provider} Provider */
/** @typedef {import('./types').Removal} Removal */
/** @typedef {import('./types').SyncDevice} SyncDevice */

/**
 * @template T
 * @param {T[]} mine
 * @param {T[]} theirs
 * @param {(item: T) => string} key
 * @param {(mine: T, theirs: T) => T} pick  of two copies, what to keep (mine, updated in place)
 * @returns {T[]} mine first, in order, then theirs not in mine
 */
function unionBy(mine, theirs, key, pick) {
  /** @type {Map<string, T>} */
  const byKey = new Map();
  for (const item of [...mine, ...theirs]) {
    const k = key(item);
    const kept = byKey.get(k);
    byKey.set(k, kept === undefined ? item : pick(kept, item));
  }
  return [...byKey.values()];
}

// Objects of this window are updated in place, not replaced: the screens
// hold them (a grant being shared, a provider being fetched).
/** @param {SharedGrant} mine @param {SharedGrant} theirs */
function newerGrant(mine, theirs) {
  const theirsWins = (mine.status === 'revoked') !== (theirs.status === 'revoked')
    ? theirs.status === 'revoked'
    : (theirs.sequence ?? 0) > (mine.sequence ?? 0);
  return theirsWins ? Object.assign(mine, theirs) : mine;
}

/** @param {string | null} iso */
const time = (iso) => (iso ? Date.parse(iso) || 0 : 0);

/** @param {Provider} mine @param {Provider} theirs @returns {Provider} */
function newerProvider(mine, theirs) {
  if (time(theirs.fetchedAt) > time(mine.fetchedAt)) {
    Object.assign(mine, { bundle: theirs.bundle, errors: theirs.errors, fetchedAt: theirs.fetchedAt });
  }
  if ((theirs.tokens?.expires_at ?? 0) > (mine.tokens?.expires_at ?? 0)) {
    Object.assign(mine, { conf: theirs.conf, tokens: theirs.tokens, fhirBase: theirs.fhirBase });
  }
  if (time(theirs.connectedAt ?? null) > time(mine.connectedAt ?? null)) mine.connectedAt = theirs.connectedAt;
  return mine;
}

/**
 * This window's state merged with the one another window stored.
 * @param {VaultState} mine
 * @param {VaultState} theirs
 * @returns {VaultState}
 */
export function mergeVaultStates(mine, theirs) {
  const forgotten = Math.max(mine.identityForgottenAt ?? 0, theirs.identityForgottenAt ?? 0);
  const identities = [mine.identity, theirs.identity].filter((v) => v !== undefined && v.verifiedAt > forgotten);
  const identity = identities.sort((a, b) => (b?.verifiedAt ?? 0) - (a?.verifiedAt ?? 0))[0];
  /** @type {Removal[]} */
  const none = [];
  const removed = unionBy(mine.removed ?? none, theirs.removed ?? none, (r) => r.id, (a, b) => (time(b.at) > time(a.at) ? b : a));
  const removedAt = new Map(removed.map((r) => [r.id, time(r.at)]));
  /** @param {string} id @param {string | null | undefined} since */
  const kept = (id, since) => !removedAt.has(id) || time(since ?? null) > (removedAt.get(id) ?? 0);
  /** @type {VaultState} */
  const merged = {
    ...theirs,
    ...mine,
    providers: unionBy(mine.providers, theirs.providers, (p) => p.id, newerProvider)
      .filter((p) => kept(p.id, p.connectedAt)),
    files: unionBy(mine.files ?? [], theirs.files ?? [], (f) => f.id, (a) => a).filter((f) => kept(f.id, null)),
    links: unionBy(mine.links ?? [], theirs.links ?? [], (l) => l.id, (a, b) => (!a.revokedAt && b.revokedAt ? Object.assign(a, { revokedAt: b.revokedAt }) : a)),
    removed,
    grants: unionBy(mine.grants, theirs.grants, (g) => g.grantId, newerGrant),
    receipts: unionBy(mine.receipts, theirs.receipts, receiptKey, (a) => a),
  };
  if (identity) merged.identity = identity;
  else delete merged.identity;
  if (forgotten) merged.identityForgottenAt = forgotten;

  const syncOff = Math.max(mine.syncOffAt ?? 0, theirs.syncOffAt ?? 0);
  const sync = [mine.sync, theirs.sync].filter((s) => s !== undefined && s.since > syncOff)
    .sort((a, b) => (b?.since ?? 0) - (a?.since ?? 0))[0];
  if (sync) merged.sync = sync;
  else delete merged.sync;
  if (syncOff) merged.syncOffAt = syncOff;
  /** @type {SyncDevice[]} */
  const noDevices = [];
  const devices = unionBy(mine.devices ?? noDevices, theirs.devices ?? noDevices, (d) => d.id,
    (a, b) => (time(b.lastSync) > time(a.lastSync) ? Object.assign(a, b) : a));
  if (devices.length) merged.devices = devices;
  else delete merged.devices;
  return merged;
}

// A receipt is one grant's one version (docs/consent.md); anything else is kept by its whole text.
/** @param {object} r */
function receiptKey(r) {
  const x = /** @type {any} */ (r);
  return typeof x?.grantId === 'string' && Number.isInteger(x?.sequence) ? `${x.grantId}/${x.sequence}` : JSON.stringify(r);
}
