// A demo provider portal: a real SMART on FHIR R4 server on loopback.
//
//   node demo/smart-provider/server.mjs --data provider-1.json --port 9101 \
//     --name "Riverside Family Medicine" --client chartlock-widget=http://127.0.0.1:9000/callback.html \
//     [--cacheable yes] [--rotate-refresh-tokens no]
//
// Discovery (/fhir/.well-known/smart-configuration), an authorize page with a
// login form, a token endpoint that verifies PKCE S256 and rotates refresh
// tokens, and FHIR R4 read and search (patient compartment, _count paging
// with next links, _lastUpdated, Observation category, MedicationRequest
// _include). Records come from a generated Bundle or NDJSON file.
// --cacheable (or POST /_demo/caching {"cacheable": true}) makes its FHIR and
// discovery answers cacheable (Cache-Control: private, max-age=3600 and an
// ETag), as some real portals do, to show that the widget never lets a
// browser cache keep records; it counts the FHIR requests that reach it.
// --rotate-refresh-tokens no: a refresh answer carries no new refresh token,
// and the one the client has keeps working.
import { createServer } from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';

import { serveNotesAsBinary } from './notes.mjs';
import { FhirStore } from './fhir-store.mjs';
import { MatchRefused, checkQueryIsAbout, matchAnswer, readMatchParameters } from './patient-match.mjs';
import { AuthorizationServer, OAuthError, scopeAllows } from './oauth.mjs';
import { errorPage, homePage, loginPage, PAGE_CSP } from './pages.mjs';

const MAX_FORM_BYTES = 16 * 1024;
const DEFAULT_COUNT = 50;
const MAX_COUNT = 200;

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) { reject(new OAuthError('invalid_request', 'request body too large', 413)); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

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
  'tenant-next': (origin) => searchPage(`${origin}/fhir-other/Encounter?patient=someone-else`),
};

