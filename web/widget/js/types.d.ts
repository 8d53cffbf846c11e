// SPDX-License-Identifier: Apache-2.0
// Types shared by the widget's modules (checked by tsc: tsconfig.json; the
// Worker's: tsconfig.worker.json). Types only: nothing here exists at run
// time. What crosses into the core is typed in wasm/chartlock-core.d.ts.
import type {
  BundleSealRequest, Category, ChartlockCoreModule, ConsentCatalogItem, ConsentPreview, DirectoryMatch, DirectorySearch, KeyPair,
  IngestOptions, MatchRelaxation, OwnedBytes, PatientResource, ReceiptContext, RequestSignRequest, Source, ShareRequest, ShareResult as CoreShareResult,
  SummarizeOptions, Summary, SummaryOptions, VaultParams, VaultInfo, RecoveryKeyProblem,
} from '../../../wasm/chartlock-core';

export type { Category, MatchRelaxation, OwnedBytes, PatientResource, ConsentCatalogItem, ConsentPreview, DirectoryMatch, DirectorySearch, KeyPair, Source, Summary, VaultParams, VaultInfo, RecoveryKeyProblem };

/** A tool's manifest (docs/tool-manifest.md), once `checkManifest` accepted it. */
export interface Manifest {
  type: 'chartlock-tool-manifest';
  version: 1;
  name: string;
  /** The tool's website, `scheme://host[:port]`: the origin of the page that sent it; '' for an AI app on this computer. */
  origin: string;
  /** An AI app on the patient's own computer, paired by its code (local-app.js): no website, known by its keys. */
  local?: true;
  purpose: string;
  retention: string;
  /** SMART patient scopes. */
  scopes: string[];
  /** base64url public keys. */
  keys: { x25519: string; ed25519: string };
}

/** The patient's choices on the consent screen (UI state). */
export interface Selection {
  /** Category ids, `patient` among them when the patient shares their name, sex and birth date. */
  categories: Set<string>;
  /** Sensitive category ids turned on. */
  sensitive: Set<string>;
  /** Item keys removed one by one. */
  removed: Set<string>;
  /** `YYYY-MM-DD` or "" (open). */
  from: string;
  /** `YYYY-MM-DD` or "" (open). */
  to: string;
  /** Hide my name and exact dates. */
  hide: boolean;
}

/** A Selection as the vault keeps it (JSON: arrays, not Sets). */
export interface StoredSelection {
  categories: string[];
  sensitive: string[];
  removed: string[];
  from: string;
  to: string;
  hide: boolean;
}

/** A grant: one tool's access to what the patient shares with it (share-flow.js). */
export interface Grant {
  /** 32 hex digits. */
  grantId: string;
  tool: Manifest;
  /** The relay's base URL. */
  relay: string;
  /** The grant's own patient key pair (key files, JSON text). */
  keys: KeyPair;
  /** The last version shared (0: none yet). */
  sequence: number;
  /** Unix seconds. */
  createdAt: number;
  /** Unix seconds. */
  expiresAt: number;
  status: 'active' | 'revoked';
  /** The secret date offset, when the patient hid their name and exact dates. */
  shiftDays?: number;
  /** Whose records the grant shares (a person key, docs/persons.md): never another's (the core checks). */
  person?: string;
  /** That person's name, to tell grants apart in a vault holding several people's records. */
  personName?: string;
  /** Set once shared: the choices of the last version. */
  selection?: StoredSelection;
  /** Set once shared: the record keys of the last version. */
  sharedKeys?: string[];
  /** Set once shared: how many items the last version holds (its records, and the patient's name, sex and birth date as one). */
  sharedItems?: number;
  /** Set once shared: unix seconds. */
  sharedAt?: number;
  /** Set when disconnected: unix seconds. */
  revokedAt?: number;
}

/** A grant that has been shared at least once: every grant the vault holds. */
export interface SharedGrant extends Grant {
  selection: StoredSelection;
  sharedKeys: string[];
  sharedAt: number;
}

/** What `Records.share` returns given a receipt context (wasm/chartlock-core.d.ts). */
export type ShareResult = CoreShareResult;

// ---- the tool's page (tool-channel.js, web/embed/chartlock.js) ----

/** What the widget sends the tool's page: a share handle or an error, never records. */
export type ToolMessage =
  | { type: 'chartlock-share'; relay: string; grantId: string; seq: number; patientKey: string }
  | { type: 'chartlock-disconnect'; grantId: string }
  | { type: 'chartlock-error'; code: string; message: string };

