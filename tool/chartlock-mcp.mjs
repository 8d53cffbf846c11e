#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// @ts-check
// chartlock-mcp: an MCP server over what one patient shared with this tool
// through Chartlock (docs/mcp.md). stdio for a desktop AI app, Streamable
// HTTP (loopback, bearer token) for a tool's backend. Nothing but the share
// is read; never logs record contents.
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

import { ToolError, createTool, toolCore } from './index.mjs';
import { ShareSource, createMcpServer } from './mcp-server.mjs';
import { readConnectionFile, runPair } from './pair-command.mjs';

const HELP = `chartlock-mcp — an MCP server over what a patient shared with this tool through Chartlock

  chartlock-mcp --relay URL --grant ID --key TOOL.key --patient KEY [options]
  chartlock-mcp --bundle FILE --key TOOL.key --patient KEY [options]
  chartlock-mcp --connection FILE [options]
  chartlock-mcp pair [--dir DIR] [--name NAME]   connect the AI app on this computer
                                                 (chartlock-mcp pair --help)

Source of the records (one of):
  --relay URL        the relay's base URL (http(s)://host[:port]) and
  --grant ID         the grant the patient made (32 hex digits): fetched at start,
                     again by the update_records tool, and re-checked (revocation)
  --bundle FILE      a share bundle already fetched (offline); update_records reads
                     the file again
  --connection FILE  what \`chartlock-mcp pair --finish\` saved for the AI app on this
                     computer: the relay, grant, patient key and key file in one
Always (unless --connection):
  --key FILE         the tool's secret key file (chartlock tool keygen)
  --patient KEY      the grant's patient key (Ed25519, base64url): pins who signed
                     the share, as \`chartlock tool fetch --patient\` does
Transport (default: stdio, for a desktop AI app):
  --http PORT        Streamable HTTP on PORT at /mcp (0: any free port, printed)
  --host ADDRESS     where to listen (default 127.0.0.1; anything else is reachable
                     from other machines: put TLS in front)
  --token TOKEN      the bearer token HTTP clients must send (or CHARTLOCK_MCP_TOKEN);
                     without either, one is generated and printed to stderr once
Other:
  --recheck SECONDS  how old the share may be before a tool call asks the relay again
                     (revoked? expired? default 30; 0: every call)
  --help

Exit status: 0 stopped, 2 bad usage, 3 the key file, 4 the relay could not be
reached, 5 the share could not be fetched or opened (the message says why).`;

/** @param {string} message @param {number} [code] @returns {never} */
function fail(message, code = 2) {
  process.stderr.write(`chartlock-mcp: ${message}\n`);
  process.exit(code);
}

/** @param {unknown} e */
function exitCodeOf(e) {
  if (!(e instanceof ToolError)) return 5;
  if (e.code === 'bad-key') return 3;
  if (e.code === 'unreachable' || e.code === 'timeout') return 4;
  if (e.code === 'bad-options' || e.code === 'bad-grant' || e.code === 'relay-not-allowed' || e.code === 'signer-not-pinned') return 2;
  return 5;
}

if (process.argv[2] === 'pair') {
  const status = await runPair(process.argv.slice(3), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) })
    .catch((e) => { process.stderr.write(`chartlock-mcp pair: ${e.message}\n`); return 1; });
  process.exit(status);
}

const OPTIONS = /** @type {const} */ ({
  connection: { type: 'string' },
  relay: { type: 'string' }, grant: { type: 'string' }, bundle: { type: 'string' }, key: { type: 'string' },
  patient: { type: 'string' }, http: { type: 'string' }, host: { type: 'string' }, token: { type: 'string' },
  recheck: { type: 'string' }, help: { type: 'boolean', short: 'h' },
});
// A base64url key may begin with '-', which parseArgs takes for an option
// ("ambiguous"): an option that takes a value takes the next argument, as
// the native CLI reads it — passed on as --name=value.
/** @param {string[]} list */
function valuesJoined(list) {
  const out = [];
  for (let i = 0; i < list.length; i++) {
    const a = list[i];
    const name = a.slice(2);
    const takesValue = a.startsWith('--') && Object.hasOwn(OPTIONS, name)
      && OPTIONS[/** @type {keyof typeof OPTIONS} */ (name)].type === 'string';
    out.push(takesValue && i + 1 < list.length ? `${a}=${list[++i]}` : a);
  }
  return out;
}
let args;
try {
  ({ values: args } = parseArgs({
    args: valuesJoined(process.argv.slice(2)),
    options: OPTIONS,
    strict: true, allowPositionals: false,
  }));
} catch (e) {
  fail(`${e.message}\n\n${HELP}`);
}
if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}
if (args.connection !== undefined) {
  if (args.relay || args.grant || args.bundle || args.key || args.patient) {
    fail('--connection says the relay, grant, key and patient key: give none of them with it');
  }
  try {
    const c = readConnectionFile(args.connection);
    Object.assign(args, { relay: c.relay, grant: c.grant, patient: c.patient, key: c.key });
  } catch (e) {
    fail(`the connection file ${args.connection} cannot be used: ${e.code === 'ENOENT' ? 'it does not exist (chartlock-mcp pair --finish writes it)' : e.message}`);
  }
}
if (!args.key) fail('--key TOOL.key is required (the tool\'s secret key file)');
if (!args.patient) fail('--patient KEY is required: the grant\'s patient key pins who signed the share');
if (Boolean(args.bundle) === Boolean(args.relay || args.grant)) fail('give either --relay URL --grant ID, or --bundle FILE');
if (args.relay && !args.grant) fail('--relay needs --grant ID');
if (args.grant && !args.relay) fail('--grant needs --relay URL');
const recheck = args.recheck === undefined ? 30 : Number(args.recheck);
if (!Number.isFinite(recheck) || recheck < 0) fail('--recheck must be a number of seconds, 0 or more');
let port = -1;
if (args.http !== undefined) {
  port = Number(args.http);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--http must be a port number (0 to 65535)');
} else if (args.host || args.token) {
  fail('--host and --token are for --http');
}

