// A demo identity verifier: an OpenID Connect provider on loopback, shaped
// like the real ones (CLEAR, ID.me, Login.gov at IAL2), so that a real one
// plugs into the widget by configuration alone.
//
//   node demo/identity-verifier/server.mjs --port 9300 \
//     --client chartlock-widget=http://127.0.0.1:9000/callback.html \
//     [--name "Demo ID check"] [--sample "Maria|Lopez|1984-03-12"]
//
// OIDC discovery, a JWK Set (one Ed25519 key), an authorize page where the
// person types their details and uploads an ID photo and a selfie, and a
// token endpoint (authorization code + PKCE S256, public clients) whose
// id_token carries OpenID Connect for Identity Assurance `verified_claims`.
// Instead of OCR and face matching it reads demo documents
// (demo-documents.mjs); each real failure (expired ID, unreadable photo,
// selfie mismatch, name or birth date not as on the ID) has its own page.
//
// Privacy: nothing it is sent is logged; images stay in memory for the
// request only; every answer is Cache-Control: no-store.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

import { demoIdCard, demoSelfie, demoUnreadablePhoto, readDemoDocument } from './demo-documents.mjs';
import { newSigningKey, signIdToken } from './id-token.mjs';
import { errorPage, homePage, identityPage, PAGE_CSP } from './pages.mjs';

export const MAX_BODY_BYTES = 12 * 1024 * 1024;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_DRAIN_BYTES = 64 * 1024 * 1024;  // past this an oversize upload is cut off, not read to its end
const MAX_FIELD_BYTES = 1024;
const MAX_PARTS = 40;
const MAX_FORM_BYTES = 16 * 1024;
const CODE_TTL_MS = 60 * 1000;
const REQUEST_TTL_MS = 30 * 60 * 1000;
const MAX_PENDING = 1000;
const ID_TOKEN_TTL_SECONDS = 24 * 60 * 60;
export const ACR = 'urn:chartlock:demo:ial2';
export const TRUST_FRAMEWORK = 'chartlock_demo';
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;

const s256 = (verifier) => createHash('sha256').update(verifier, 'ascii').digest('base64url');
const newId = () => randomBytes(32).toString('base64url');
function equalStrings(a, b) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

class HttpError extends Error {
  constructor(status, error, description) {
    super(description);
    this.status = status;
    this.error = error;
  }
}

// The failures a person can meet, each with a plain message and what to do.
export const FAILURES = {
  'unreadable-photo': (which) => ({
    title: which === 'selfie' ? 'We could not read your selfie' : 'We could not read your ID',
    message: which === 'selfie'
      ? 'We could not see your face clearly in this selfie.'
      : 'We could not read your ID in this photo.',
    todo: which === 'selfie'
      ? 'Take a new selfie in good light, facing the camera, with nothing covering your face.'
      : 'Take a new photo in good light, with the ID flat on a dark surface and all four corners visible.',
  }),
  'expired-id': ({ expires }) => ({
    title: 'Your ID has expired',
    message: `The ID in this photo expired on ${expires}.`,
    todo: 'Use an ID that is still valid: a driver\'s license, a state ID card or a passport.',
  }),
  'selfie-mismatch': () => ({
    title: 'Your selfie does not match your ID',
    message: 'The face in your selfie does not match the photo on your ID.',
    todo: 'Take the selfie yourself, of your own face, and use your own ID.',
  }),
  'name-differs': ({ typed, onId }) => ({
    title: 'Your name does not match your ID',
    message: `You entered "${typed}", but your ID says "${onId}".`,
    todo: 'Enter your name exactly as it is printed on your ID. If your name has changed, add the other name under "Other last names".',
  }),
  'birthdate-differs': ({ typed, onId }) => ({
    title: 'Your date of birth does not match your ID',
    message: `You entered ${typed}, but your ID says ${onId}.`,
    todo: 'Enter your date of birth as it is printed on your ID.',
  }),
};
const failure = (code, detail) => ({ code, ...FAILURES[code](detail) });

// Names compared as a person would: case, accents and extra spaces do not count.
export const foldName = (s) => String(s ?? '').normalize('NFD').replace(/\p{M}/gu, '')
  .toLowerCase().replace(/\s+/g, ' ').trim();

