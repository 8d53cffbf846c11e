// SPDX-License-Identifier: Apache-2.0
// Types of the wasm module's API: what wasm/bindings.cpp exports through
// Embind (its EMSCRIPTEN_BINDINGS block and the comment above each function),
// and the factory the Emscripten glue (chartlock-core.js, -sMODULARIZE,
// EXPORT_NAME=ChartlockCore) defines. Keep it in step with bindings.cpp.
//
// Loading it:
//   browser Worker  the glue's text defines a global `ChartlockCore` (web/widget/js/core-worker.js)
//   Node            /** @type {import('../wasm/chartlock-core').ChartlockCoreFactory} */
//                   const factory = createRequire(import.meta.url)('…/build-wasm/chartlock-core.js');
//
// Arity: Embind checks argument counts. A parameter written `x: T | undefined`
// must be passed (undefined is accepted); only `x?: T` may be left out (the
// bindings register an overload without it).
//
// Errors: every failure in the core is thrown as an `Error` whose `name` is
// "ChartlockError" and whose `code` is a stable string (ChartlockError below).
// Calling with the wrong number of arguments or a value Embind cannot convert
// throws Embind's own BindingError (no code).

// ---- bytes ----

/**
 * What the core returns as bytes: always a fresh copy over an ArrayBuffer of
 * its own (never a view of wasm memory, which moves when it grows).
 */
export type OwnedBytes = Uint8Array<ArrayBuffer>;

// ---- errors ----

/** What the core throws (bindings.cpp, throw_js). */
export interface ChartlockError extends Error {
  name: 'ChartlockError';
  /**
   * Stable: an ingest diagnostic code (`json-syntax`, `too-large`, …), a crypto
   * error code (`wrong-passphrase`, `tampered`, `truncated`, `not-a-bundle`,
   * `malformed`, `bad-signature`, `expired`, `receipt-mismatch`, …),
   * `bad-consent`, `different-persons`, `unknown-person`, `wrong-person`, `out-of-memory`,
   * `invalid-argument` or `internal`.
   */
  code: string;
  /** With `different-persons`: the persons the sources hold, to choose one from (docs/persons.md). */
  persons?: Person[];
}

// ---- inputs ----

/** One input file of a patient's records. */
export interface Source {
  /** Shown as the item's source (a provider's or file's name). */
  name: string;
  bytes: Uint8Array;
  /** Default `detect`. */
  format?: 'json' | 'ndjson' | 'detect';
}

/** The options every reading call shares: limits (docs/limits.md) and whose record. */
export interface IngestLimits {
  maxBytes?: number;
  maxDepth?: number;
  maxResources?: number;
  /**
   * The key of the person whose record to read (`persons()`); needed when the
   * sources hold more than one (else `different-persons` is thrown).
   */
  person?: string;
  /**
   * SMART Health Cards: the issuers' keys, each a JWKS as text (as served at
   * `issuer + "/.well-known/jwks.json"`), bound to that issuer (no `issuer`:
   * any issuer's cards). A card no key verifies throws `card-unknown-key` or
   * `card-bad-signature` unless `allowUnverifiedCards`.
   */
  cardKeys?: { issuer?: string; jwks: string }[];
  /** Keep cards no key verifies; each of their items says `card.verified: false`. */
  allowUnverifiedCards?: boolean;
}

/** A card's issuer and signing key, before it is verified (`healthCardIssuers`). */
export interface CardIssuer {
  /** The card's `iss`: its keys are at `iss + "/.well-known/jwks.json"`. */
  issuer: string;
  /** The signing key's JWK thumbprint. */
  kid: string;
}

/** One person the sources hold (`persons()`, docs/persons.md). */
export interface Person {
  /** `person-` and 16 hex digits. */
  key: string;
  /** Display form, "Given Family". */
  name: string;
  birthDate: string;
  gender: string;
  /** Every Patient resource that is this person. */
  patients: { source: string; id: string }[];
  /** The inputs with records of this person. */
  sources: string[];
}

/** One field of two Patients side by side (docs/persons.md). */
export interface FieldComparison {
  field: string;
  a: string;
  b: string;
  verdict: 'agree' | 'partial' | 'disagree' | 'missing';
  weight: number;
  note: string;
}

