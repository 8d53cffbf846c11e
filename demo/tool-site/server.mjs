// SPDX-License-Identifier: Apache-2.0
// The demo AI tool: a website on its own origin that embeds the Chartlock
// widget, and a backend that fetches and opens what the patient shared with
// the tool SDK (@chartlock/tool) — and shows exactly what it received.
//
// Integrators copy demos, so this one does what a real backend must: each
// visitor gets a session (a random id in an HttpOnly, SameSite=Strict
// cookie) and sees only the shares handed to it; state-changing requests must
// come from the tool's own page (Origin checked, JSON only); and every fetch
// passes the highest version seen so far (`minSequence`), so a relay serving
// an older version of a share is refused, not believed.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createTool } from '../../tool/index.mjs';
import { toolManifest } from './manifest.mjs';
import { describeShare } from './received.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAX_BODY = 16 * 1024;

const SESSION_COOKIE = 'tool_session';
const MAX_SESSIONS = 10_000;

/** `tool`: the SDK (tests: a fake with fetchShare). */
export async function startToolSite({ port = 0, host = '127.0.0.1', widgetOrigin, embedIntegrity, keys, relays, wasm, tool: given }) {
  const tool = given ?? await createTool({ keyFile: keys.secret, relays, wasm });
  const pub = JSON.parse(keys.public);
  const sessions = new Map();  // session id → Map(grantId → what the backend holds for that visitor)
  let origin = '';
  const manifest = () => toolManifest({ origin, keys: pub });

  const describe = (shares, grantId) => {
    const s = shares.get(grantId);
    if (!s.share) return { grantId, relay: s.handle.relay, error: s.error };
    return { grantId, relay: s.handle.relay, error: s.error ?? null, ...describeShare(s.share) };
  };

  async function fetchInto(shares, grantId) {
    const s = shares.get(grantId);
    try {
      // Never a version older than one already seen (a rolled-back or replayed relay).
      s.share = await tool.fetchShare({ ...s.handle, ...(s.highest ? { minSequence: s.highest } : {}) });
      s.highest = Math.max(s.highest ?? 0, s.share.header.sequence);
      s.error = null;
    } catch (e) {
      s.error = { code: e.code, status: e.status, message: e.message };
    }
    return describe(shares, grantId);
  }

  const cookieSession = (req) => {
    const m = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([A-Za-z0-9_-]{43})(?:;|$)`).exec(req.headers.cookie ?? '');
    return m && sessions.has(m[1]) ? m[1] : null;
  };
  // A new visitor: a session of their own (the oldest is dropped when there are too many).
  const newSession = (res) => {
    const id = randomBytes(32).toString('base64url');
    if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value);
    sessions.set(id, new Map());
    res.setHeader('Set-Cookie', `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict`);
    return id;
  };

  const json = (res, status, body) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const readJson = (req) => new Promise((resolve, reject) => {
    let size = 0;
    const chunks = [];
    req.on('data', (c) => { size += c.length; if (size > MAX_BODY) req.destroy(); else chunks.push(c); });
    req.on('end', () => { try { resolve(JSON.parse(Buffer.concat(chunks).toString() || '{}')); } catch (e) { reject(e); } });
    req.on('error', reject);
  });

  const page = readFileSync(path.join(here, 'index.html'), 'utf8');
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, origin);
    const csp = `default-src 'none'; script-src 'self' ${widgetOrigin}; connect-src 'self'; style-src 'self'; base-uri 'none'; frame-ancestors 'none'`;
    try {
      if (req.method === 'GET' && url.pathname === '/') {
        if (!cookieSession(req)) newSession(res);
        res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp });
        return res.end(page.replace('{{EMBED}}', `${widgetOrigin}/embed/chartlock.js`).replace('{{EMBED_INTEGRITY}}', embedIntegrity));
      }
      if (req.method === 'GET' && ['/app.js', '/render.js', '/style.css'].includes(url.pathname)) {
        res.writeHead(200, { 'Content-Type': url.pathname.endsWith('.js') ? 'text/javascript' : 'text/css', 'Content-Security-Policy': csp });
        return res.end(readFileSync(path.join(here, url.pathname.slice(1))));
      }
      if (req.method === 'GET' && url.pathname === '/manifest.json') return json(res, 200, manifest());
      if (url.pathname.startsWith('/api/')) {
        const session = cookieSession(req);
        if (!session) return json(res, 401, { error: 'no-session', message: 'open the tool\'s page first' });
        // Only the tool's own page may change anything (with SameSite=Strict, a second line).
        if (req.method !== 'GET' && (req.headers.origin !== origin || !/^application\/json\b/.test(req.headers['content-type'] ?? ''))) {
          return json(res, 403, { error: 'cross-origin', message: 'not from the tool\'s own page' });
        }
        const shares = sessions.get(session);
        if (req.method === 'GET' && url.pathname === '/api/shares') return json(res, 200, [...shares.keys()].map((g) => describe(shares, g)));
        if (req.method === 'POST' && url.pathname === '/api/shares') {
          const h = await readJson(req);
          // Only fetch from relays this deployment trusts: the handle comes from a browser.
          if (!relays.includes(h.relay)) return json(res, 400, { error: 'unknown-relay', message: 'that relay is not one this tool uses' });
          if (typeof h.grantId !== 'string' || !/^[0-9a-f]{32}$/.test(h.grantId)) return json(res, 400, { error: 'bad-grant' });
          const known = shares.get(h.grantId);
          shares.set(h.grantId, { handle: { relay: h.relay, grantId: h.grantId, patientKey: h.patientKey }, highest: known?.highest });
          return json(res, 200, await fetchInto(shares, h.grantId));
        }
        const refresh = /^\/api\/shares\/([0-9a-f]{32})\/refresh$/.exec(url.pathname);
        if (req.method === 'POST' && refresh && shares.has(refresh[1])) return json(res, 200, await fetchInto(shares, refresh[1]));
      }
      json(res, 404, { error: 'not-found' });
    } catch (e) {
      json(res, 400, { error: 'bad-request', message: e.message });
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  origin = `http://${host}:${server.address().port}`;
  return { origin, manifest, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}