export async function startProvider({
  data, port = 0, host = '127.0.0.1', name = 'Demo Provider', clients,
  user = 'patient', password = 'demo', tokenTtlSeconds = 3600, allowedOrigins = ['*'], cacheable = false,
  rotateRefreshTokens = true, demographics, match, sensitiveNote = false,
}) {
  const store = new FhirStore({ file: data });
  // Notes as real portals serve them: DocumentReference → Binary (notes.mjs).
  serveNotesAsBinary(store, { sensitiveNote });
  // What this portal has on file about the patient, where it differs from the
  // data's (an old address, a nickname…: record location's variations).
  if (demographics) Object.assign(store.patient, structuredClone(demographics));
  let origin = '';  // set once listening
  const fhirBase = () => `${origin}/fhir`;
  const auth = new AuthorizationServer({ clients, tokenTtlSeconds, rotateRefreshTokens });
  const pending = new Map();  // login form id → authorize request
  const faults = [];          // demo-only: injected failures (see /_demo/faults)
  const mixUp = { issuer: null };  // demo-only: the `iss` its authorization responses name instead of its own (see /_demo/mix-up)
  const caching = { cacheable };  // demo-only: caching headers on FHIR and discovery answers (see /_demo/caching)
  const requestCounts = new Map();  // "/fhir/Type/id?query" → how many GETs reached this server

  const cors = (req, res) => {
    const o = req.headers.origin;
    if (!o) return;
    if (allowedOrigins.includes('*')) res.setHeader('Access-Control-Allow-Origin', '*');
    else if (allowedOrigins.includes(o)) { res.setHeader('Access-Control-Allow-Origin', o); res.setHeader('Vary', 'Origin'); }
  };
  const json = (res, status, body, type = 'application/json') => {
    res.writeHead(status, { 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  // FHIR and discovery answers: no-store, or (demo option) cacheable for an
  // hour with an ETag, revalidated with If-None-Match.
  const cacheableJson = (req, res, status, body, type = 'application/json') => {
    if (!caching.cacheable || status !== 200) return json(res, status, body, type);
    const text = JSON.stringify(body);
    const etag = `"${createHash('sha256').update(text).digest('base64url').slice(0, 27)}"`;
    const headers = { 'Cache-Control': 'private, max-age=3600', ETag: etag };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': `${type}; charset=utf-8`, ...headers });
    res.end(text);
  };
  const html = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': PAGE_CSP,
      'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store' });
    res.end(body);
  };
  const outcome = (res, status, code, text, extra = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/fhir+json; charset=utf-8', ...extra });
    res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics: text }] }));
  };
  // An authorization response (success or error): always with `iss` (RFC 9207).
  const redirectWith = (res, uri, params) => {
    const u = new URL(uri);
    for (const [k, v] of Object.entries({ ...params, iss: mixUp.issuer ?? fhirBase() })) u.searchParams.set(k, v);
    res.writeHead(302, { Location: u.toString(), 'Cache-Control': 'no-store' });
    res.end();
  };

  // The issuer is the FHIR base (SMART App Launch 2), and every authorization
  // response names it in `iss` (RFC 9207), so that a client can tell which
  // portal answered. Demo fault `mixUpIssuer` (POST /_demo/mix-up): the
  // authorize endpoint names another issuer instead, as a response that was
  // meant for another portal would.
  const smartConfiguration = () => ({
    issuer: fhirBase(),
    authorization_response_iss_parameter_supported: true,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    grant_types_supported: ['authorization_code', 'refresh_token'],
    response_types_supported: ['code'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    scopes_supported: ['launch/patient', 'offline_access', 'online_access', 'patient/*.rs', 'patient/*.read'],
    capabilities: ['launch-standalone', 'client-public', 'context-standalone-patient', 'permission-patient',
      'permission-v1', 'permission-v2', 'permission-offline'],
  });

  async function authorize(req, res, url) {
    if (req.method === 'GET') {
      const q = Object.fromEntries(url.searchParams);
      try {
        auth.checkAuthorizeRequest(q, fhirBase());
      } catch (e) {
        if (e.redirect === false) return html(res, 400, errorPage(name, e.message));
        return redirectWith(res, q.redirect_uri, { error: e.error, error_description: e.message, state: q.state ?? '' });
      }
      const id = randomBytes(16).toString('base64url');
      pending.set(id, q);
      return html(res, 200, loginPage({ provider: name, requestId: id, clientId: q.client_id,
        scopes: q.scope.split(/\s+/).filter(Boolean), demoUser: user, demoPassword: password }));
    }
    const form = formOf(await readBody(req, MAX_FORM_BYTES));
    const q = pending.get(form.request ?? '');
    if (!q) return html(res, 400, errorPage(name, 'This sign-in page has expired. Start again from the app.'));
    if (form.decision === 'deny') {
      pending.delete(form.request);
      return redirectWith(res, q.redirect_uri, { error: 'access_denied', error_description: 'the patient declined', state: q.state });
    }
    if (form.username !== user || form.password !== password) {
      return html(res, 401, loginPage({ provider: name, requestId: form.request, clientId: q.client_id,
        scopes: q.scope.split(/\s+/).filter(Boolean), demoUser: user, demoPassword: password,
        error: 'That username and password did not match.' }));
    }
    pending.delete(form.request);
    redirectWith(res, q.redirect_uri, { code: auth.issueCode(q, store.patient.id), state: q.state });
  }

  async function token(req, res) {
    const form = formOf(await readBody(req, MAX_FORM_BYTES));
    json(res, 200, auth.token(form));
  }

  function searchset(type, list, url) {
    const count = Math.min(Math.max(Number(url.searchParams.get('_count') ?? DEFAULT_COUNT) || DEFAULT_COUNT, 1), MAX_COUNT);
    const offset = Math.max(Number(url.searchParams.get('_offset') ?? 0) || 0, 0);
    const page = list.slice(offset, offset + count);
    const self = new URL(url.pathname + url.search, origin);
    const link = [{ relation: 'self', url: self.toString() }];
    if (offset + count < list.length) {
      const next = new URL(self);
      next.searchParams.set('_offset', String(offset + count));
      next.searchParams.set('_count', String(count));
      link.push({ relation: 'next', url: next.toString() });
    }
    const entry = page.map((r) => ({ fullUrl: `${fhirBase()}/${type}/${r.id}`, resource: r, search: { mode: 'match' } }));
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
  function applyFault(res, path) {
    const f = faults.find((x) => new RegExp(x.path).test(path) && x.times > 0);
    if (!f) return false;
    f.times -= 1;
    if (FAULT_PAGES[f.status]) {
      const page = FAULT_PAGES[f.status];
      res.writeHead(200, { 'Content-Type': 'application/fhir+json' });
      res.end(typeof page === 'function' ? page(origin) : page);
    } else {
      outcome(res, f.status, 'transient', 'injected failure (demo)');
    }
    return true;
  }

  function fhir(req, res, url) {
    const path = url.pathname.slice('/fhir'.length);
    const key = url.pathname + url.search;
    requestCounts.set(key, (requestCounts.get(key) ?? 0) + 1);
    if (path === '/metadata') return cacheableJson(req, res, 200, capabilityStatement(), 'application/fhir+json');
    let grant;
    try {
      grant = auth.authenticate(req.headers.authorization);
    } catch (e) {
      return outcome(res, 401, 'login', e.message, { 'WWW-Authenticate': `Bearer error="${e.error}"` });
    }
    if (applyFault(res, path + url.search)) return;
    const m = /^\/([A-Za-z]+)(?:\/([A-Za-z0-9\-.]{1,64}))?$/.exec(path);
    if (!m) return outcome(res, 404, 'not-found', 'no such FHIR endpoint');
    const [, type, id] = m;
    if (!scopeAllows(grant.scopes, type, id ? 'read' : 'search')) {
      return outcome(res, 403, 'forbidden', `the granted scopes do not allow ${id ? 'reading' : 'searching'} ${type}`);
    }
    if (id) {
      const r = store.read(type, id);
      // A Binary as its own bytes, unless FHIR JSON is what was asked for.
      if (r && type === 'Binary' && !/^\s*application\/fhir\+json/.test(req.headers.accept ?? '')) {
        const bytes = Buffer.from(r.data ?? '', 'base64');
        res.writeHead(200, { 'Content-Type': r.contentType, 'Content-Length': bytes.length, 'Cache-Control': 'no-store' });
        return res.end(bytes);
      }
      // One patient per portal login: only their compartment is visible.
      if (!r || (type === 'Patient' && id !== grant.patientId)) return outcome(res, 404, 'not-found', `${type}/${id} is not here`);
      return cacheableJson(req, res, 200, r, 'application/fhir+json');
    }
    const patient = url.searchParams.get('patient') ?? url.searchParams.get('subject') ?? url.searchParams.get('_id');
    if (patient && patient.replace(/^Patient\//, '') !== grant.patientId) {
      return outcome(res, 403, 'forbidden', 'this token is for another patient');
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
      .map((r) => ({ fullUrl: `${fhirBase()}/Medication/${r.id}`, resource: r, search: { mode: 'include' } })));
    cacheableJson(req, res, 200, result, 'application/fhir+json');
  }

  // POST /fhir/Patient/$match (patient-match.mjs): `match` is { grade: the
  // core's matchGrade, verify: the bearer id_token → its claims, or throws }.
  async function patientMatch(req, res) {
    if (!match) return outcome(res, 404, 'not-supported', 'this portal does not answer Patient/$match');
    try {
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer) throw new MatchRefused(401, 'login', 'Patient/$match needs a verified identity as its bearer token');
      let claims;
      try {
        claims = await match.verify(bearer);
      } catch (e) {
        throw new MatchRefused(401, 'login', `the identity presented was not accepted (${e.message})`);
      }
      const request = readMatchParameters(JSON.parse(await readBody(req, MAX_FORM_BYTES)));
      checkQueryIsAbout(request.query, claims);
      json(res, 200, matchAnswer(request, [store.patient], match.grade, fhirBase()), 'application/fhir+json');
    } catch (e) {
      if (!(e instanceof MatchRefused)) throw e;
      outcome(res, e.status, e.code, e.message, e.status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : {});
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
          { url: 'authorize', valueUri: `${origin}/authorize` }, { url: 'token', valueUri: `${origin}/token` }] }],
      },
      resource: [...store.byType.keys()].sort().map((type) => ({ type, interaction: [{ code: 'read' }, { code: 'search-type' }],
        ...(type === 'Patient' && match ? { operation: [{ name: 'match', definition: 'http://hl7.org/fhir/OperationDefinition/Patient-match' }] } : {}) })),
    }],
  });

  // Demo-only controls, reachable from loopback only: inject failures, add
  // records, turn caching headers on or off, stop rotating refresh tokens,
  // expire the access tokens issued so far.
  async function demoControl(req, res, url) {
    const body = JSON.parse(await readBody(req, 1 << 20) || '{}');
    if (url.pathname === '/_demo/faults') {
      faults.splice(0, faults.length, ...(body.faults ?? []));
      return json(res, 200, { faults });
    }
    if (url.pathname === '/_demo/resources') {
      for (const r of body.resources ?? []) store.upsert(r);
      return json(res, 200, { upserted: (body.resources ?? []).length });
    }
    if (url.pathname === '/_demo/mix-up') {
      mixUp.issuer = typeof body.issuer === 'string' && body.issuer ? body.issuer : null;
      return json(res, 200, mixUp);
    }
    if (url.pathname === '/_demo/caching') {
      caching.cacheable = body.cacheable === true;
      return json(res, 200, caching);
    }
    if (url.pathname === '/_demo/tokens') {
      if (typeof body.rotateRefreshTokens === 'boolean') auth.rotateRefreshTokens = body.rotateRefreshTokens;
      if (body.expireAccessTokens === true) auth.expireAccessTokens();
      return json(res, 200, { rotateRefreshTokens: auth.rotateRefreshTokens });
    }
    json(res, 404, { error: 'not found' });
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, origin);
    cors(req, res);
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(204, { 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept',
          'Access-Control-Max-Age': '600' });
        return res.end();
      }
      if (url.pathname === '/fhir/.well-known/smart-configuration' || url.pathname === '/.well-known/smart-configuration') {
        return cacheableJson(req, res, 200, smartConfiguration());
      }
      if (url.pathname === '/authorize' && (req.method === 'GET' || req.method === 'POST')) return await authorize(req, res, url);
      if (url.pathname === '/token' && req.method === 'POST') return await token(req, res);
      if (url.pathname.startsWith('/fhir/') && req.method === 'GET') return fhir(req, res, url);
      if (url.pathname === '/fhir/Patient/$match' && req.method === 'POST') return await patientMatch(req, res);
      if (url.pathname.startsWith('/_demo/') && req.method === 'POST' &&
          ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress)) return await demoControl(req, res, url);
      if (url.pathname === '/' && req.method === 'GET') return html(res, 200, homePage(name, fhirBase()));
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not found');
    } catch (e) {
      if (e instanceof OAuthError) return json(res, e.status, { error: e.error, error_description: e.message });
      if (e instanceof SyntaxError) return json(res, 400, { error: 'invalid_request', error_description: 'malformed JSON' });
      console.error(`${name}: ${e.stack}`);
      if (!res.headersSent) json(res, 500, { error: 'server_error' });
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  origin = `http://${host}:${server.address().port}`;
  return {
    origin, fhirBase: fhirBase(), store, name,
    /** How many GETs of `pathAndQuery` ("/fhir/Patient/123", with its query string) reached this portal. */
    requestCount: (pathAndQuery) => requestCounts.get(pathAndQuery) ?? 0,
    setCacheable: (on) => { caching.cacheable = on; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

function parseArgs(argv) {
  const opts = { clients: {}, allowedOrigins: [] };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--data') opts.data = v;
    else if (k === '--port') opts.port = Number(v);
    else if (k === '--name') opts.name = v;
    else if (k === '--user') opts.user = v;
    else if (k === '--password') opts.password = v;
    else if (k === '--token-ttl') opts.tokenTtlSeconds = Number(v);
    else if (k === '--allowed-origin') opts.allowedOrigins.push(v);
    else if (k === '--cacheable') opts.cacheable = v === 'yes';
    else if (k === '--rotate-refresh-tokens') opts.rotateRefreshTokens = v !== 'no';
    else if (k === '--client') {
      const [id, uri] = v.split('=');
      (opts.clients[id] ??= { redirectUris: [] }).redirectUris.push(uri);
    } else throw new Error(`unknown option ${k}`);
  }
  if (!opts.data) throw new Error('--data FILE is required');
  if (opts.allowedOrigins.length === 0) opts.allowedOrigins = ['*'];
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const p = await startProvider(parseArgs(process.argv.slice(2)));
    console.log(`${p.name}: ${p.fhirBase}`);
    process.on('SIGTERM', () => p.close().then(() => process.exit(0)));
    process.on('SIGINT', () => p.close().then(() => process.exit(0)));
  } catch (e) {
    console.error(`smart-provider: ${e.message}`);
    process.exit(2);
  }
}
