// SPDX-License-Identifier: Apache-2.0
// A demo provider portal as a fetch handler `(Request, { loopback }) =>
// Promise<Response>`: one implementation behind two front doors, Node's http
// (server.mjs) and the static demo's Service Worker. It uses the web platform
// only. `base` is the URL the portal answers under: an origin
// (http://127.0.0.1:9101) or a path inside one (…/_demo/portal/riverside).
//
// Discovery (/fhir/.well-known/smart-configuration), an authorize page with a
// login form, a token endpoint that verifies PKCE S256 and rotates refresh
// tokens, and FHIR R4 read and search (patient compartment, _count paging
// with next links, _lastUpdated, category as a token (code or system|code),
// MedicationRequest _include), strict as some US Core 6.1 servers are: an
// Observation search without a category is refused (403 and an
// OperationOutcome); Practitioner, Organization, Location and Medication are
// read by id, not searched. Besides the records, it offers them as a C-CDA
// document ("download my record", ccda.mjs): a DocumentReference → Binary.
// `cacheable` (or POST /_demo/caching {"cacheable": true}) makes its FHIR and
// discovery answers cacheable (Cache-Control: private, max-age=3600 and an
// ETag), as some real portals do, to show that the widget never lets a
// browser cache keep records; it counts the FHIR requests that reach it. `rotateRefreshTokens: false`: a refresh answer carries no new
// refresh token, and the one the client has keeps working.
import { readText } from '../request-body.mjs';
import { fromBase64, randomToken, sha256Base64url } from '../web-crypto.mjs';
import { MatchRefused, checkQueryIsAbout, matchAnswer, readMatchParameters } from './patient-match.mjs';
import { serveRecordAsCcda } from './ccda.mjs';
import { AuthorizationServer, OAuthError, scopeAllows } from './oauth.mjs';
import { errorPage, homePage, loginPage, PAGE_CSP } from './pages.mjs';

const MAX_FORM_BYTES = 16 * 1024;
const DEFAULT_COUNT = 50;
// Search parameters a strict US Core 6.1 server requires (some real portals
// refuse an Observation search without a category): the widget then searches
// per category.
const REQUIRED_SEARCH_PARAMS = { Observation: 'category' };
// Outside the patient's compartment, but read by id when the patient's
// records name them (an author, a place, a drug).
const REFERENCED_TYPES = new Set(['Practitioner', 'PractitionerRole', 'Organization', 'Location', 'Medication']);
const MAX_COUNT = 200;

const readForm = async (request, limit = MAX_FORM_BYTES) => readText(request, { limit,
  tooLarge: () => new OAuthError('invalid_request', 'request body too large', 413) });
const formOf = (text) => Object.fromEntries(new URLSearchParams(text));

// Broken answers a portal may give with a 200 (demo fault injection only).
const searchPage = (next) => JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [],
  link: [{ relation: 'next', url: next }] });
const FAULT_PAGES = {
  malformed: '{"resourceType":"Bundle","type":"searchset","entry":[{"resource":',  // cut off: not JSON
  'not-a-bundle': JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }),  // 200, but no search result
  'foreign-next': searchPage('http://127.0.0.1:9/fhir/next-page'),  // more results "elsewhere": never followed
  'broken-next': searchPage('http://[not-a-url/fhir'),
  // Same host, another tenant's FHIR base (/fhir-other is not under /fhir/): never followed.
  'tenant-next': (base) => searchPage(`${base}/fhir-other/Encounter?patient=someone-else`),
};

// What a portal remembers between requests: the sign-ins in progress and the
// authorization server's codes and tokens (Maps, which a Service Worker the
// browser may stop can keep in IndexedDB as they are).
export const newPortalState = () => ({ pending: new Map(),
  auth: { codes: new Map(), accessTokens: new Map(), refreshTokens: new Map() },
  added: new Map() });  // "Type/id" → a resource added by the demo control, as stored