// ---- multipart/form-data (RFC 7578), read into memory and never written anywhere.

function boundaryOf(contentType) {
  const m = /^multipart\/form-data\s*;(?:.*;)?\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType ?? '');
  return m ? (m[1] ?? m[2]) : null;
}

/** Parses a multipart body: { fields: {name: string}, files: {name: Buffer} }, or throws HttpError 400/413. */
export function parseMultipart(body, contentType) {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new HttpError(400, 'invalid_request', 'the form must be multipart/form-data');
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const fields = Object.create(null);
  const files = Object.create(null);
  if (!body.subarray(0, delimiter.length).equals(delimiter)) throw new HttpError(400, 'invalid_request', 'malformed multipart body');
  let at = delimiter.length;
  let parts = 0;
  for (;;) {
    if (body.subarray(at, at + 2).toString('latin1') === '--') return { fields, files };  // the closing delimiter
    if (body.subarray(at, at + 2).toString('latin1') !== '\r\n') throw new HttpError(400, 'invalid_request', 'malformed multipart body');
    at += 2;
    if (++parts > MAX_PARTS) throw new HttpError(400, 'invalid_request', 'too many form parts');
    const headerEnd = body.indexOf('\r\n\r\n', at, 'latin1');
    if (headerEnd < 0 || headerEnd - at > 4096) throw new HttpError(400, 'invalid_request', 'malformed multipart part');
    const headers = body.toString('utf8', at, headerEnd).split('\r\n');
    const end = body.indexOf(Buffer.concat([Buffer.from('\r\n', 'latin1'), delimiter]), headerEnd + 4);
    if (end < 0) throw new HttpError(400, 'invalid_request', 'the form is cut off');
    const content = body.subarray(headerEnd + 4, end);
    at = end + 2 + delimiter.length;
    const disposition = headers.find((h) => /^content-disposition:/i.test(h)) ?? '';
    const name = /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
    if (!name) throw new HttpError(400, 'invalid_request', 'a form part has no name');
    if (/;\s*filename=/i.test(disposition)) {
      if (content.length > MAX_IMAGE_BYTES) throw new HttpError(413, 'invalid_request', 'each photo must be 5 MB or smaller');
      if (content.length > 0) files[name] = content;
    } else {
      if (content.length > MAX_FIELD_BYTES) throw new HttpError(400, 'invalid_request', `the field ${name} is too long`);
      fields[name] = content.toString('utf8');
    }
  }
}