/** The widget's line to the window that opened it. */
export interface ToolChannel {
  /** The tool page's exact origin, once it has introduced itself. */
  origin: string | null;
  send(message: ToolMessage): void;
}

// ---- providers and the vault ----

/** A portal's SMART configuration (`.well-known/smart-configuration`), the fields the widget uses. */
export interface SmartConfiguration {
  issuer?: string;
  authorization_endpoint: string;
  token_endpoint: string;
  code_challenge_methods_supported?: string[];
}

/** The tokens a portal gave, as the vault keeps them. */
export interface Tokens {
  access_token: string;
  refresh_token: string | null;
  /** Epoch milliseconds. */
  expires_at: number | null;
  scope: string;
  /** The patient's FHIR id (SMART launch context). */
  patient: string | null;
}

/** A signed-in portal (smart.js connect). */
export interface Connection {
  fhirBase: string;
  conf: SmartConfiguration;
  tokens: Tokens;
}

/**
 * One FHIR resource as a portal sent it: untyped JSON from outside, of which
 * the widget itself reads only these two fields (the core reads the rest).
 */
export interface FhirResource {
  resourceType: string;
  id: string;
  [field: string]: unknown;
}

/** The collection Bundle the widget keeps per provider. */
export interface FhirBundle {
  resourceType?: 'Bundle';
  type?: 'collection';
  entry: { fullUrl?: string; resource: FhirResource }[];
}

/** A kind of record that could not be fetched (fhir-fetch.js). */
export interface FetchProblem {
  /** A FHIR resource type, or `all`. */
  type: string;
  message: string;
  /** The category code of the narrower search that failed, when only that one did. */
  category?: string;
  /** How many of its records from the last sync were kept. */
  kept?: number;
}

/** A provider the patient connected. */
export interface Provider extends Connection {
  /** Its directory id. */
  id: string;
  name: string;
  bundle: FhirBundle;
  errors: FetchProblem[];
  /** ISO time of the last fetch, or null. */
  fetchedAt: string | null;
  /** ISO time it was connected (absent in vaults from before removal existed). */
  connectedAt?: string;
}

/** The issuers' keys SMART Health Cards are verified with, and whether cards no key verifies are kept (marked). */
export interface CardOptions {
  cardKeys?: { issuer: string; jwks: string }[];
  allowUnverifiedCards?: boolean;
}

/** How the Worker reads the records: whose, and the cards' keys. */
export interface RecordsOpenOptions extends CardOptions {
  person?: string;
}

/** What the core found in a file the patient added (the Worker's fileCheck). */
export interface FileCheck {
  /** The core's source format: bundle, resource, ndjson, and the other formats it reads. */
  format: string;
  /** Resources read (0 when it holds several persons' records: the patient chooses whose at reading). */
  resources: number;
  /** How many people's records it holds (1 unless a family export). */
  persons: number;
  warnings: number;
}

/** A file of records the patient added (added-files.js). */
export interface AddedFile {
  /** Random, never reused: what a removal names. */
  id: string;
  /** Where it came from, in the patient's words: the source's name. */
  name: string;
  fileName: string;
  /** ISO time. */
  addedAt: string;
  size: number;
  check: FileCheck;
  /** The file's bytes, base64. */
  data: string;
  /** Its SMART Health Cards' issuer keys (JWKS text), fetched when it was added. */
  cardKeys?: { issuer: string; jwks: string }[];
  /** The patient kept a card of it that could not be verified: its items say so. */
  unverified?: boolean;
}

/** A SMART Health Link the patient made for a clinician (health-link.js, docs/shl.md). */
export interface HealthLink {
  /** The link id at the relay (base64url of 32 bytes). */
  id: string;
  /** The whole `shlink:/…` text, the file key in it: kept to show the code again. */
  link: string;
  label: string;
  /** ISO time. */
  createdAt: string;
  /** Unix seconds. */
  expiresAt: number;
  /** The passcode the patient chose, shown to them again. */
  passcode?: string;
  /** The link's management secret key file: stops it at the relay. */
  key: string;
  /** ISO time it was stopped. */
  revokedAt?: string;
  /** A long-term link (flag L): the consent JSON its summary is made from, again at each update. */
  consent?: string;
  /** ISO time its file was last replaced. */
  updatedAt?: string;
}