/** How a provider grades a Patient/$match query against a patient it holds (`matchGrade`). */
export interface MatchGradeResult {
  /** The FHIR match-grade extension's code. */
  grade: 'certain' | 'probable' | 'possible' | 'certainly-not';
  /** Bundle.entry.search.score, 0 to 1. */
  score: number;
  outcome: 'same' | 'different' | 'uncertain';
  /** The rule that said "different" outright, or "". */
  rule: string;
  fields: FieldComparison[];
}

/** A FHIR Patient resource as JSON (what $match sends: names, birth date, sex, addresses, telecom). */
export type PatientResource = { resourceType: 'Patient'; [field: string]: unknown };

/** One way to re-ask a provider with one detail relaxed (`matchQueries`). */
export interface MatchRelaxation {
  field: 'address' | 'phone' | 'email' | 'name' | 'birthDate';
  /** "your address" */
  what: string;
  /** "when your address was left out" */
  found: string;
  /** "ask them to update your address" */
  advice: string;
  query: PatientResource;
}

export interface IngestOptions extends IngestLimits {
  /** Keep each item's original resource in the record JSON. */
  raw?: boolean;
}

export interface SummaryOptions {
  /** `YYYY-MM-DD`, the day date rules count from; default today (UTC). */
  today?: string;
  /** How dates are written inside the summary's sentences (fields stay `YYYY-MM-DD`); default `iso`. */
  dateStyle?: DateStyle;
}

/** `iso` (2023-06-13), `month-day-year` (June 13, 2023) or `day-month-year` (13 June 2023). */
export type DateStyle = 'iso' | 'month-day-year' | 'day-month-year';

export interface SummarizeOptions extends IngestLimits, SummaryOptions {
  /** Default `json`. */
  format?: 'json' | 'markdown';
}

// ---- keys, vault, bundles, relay requests ----

/** Key files, as text (docs/bundle-format.md). */
export interface KeyPair {
  /** The secret key file (JSON text): keep private. */
  secret: string;
  /** The public key file (JSON text). */
  public: string;
}

/** A public key file, parsed (`keysPublic`, `keysGenerate().public`). */
export interface PublicKeyFile {
  type: 'chartlock-public-keys';
  version: 1;
  /** base64url, 32 bytes. */
  x25519: string;
  /** base64url, 32 bytes. */
  ed25519: string;
}

/** Argon2id cost (docs/vault-format.md); defaults in the core. */
export interface VaultParams {
  opslimit?: number;
  memlimit?: number;
}

/**
 * An opened vault's keys (docs/vault-format.md §4): the content key and the
 * header's key slots, opaque. Secret — whoever holds it reads and writes the
 * vault: keep it in memory only, never store or send it.
 */
export type VaultKeys = OwnedBytes;

export interface VaultCreated {
  vault: OwnedBytes;
  /** The recovery key as text, 13 groups of 5 (docs/vault-format.md §7): show it once; it is in no file. */
  recoveryKey: string;
  keys: VaultKeys;
}

export interface VaultUnlocked {
  /** The only copy (the core wipes its own). */
  plaintext: OwnedBytes;
  keys: VaultKeys;
}

/** What a vault's header says (not authenticated until opened). */
export interface VaultInfo {
  version: 1 | 2;
  opslimit: number;
  memlimit: number;
  hasRecoveryKey: boolean;
}

/** What is wrong with a typed recovery key: the group to fix (1-based; 0 when no single group is). */
export interface RecoveryKeyProblem {
  group: number;
  message: string;
}

/** One part of a share bundle (given to the core: any Uint8Array; from it: OwnedBytes). */
export interface BundlePart<Bytes extends Uint8Array = Uint8Array> {
  name: string;
  mediaType: string;
  bytes: Bytes;
}

export interface BundleSealRequest {
  /** The recipient's public key file (JSON text). */
  recipient: string;
  /** The signer's secret key file (JSON text). */
  signer: string;
  /** 32 hex digits; a fresh one when left out. */
  grantId?: string;
  sequence: number;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  expiresAt: number;
  /** The consent receipt (part 0). */
  receipt: Uint8Array;
  parts: BundlePart[];
  chunkSize?: number;
}

