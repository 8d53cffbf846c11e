// Consent, as logic: what a tool asks for (SMART v2 scopes in its manifest)
// mapped onto the record's items, what is selected by default, and the
// consent receipt that records what the patient agreed to.

export const CATEGORIES = {
  patient: 'Your name, sex and date of birth',
  conditions: 'Conditions',
  medications: 'Medications',
  allergies: 'Allergies',
  labs: 'Lab results',
  vitals: 'Vital signs',
  immunizations: 'Immunizations',
  procedures: 'Procedures',
  encounters: 'Visits',
  reports: 'Test reports',
  documents: 'Clinical notes',
  carePlans: 'Care plans',
  goals: 'Goals',
  socialHistory: 'Social history (such as smoking)',
  otherObservations: 'Other measurements and surveys',
};

export const SENSITIVE = {
  'mental-health': 'Mental health',
  'substance-use': 'Alcohol and drug use',
  'reproductive-sexual-health': 'Reproductive and sexual health',
};

const BY_RESOURCE = {
  Patient: ['patient'],
  Condition: ['conditions'],
  MedicationRequest: ['medications'],
  MedicationStatement: ['medications'],
  AllergyIntolerance: ['allergies'],
  Immunization: ['immunizations'],
  Procedure: ['procedures'],
  Encounter: ['encounters'],
  DiagnosticReport: ['reports'],
  DocumentReference: ['documents'],
  CarePlan: ['carePlans'],
  Goal: ['goals'],
  Observation: ['labs', 'vitals', 'socialHistory', 'otherObservations'],
};
const OBSERVATION_CATEGORY = { laboratory: 'labs', 'vital-signs': 'vitals', 'social-history': 'socialHistory' };

export class ManifestError extends Error {
  constructor(message) {
    super(message);
    this.code = 'bad-manifest';
  }
}

const B64URL_KEY = /^[A-Za-z0-9_-]{43}$/;

// Checks a tool manifest (docs/tool-manifest.md) against the page that sent it.
export function checkManifest(manifest, senderOrigin) {
  const m = manifest ?? {};
  if (m.type !== 'chartlock-tool-manifest' || m.version !== 1) throw new ManifestError('This is not a Chartlock tool manifest (version 1).');
  for (const field of ['name', 'origin', 'purpose', 'retention']) {
    if (typeof m[field] !== 'string' || !m[field].trim() || m[field].length > 500) {
      throw new ManifestError(`The tool's manifest has no valid "${field}".`);
    }
  }
  if (m.origin !== senderOrigin) {
    throw new ManifestError(`The tool says it is ${m.origin}, but the page asking is ${senderOrigin}. Chartlock will not share with it.`);
  }
  if (!Array.isArray(m.scopes) || m.scopes.length === 0 || m.scopes.some((s) => typeof s !== 'string')) {
    throw new ManifestError('The tool\'s manifest does not say what it asks for (scopes).');
  }
  if (!B64URL_KEY.test(m.keys?.x25519 ?? '') || !B64URL_KEY.test(m.keys?.ed25519 ?? '')) {
    throw new ManifestError('The tool\'s manifest has no valid public keys.');
  }
  if (categoriesFor(m.scopes).size === 0) throw new ManifestError('The tool asks for nothing Chartlock can share.');
  return m;
}

// SMART v2 (and v1) scopes → the categories they cover.
export function categoriesFor(scopes) {
  const out = new Set();
  for (const scope of scopes) {
    const m = /^patient\/(\*|[A-Za-z]+)\.(rs|r|s|read|\*|cruds)(?:\?(.*))?$/.exec(scope.trim());
    if (!m) continue;
    const [, type, , query] = m;
    const types = type === '*' ? Object.keys(BY_RESOURCE) : [type];
    for (const t of types) {
      let cats = BY_RESOURCE[t] ?? [];
      const category = new URLSearchParams(query ?? '').get('category');
      if (t === 'Observation' && category) cats = OBSERVATION_CATEGORY[category] ? [OBSERVATION_CATEGORY[category]] : ['otherObservations'];
      for (const c of cats) out.add(c);
    }
  }
  return out;
}

// The items a selection shares: requested, in a chosen category, in the date
// range, not removed one by one, and not in a sensitive category the patient
// left off.
export function selectedItems(catalog, sel) {
  return catalog.filter((item) => sel.categories.has(item.category)
    && !sel.removed.has(item.key)
    && item.sensitive.every((s) => sel.sensitive.has(s))
    && (!item.date || ((!sel.from || item.date.slice(0, 10) >= sel.from) && (!sel.to || item.date.slice(0, 10) <= sel.to))));
}

// The starting point: every requested category on, every sensitive one off.
export function defaultSelection(requested) {
  return { categories: new Set(requested), sensitive: new Set(), removed: new Set(), from: '', to: '' };
}

// What the patient agreed to, in words and numbers; carried in the bundle
// (its digest is in the signed header) and kept in the vault.
export function consentReceipt({ manifest, grantId, sequence, items, selection, patientKey, createdAt, expiresAt }) {
  const byCategory = {};
  for (const item of items) byCategory[item.category] = (byCategory[item.category] ?? 0) + 1;
  return {
    type: 'chartlock-consent-receipt',
    version: 1,
    grantId,
    sequence,
    createdAt: new Date(createdAt * 1000).toISOString(),
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    tool: { name: manifest.name, origin: manifest.origin, purpose: manifest.purpose, retention: manifest.retention,
      keys: manifest.keys },
    scopesRequested: manifest.scopes,
    shared: {
      categories: [...selection.categories].filter((c) => byCategory[c] || c === 'patient').sort(),
      sensitiveIncluded: [...selection.sensitive].sort(),
      dateRange: { from: selection.from || null, to: selection.to || null },
      items: items.length,
      byCategory,
      keys: items.map((i) => i.key),
    },
    signer: patientKey,  // the per-grant Ed25519 key that signs the bundle
  };
}

// The same consent as a FHIR R4 Consent resource, for systems that speak FHIR.
export function consentAsFhir(receipt, patientReference) {
  return {
    resourceType: 'Consent',
    status: 'active',
    scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
    category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] }],
    patient: patientReference ? { reference: patientReference } : undefined,
    dateTime: receipt.createdAt,
    performer: patientReference ? [{ reference: patientReference }] : undefined,
    policyRule: { text: 'Chartlock consent receipt v1' },
    provision: {
      type: 'permit',
      period: { start: receipt.createdAt, end: receipt.expiresAt },
      actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'IRCP' }] },
        reference: { display: `${receipt.tool.name} (${receipt.tool.origin})` } }],
      action: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentaction', code: 'disclose' }] }],
      purpose: [{ display: receipt.tool.purpose }],
      data: receipt.shared.keys.map((key) => ({ meaning: 'instance', reference: { display: key } })),
    },
  };
}