/** A provider or file the patient removed: another window's copy of it stays removed (vault-merge.js). */
export interface Removal {
  /** A provider's id or a file's id. */
  id: string;
  /** ISO time. */
  at: string;
}

/** Vault sync turned on (docs/vault-format.md §11): what the devices keep in place of the recovery key. */
export interface VaultSync {
  /** `SyncIdentity.keys` of the recovery key: secret (reads and replaces the sync copies). */
  keys: string;
  /** The relay's name for this vault's copies (public). */
  syncId: string;
  /** When sync was turned on (ms): a newer turn-off wins over it. */
  since: number;
}

/** A device that syncs this vault, as the devices report themselves; merged by id. */
export interface SyncDevice {
  /** Random, made by the device when it first synced. */
  id: string;
  /** What the patient calls it ("Laptop", "Phone"). */
  name: string;
  /** ISO time of its last sync. */
  lastSync: string;
}

/** Everything the vault holds, sealed (docs/vault-format.md). */
export interface VaultState {
  version: 1;
  /** ISO time. */
  createdAt: string;
  providers: Provider[];
  /** Files of records the patient added. */
  files?: AddedFile[];
  /** What the patient removed, so that a merge does not bring it back. */
  removed?: Removal[];
  /** SMART Health Links made for clinicians. */
  links?: HealthLink[];
  grants: SharedGrant[];
  /** The core's consent receipts (docs/consent.md), as JSON. */
  receipts: object[];
  /** Whose records are read and shared, when the providers hold several persons' (a person key; docs/persons.md). */
  person?: string;
  /** The patient's verified identity (identity.js): for record location only, never shared. */
  identity?: VerifiedIdentity;
  /** When the patient last forgot their verified identity (ms): an older one in another window stays forgotten. */
  identityForgottenAt?: number;
  /** Vault sync, when on. */
  sync?: VaultSync;
  /** When the patient last turned sync off (ms): an older `sync` elsewhere stays off. */
  syncOffAt?: number;
  /** The devices syncing this vault. */
  devices?: SyncDevice[];
  /** Sync under an earlier recovery key (a new one was made): its copies still to delete at the relay (sync-screen.js). Device-local: never in the sync copy (vault-sync.js). */
  retiredSync?: VaultSync[];
  /** The sync id whose last sync on this device found sync turned off on another device (sync-screen.js). Device-local, like `retiredSync`. */
  syncOffElsewhere?: string;
}

// ---- record location (locate.js, docs/record-location.md) ----

/** A portal of the record-location network (its network.json), as the directory lists it. */
export interface NetworkProvider {
  /** Its directory id. */
  id: string;
  name: string;
  city: string;
  state: string;
  fhirBase: string;
}

/** The core's `matchQueries`: the verified details as a $match Patient, and each way to re-ask with one relaxed. */
export interface MatchQueries {
  query: PatientResource;
  relaxations: MatchRelaxation[];
}

/** What asking one provider found. */
export type LocateResult =
  | { provider: NetworkProvider; status: 'found' | 'uncertain' | 'not-found' }
  | { provider: NetworkProvider; status: 'found-relaxed'; field: MatchRelaxation['field']; found: string; advice: string }
  | { provider: NetworkProvider; status: 'error'; message: string };

/** The deployment's config.json. */
export interface WidgetConfig {
  clientId: string;
  /** The SMART scopes asked of portals. */
  scope: string;
  directoryUrl: string;
  relayUrl: string;
  /** Where clinicians open SMART Health Links (docs/shl.md); default: this widget's viewer.html. */
  viewerUrl?: string;
  idleMinutes?: number;
  kdf?: VaultParams;
  /** The record-location network's list of portals (network.json); absent: no automatic location. */
  networkUrl?: string;
  /** The identity verifier (docs/identity-verification.md); absent: no automatic location. */
  verifier?: IdentityVerifierConfig;
}

// ---- the core Worker (core-worker.js), as core.js calls it ----

/**
 * Every method the Worker answers: its arguments after the method name, and
 * what the promise `Core.call` returns resolves with (JSON the core wrote is
 * parsed in the Worker).
 */
/** A vault sealed with a new recovery key, and that key's text (shown once). */
export interface VaultSealedWithKey {
  sealed: OwnedBytes;
  recoveryKey: string;
}

