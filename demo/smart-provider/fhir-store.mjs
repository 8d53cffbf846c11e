// SPDX-License-Identifier: Apache-2.0
// A provider's records as a FHIR server holds them: loaded from a Bundle (or
// NDJSON) the way a server processes a transaction — every resource gets a
// server id, and references to bundle-local fullUrls (urn:uuid:…, or absolute
// URLs on this server) are rewritten to relative "Type/id".
function resourcesOf(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    // NDJSON: one resource per line.
    return text.split('\n').filter((l) => l.trim()).map((l) => ({ resource: JSON.parse(l) }));
  }
  if (doc.resourceType !== 'Bundle') return [{ resource: doc }];
  return (doc.entry ?? []).filter((e) => e.resource).map((e) => ({ fullUrl: e.fullUrl, resource: e.resource }));
}

// Rewrites every Reference.reference found by `map` (in place).
function rewriteReferences(node, map) {
  if (Array.isArray(node)) {
    for (const item of node) rewriteReferences(item, map);
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'reference' && typeof value === 'string') {
        const mapped = map(value);
        if (mapped) node.reference = mapped;
      } else {
        rewriteReferences(value, map);
      }
    }
  }
}

export class FhirStore {
  /**
   * `text`: the Bundle or NDJSON; `source`: its name, for errors. Resources
   * without `meta.lastUpdated` get `loadedAt` (ms; default now) less
   * `lastUpdatedShiftMs`: a store loaded again (the static demo's Service
   * Worker, restarted) must give them the same time, or every reload would
   * look like new records to a sync.
   */
  constructor({ text, source = 'the data', lastUpdatedShiftMs = 0, loadedAt = Date.now() }) {
    const entries = resourcesOf(text);
    const byFullUrl = new Map();
    for (const { fullUrl, resource } of entries) {
      if (fullUrl) byFullUrl.set(fullUrl, `${resource.resourceType}/${resource.id}`);
    }
    // "…/fhir/Observation/123" → "Observation/123": absolute references to the
    // bundle's own server become relative.
    const toRelative = (ref) => {
      if (byFullUrl.has(ref)) return byFullUrl.get(ref);
      const m = /^https?:\/\/[^?#]*\/([A-Za-z]+\/[A-Za-z0-9\-.]{1,64})$/.exec(ref);
      return m && this.#exists(m[1]) ? m[1] : null;
    };
    this.byType = new Map();
    this.byKey = new Map();
    // When the data counts as updated: also for what is made from it as it is served (notes.mjs).
    this.loadedAt = new Date(loadedAt - lastUpdatedShiftMs).toISOString();
    for (const { resource } of entries) {
      const key = `${resource.resourceType}/${resource.id}`;
      this.byKey.set(key, resource);
      if (!this.byType.has(resource.resourceType)) this.byType.set(resource.resourceType, []);
      this.byType.get(resource.resourceType).push(resource);
      resource.meta = { ...(resource.meta ?? {}) };
      resource.meta.lastUpdated ??= this.loadedAt;
    }
    for (const { resource } of entries) rewriteReferences(resource, toRelative);
    const patients = this.byType.get('Patient') ?? [];
    if (patients.length !== 1) throw new Error(`${source}: expected one Patient, found ${patients.length}`);
    this.patient = patients[0];
  }

  #exists(key) { return this.byKey?.has(key) ?? false; }

  read(type, id) { return this.byKey.get(`${type}/${id}`) ?? null; }

  // Resources of `type` in the patient's compartment (this store holds one
  // patient), optionally filtered. `category` is a FHIR token search value:
  // `code` or `system|code`, several joined by commas (any of them).
  search(type, { lastUpdatedGt, lastUpdatedGe, category } = {}) {
    let list = this.byType.get(type) ?? [];
    if (lastUpdatedGt) list = list.filter((r) => r.meta.lastUpdated > lastUpdatedGt);
    if (lastUpdatedGe) list = list.filter((r) => r.meta.lastUpdated >= lastUpdatedGe);
    if (category) {
      const tokens = category.split(',').map((t) => {
        const bar = t.indexOf('|');
        return bar < 0 ? { code: t } : { system: t.slice(0, bar), code: t.slice(bar + 1) };
      });
      list = list.filter((r) => (r.category ?? []).some((c) => (c.coding ?? []).some((coding) =>
        tokens.some((t) => coding.code === t.code && (t.system === undefined || (coding.system ?? '') === t.system)))));
    }
    return list;
  }

  // Adds or replaces a resource (tests: "new results arrived since last sync"),
  // updated now or at `lastUpdated` (one added before, put back).
  upsert(resource, lastUpdated = new Date().toISOString()) {
    const key = `${resource.resourceType}/${resource.id}`;
    resource.meta = { ...(resource.meta ?? {}), lastUpdated };
    if (!this.byKey.has(key)) {
      if (!this.byType.has(resource.resourceType)) this.byType.set(resource.resourceType, []);
      this.byType.get(resource.resourceType).push(resource);
    } else {
      const list = this.byType.get(resource.resourceType);
      list[list.indexOf(this.byKey.get(key))] = resource;
    }
    this.byKey.set(key, resource);
  }
}