export interface BundleOpenOptions {
  /** The recipient's secret key file (JSON text). */
  key: string;
  /** A public key file: the bundle must be signed by its Ed25519 key. */
  expectedSigner?: string;
  /** Unix seconds; default now. */
  now?: number;
  checkExpiry?: boolean;
  /** With it, also what a tool checks of a bundle fetched for this grant. */
  grantId?: string;
  /** Needs grantId. */
  minSequence?: number;
}

/** A bundle's header (docs/bundle-format.md). */
export interface BundleHeader {
  version: number;
  /** 32 hex digits. */
  grantId: string;
  sequence: number;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  expiresAt: number;
  /** X25519 public key, base64url. */
  recipient: string;
  /** Ed25519 public key, base64url. */
  signer: string;
  /** BLAKE2b-256 of the receipt, hex. */
  receiptDigest: string;
}

export interface OpenedBundle {
  header: BundleHeader;
  receipt: OwnedBytes;
  parts: BundlePart<OwnedBytes>[];
}

export interface RequestSignRequest {
  method: string;
  /** The request target, e.g. `/v1/grants/<id>/bundle`. */
  path: string;
  body?: Uint8Array;
  /** The signer's secret key file (JSON text). */
  key: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}

// ---- vault sync (docs/vault-format.md §11, docs/relay-protocol.md §11) ----

/**
 * A vault's sync identity, derived from its recovery key. `keys` is secret
 * (it reads and replaces the sync copies): keep it inside the vault, never
 * elsewhere; `syncId` and `signingKey` are what the relay sees.
 */
export interface SyncIdentity {
  /** base64url, 43 characters: the relay path's `{syncId}`. */
  syncId: string;
  /** The Ed25519 public key the relay pins (base64url). */
  signingKey: string;
  /** Opaque text, 128 characters: the id, the signing seed and the sync key. */
  keys: string;
}

export interface SyncRequestSignRequest {
  method: string;
  /** The request target, e.g. `/v1/sync/<syncId>?version=3`. */
  path: string;
  body?: Uint8Array;
  /** `SyncIdentity.keys`. */
  keys: string;
  /** Unix seconds; default now. */
  timestamp?: number;
}

// ---- consent (docs/consent.md) ----

/** Consent category ids. */
export type Category =
  | 'patient' | 'conditions' | 'medications' | 'allergies' | 'labs' | 'vitals' | 'immunizations'
  | 'procedures' | 'encounters' | 'reports' | 'documents' | 'carePlans' | 'goals' | 'socialHistory'
  | 'otherObservations';

/** Sensitive category ids (core/knowledge/sensitive.json). */
export type SensitiveCategory = 'mental-health' | 'substance-use' | 'reproductive-sexual-health';

/** Why an item is not shared (the first rule it fails). */
export type Refusal = 'not-in-record' | 'out-of-scope' | 'category-off' | 'excluded' | 'sensitive' | 'out-of-range' | 'undated';

/** CONSENT.json, as written for the core (docs/consent.md). */
export interface ConsentJson {
  scopes: string[];
  categories?: string[];
  patient?: boolean;
  sensitive?: string[];
  from?: string | null;
  to?: string | null;
  exclude?: string[];
  deidentify?: false | { shiftDays: number };
}

/** One item of `Records.consentCatalog()`. */
export interface ConsentCatalogItem {
  key: string;
  category: Category;
  /** What it is shared as. */
  resourceType: string;
  /** Plain words. */
  label: string;
  /** The record's own words when they differ from `label`, else "". */
  recorded: string;
  /** Its main date as written, or "". */
  date: string;
  /** An active condition or a current medicine. */
  ongoing: boolean;
  sources: string[];
  sensitive: SensitiveCategory[];
}

/** `Records.consentPreview(consent)`, parsed. */
export interface ConsentPreview {
  /** The consent as the engine read it (defaults filled in). */
  consent: ConsentJson;
  /** The category ids the scopes cover. */
  covered: Category[];
  items: { key: string; category: Category; refused: Refusal | null }[];
  /** How many items are shared. */
  shared: number;
  /** Whether the patient's name, sex and birth date are shared. */
  patient: boolean;
}