export interface CoreMethods {
  version(): string;
  /** A new version 2 vault; `recoveryKey` is shown once and kept nowhere. */
  vaultCreate(passphrase: string, state: VaultState, params?: VaultParams): VaultSealedWithKey;
  vaultUnlock(passphrase: string, sealed: Uint8Array): VaultState;
  /** Errors: `malformed` (a typo: see recoveryKeyProblem), `no-recovery-key`, `wrong-recovery-key`, the file's own. */
  vaultUnlockWithRecoveryKey(recoveryKey: string, sealed: Uint8Array): VaultState;
  /** Resealed with the keys the Worker holds (no Argon2id); `params` only for keys below the floor. */
  vaultSave(state: VaultState, params?: VaultParams): OwnedBytes;
  /** The vault another window stored, opened with this window's passphrase (or recovery key). */
  vaultReopen(sealed: Uint8Array): VaultState;
  /** The keys the next save uses get `next` as passphrase; `current` must be the one unlocked with (unless the recovery key was). */
  vaultChangePassphrase(current: string, next: string, params?: VaultParams): true;
  /** A new device's vault under the recovery key the patient signed in with (vault sync); the Worker holds its keys. */
  vaultCreateWithRecoveryKey(passphrase: string, recoveryKey: string, state: VaultState, params?: VaultParams): OwnedBytes;
  /** The stored vault sealed anew with a new content key and recovery key. */
  vaultMakeRecoveryKey(passphrase: string, sealed: Uint8Array, params?: VaultParams): VaultSealedWithKey;
  /** Whether `recoveryKey` opens `sealed` (false: another vault's, or none); the held keys are untouched. Errors: `malformed` (a typo), the file's own. */
  vaultRecoveryKeyOpens(recoveryKey: string, sealed: Uint8Array): boolean;
  vaultInfo(sealed: Uint8Array): VaultInfo;
  recoveryKeyProblem(text: string): RecoveryKeyProblem | null;
  vaultLock(): true;
  /** The record (docs/record-schema.md); not typed here: nothing in the widget reads it. */
  ingest(sources: Source[], options?: IngestOptions): unknown;
  summarize(sources: Source[], options?: Omit<SummarizeOptions, 'format'>): Summary;
  summarizeMarkdown(sources: Source[], options?: Omit<SummarizeOptions, 'format'>): string;
  /** How many entries the directory holds. */
  directoryLoad(bytes: Uint8Array): number;
  /** The best `limit` (default 20) providers matching every word of `query`, and how many match in all. */
  directorySearch(query: string, limit?: number): DirectorySearch;
  /** `verified`: a Patient resource (the verified identity). */
  matchQueries(verified: IdentityPatient | PatientResource): MatchQueries;
  /** `person`: whose records, when the providers hold several persons' (a key from a different-persons error). */
  recordsOpen(sources: Source[], options?: RecordsOpenOptions): true;
  recordsSummary(options?: SummaryOptions): Summary;
  /** The consented selection as an International Patient Summary (docs/ips.md). */
  recordsIps(consent: string, options?: import('../../../wasm/chartlock-core').IpsOptions): import('../../../wasm/chartlock-core').IpsResult;
  qrCode(text: string, level?: 'L' | 'M' | 'Q' | 'H'): import('../../../wasm/chartlock-core').QrCode;
  /** What one file holds, read as a source on its own; throws the core's reason when it cannot be read. */
  fileCheck(source: Source, cards?: CardOptions): FileCheck;
  /** The SMART Health Cards in a file: each one's issuer and key id, before anything is verified. */
  cardIssuers(bytes: Uint8Array): import('../../../wasm/chartlock-core').CardIssuer[];
  /** Whose the open records are: a person key ("" when no source holds a Patient). */
  recordsPerson(): string;
  /** The open records' clinical notes, with their text. */
  recordsNotes(): import('../../../wasm/chartlock-core').NotesRecord;
  consentCatalog(): ConsentCatalogItem[];
  consentCategories(scopes: string[]): Category[];
  /** The words for each category and sensitive category, from the core's tables. */
  consentLabels(): ConsentLabels;
  /** `consent`: CONSENT.json text. */
  consentPreview(consent: string): ConsentPreview;
  share(request: ShareRequest & { receipt: ReceiptContext }): ShareResult;
  keysGenerate(): KeyPair;
  keysPublic(secretKeyFile: string): string;
  bundleSeal(request: BundleSealRequest): OwnedBytes;
  requestSign(request: RequestSignRequest): string;
  /** Vault sync (vault-sync.js): the identity of a recovery key's text. Errors: `malformed` with `group`. */
  syncIdentity(recoveryKey: string): import('../../../wasm/chartlock-core').SyncIdentity;
  /** The state sealed as a sync copy under `keys` (VaultSync.keys). */
  syncSealState(keys: string, state: VaultState): OwnedBytes;
  /** A sync copy's state. Errors: `wrong-key`, `tampered`, `truncated`, `not-a-bundle`, `unsupported-version`. */
  syncOpenState(keys: string, copy: Uint8Array): VaultState;
  syncRequestSign(request: import('../../../wasm/chartlock-core').SyncRequestSignRequest): string;
}