// Reads a request body up to `limit` bytes. A longer one is drained (up to
// MAX_DRAIN_BYTES, then the connection is cut) and refused with 413, so that
// the client reads the refusal rather than a reset.
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    let size = 0;
    let over = declared > limit;
    const chunks = [];
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) over = true;
      if (over) {
        chunks.length = 0;
        if (size > MAX_DRAIN_BYTES) req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => (over ? reject(new HttpError(413, 'invalid_request', 'the request is too large')) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

const TEXT_FIELDS = ['given', 'family', 'otherFamily', 'birthDate', 'sex', 'street', 'city', 'state', 'zip',
  'prevStreet', 'prevCity', 'prevState', 'prevZip', 'phone', 'email'];
const REQUIRED = { given: 'first name', family: 'last name', birthDate: 'date of birth', street: 'street address',
  city: 'city', state: 'state', zip: 'ZIP code', phone: 'phone', email: 'email' };
const isDate = (s) => {
  const d = new Date(`${s}T00:00:00Z`);
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};
const tidy = (s) => String(s ?? '').replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim();

// What was typed, tidied; or a message naming what is missing or malformed.
function typedValues(fields) {
  const values = {};
  for (const k of TEXT_FIELDS) values[k] = tidy(fields[k]);
  const missing = Object.entries(REQUIRED).filter(([k]) => !values[k]).map(([, label]) => label);
  if (missing.length) return { values, error: `Please fill in: ${missing.join(', ')}.` };
  if (!isDate(values.birthDate)) return { values, error: 'Please enter your date of birth as a date (YYYY-MM-DD).' };
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) return { values, error: 'Please enter a valid email address.' };
  if ((values.phone.match(/\d/g) ?? []).length < 7) return { values, error: 'Please enter a phone number with its area code.' };
  if (!['', 'female', 'male', 'other'].includes(values.sex)) values.sex = '';
  return { values };
}

const address = (v, prefix = '') => {
  const k = (name) => (prefix ? `${prefix}${name[0].toUpperCase()}${name.slice(1)}` : name);
  return { street_address: v[k('street')], locality: v[k('city')], region: v[k('state')].toUpperCase(), postal_code: v[k('zip')], country: 'US' };
};

// The claims of a successful check: the name and birth date as the ID shows
// them; the rest as the person typed it. Other names and previous addresses
// are self-asserted, outside verified_claims.
function claimsOf(values, id) {
  const claims = {
    given_name: id.given, family_name: id.family, birthdate: id.birthDate,
    ...(values.sex ? { gender: values.sex } : {}),
    address: address(values), phone_number: values.phone, email: values.email,
  };
  const extras = {};
  const others = values.otherFamily.split(',').map(tidy).filter(Boolean).slice(0, 5);
  if (others.length) extras.chartlock_other_names = others.map((family_name) => ({ family_name, given_name: id.given }));
  if (values.prevStreet && values.prevCity && values.prevState && values.prevZip) extras.chartlock_previous_addresses = [address(values, 'prev')];
  return {
    verified_claims: {
      verification: {
        trust_framework: TRUST_FRAMEWORK, assurance_level: 'ial2', time: new Date().toISOString(),
        evidence: [{ type: 'document', document_details: { type: 'driving_permit', date_of_expiry: id.expires } }],
      },
      claims,
    },
    ...extras,
  };
}

export async function startVerifier({
  port = 0, host = '127.0.0.1', clients, name = 'Demo ID check', tokenTtlSeconds = 600,
  today = () => new Date().toISOString().slice(0, 10), samplePerson = null,
}) {
  let origin = '';  // set once listening; it is the issuer
  const key = newSigningKey();
  const jwks = { keys: [key.jwk] };
  const pending = new Map();  // form request id → { q, created }
  const codes = new Map();    // code → { clientId, redirectUri, challenge, nonce, claims, expires }
  const accessTokens = new Map();

  const redirectOrigins = () => new Set(Object.values(clients).flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)));
  const headers = (type, extra = {}) => ({ 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  const json = (res, status, body, extra = {}) => {
    res.writeHead(status, headers('application/json; charset=utf-8', extra));
    res.end(JSON.stringify(body));
  };
  const html = (res, status, body) => {
    res.writeHead(status, headers('text/html; charset=utf-8', { 'Content-Security-Policy': PAGE_CSP, 'Referrer-Policy': 'no-referrer' }));
    res.end(body);
  };
  // An authorization response: always with `iss` (RFC 9207).
  const redirectWith = (res, uri, params) => {
    const u = new URL(uri);
    for (const [k, v] of Object.entries({ ...params, iss: origin })) u.searchParams.set(k, v);
    res.writeHead(302, { Location: u.toString(), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    res.end();
  };

  const discovery = () => ({
    issuer: origin,
    authorization_endpoint: `${origin}/authorize`,
    token_endpoint: `${origin}/token`,
    userinfo_endpoint: `${origin}/userinfo`,
    jwks_uri: `${origin}/.well-known/jwks.json`,
    scopes_supported: ['openid', 'profile', 'email', 'phone', 'address'],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['EdDSA'],
    token_endpoint_auth_methods_supported: ['none'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    acr_values_supported: [ACR],
    claims_parameter_supported: false,
    claims_supported: ['sub', 'iss', 'aud', 'nonce', 'acr', 'given_name', 'family_name', 'birthdate', 'gender', 'address',
      'phone_number', 'email', 'verified_claims', 'chartlock_other_names', 'chartlock_previous_addresses'],
    // OpenID Connect for Identity Assurance 1.0
    verified_claims_supported: true,
    trust_frameworks_supported: [TRUST_FRAMEWORK],
    evidence_supported: ['document'],
    documents_supported: ['driving_permit', 'idcard'],
    claims_in_verified_claims_supported: ['given_name', 'family_name', 'birthdate', 'gender', 'address', 'phone_number', 'email'],
    service_documentation: 'docs/identity-verification.md',
  });

  // Checks an authorization request. Errors a client must not be redirected
  // to (unknown client, unregistered redirect_uri) carry redirect: false.
  function checkAuthorizeRequest(q) {
    const client = Object.hasOwn(clients, q.client_id ?? '') ? clients[q.client_id] : null;
    if (!client) throw Object.assign(new HttpError(400, 'invalid_client', 'This app is not registered with this verifier.'), { redirect: false });
    if (!client.redirectUris.includes(q.redirect_uri)) {
      throw Object.assign(new HttpError(400, 'invalid_request', 'This app\'s return address is not registered with this verifier.'), { redirect: false });
    }
    if (q.response_type !== 'code') throw new HttpError(400, 'unsupported_response_type', 'response_type must be code');
    if (!(q.scope ?? '').split(/\s+/).includes('openid')) throw new HttpError(400, 'invalid_scope', 'scope must include openid');
    if (!q.state) throw new HttpError(400, 'invalid_request', 'state is required');
    if (!q.nonce) throw new HttpError(400, 'invalid_request', 'nonce is required');
    if (q.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(q.code_challenge ?? '')) {
      throw new HttpError(400, 'invalid_request', 'PKCE with code_challenge_method=S256 is required');
    }
  }

  function sweep() {
    const now = Date.now();
    for (const [id, p] of pending) if (now - p.created > REQUEST_TTL_MS) pending.delete(id);
    for (const [c, g] of codes) if (g.expires < now) codes.delete(c);
    for (const [t, g] of accessTokens) if (g.expires < now) accessTokens.delete(t);
    while (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value);
  }

  // Ready-made demo documents for the sample person (demo only).
  function demoLinks() {
    if (!samplePerson) return null;
    const { given, family, birthDate } = samplePerson;
    const face = samplePerson.face ?? 'sample-person';
    const link = (params) => `${origin}/demo-documents?${new URLSearchParams(params)}`;
    const id = (expires) => ({ kind: 'id', given, family, birthDate, expires, face });
    const future = `${Number(today().slice(0, 4)) + 5}${today().slice(4)}`.replace(/-02-29$/, '-02-28');
    return {
      person: `${given} ${family}, born ${birthDate}`,
      links: [
        { label: 'A valid ID card', file: 'demo-id-valid.png', href: link(id(future)) },
        { label: 'An expired ID card', file: 'demo-id-expired.png', href: link(id('2021-06-30')) },
        { label: 'An unreadable photo of an ID', file: 'demo-id-unreadable.png', href: link({ kind: 'unreadable' }) },
        { label: 'A matching selfie', file: 'demo-selfie.png', href: link({ kind: 'selfie', face }) },
        { label: 'Someone else\'s selfie', file: 'demo-selfie-someone-else.png', href: link({ kind: 'selfie', face: 'someone-else' }) },
      ],
    };
  }

  const formPage = (res, status, requestId, q, extra = {}) => html(res, status, identityPage({
    verifier: name, clientId: q.client_id, requestId, demoLinks: demoLinks(), ...extra,
  }));

  async function authorize(req, res, url) {
    sweep();
    if (req.method === 'GET') {
      const q = Object.fromEntries(url.searchParams);
      try {
        checkAuthorizeRequest(q);
      } catch (e) {
        if (e.redirect === false) return html(res, 400, errorPage(name, e.message));
        return redirectWith(res, q.redirect_uri, { error: e.error, error_description: e.message, ...(q.state ? { state: q.state } : {}) });
      }
      const id = newId();
      pending.set(id, { q, created: Date.now() });
      return formPage(res, 200, id, q);
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    const contentType = req.headers['content-type'] ?? '';
    const { fields, files } = /^application\/x-www-form-urlencoded/i.test(contentType)
      ? (body.length > MAX_FORM_BYTES ? (() => { throw new HttpError(413, 'invalid_request', 'the form is too large'); })()
        : { fields: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: {} })
      : parseMultipart(body, contentType);
    const requestId = fields.request ?? '';
    const p = pending.get(requestId);
    if (!p) return html(res, 400, errorPage(name, 'This page has expired. Start the identity check again from the app.'));
    const { q } = p;
    if (fields.decision === 'cancel') {
      pending.delete(requestId);
      return redirectWith(res, q.redirect_uri, { error: 'access_denied', error_description: 'the person cancelled the identity check', state: q.state });
    }
    const { values, error } = typedValues(fields);
    if (error) return formPage(res, 400, requestId, q, { values, error });
    // "Reading" the documents: what a real verifier does with OCR and face matching.
    const id = files.idPhoto ? readDemoDocument(files.idPhoto) : null;
    const selfie = files.selfie ? readDemoDocument(files.selfie) : null;
    let fail = null;
    if (id?.kind !== 'id') fail = failure('unreadable-photo', 'id');
    else if (selfie?.kind !== 'selfie') fail = failure('unreadable-photo', 'selfie');
    else if (id.expires < today()) fail = failure('expired-id', { expires: id.expires });
    else if (selfie.face !== id.face) fail = failure('selfie-mismatch');
    else if (foldName(values.given) !== foldName(id.given) || foldName(values.family) !== foldName(id.family)) {
      fail = failure('name-differs', { typed: `${values.given} ${values.family}`, onId: `${id.given} ${id.family}` });
    } else if (values.birthDate !== id.birthDate) fail = failure('birthdate-differs', { typed: values.birthDate, onId: id.birthDate });
    if (fail) return formPage(res, 422, requestId, q, { values, failure: fail });
    pending.delete(requestId);
    const code = newId();
    const claims = claimsOf(values, id);
    codes.set(code, { clientId: q.client_id, redirectUri: q.redirect_uri, challenge: q.code_challenge, nonce: q.nonce,
      claims, expires: Date.now() + CODE_TTL_MS });
    redirectWith(res, q.redirect_uri, { code, state: q.state });
  }

  async function token(req, res) {
    const body = await readBody(req, MAX_FORM_BYTES);
    const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
    if (form.grant_type !== 'authorization_code') throw new HttpError(400, 'unsupported_grant_type', 'grant_type must be authorization_code');
    const grant = codes.get(form.code ?? '');
    codes.delete(form.code ?? '');  // one use, even when the exchange fails
    if (!grant || grant.expires < Date.now()) throw new HttpError(400, 'invalid_grant', 'the code is unknown, used or expired');
    if (form.client_id !== grant.clientId) throw new HttpError(400, 'invalid_grant', 'the code was issued to another client');
    if (form.redirect_uri !== grant.redirectUri) throw new HttpError(400, 'invalid_grant', 'redirect_uri does not match');
    if (!VERIFIER.test(form.code_verifier ?? '')) throw new HttpError(400, 'invalid_grant', 'code_verifier is missing or malformed');
    if (!equalStrings(s256(form.code_verifier), grant.challenge)) throw new HttpError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    const iat = Math.floor(Date.now() / 1000);
    const sub = newId();
    const idToken = signIdToken({
      iss: origin, sub, aud: grant.clientId, nonce: grant.nonce, iat, exp: iat + ID_TOKEN_TTL_SECONDS,
      acr: ACR, ...grant.claims,
    }, key);
    const access = newId();
    accessTokens.set(access, { sub, claims: grant.claims, expires: Date.now() + tokenTtlSeconds * 1000 });
    json(res, 200, { access_token: access, token_type: 'Bearer', expires_in: tokenTtlSeconds, id_token: idToken });
  }

  // UserInfo (OIDC Core §5.3): the same claims as the id_token, for relying
  // parties that read them there (as Login.gov's and ID.me's do).
  function userinfo(req, res) {
    const m = /^Bearer ([A-Za-z0-9_-]{20,})$/.exec(req.headers.authorization ?? '');
    const grant = m && accessTokens.get(m[1]);
    if (!grant || grant.expires < Date.now()) {
      return json(res, 401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    json(res, 200, { sub: grant.sub, ...grant.claims });
  }

  function demoDocument(res, url) {
    const q = Object.fromEntries(url.searchParams);
    const text = (k) => (typeof q[k] === 'string' && q[k].length > 0 && q[k].length <= 200 ? q[k] : null);
    let png;
    let file;
    if (q.kind === 'selfie' && text('face')) { png = demoSelfie({ face: q.face }); file = 'demo-selfie.png'; }
    else if (q.kind === 'unreadable') { png = demoUnreadablePhoto(); file = 'demo-id-unreadable.png'; }
    else if ((q.kind ?? 'id') === 'id' && ['given', 'family', 'face'].every(text) && isDate(q.birthDate ?? '') && isDate(q.expires ?? '')) {
      png = demoIdCard(q); file = 'demo-id.png';
    } else throw new HttpError(400, 'invalid_request', 'kind=id needs given, family, birthDate, expires (YYYY-MM-DD) and face; kind=selfie needs face');
    res.writeHead(200, headers('image/png', { 'Content-Disposition': `attachment; filename="${file}"`, 'Content-Length': png.length }));
    res.end(png);
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url, origin);
    const path = url.pathname;
    const requestOrigin = req.headers.origin;
    // CORS: discovery and keys for anyone; token and userinfo for the registered clients' origins.
    if (path.startsWith('/.well-known/')) res.setHeader('Access-Control-Allow-Origin', '*');
    else if ((path === '/token' || path === '/userinfo') && requestOrigin && redirectOrigins().has(requestOrigin)) {
      res.setHeader('Access-Control-Allow-Origin', requestOrigin);
      res.setHeader('Vary', 'Origin');
    }
    try {
      if (req.method === 'OPTIONS' && (path === '/token' || path === '/userinfo' || path.startsWith('/.well-known/'))) {
        res.writeHead(204, { 'Access-Control-Allow-Methods': path === '/token' ? 'POST' : 'GET',
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept', 'Access-Control-Max-Age': '600', 'Cache-Control': 'no-store' });
        return res.end();
      }
      if (path === '/.well-known/openid-configuration' && req.method === 'GET') return json(res, 200, discovery());
      if (path === '/.well-known/jwks.json' && req.method === 'GET') return json(res, 200, jwks, { 'Content-Type': 'application/jwk-set+json' });
      if (path === '/authorize' && (req.method === 'GET' || req.method === 'POST')) return await authorize(req, res, url);
      if (path === '/token' && req.method === 'POST') return await token(req, res);
      if (path === '/userinfo' && req.method === 'GET') return userinfo(req, res);
      if (path === '/demo-documents' && req.method === 'GET') return demoDocument(res, url);
      if (path === '/' && req.method === 'GET') return html(res, 200, homePage(name, origin));
      res.writeHead(404, headers('text/plain; charset=utf-8'));
      res.end('not found');
    } catch (e) {
      if (res.headersSent) return;
      if (e instanceof HttpError) {
        if (path === '/authorize') return html(res, e.status, errorPage(name, e.status === 413 ? 'The photos are too large: each must be 5 MB or smaller.' : e.message, e.status));
        return json(res, e.status, { error: e.error, error_description: e.message });
      }
      // Nothing about the request: it may hold a person's details.
      console.error(`${name}: ${req.method} ${path}: internal error`);
      json(res, 500, { error: 'server_error' });
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${server.address().port}`;
  return {
    origin, issuer: origin, jwks, name,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

function parseArgs(argv) {
  const opts = { clients: {} };
  for (let i = 0; i < argv.length; i += 2) {
    const [k, v] = [argv[i], argv[i + 1]];
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--port') opts.port = Number(v);
    else if (k === '--host') opts.host = v;
    else if (k === '--name') opts.name = v;
    else if (k === '--token-ttl') opts.tokenTtlSeconds = Number(v);
    else if (k === '--sample') {
      const [given, family, birthDate] = v.split('|');
      opts.samplePerson = { given, family, birthDate };
    } else if (k === '--client') {
      const at = v.indexOf('=');
      if (at <= 0) throw new Error('--client needs id=redirectUri');
      (opts.clients[v.slice(0, at)] ??= { redirectUris: [] }).redirectUris.push(v.slice(at + 1));
    } else throw new Error(`unknown option ${k}`);
  }
  if (Object.keys(opts.clients).length === 0) throw new Error('at least one --client id=redirectUri is required');
  return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const v = await startVerifier(parseArgs(process.argv.slice(2)));
    console.log(`${v.name}: ${v.issuer}`);
    process.on('SIGTERM', () => v.close().then(() => process.exit(0)));
    process.on('SIGINT', () => v.close().then(() => process.exit(0)));
  } catch (e) {
    console.error(`identity-verifier: ${e.message}`);
    process.exit(2);
  }
}