/** The tool as the receipt names it (the manifest's fields a patient saw). */
export interface ReceiptTool {
  name: string;
  /** A website tool's origin; absent for an AI app on the patient's computer (kind 'local-app'). */
  origin?: string;
  /** 'local-app': an AI app on the patient's own computer, paired by its code (docs/tool-manifest.md). */
  kind?: 'local-app';
  purpose: string;
  retention: string;
  keys: { x25519: string; ed25519: string };
}

/** What the core needs to write the consent receipt. */
export interface ReceiptContext {
  tool: ReceiptTool;
  /** 32 hex digits. */
  grantId: string;
  sequence: number;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  expiresAt: number;
  /** The grant's Ed25519 public key, base64url. */
  signer: string;
}

export interface ShareRequest {
  /** CONSENT.json text. */
  consent: string;
  /** The items the patient was shown: can only narrow the share. */
  keys?: string[];
  /** `YYYY-MM-DD`; default today (UTC). */
  today?: string;
  /** The person key the share is for (a grant's): refused with `wrong-person` when the records are another person's. */
  person?: string;
  receipt?: ReceiptContext;
}

/** What `Records.share` builds (docs/share-content.md). */
export interface ShareContent {
  /** records.json, summary.md. */
  parts: BundlePart<OwnedBytes>[];
  /** The record keys shared. */
  keys: string[];
  patient: boolean;
  sources: string[];
  byCategory: Record<string, number>;
  /** By resource type. */
  counts: Record<string, number>;
  refused: { key: string; why: Refusal }[];
}

/** The consent receipt, parsed: part 0 of a bundle (docs/consent.md, core/src/consent/receipt.cpp). */
export interface ConsentReceipt {
  type: 'chartlock-consent-receipt';
  version: 1;
  grantId: string;
  sequence: number;
  /** ISO time. */
  createdAt: string;
  /** ISO time. */
  expiresAt: string;
  tool: ReceiptTool;
  scopesRequested: string[];
  /** The consent as the tool may read it: removed keys only counted, no date offset. */
  consent: {
    scopes: string[];
    categories: Category[];
    patient: boolean;
    sensitive: SensitiveCategory[];
    from: string | null;
    to: string | null;
    excluded: number;
    deidentify: boolean;
  };
  shared: {
    categories: Category[];
    patient: boolean;
    sensitiveIncluded: SensitiveCategory[];
    dateRange: { from: string | null; to: string | null };
    deidentified: boolean;
    items: number;
    byCategory: Record<string, number>;
    sources: string[];
    /** The resources' ids in records.json. */
    keys: string[];
  };
  parts: { name: string; mediaType: string; size: number; blake2b256?: string }[];
  /** The grant's Ed25519 public key, base64url. */
  signer: string;
  /** The same consent as a FHIR R4 Consent resource. */
  fhir: { resourceType: 'Consent'; [field: string]: unknown };
}

/** `Records.share` given a receipt context: the content and its receipt (JSON text). */
export interface ShareResult extends ShareContent {
  receipt: string;
}

// ---- the provider directory ----

/** One match of `Directory.search`, parsed. */
export interface DirectoryMatch {
  id: string;
  name: string;
  city: string;
  state: string;
  portalName: string;
  portalUrl: string;
  logo: string;
  fhirBase: string;
  score: number;
}

/** What `Directory.search` found, parsed: the best matches, and how many providers matched in all. */
export interface DirectorySearch {
  /** Every provider matching every word of the query (the same name at the same FHIR base counted once). */
  total: number;
  /** The best `limit` of them, best first. */
  matches: DirectoryMatch[];
}

// ---- the summary (docs/summary-schema.md; written by core/src/summary/summary_json.cpp) ----

/** A code; empty fields are left out. */
export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export type Flag = 'low' | 'high' | 'normal' | 'critical-low' | 'critical-high' | 'abnormal' | 'unknown';

export interface Range {
  low: number | null;
  high: number | null;
  unit: string;
  /** Null when no range was usable. */
  source: 'report' | 'knowledge-base' | null;
  /** The knowledge base's citation. */
  reference?: string;
  /** As the patient reads it, at the test's precision, unit in words: "70 to 99 mg/dL". Absent without bounds. */
  display?: string;
}