let keyFile;
try {
  keyFile = readFileSync(args.key, 'utf8');
} catch (e) {
  fail(`the key file ${args.key} cannot be read: ${e.code ?? e.message}`, 3);
}

const patientKey = args.patient;
const source = await (async () => {
  try {
    const core = await toolCore();
    if (args.bundle) {
      const file = args.bundle;
      const tool = await createTool({ keyFile, offline: true });
      let newest = 0;
      return new ShareSource({
        core, describe: `the file ${file}`, recheckMs: recheck * 1000,
        load: async () => {
          let bytes;
          try {
            bytes = new Uint8Array(readFileSync(file));
          } catch (e) {
            throw new ToolError('unreadable', `the bundle file ${file} cannot be read: ${e.code ?? e.message}`);
          }
          const share = await tool.openShare({ bundle: bytes, patientKey, ...(newest ? { minSequence: newest } : {}) });
          newest = share.header.sequence;
          return share;
        },
      });
    }
    const relay = /** @type {string} */ (args.relay);
    const grantId = /** @type {string} */ (args.grant);
    const tool = await createTool({ keyFile, relays: [relay] });
    let newest = 0;
    return new ShareSource({
      core, describe: `the relay ${new URL(relay).origin} (grant ${grantId})`, recheckMs: recheck * 1000,
      load: async () => {
        const share = await tool.fetchShare({ relay, grantId, patientKey, ...(newest ? { minSequence: newest } : {}) });
        newest = share.header.sequence;
        return share;
      },
    });
  } catch (e) {
    return fail(e.message, exitCodeOf(e));
  }
})();

try {
  await source.start();
} catch (e) {
  fail(`the share could not be read: ${e.message}${e.code ? ` (${e.code})` : ''}`, exitCodeOf(e));
}
if (source.gone) process.stderr.write('chartlock-mcp: the patient disconnected this tool (or the share expired); tools will say so\n');

if (port < 0) {
  // Standard output is the MCP stream: anything else written there (a stray console.log) would break it.
  console.log = console.info = console.debug = (...a) => console.error(...a);
  const server = createMcpServer(source);
  await server.connect(new StdioServerTransport());
} else {
  const host = args.host ?? '127.0.0.1';
  const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
  let token = args.token ?? process.env.CHARTLOCK_MCP_TOKEN ?? '';
  if (args.token !== undefined && args.token.length < 16) fail('--token must be at least 16 characters');
  if (!token) {
    token = randomBytes(32).toString('base64url');
    process.stderr.write(`chartlock-mcp: bearer token (send "Authorization: Bearer <token>"; shown once): ${token}\n`);
  }
  const expected = Buffer.from(`Bearer ${token}`);
  /** @param {string | undefined} header */
  const authorized = (header) => {
    const got = Buffer.from(header ?? '');
    return got.length === expected.length && timingSafeEqual(got, expected);
  };
  /** @type {Map<string, StreamableHTTPServerTransport>} */
  const sessions = new Map();
  const MAX_SESSIONS = 64;
  const http = createServer(async (req, res) => {
    /** @param {number} status @param {string} message @param {Record<string, string>} [headers] */
    const refuse = (status, message, headers = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/mcp') return refuse(404, 'not found: the MCP endpoint is /mcp');
      if (!authorized(req.headers.authorization)) {
        return refuse(401, 'a valid bearer token is required (Authorization: Bearer <token>)',
          { 'www-authenticate': 'Bearer realm="chartlock-mcp"' });
      }
      const sid = req.headers['mcp-session-id'];
      let transport = typeof sid === 'string' ? sessions.get(sid) : undefined;
      if (!transport) {
        if (sid !== undefined) return refuse(404, 'unknown or ended session: initialize again');
        if (req.method !== 'POST') return refuse(400, 'initialize with a POST first');
        if (sessions.size >= MAX_SESSIONS) return refuse(503, `too many open sessions (${MAX_SESSIONS}): close one (DELETE /mcp)`);
        const t = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (id) => { sessions.set(id, t); },
          ...(loopback ? { enableDnsRebindingProtection: true,
            allowedHosts: [`127.0.0.1:${actualPort}`, `localhost:${actualPort}`, `[::1]:${actualPort}`] } : {}),
        });
        t.onclose = () => { if (t.sessionId) sessions.delete(t.sessionId); };
        await createMcpServer(source).connect(t);
        transport = t;
      }
      await transport.handleRequest(req, res);
    } catch (e) {
      process.stderr.write(`chartlock-mcp: a request failed: ${e.message}\n`);
      if (!res.headersSent) refuse(500, 'internal error');
    }
  });
  let actualPort = port;
  await new Promise((resolve, reject) => { http.once('error', reject); http.listen(port, host, () => resolve(undefined)); })
    .catch((e) => fail(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`, 1));
  const address = http.address();
  actualPort = typeof address === 'object' && address ? address.port : port;
  if (!loopback) process.stderr.write(`chartlock-mcp: listening on ${host}, reachable from other machines: put TLS in front\n`);
  process.stderr.write(`chartlock-mcp: listening on http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/mcp\n`);
  const stop = () => { for (const t of sessions.values()) t.close().catch(() => {}); http.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
