// SPDX-License-Identifier: Apache-2.0
// Serves the built widget (web/dist/widget) on its own origin with the
// headers it relies on (widget-headers.mjs) and `config.json` for this
// deployment.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { viewerCsp, widgetCsp, widgetHeaders } from './widget-headers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml' };

export async function startWidget({ port = 0, host = '127.0.0.1', dist = path.resolve(here, '../web/dist/widget'),
  config = {}, connectSrc = [], frameAncestors = "'none'" }) {
  if (!existsSync(path.join(dist, 'build.json'))) throw new Error(`${dist} is not built: run node web/build.mjs`);
  const build = JSON.parse(readFileSync(path.join(dist, 'build.json'), 'utf8'));
  const csp = widgetCsp({ importMapHash: build.importMapHash, connectSrc, frameAncestors });
  const forViewer = viewerCsp(csp);
  let origin = '';
  const extra = new Map();  // deployment files served beside the widget (the directory)
  const server = createServer((req, res) => {
    const url = new URL(req.url, origin);
    const common = widgetHeaders(csp);
    if (url.pathname === '/config.json') {
      res.writeHead(200, { ...common, 'Content-Type': 'application/json' });
      return res.end(JSON.stringify(config));
    }
    const rel = url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
    const file = extra.get(url.pathname) ?? path.resolve(dist, rel);
    if ((!extra.has(url.pathname) && !file.startsWith(dist + path.sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    const headers = { ...common, 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' };
    if (rel === 'viewer.html') headers['Content-Security-Policy'] = forViewer;
    // Tool pages load the embed script cross-origin with SRI, which needs CORS.
    if (rel.startsWith('embed/')) headers['Access-Control-Allow-Origin'] = '*';
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  origin = `http://${host}:${server.address().port}`;
  return {
    origin, build, serveFile: (urlPath, file) => extra.set(urlPath, file),
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