export interface Trend {
  direction: 'up' | 'down' | 'stable' | null;
  /** At the test's precision. */
  change: number | null;
  /** The first result of the recent window the trend is read over. */
  since: string | null;
  points: number;
  note?: string;
  /** "up 12 mg/dL since June 13, 2023 (4 results)", or why there is no trend. */
  display: string;
}

/** A series' most recent point (labs; vital signs other than blood pressure). */
export interface LatestPoint {
  value: number | null;
  comparator?: string;
  /** When there is no number. */
  text?: string;
  unit: string;
  date: string;
  /** The value as the patient reads it: "85 mg/dL", "6.1%", "Negative". */
  display: string;
  /** How it was measured, when the series holds several methods ("calculated"). */
  method?: string;
}

/** One point of a lab or vital sign series (not blood pressure). */
export interface HistoryPoint {
  date: string;
  /** The value as the patient reads it: "85 mg/dL". */
  display: string;
  /** How it was measured, when the series holds several methods. */
  method?: string;
  /** The result's own LOINC, when the series is keyed on another (another method of the test). */
  loinc?: string;
  value: number | null;
  comparator?: string;
  unit?: string;
  originalValue?: number;
  originalUnit?: string;
  /** When there is no number. */
  text?: string;
  range: Range;
  flag: Flag;
  flagBasis: string;
  /** The flag in words: "In range", "High", "Normal, as the lab marked it", "No usual range". */
  flagText: string;
  interpretation?: string[];
  note?: string;
  key: string;
  sources: string[];
}

/** A blood pressure reading. */
export interface PressurePoint {
  date: string;
  systolic: number | null;
  diastolic: number | null;
  unit: string;
  /** "128/82 mmHg". */
  display: string;
  category: string | null;
  categoryLabel?: string;
  flag: Flag;
  key: string;
  sources: string[];
}

export interface LabSeries {
  loinc: string | null;
  code: Coding;
  name: string;
  plain: string | null;
  group?: string;
  known: boolean;
  unit: string;
  /** The unit in words: "thousand per microliter", "mmHg"; "" for none. */
  unitText: string;
  /** Decimal places the test is reported with; null when not known. */
  decimals: number | null;
  /** False for a separate series of values that could not be converted. */
  unitConverted: boolean;
  latest: LatestPoint;
  range: Range;
  flag: Flag;
  flagBasis: string;
  flagText: string;
  interpretation?: string[];
  concerning: string;
  trend: Trend;
  note?: string;
  notes?: string[];
  history: HistoryPoint[];
}

/** A vital sign series other than blood pressure. */
export interface MeasuredVitalSeries {
  id: string;
  loinc: string | null;
  name: string;
  plain: string | null;
  known: boolean;
  unit: string;
  unitText: string;
  decimals: number | null;
  unitConverted: boolean;
  latest: LatestPoint;
  range: Range;
  flag: Flag;
  flagBasis: string;
  flagText: string;
  /** BMI only (CDC adult categories). */
  category?: string;
  categoryLabel?: string;
  trend: Trend;
  note?: string;
  notes?: string[];
  history: HistoryPoint[];
}

/** Blood pressure (`id: "blood-pressure"`): systolic/diastolic pairs. */
export interface PressureVitalSeries {
  id: string;
  loinc: string | null;
  name: string;
  plain: string | null;
  known: boolean;
  unit: string;
  unitText: string;
  decimals: number | null;
  latest: PressurePoint;
  flag: Flag;
  flagText: string;
  category: string | null;
  categorySource?: string;
  /** Systolic. */
  trend: Trend;
  diastolicTrend: Trend;
  note?: string;
  notes?: string[];
  history: PressurePoint[];
}

export type VitalSeries = MeasuredVitalSeries | PressureVitalSeries;

export interface SummaryCondition {
  plain: string;
  code: Coding;
  known: boolean;
  group?: string;
  chronic: boolean;
  status?: string;
  onset?: string;
  abatement?: string;
  /** The knowledge base's citation for the plain name. */
  source?: string;
  key: string;
  sources: string[];
}

export interface SummaryMedication {
  name: string;
  code: Coding;
  classes: string[];
  classIds: string[];
  ingredients: string[];
  matchedBy: string | null;
  status: string;
  /** Why it is current: listed as active, or prescribed in the last 12 months; null for a past medicine. */
  current: 'active' | 'prescribed-recently' | null;
  /** The newest listing's date. */
  since?: string;
  dosage?: string;
  key: string;
  sources: string[];
}