/**
 * @param {object} o
 * @param {import('./fhir-store.mjs').FhirStore} o.store  the records (notes already served as Binary: notes.mjs)
 * @param {string} o.base  the URL the portal answers under, without a trailing slash
 * @param {string} [o.name]
 * @param {Record<string, { redirectUris: string[] }>} o.clients
 * @param {{ grade: Function, verify: Function }} [o.match]  Patient/$match: the core's matchGrade, and the
 *   bearer id_token → its claims (or throws)
 * @param {object} [o.demographics]  what this portal has on file about the patient, where it differs from the data's
 * @param {ReturnType<typeof newPortalState>} [o.state]  its sign-ins in progress, codes and tokens, and what the demo control added
 * @param {boolean} [o.ccda]  also serve the record as a C-CDA document (a DocumentReference and its Binary)
 */
export function createPortal({
  store, base, name = 'Demo Provider', clients, user = 'patient', password = 'demo', tokenTtlSeconds = 3600,
  allowedOrigins = ['*'], cacheable = false, rotateRefreshTokens = true, demographics, match, state = newPortalState(),
  ccda = true,
}) {
  // What this portal has on file about the patient, where it differs from the
  // data's (an old address, a nickname…: record location's variations).
  if (demographics) Object.assign(store.patient, structuredClone(demographics));
  // "Download my record": the patient's record as a C-CDA document (ccda.mjs).
  if (ccda) serveRecordAsCcda(store, { organization: name });
  // Resources added by the demo control before this portal was made again
  // from its state (the static demo's worker, restarted): after the C-CDA,
  // which is the document of the data as loaded, whenever it is made.
  state.added ??= new Map();
  for (const r of state.added.values()) store.upsert(structuredClone(r), r.meta.lastUpdated);
  const basePath = new URL(base).pathname.replace(/\/$/, '');
  const fhirBase = `${base}/fhir`;
  const auth = new AuthorizationServer({ clients, tokenTtlSeconds, rotateRefreshTokens, state: state.auth });
  const pending = state.pending;  // login form id → authorize request
  const faults = [];          // demo-only: injected failures (see /_demo/faults)
  const mixUp = { issuer: null };  // demo-only: the `iss` its authorization responses name instead of its own (see /_demo/mix-up)
  const caching = { cacheable };  // demo-only: caching headers on FHIR and discovery answers (see /_demo/caching)
  const requestCounts = new Map();  // "/fhir/Type/id?query" → how many GETs reached this portal

  const json = (status, body, type = 'application/json', extra = {}) => new Response(JSON.stringify(body), { status,
    headers: { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store', ...extra } });
  // FHIR and discovery answers: no-store, or (demo option) cacheable for an
  // hour with an ETag, revalidated with If-None-Match.
  const cacheableJson = async (request, status, body, type = 'application/json') => {
    if (!caching.cacheable || status !== 200) return json(status, body, type);
    const text = JSON.stringify(body);
    const etag = `"${(await sha256Base64url(text)).slice(0, 27)}"`;
    const headers = { 'Cache-Control': 'private, max-age=3600', ETag: etag };
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
    return new Response(text, { status: 200, headers: { 'Content-Type': `${type}; charset=utf-8`, ...headers } });
  };
  const html = (status, body) => new Response(body, { status, headers: { 'Content-Type': 'text/html; charset=utf-8',
    'Content-Security-Policy': PAGE_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' } });
  const outcome = (status, code, text, extra = {}) => new Response(
    JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] }),
    { status, headers: { 'Content-Type': 'application/fhir+json; charset=utf-8', ...extra } });
  // An authorization response (success or error): always with `iss` (RFC 9207).
  const redirectWith = (uri, params) => {
    const u = new URL(uri);
    for (const [k, v] of Object.entries({ ...params, iss: mixUp.issuer ?? fhirBase })) u.searchParams.set(k, v);
    return new Response(null, { status: 302, headers: { Location: u.toString(), 'Cache-Control': 'no-store' } });
  };

  // The issuer is the FHIR base (SMART App Launch 2), and every authorization
  // response names it in `iss` (RFC 9207), so that a client can tell which
  // portal answered. Demo fault `mixUpIssuer` (POST /_demo/mix-up): the
  // authorize endpoint names another issuer instead, as a response that was
  // meant for another portal would.
  const smartConfiguration = () => ({
    issuer: fhirBase,
    authorization_response_iss_parameter_supported: true,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['launch/patient', 'offline_access', 'online_access', 'patient/*.rs', 'patient/*.read'],
    capabilities: ['launch-standalone', 'client-public', 'context-standalone-patient', 'permission-patient',
      'permission-v1', 'permission-v2', 'permission-offline'],
  });

  async function authorize(request, url) {
    if (request.method === 'GET') {
      const q = Object.fromEntries(url.searchParams);
      try {
        auth.checkAuthorizeRequest(q, fhirBase);
      } catch (e) {
        if (e.redirect === false) return html(400, errorPage(name, e.message));
        return redirectWith(q.redirect_uri, { error: e.error, error_description: e.message, state: q.state ?? '' });
      }
      const id = randomToken(16);
      pending.set(id, q);
      return html(200, loginPage({ provider: name, requestId: id, clientId: q.client_id,
        scopes: q.scope.split(/\s+/).filter(Boolean), demoUser: user, demoPassword: password }));
    }
    const form = formOf(await readForm(request));
    const q = pending.get(form.request ?? '');
    if (!q) return html(400, errorPage(name, 'This sign-in page has expired. Start again from the app.'));
    if (form.decision === 'deny') {
      pending.delete(form.request);
      return redirectWith(q.redirect_uri, { error: 'access_denied', error_description: 'the patient declined', state: q.state });
    }
    if (form.username !== user || form.password !== password) {
      return html(401, loginPage({ provider: name, requestId: form.request, clientId: q.client_id,
        scopes: q.scope.split(/\s+/).filter(Boolean), demoUser: user, demoPassword: password,
        error: 'That username and password did not match.' }));
    }
    pending.delete(form.request);
    return redirectWith(q.redirect_uri, { code: auth.issueCode(q, store.patient.id), state: q.state });
  }

  async function token(request) {
    return json(200, await auth.token(formOf(await readForm(request))));
  }

  function searchset(type, list, url) {
    const count = Math.min(Math.max(Number(url.searchParams.get('_count') ?? DEFAULT_COUNT) || DEFAULT_COUNT, 1), MAX_COUNT);
    const offset = Math.max(Number(url.searchParams.get('_offset') ?? 0) || 0, 0);
    const page = list.slice(offset, offset + count);
    const self = new URL(url.pathname + url.search, url.origin);
    const link = [{ relation: 'self', url: self.toString() }];
    if (offset + count < list.length) {
      const next = new URL(self);
      next.searchParams.set('_offset', String(offset + count));
      next.searchParams.set('_count', String(count));
      link.push({ relation: 'next', url: next.toString() });
    }
    const entry = page.map((r) => ({ fullUrl: `${fhirBase}/${type}/${r.id}`, resource: r, search: { mode: 'match' } }));
    return { resourceType: 'Bundle', type: 'searchset', total: list.length, link, entry };
  }

  // MedicationRequest?_include=MedicationRequest:medication
  function medicationIncludes(page, url) {
    if (url.searchParams.get('_include') !== 'MedicationRequest:medication') return [];
    const seen = new Map();
    for (const r of page) {
      const ref = r.medicationReference?.reference;
      const m = ref && /^Medication\/(.+)$/.exec(ref);
      const med = m && store.read('Medication', m[1]);
      if (med) seen.set(med.id, med);
    }
    return [...seen.values()];
  }

  // A fault is { path: regex on "/Type?query", times, status: an HTTP status
  // or one of FAULT_PAGES }: the next `times` matching requests get it.
  function applyFault(path) {
    const f = faults.find((x) => new RegExp(x.path).test(path) && x.times > 0);
    if (!f) return null;
    f.times -= 1;
    if (FAULT_PAGES[f.status]) {
      const page = FAULT_PAGES[f.status];
      return new Response(typeof page === 'function' ? page(base) : page, { status: 200,
        headers: { 'Content-Type': 'application/fhir+json' } });
    }
    return outcome(f.status, 'transient', 'injected failure (demo)');
  }

  async function fhir(request, url, route) {
    const path = route.slice('/fhir'.length);
    const key = route + url.search;
    requestCounts.set(key, (requestCounts.get(key) ?? 0) + 1);
    if (path === '/metadata') return cacheableJson(request, 200, capabilityStatement(), 'application/fhir+json');
    let grant;
    try {
      grant = auth.authenticate(request.headers.get('authorization') ?? undefined);
    } catch (e) {
      return outcome(401, 'login', e.message, { 'WWW-Authenticate': `Bearer error="${e.error}"` });
    }
    const fault = applyFault(path + url.search);
    if (fault) return fault;
    const m = /^\/([A-Za-z]+)(?:\/([A-Za-z0-9\-.]{1,64}))?$/.exec(path);
    if (!m) return outcome(404, 'not-found', 'no such FHIR endpoint');
    const [, type, id] = m;
    if (!scopeAllows(grant.scopes, type, id ? 'read' : 'search')) {
      return outcome(403, 'forbidden', `the granted scopes do not allow ${id ? 'reading' : 'searching'} ${type}`);
    }
    if (id) {
      const r = store.read(type, id);
      // A Binary as its own bytes, unless FHIR JSON is what was asked for.
      if (r && type === 'Binary' && !/^\s*application\/fhir\+json/.test(request.headers.get('accept') ?? '')) {
        const bytes = fromBase64(r.data ?? '');
        return new Response(bytes, { status: 200, headers: { 'Content-Type': r.contentType,
          'Content-Length': String(bytes.length), 'Cache-Control': 'no-store' } });
      }
      // One patient per portal login: only their compartment is visible.
      if (!r || (type === 'Patient' && id !== grant.patientId)) return outcome(404, 'not-found', `${type}/${id} is not here`);
      return cacheableJson(request, 200, r, 'application/fhir+json');
    }
    if (REFERENCED_TYPES.has(type)) return outcome(403, 'forbidden', `${type} is read by id here, not searched`);
    const required = REQUIRED_SEARCH_PARAMS[type];
    if (required && !url.searchParams.get(required)) {
      return outcome(403, 'required', `a ${type} search needs the ${required} parameter (US Core), e.g. ${required}=laboratory`);
    }
    const patient = url.searchParams.get('patient') ?? url.searchParams.get('subject') ?? url.searchParams.get('_id');
    if (patient && patient.replace(/^Patient\//, '') !== grant.patientId) {
      return outcome(403, 'forbidden', 'this token is for another patient');
    }
    const lu = url.searchParams.get('_lastUpdated') ?? '';
    const filter = {
      lastUpdatedGt: lu.startsWith('gt') ? lu.slice(2) : undefined,
      lastUpdatedGe: lu.startsWith('ge') ? lu.slice(2) : undefined,
      category: url.searchParams.get('category') ?? undefined,
    };
    const list = store.search(type, filter);
    const result = searchset(type, list, url);
    result.entry.push(...medicationIncludes(result.entry.map((e) => e.resource), url)
      .map((r) => ({ fullUrl: `${fhirBase}/Medication/${r.id}`, resource: r, search: { mode: 'include' } })));
    return cacheableJson(request, 200, result, 'application/fhir+json');
  }

  // POST /fhir/Patient/$match (patient-match.mjs): `match` is { grade: the
  // core's matchGrade, verify: the bearer id_token → its claims, or throws }.
  async function patientMatch(request) {
    if (!match) return outcome(404, 'not-supported', 'this portal does not answer Patient/$match');
    try {
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
      if (!bearer) throw new MatchRefused(401, 'login', 'Patient/$match needs a verified identity as its bearer token');
      let claims;
      try {
        claims = await match.verify(bearer);
      } catch (e) {
        throw new MatchRefused(401, 'login', `the identity presented was not accepted (${e.message})`);
      }
      const matchRequest = readMatchParameters(JSON.parse(await readForm(request)));
      checkQueryIsAbout(matchRequest.query, claims);
      return json(200, matchAnswer(matchRequest, [store.patient], match.grade, fhirBase), 'application/fhir+json');
    } catch (e) {
      if (!(e instanceof MatchRefused)) throw e;
      return outcome(e.status, e.code, e.message, e.status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : {});
    }
  }

  const capabilityStatement = () => ({
    resourceType: 'CapabilityStatement', status: 'active', kind: 'instance', fhirVersion: '4.0.1',
    format: ['json'], date: '2026-01-01',
    rest: [{
      mode: 'server',
      security: {
        service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
        extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: [
          { url: 'authorize', valueUri: `${base}/authorize` }, { url: 'token', valueUri: `${base}/token` }] }],
      },
      resource: [...store.byType.keys()].sort().map((type) => ({ type,
        interaction: [{ code: 'read' }, ...(REFERENCED_TYPES.has(type) ? [] : [{ code: 'search-type' }])],
        ...(REQUIRED_SEARCH_PARAMS[type] ? { searchParam: [{ name: REQUIRED_SEARCH_PARAMS[type], type: 'token',
          documentation: 'required' }] } : {}),
        ...(type === 'Patient' && match ? { operation: [{ name: 'match', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-match' }] } : {}) })),
    }],
  });

  // Demo-only controls, reachable from loopback only: inject failures, add
  // records, turn caching headers on or off, stop rotating refresh tokens,
  // expire the access tokens issued so far.
  async function demoControl(request, route) {
    const body = JSON.parse(await readForm(request, 1 << 20) || '{}');
    if (route === '/_demo/faults') {
      faults.splice(0, faults.length, ...(body.faults ?? []));
      return json(200, { faults });
    }
    if (route === '/_demo/resources') {
      for (const r of body.resources ?? []) {
        store.upsert(r);
        state.added.set(`${r.resourceType}/${r.id}`, structuredClone(r));
      }
      return json(200, { upserted: (body.resources ?? []).length });
    }
    if (route === '/_demo/mix-up') {
      mixUp.issuer = typeof body.issuer === 'string' && body.issuer ? body.issuer : null;
      return json(200, mixUp);
    }
    if (route === '/_demo/caching') {
      caching.cacheable = body.cacheable === true;
      return json(200, caching);
    }
    if (route === '/_demo/tokens') {
      if (typeof body.rotateRefreshTokens === 'boolean') auth.rotateRefreshTokens = body.rotateRefreshTokens;
      if (body.expireAccessTokens === true) auth.expireAccessTokens();
      return json(200, { rotateRefreshTokens: auth.rotateRefreshTokens });
    }
    return json(404, { error: 'not found' });
  }

  // CORS for the origins allowed (the widget's); OPTIONS preflights answered.
  function withCors(request, response) {
    const o = request.headers.get('origin');
    if (!o) return response;
    if (allowedOrigins.includes('*')) response.headers.set('Access-Control-Allow-Origin', '*');
    else if (allowedOrigins.includes(o)) {
      response.headers.set('Access-Control-Allow-Origin', o);
      response.headers.set('Vary', 'Origin');
    }
    return response;
  }

  /** @param {string} route  the path under `base` */
  async function route(request, url, route, loopback) {
    const method = request.method;
    if (method === 'OPTIONS') {
      return new Response(null, { status: 204, headers: { 'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept', 'Access-Control-Max-Age': '600' } });
    }
    if (route === '/fhir/.well-known/smart-configuration' || route === '/.well-known/smart-configuration') {
      return cacheableJson(request, 200, smartConfiguration());
    }
    if (route === '/authorize' && (method === 'GET' || method === 'POST')) return authorize(request, url);
    if (route === '/token' && method === 'POST') return token(request);
    if (route.startsWith('/fhir/') && method === 'GET') return fhir(request, url, route);
    if (route === '/fhir/Patient/$match' && method === 'POST') return patientMatch(request);
    if (route.startsWith('/_demo/') && method === 'POST' && loopback) return demoControl(request, route);
    if (route === '/' && method === 'GET') return html(200, homePage(name, fhirBase));
    return new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });
  }

  /**
   * @param {Request} request
   * @param {{ loopback?: boolean }} [info]  loopback: the request came from this machine (demo controls)
   * @returns {Promise<Response>}
   */
  async function handle(request, { loopback = false } = {}) {
    const url = new URL(request.url);
    const inside = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
    const path = inside ? url.pathname.slice(basePath.length) || '/' : null;
    let response;
    try {
      response = path === null ? new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } })
        : await route(request, url, path, loopback);
    } catch (e) {
      if (e instanceof OAuthError) response = json(e.status, { error: e.error, error_description: e.message });
      else if (e instanceof SyntaxError) response = json(400, { error: 'invalid_request', error_description: 'malformed JSON' });
      else {
        console.error(`${name}: ${e.stack}`);
        response = json(500, { error: 'server_error' });
      }
    }
    return withCors(request, response);
  }

  return {
    handle, base, fhirBase, store, name,
    /** How many GETs of `pathAndQuery` ("/fhir/Patient/123", with its query string) reached this portal. */
    requestCount: (pathAndQuery) => requestCounts.get(pathAndQuery) ?? 0,
    setCacheable: (on) => { caching.cacheable = on; },
  };
}
