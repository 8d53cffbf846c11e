// SPDX-License-Identifier: Apache-2.0
// A demo identity verifier: an OpenID Connect provider shaped like the real
// ones (CLEAR, ID.me, Login.gov at IAL2), so that a real one plugs into the
// widget by configuration alone — as a fetch handler `(Request) =>
// Promise<Response>` over the web platform only: one implementation behind
// two front doors, Node's http (server.mjs) and the static demo's Service
// Worker. `issuer` is the URL it answers under.
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
import { readBody } from '../request-body.mjs';
import { equalStrings, randomToken, sha256Base64url } from '../web-crypto.mjs';
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

const newId = () => randomToken(32);

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

const latin1 = (text) => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const utf8 = (bytes) => new TextDecoder().decode(bytes);
const startsWith = (body, at, bytes) => bytes.every((b, i) => body[at + i] === b);
/** Where `bytes` first occurs in `body` from `from`, or -1. */
function indexOf(body, bytes, from) {
  for (let i = body.indexOf(bytes[0], from); i >= 0 && i + bytes.length <= body.length; i = body.indexOf(bytes[0], i + 1)) {
    if (startsWith(body, i, bytes)) return i;
  }
  return -1;
}

/** Parses a multipart body (bytes): { fields: {name: string}, files: {name: Uint8Array} }, or throws HttpError 400/413. */
export function parseMultipart(body, contentType) {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new HttpError(400, 'invalid_request', 'the form must be multipart/form-data');
  const delimiter = latin1(`--${boundary}`);
  const crlf = latin1('\r\n');
  const dashes = latin1('--');
  const fields = Object.create(null);
  const files = Object.create(null);
  if (!startsWith(body, 0, delimiter)) throw new HttpError(400, 'invalid_request', 'malformed multipart body');
  let at = delimiter.length;
  let parts = 0;
  for (;;) {
    if (startsWith(body, at, dashes)) return { fields, files };  // the closing delimiter
    if (!startsWith(body, at, crlf)) throw new HttpError(400, 'invalid_request', 'malformed multipart body');
    at += 2;
    if (++parts > MAX_PARTS) throw new HttpError(400, 'invalid_request', 'too many form parts');
    const headerEnd = indexOf(body, latin1('\r\n\r\n'), at);
    if (headerEnd < 0 || headerEnd - at > 4096) throw new HttpError(400, 'invalid_request', 'malformed multipart part');
    const headers = utf8(body.subarray(at, headerEnd)).split('\r\n');
    const end = indexOf(body, Uint8Array.from([...crlf, ...delimiter]), headerEnd + 4);
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
      fields[name] = utf8(content);
    }
  }
}

// A request body up to `limit` bytes; a longer one is refused with 413
// once drained (request-body.mjs), up to MAX_DRAIN_BYTES.
const body = (request, limit) => readBody(request, { limit, drainLimit: MAX_DRAIN_BYTES,
  tooLarge: () => new HttpError(413, 'invalid_request', 'the request is too large') });

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

// What the verifier remembers between requests: its signing key (made on
// first use), the checks in progress, codes and tokens (Maps and a CryptoKey,
// which a Service Worker the browser may stop can keep in IndexedDB as they are).
export const newVerifierState = () => ({
  key: /** @type {{ privateKey: CryptoKey, jwk: object } | undefined} */ (undefined),
  pending: new Map(),       // form request id → { q, created }
  codes: new Map(),         // code → { clientId, redirectUri, challenge, nonce, claims, expires }
  accessTokens: new Map(),
});

/**
 * The verifier as a fetch handler. `issuer`: the URL it answers under (an
 * origin, or a path inside one), without a trailing slash. `state`: see newVerifierState.
 * @returns {Promise<{ handle: (request: Request) => Promise<Response>, issuer: string, jwks: { keys: object[] }, name: string }>}
 */