export interface SummaryAllergy {
  plain: string;
  code: Coding;
  status?: string;
  criticality?: string;
  categories?: string[];
  reactions?: string[];
  groups?: string[];
  recorded?: string;
  key: string;
  sources: string[];
}

export interface SummaryImmunization {
  plain: string;
  code: Coding;
  known: boolean;
  group?: string;
  date: string;
  status?: string;
  key: string;
  sources: string[];
}

export interface SummaryEncounter {
  date: string;
  plain: string;
  setting?: string;
  provider?: string;
  reasons?: string[];
  key: string;
  sources: string[];
}

export interface TimelineEvent {
  date: string;
  kind: string;
  text: string;
  sources: string[];
  keys: string[];
}

export interface Insight {
  /** `<kind>:<subject>`. */
  id: string;
  kind: string;
  severity: 'urgent' | 'important' | 'info';
  title: string;
  text: string;
  evidence: { kind: string; ref: string; label: string; date?: string; value?: string }[];
  source: string;
}

export interface Question {
  text: string;
  /** The insight it comes from. */
  insight: string | null;
  about?: string;
}

/** The summary (`chartlock.summary/1`), parsed. */
/** An attachment as the record reads it (docs/record-schema.md, documents). */
export interface RecordAttachment {
  contentType?: string;
  title?: string;
  url?: string;
  creation?: string;
  size?: number;
  /** How it was read: text, html, rtf, cda, xml, pdf, binary. */
  format?: string;
  /** Its words, as plain text. */
  text?: string;
  /** Why it was not read, or how. */
  note?: string;
  hasBinary?: boolean;
}

export interface RecordCode { system?: string; code?: string; display?: string; text?: string }

/** The clinical notes of the open records (Records.notes()). */
export interface NotesRecord {
  documents: { key: string; code?: RecordCode; status?: string; date?: string; description?: string; authors?: string[];
    attachments: RecordAttachment[]; sources: { source: string }[] }[];
  reports: { key: string; code?: RecordCode; status?: string; effective?: string; issued?: string;
    presentedForm?: RecordAttachment[]; sources: { source: string }[] }[];
}

export interface SummaryNote {
  date: string | null;
  kind: string;
  author?: string;
  title?: string;
  format?: string;
  read: boolean;
  key: string;
  sources: string[];
}

/** summary.clinicalNotes: how many notes, the most recent, what kinds. */
export interface SummaryNotes {
  count: number;
  unread: number;
  mostRecent: SummaryNote | null;
  kinds: { kind: string; count: number }[];
}

export interface Summary {
  schema: 'chartlock.summary/1';
  today: string | null;
  /** Only in the summary of a share. */
  shared?: { categories: Category[]; notShared: Category[]; from: string | null; to: string | null };
  patient: { name: string; birthDate: string | null; age: number | null; gender: string | null; deceased?: string };
  sources: string[];
  providers: string[];
  narrative: string;
  labs: LabSeries[];
  vitals: VitalSeries[];
  activeConditions: SummaryCondition[];
  pastConditions: SummaryCondition[];
  /** Current medicines (see SummaryMedication.current). */
  activeMedications: SummaryMedication[];
  /** The rest, newest first. */
  pastMedications: SummaryMedication[];
  allergies: SummaryAllergy[];
  immunizations: SummaryImmunization[];
  recentEncounters: SummaryEncounter[];
  clinicalNotes: SummaryNotes;
  timeline: TimelineEvent[];
  insights: Insight[];
  questions: Question[];
  notes: string[];
}

// ---- the module ----

/** What every Embind object has: it lives in wasm memory until deleted. */
export interface EmbindObject {
  /** Frees it; call when done (Embind objects are not garbage-collected). */
  delete(): void;
  isDeleted(): boolean;
}