export type CoreMethod = keyof CoreMethods;

/** The Worker's implementation of one method: the module, then the call's arguments. */
export type CoreHandlers = {
  [M in CoreMethod]: (core: ChartlockCoreModule, args: Parameters<CoreMethods[M]>) => ReturnType<CoreMethods[M]>;
};

/** The page → Worker message. */
export interface CoreRequest {
  id: number;
  method: string;
  args?: unknown[];
}

/** Worker → page messages: a reply, or an event at start-up. */
export type CoreReply =
  | { id: number; result: unknown; error?: undefined; event?: undefined }
  | { id: number; error: { code: string; message: string; persons?: PersonInfo[] }; event?: undefined }
  | { event: 'core-ready'; readyAt: number }
  | { event: 'core-failed'; code?: string; message: string };

/** What the share flow and the views need of the core: `Core` (core.js) or a test's fake. */
export interface CoreCaller {
  call<M extends CoreMethod>(method: M, ...args: Parameters<CoreMethods[M]>): Promise<ReturnType<CoreMethods[M]>>;
}

/** What the consent screen calls each category ("lab results") and sensitive category ("Mental health"). */
export interface ConsentLabels {
  categories: Record<Category, string>;
  sensitive: Record<string, string>;
}

/** A person the records are about (wasm persons(), a different-persons error). */
export type PersonInfo = import('../../../wasm/chartlock-core').Person;

// ---- Identity verification (identity.js)

/**
 * An identity verifier: an OpenID Connect provider (CLEAR, ID.me, Login.gov at
 * IAL2, the demo verifier). Its discovery is `${issuer}/.well-known/openid-configuration`.
 */
export interface IdentityVerifierConfig {
  /** The verifier's issuer, exactly as its discovery document and id_tokens name it. */
  issuer: string;
  /** The widget's client id registered with the verifier (a public client, PKCE). */
  clientId: string;
  /** What the person is shown: "CLEAR", "Login.gov", "Demo ID check". */
  name: string;
  /** The scopes asked for; default "openid profile email phone address". */
  scope?: string;
  /** `acr_values` to send (e.g. the level of assurance a verifier wants asked for). */
  acrValues?: string;
  /**
   * For a verifier that sends no OIDC4IDA `verified_claims`: the `acr` values
   * that mean the login is identity-proofed; its standard claims are then read as verified.
   */
  verifiedAcr?: string[];
  /**
   * Read the identity claims from the verifier's UserInfo endpoint as well
   * (for verifiers that put them there rather than in the id_token).
   */
  userinfo?: boolean;
}

export type IdentityErrorCode = 'discovery' | 'popup-closed' | 'denied' | 'authorization' | 'mix-up' | 'token' | 'claims';

export interface IdentityName {
  use: 'official' | 'old';
  family: string;
  given: string[];
}

export interface IdentityAddress {
  use: 'home' | 'old';
  line: string[];
  city?: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

/** The verified identity as a FHIR-like Patient the core can read. */
export interface IdentityPatient {
  resourceType: 'Patient';
  /** The verified (official) name first, then other names used ('old', self-asserted). */
  name: IdentityName[];
  birthDate: string;
  gender?: 'male' | 'female' | 'other' | 'unknown';
  /** The home address first, then previous addresses ('old', self-asserted). */
  address: IdentityAddress[];
  telecom: { system: 'phone' | 'email'; value: string }[];
}

/** What a verification gives: kept in the vault only, never part of a share. */
export interface VerifiedIdentity {
  /** The signed id_token: presented only to the providers asked with Patient/$match. */
  idToken: string;
  identity: IdentityPatient;
  /** When the verifier checked the documents (ms since the epoch). */
  verifiedAt: number;
  /** When the id_token stops being accepted (ms since the epoch). */
  expiresAt: number;
  /** The assurance level the verifier states ("ial2"), or the `acr` of a verifiedAcr login. */
  assurance: string;
  /** The verifier's name (its configured `name`). */
  verifier: string;
}