export async function createVerifier({
  issuer, clients, name = 'Demo ID check', tokenTtlSeconds = 600,
  today = () => new Date().toISOString().slice(0, 10), samplePerson = null, state = newVerifierState(),
}) {
  const origin = issuer;  // every URL it names is under it
  const basePath = new URL(issuer).pathname.replace(/\/$/, '');
  state.key ??= await newSigningKey();
  const { key, pending, codes, accessTokens } = state;
  const jwks = { keys: [key.jwk] };

  const redirectOrigins = () => new Set(Object.values(clients).flatMap((c) => c.redirectUris.map((u) => new URL(u).origin)));
  const headers = (type, extra = {}) => ({ 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', ...extra });
  const json = (status, body, extra = {}) => new Response(JSON.stringify(body), { status,
    headers: headers('application/json; charset=utf-8', extra) });
  const html = (status, body) => new Response(body, { status,
    headers: headers('text/html; charset=utf-8', { 'Content-Security-Policy': PAGE_CSP, 'Referrer-Policy': 'no-referrer' }) });
  // An authorization response: always with `iss` (RFC 9207).
  const redirectWith = (uri, params) => {
    const u = new URL(uri);
    for (const [k, v] of Object.entries({ ...params, iss: origin })) u.searchParams.set(k, v);
    return new Response(null, { status: 302, headers: { Location: u.toString(), 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' } });
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

  const formPage = (status, requestId, q, extra = {}) => html(status, identityPage({
    verifier: name, clientId: q.client_id, requestId, demoLinks: demoLinks(), ...extra,
  }));

  async function authorize(request, url) {
    sweep();
    if (request.method === 'GET') {
      const q = Object.fromEntries(url.searchParams);
      try {
        checkAuthorizeRequest(q);
      } catch (e) {
        if (e.redirect === false) return html(400, errorPage(name, e.message));
        return redirectWith(q.redirect_uri, { error: e.error, error_description: e.message, ...(q.state ? { state: q.state } : {}) });
      }
      const id = newId();
      pending.set(id, { q, created: Date.now() });
      return formPage(200, id, q);
    }
    const form = await body(request, MAX_BODY_BYTES);
    const contentType = request.headers.get('content-type') ?? '';
    const { fields, files } = /^application\/x-www-form-urlencoded/i.test(contentType)
      ? (form.length > MAX_FORM_BYTES ? (() => { throw new HttpError(413, 'invalid_request', 'the form is too large'); })()
        : { fields: Object.fromEntries(new URLSearchParams(utf8(form))), files: {} })
      : parseMultipart(form, contentType);
    const requestId = fields.request ?? '';
    const p = pending.get(requestId);
    if (!p) return html(400, errorPage(name, 'This page has expired. Start the identity check again from the app.'));
    const { q } = p;
    if (fields.decision === 'cancel') {
      pending.delete(requestId);
      return redirectWith(q.redirect_uri, { error: 'access_denied', error_description: 'the person cancelled the identity check', state: q.state });
    }
    const { values, error } = typedValues(fields);
    if (error) return formPage(400, requestId, q, { values, error });
    // "Reading" the documents: what a real verifier does with OCR and face matching.
    const id = files.idPhoto ? await readDemoDocument(files.idPhoto) : null;
    const selfie = files.selfie ? await readDemoDocument(files.selfie) : null;
    let fail = null;
    if (id?.kind !== 'id') fail = failure('unreadable-photo', 'id');
    else if (selfie?.kind !== 'selfie') fail = failure('unreadable-photo', 'selfie');
    else if (id.expires < today()) fail = failure('expired-id', { expires: id.expires });
    else if (selfie.face !== id.face) fail = failure('selfie-mismatch');
    else if (foldName(values.given) !== foldName(id.given) || foldName(values.family) !== foldName(id.family)) {
      fail = failure('name-differs', { typed: `${values.given} ${values.family}`, onId: `${id.given} ${id.family}` });
    } else if (values.birthDate !== id.birthDate) fail = failure('birthdate-differs', { typed: values.birthDate, onId: id.birthDate });
    if (fail) return formPage(422, requestId, q, { values, failure: fail });
    pending.delete(requestId);
    const code = newId();
    const claims = claimsOf(values, id);
    codes.set(code, { clientId: q.client_id, redirectUri: q.redirect_uri, challenge: q.code_challenge, nonce: q.nonce,
      claims, expires: Date.now() + CODE_TTL_MS });
    return redirectWith(q.redirect_uri, { code, state: q.state });
  }

  async function token(request) {
    const form = Object.fromEntries(new URLSearchParams(utf8(await body(request, MAX_FORM_BYTES))));
    if (form.grant_type !== 'authorization_code') throw new HttpError(400, 'unsupported_grant_type', 'grant_type must be authorization_code');
    const grant = codes.get(form.code ?? '');
    codes.delete(form.code ?? '');  // one use, even when the exchange fails
    if (!grant || grant.expires < Date.now()) throw new HttpError(400, 'invalid_grant', 'the code is unknown, used or expired');
    if (form.client_id !== grant.clientId) throw new HttpError(400, 'invalid_grant', 'the code was issued to another client');
    if (form.redirect_uri !== grant.redirectUri) throw new HttpError(400, 'invalid_grant', 'redirect_uri does not match');
    if (!VERIFIER.test(form.code_verifier ?? '')) throw new HttpError(400, 'invalid_grant', 'code_verifier is missing or malformed');
    if (!equalStrings(await sha256Base64url(form.code_verifier), grant.challenge)) throw new HttpError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    const iat = Math.floor(Date.now() / 1000);
    const sub = newId();
    const idToken = await signIdToken({
      iss: origin, sub, aud: grant.clientId, nonce: grant.nonce, iat, exp: iat + ID_TOKEN_TTL_SECONDS,
      acr: ACR, ...grant.claims,
    }, key);
    const access = newId();
    accessTokens.set(access, { sub, claims: grant.claims, expires: Date.now() + tokenTtlSeconds * 1000 });
    return json(200, { access_token: access, token_type: 'Bearer', expires_in: tokenTtlSeconds, id_token: idToken });
  }

  // UserInfo (OIDC Core §5.3): the same claims as the id_token, for relying
  // parties that read them there (as Login.gov's and ID.me's do).
  function userinfo(request) {
    const m = /^Bearer ([A-Za-z0-9_-]{20,})$/.exec(request.headers.get('authorization') ?? '');
    const grant = m && accessTokens.get(m[1]);
    if (!grant || grant.expires < Date.now()) {
      return json(401, { error: 'invalid_token' }, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    }
    return json(200, { sub: grant.sub, ...grant.claims });
  }

  function demoDocument(url) {
    const q = Object.fromEntries(url.searchParams);
    const text = (k) => (typeof q[k] === 'string' && q[k].length > 0 && q[k].length <= 200 ? q[k] : null);
    let png;
    let file;
    if (q.kind === 'selfie' && text('face')) { png = demoSelfie({ face: q.face }); file = 'demo-selfie.png'; }
    else if (q.kind === 'unreadable') { png = demoUnreadablePhoto(); file = 'demo-id-unreadable.png'; }
    else if ((q.kind ?? 'id') === 'id' && ['given', 'family', 'face'].every(text) && isDate(q.birthDate ?? '') && isDate(q.expires ?? '')) {
      png = demoIdCard(q); file = 'demo-id.png';
    } else throw new HttpError(400, 'invalid_request', 'kind=id needs given, family, birthDate, expires (YYYY-MM-DD) and face; kind=selfie needs face');
    return new Response(png, { status: 200,
      headers: headers('image/png', { 'Content-Disposition': `attachment; filename="${file}"`, 'Content-Length': String(png.length) }) });
  }

  // CORS: discovery and keys for anyone; token and userinfo for the registered clients' origins.
  function withCors(request, path, response) {
    const requestOrigin = request.headers.get('origin');
    if (path.startsWith('/.well-known/')) response.headers.set('Access-Control-Allow-Origin', '*');
    else if ((path === '/token' || path === '/userinfo') && requestOrigin && redirectOrigins().has(requestOrigin)) {
      response.headers.set('Access-Control-Allow-Origin', requestOrigin);
      response.headers.set('Vary', 'Origin');
    }
    return response;
  }

  async function route(request, url, path) {
    const method = request.method;
    if (method === 'OPTIONS' && (path === '/token' || path === '/userinfo' || path.startsWith('/.well-known/'))) {
      return new Response(null, { status: 204, headers: { 'Access-Control-Allow-Methods': path === '/token' ? 'POST' : 'GET',
        'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept', 'Access-Control-Max-Age': '600', 'Cache-Control': 'no-store' } });
    }
    if (path === '/.well-known/openid-configuration' && method === 'GET') return json(200, discovery());
    if (path === '/.well-known/jwks.json' && method === 'GET') return json(200, jwks, { 'Content-Type': 'application/jwk-set+json' });
    if (path === '/authorize' && (method === 'GET' || method === 'POST')) return authorize(request, url);
    if (path === '/token' && method === 'POST') return token(request);
    if (path === '/userinfo' && method === 'GET') return userinfo(request);
    if (path === '/demo-documents' && method === 'GET') return demoDocument(url);
    if (path === '/' && method === 'GET') return html(200, homePage(name, origin));
    return new Response('not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
  }

  /** @param {Request} request */
  async function handle(request) {
    const url = new URL(request.url);
    const inside = url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
    const path = inside ? url.pathname.slice(basePath.length) || '/' : '';
    let response;
    try {
      response = inside ? await route(request, url, path) : new Response('not found', { status: 404, headers: headers('text/plain; charset=utf-8') });
    } catch (e) {
      if (e instanceof HttpError) {
        response = path === '/authorize'
          ? html(e.status, errorPage(name, e.status === 413 ? 'The photos are too large: each must be 5 MB or smaller.' : e.message, e.status))
          : json(e.status, { error: e.error, error_description: e.message });
      } else {
        // Nothing about the request: it may hold a person's details.
        console.error(`${name}: ${request.method} ${path}: internal error`);
        response = json(500, { error: 'server_error' });
      }
    }
    return withCors(request, path, response);
  }

  return { handle, issuer: origin, jwks, name };
}