/** The sources read once and kept in wasm memory (bindings.cpp RecordsHandle). */
export interface Records extends EmbindObject {
  /** The merged record as JSON text (docs/record-schema.md). */
  record(): string;
  /** Whose records these are: the person's key (docs/persons.md), "" when no source holds a Patient. */
  person(): string;
  /** JSON text of a record holding only the clinical notes: `NotesRecord`. */
  notes(): string;
  /** The summary as JSON text (`Summary`). */
  summary(options: SummaryOptions | undefined): string;
  /** JSON text of `ConsentCatalogItem[]`. */
  consentCatalog(): string;
  /** JSON text of `ConsentPreview`; `consent` is CONSENT.json text. */
  consentPreview(consent: string): string;
  /** Exactly what `chartlock share` builds from the same record and consent. */
  share(request: ShareRequest & { receipt: ReceiptContext }): ShareResult;
  share(request: ShareRequest): ShareContent & { receipt?: string };
  /**
   * The International Patient Summary the consent allows (docs/ips.md): the same consent
   * engine as `share`, the same bytes as `chartlock ips` for the same files, consent and today.
   * `consent` is CONSENT.json text.
   */
  ips(consent: string, options: IpsOptions | undefined): IpsResult;
}

export interface IpsOptions {
  /** The document's date, YYYY-MM-DD; default today (UTC). */
  today?: string;
  /** The items the patient was shown as chosen; the consent still decides each. */
  keys?: string[];
  /** Whose records the IPS is for (a person key); must be the record's. */
  person?: string;
}

export interface QrCode {
  /** Modules per side. */
  size: number;
  /** size × size, row by row: 1 dark, 0 light. */
  modules: Uint8Array;
}

export interface IpsResult {
  /** The FHIR R4 document Bundle (IPS), JSON text. */
  bundle: string;
  /** The items in it (record keys), in section order. */
  keys: string[];
  /** The providers of those items. */
  sources: string[];
}

export interface RecordsConstructor {
  new (sources: Source[], options: IngestLimits | undefined): Records;
}

/** A provider directory (SMART brands Bundle) held in wasm memory. */
export interface Directory extends EmbindObject {
  /** JSON text of a `DirectorySearch`; `limit` 1 to 1000. */
  search(query: string, limit: number): string;
  /** How many entries it holds. */
  size(): number;
}

export interface DirectoryConstructor {
  new (bytes: Uint8Array): Directory;
}

