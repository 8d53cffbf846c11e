// SPDX-License-Identifier: Apache-2.0
// The Node front door of a demo server: a node:http server that hands each
// request to a fetch-style handler `(Request, { loopback }) => Promise<Response>`
// and writes its Response back. The static demo's Service Worker is the other
// front door to the same handlers (demo/static/service-worker.js).
import { createServer } from 'node:http';
import { Readable } from 'node:stream';

const LOOPBACK = ['127.0.0.1', '::1', '::ffff:127.0.0.1'];

/** The web-standard Request for a Node request to `origin`. */
function toRequest(req, origin) {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) {
    if (Array.isArray(v)) for (const item of v) headers.append(k, item);
    else if (v !== undefined) headers.set(k, v);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url, origin), { method: req.method, headers,
    ...(hasBody ? { body: /** @type {any} */ (Readable.toWeb(req)), duplex: 'half' } : {}) });
}

async function writeResponse(res, response) {
  const headers = {};
  for (const [k, v] of response.headers) if (k !== 'set-cookie') headers[k] = v;
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : null;
  res.writeHead(response.status, headers);
  res.end(body);
}

/**
 * Listens on host:port; `handle` is called with each request.
 * @param {(request: Request, info: { loopback: boolean }) => Promise<Response>} handle
 * @param {{ port?: number, host?: string, name?: string }} options
 */
export async function listen(handle, { port = 0, host = '127.0.0.1', name = 'demo server' } = {}) {
  let origin = '';
  const server = createServer(async (req, res) => {
    try {
      await writeResponse(res, await handle(toRequest(req, origin), { loopback: LOOPBACK.includes(req.socket.remoteAddress) }));
    } catch (e) {
      // The handlers answer their own errors; this is a bug. Nothing about the request (it may hold PHI).
      console.error(`${name}: ${req.method} ${new URL(req.url, origin).pathname}: ${e.name}`);
      if (!res.headersSent) { res.writeHead(500, { 'Content-Type': 'text/plain' }); res.end('server error'); }
    }
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  origin = `http://${host.includes(':') ? `[${host}]` : host}:${server.address().port}`;
  return { origin, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}