/** The module: the bindings, once the factory's promise resolves. */
export interface ChartlockCoreModule {
  Records: RecordsConstructor;
  Directory: DirectoryConstructor;
  version(): string;
  /** The category ids the tool's scopes cover (empty: nothing Chartlock shares). */
  consentCategories(scopes: string[]): Category[];
  /** The words the consent screen shows: each category's, each sensitive category's (the core's one table of each). */
  consentLabels(): { categories: Record<Category, string>; sensitive: Record<string, string> };
  /** JSON text of `Person[]`: the persons the sources hold, as `chartlock persons` lists them. */
  persons(sources: Source[], options?: IngestLimits): string;
  /** JSON text of `MatchGradeResult`: how a provider holding `candidate` grades a $match for `query` (Patient JSON texts). */
  matchGrade(query: string, candidate: string): string;
  /** JSON text of `{ query: PatientResource, relaxations: MatchRelaxation[] }`: the $match queries for a verified identity (Patient JSON text). */
  matchQueries(verified: string): string;
  /** The record as JSON text (docs/record-schema.md). */
  /** JSON text of `CardIssuer[]`, one per SMART Health Card in the input (file, JWS or `shc:/` text). */
  healthCardIssuers(bytes: Uint8Array): string;
  ingest(sources: Source[], options?: IngestOptions): string;
  /** The summary as JSON text (`Summary`), or Markdown with `format: 'markdown'`. */
  summarize(sources: Source[], options?: SummarizeOptions): string;
  /** `summarize(sources, {...options, format: 'markdown'})`. */
  summarizeMarkdown(sources: Source[], options?: Omit<SummarizeOptions, 'format'>): string;
  keysGenerate(): KeyPair;
  /** The public key file (JSON text) of a secret key file. */
  keysPublic(secretKeyFile: string): string;
  vaultSeal(passphrase: string, plaintext: Uint8Array, params?: VaultParams): OwnedBytes;
  /** The plaintext: the only copy (the core wipes its own). */
  vaultOpen(passphrase: string, vault: Uint8Array): OwnedBytes;
  /** A new version 2 vault with a recovery key. Errors: `invalid-argument` (empty passphrase, parameters out of bounds or below the floor). */
  vaultCreate(passphrase: string, plaintext: Uint8Array, params?: VaultParams): VaultCreated;
  /** A new device's vault under the recovery key the patient signed in with (vault sync): fresh content key, the same recovery key. Errors as `vaultCreate`, and `malformed` with `group` for the text. */
  vaultCreateWithRecoveryKey(passphrase: string, recoveryKey: string, plaintext: Uint8Array, params?: VaultParams): VaultCreated;
  /** "Make a recovery key" (or a new one): the vault (version 1 or 2) opened with its passphrase and sealed anew — new content key, new recovery key; an earlier recovery key opens no later version. */
  vaultMakeRecoveryKey(passphrase: string, vault: Uint8Array, params?: VaultParams): VaultCreated;
  /** Version 1 or 2. Errors as `vaultOpen`. Keys of a version 1 vault reseal it as version 2, without a recovery key. */
  vaultUnlock(passphrase: string, vault: Uint8Array): VaultUnlocked;
  /** Errors: `malformed` with `group` (a typo in the text), `no-recovery-key`, `wrong-recovery-key`, and the file's own. */
  vaultUnlockWithRecoveryKey(recoveryKey: string, vault: Uint8Array): VaultUnlocked;
  /** The same keys (passphrase, recovery key, parameters), a fresh stream. No Argon2id. */
  vaultReseal(keys: VaultKeys, plaintext: Uint8Array): OwnedBytes;
  /** New keys: the passphrase slot replaced, the recovery slot kept. Works on keys from either way of unlocking. */
  vaultChangePassphrase(keys: VaultKeys, newPassphrase: string, params?: VaultParams): VaultKeys;
  vaultInfo(vault: Uint8Array): VaultInfo;
  /** null when the text reads as a recovery key (whether it opens a vault is another matter). */
  recoveryKeyProblem(text: string): RecoveryKeyProblem | null;
  /** A QR code's modules for the text (8-bit mode; level M unless given). Throws `qr-too-long`. */
  qrCode(text: string, level?: 'L' | 'M' | 'Q' | 'H'): QrCode;
  /** The sync identity of a recovery key (its text). Errors: `malformed` with `group`, as `vaultUnlockWithRecoveryKey`. */
  syncIdentity(recoveryKey: string): SyncIdentity;
  /** The identity of stored sync keys. Errors: `malformed`. */
  syncInfo(keys: string): SyncIdentity;
  /** A vault's content sealed as a sync copy under the sync key alone. */
  syncSeal(keys: string, plaintext: Uint8Array): OwnedBytes;
  /** The content of a sync copy (the only copy). Errors: `not-a-bundle`, `truncated`, `unsupported-version`, `wrong-key`, `tampered`, `malformed`. */
  syncOpen(keys: string, copy: Uint8Array): OwnedBytes;
  /** The Authorization header of a relay sync request, signed with the sync signing key. */
  syncRequestSign(request: SyncRequestSignRequest): string;
  bundleSeal(request: BundleSealRequest): OwnedBytes;
  bundleOpen(bundle: Uint8Array, options: BundleOpenOptions): OpenedBundle;
  /** The header, not authenticated: for routing only. */
  bundlePeek(bundle: Uint8Array): BundleHeader;
  /** The Authorization header value for the relay (docs/relay-protocol.md). */
  requestSign(request: RequestSignRequest): string;
}

/** The Emscripten module options the glue reads that Chartlock's callers use. */
export interface ChartlockCoreOptions {
  /** Where the .wasm is, given its file name and the glue's directory. */
  locateFile?: (path: string, scriptDirectory: string) => string;
  /** The .wasm's bytes, instead of fetching or reading it. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * Instantiates the .wasm itself: call `receive` with the instance when done,
   * and return `{}` to say it is asynchronous (or the exports when synchronous).
   */
  instantiateWasm?: (
    imports: WebAssembly.Imports,
    receive: (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void,
  ) => WebAssembly.Exports | {} | false;
  print?: (text: string) => void;
  printErr?: (text: string) => void;
  onAbort?: (what: unknown) => void;
}

/** `ChartlockCore(options?)`: resolves with the module once the .wasm runs. */
export type ChartlockCoreFactory = (options?: ChartlockCoreOptions) => Promise<ChartlockCoreModule>;
