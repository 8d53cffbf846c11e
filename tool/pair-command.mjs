// SPDX-License-Identifier: Apache-2.0
// @ts-check
// `chartlock-mcp pair`: connects the patient's own AI app (docs/mcp.md,
// "Connect an AI app on this computer").
//   chartlock-mcp pair [--dir DIR] [--name NAME]   makes the app's key pair in DIR, prints the pairing code
//   chartlock-mcp pair --finish CODE [--dir DIR]   stores the connection code's grant, prints the config
// The secret key is written once, mode 0600, and never printed.
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { ToolError, createTool, generateToolKeys, toolCore } from './index.mjs';
import { MAX_NAME, PairingError, appName, makePairingCode, parseConnectionCode } from './pairing.mjs';

export const PAIR_HELP = `chartlock-mcp pair — connect the AI app on this computer to your records in Chartlock

  chartlock-mcp pair [--dir DIR] [--name NAME]
      makes the app's key pair in DIR (the secret part stays there, readable by you
      alone) and prints a pairing code: paste it into Chartlock, under
      "Connect an AI app on this computer"
  chartlock-mcp pair --finish CODE [--dir DIR]
      CODE: the connection code Chartlock shows after you share. Saves
      DIR/connection.json and prints the configuration for your AI app

  --dir DIR     where the app's key and connection live (default ~/.chartlock-mcp)
  --name NAME   what Chartlock calls the app (default "My AI app"; at most ${MAX_NAME} characters)

Then: chartlock-mcp --connection DIR/connection.json   (the MCP server, over stdio)`;

const KEY_FILE = 'app.key';
const CONNECTION_FILE = 'connection.json';
const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'chartlock-mcp.mjs');
const repoRoot = path.resolve(path.dirname(serverScript), '..');

/**
 * @param {string[]} argv  the arguments after "pair"
 * @param {{ out: (s: string) => void, err: (s: string) => void }} io
 * @returns {Promise<number>} the exit status
 */
export async function runPair(argv, { out, err }) {
  let args;
  try {
    ({ values: args } = parseArgs({ args: argv, options: { dir: { type: 'string' }, name: { type: 'string' },
      finish: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (e) {
    err(`chartlock-mcp pair: ${e.message}\n\n${PAIR_HELP}\n`);
    return 2;
  }
  if (args.help) {
    out(`${PAIR_HELP}\n`);
    return 0;
  }
  const dir = path.resolve(args.dir ?? path.join(homedir(), '.chartlock-mcp'));
  const keyPath = path.join(dir, KEY_FILE);
  try {
    return args.finish !== undefined ? await finish(args.finish, dir, keyPath, { out, err, named: args.name !== undefined })
      : await start(dir, keyPath, args.name, { out, err });
  } catch (e) {
    if (e instanceof PairingError) {
      err(`chartlock-mcp pair: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/**
 * @param {string} dir @param {string} keyPath @param {string | undefined} nameArg
 * @param {{ out: (s: string) => void, err: (s: string) => void }} io
 */
async function start(dir, keyPath, nameArg, { out, err }) {
  const name = appName(nameArg ?? 'My AI app');
  if (!name) {
    err(`chartlock-mcp pair: --name must be one line of 1 to ${MAX_NAME} characters\n`);
    return 2;
  }
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);  // whatever the umask
  } else if ((statSync(dir).mode & 0o077) !== 0 && process.platform !== 'win32') {
    err(`chartlock-mcp pair: note: ${dir} can be read by other users of this computer; the key file itself is yours alone\n`);
  }
  const core = await toolCore();
  let publicKeys;
  let made = false;
  if (existsSync(keyPath)) {
    // Pairing again (another browser, a lost code): the same key, so the same app.
    try {
      publicKeys = JSON.parse(core.keysPublic(readFileSync(keyPath, 'utf8')));
    } catch (e) {
      err(`chartlock-mcp pair: ${keyPath} is not a usable key file (${e.code ?? e.message}); move it away to make a new one\n`);
      return 3;
    }
  } else {
    const pair = await generateToolKeys();
    writeFileSync(keyPath, pair.secret, { mode: 0o600, flag: 'wx' });
    chmodSync(keyPath, 0o600);
    publicKeys = JSON.parse(pair.public);
    made = true;
  }
  const code = makePairingCode({ name, keys: publicKeys });
  const finishCommand = `npx chartlock-mcp pair --finish <the connection code>${dir === path.join(homedir(), '.chartlock-mcp') ? '' : ` --dir ${JSON.stringify(dir)}`}`;
  out([
    made ? `A key pair for "${name}" was made in ${dir}.` : `Using the key pair already in ${dir} (pairing "${name}").`,
    `Its secret part (${KEY_FILE}) stays on this computer, readable by you alone; Chartlock gets only the public part.`,
    '',
    'Pairing code — copy this whole line into Chartlock, under "Connect an AI app on this computer":',
    '',
    code,
    '',
    'Then choose what to share. Chartlock shows you a connection code: copy it and run',
    '',
    `  ${finishCommand}`,
    '',
  ].join('\n'));
  return 0;
}

/**
 * @param {string} codeText @param {string} dir @param {string} keyPath
 * @param {{ out: (s: string) => void, err: (s: string) => void, named: boolean }} io
 */
async function finish(codeText, dir, keyPath, { out, err, named }) {
  if (named) {
    err('chartlock-mcp pair: --name is for pairing, not for --finish\n');
    return 2;
  }
  const c = parseConnectionCode(codeText);
  let keyFile;
  try {
    keyFile = readFileSync(keyPath, 'utf8');
  } catch (e) {
    err(`chartlock-mcp pair: no app key in ${dir} (${e.code ?? e.message}): run "chartlock-mcp pair" first${dir ? ' with the same --dir' : ''}\n`);
    return 3;
  }
  const core = await toolCore();
  const mine = JSON.parse(core.keysPublic(keyFile)).ed25519;
  if (mine !== c.app) {
    err(`chartlock-mcp pair: this connection code is for another app's key, not the one in ${dir}: `
      + 'use the --dir you paired with, or pair again\n');
    return 2;
  }
  const connectionPath = path.join(dir, CONNECTION_FILE);
  writeFileSync(connectionPath, `${JSON.stringify({ type: 'chartlock-mcp-connection', version: 1, relay: c.relay, grant: c.grant,
    patient: c.patient, key: keyPath }, null, 2)}\n`, { mode: 0o600 });
  chmodSync(connectionPath, 0o600);
  // A first fetch: says now, not in the AI app later, whether it works.
  let check;
  try {
    const tool = await createTool({ keyFile, relays: [c.relay] });
    const share = await tool.fetchShare({ relay: c.relay, grantId: c.grant, patientKey: c.patient });
    check = `Checked: the share opens (version ${share.header.sequence}, ${share.receipt?.shared?.items ?? 0} records).`;
  } catch (e) {
    check = `Saved, but the share could not be fetched just now: ${e.message}${e instanceof ToolError ? ` (${e.code})` : ''}.`;
  }
  // npx pinned to this copy of Chartlock: a bare `npx chartlock-mcp` run by an AI app (no terminal to ask) would
  // install whatever the npm registry holds under that name, and hand it the key's path.
  const npx = { mcpServers: { chartlock: { command: 'npx',
    args: ['--no-install', '--prefix', repoRoot, 'chartlock-mcp', '--connection', connectionPath] } } };
  const node = { mcpServers: { chartlock: { command: process.execPath, args: [serverScript, '--connection', connectionPath] } } };
  out([
    `Connected: ${connectionPath} says where your records are (relay ${c.relay}, grant ${c.grant}).`,
    check,
    '',
    'Add this to your AI app\'s MCP configuration. For Claude Desktop: Settings → Developer → Edit Config',
    '(claude_desktop_config.json), then restart Claude Desktop:',
    '',
    JSON.stringify(npx, null, 2),
    '',
    'Or, without npx (this computer\'s node, this copy of Chartlock):',
    '',
    JSON.stringify(node, null, 2),
    '',
    `To try it: npx chartlock-mcp --connection ${JSON.stringify(connectionPath)}   (it speaks MCP on stdio)`,
    'Disconnect the app in Chartlock at any time ("Connected tools"): from then on it can read nothing more.',
    '',
  ].join('\n'));
  return check.startsWith('Checked') ? 0 : 5;
}

/**
 * What a connection file (pair --finish) says, checked; the key path made absolute against the file's folder.
 * @param {string} file
 * @returns {{ relay: string, grant: string, patient: string, key: string }}
 */
export function readConnectionFile(file) {
  const c = JSON.parse(readFileSync(file, 'utf8'));
  if (c === null || typeof c !== 'object' || c.type !== 'chartlock-mcp-connection' || c.version !== 1) {
    throw new PairingError('bad-connection', `${file} is not a chartlock-mcp connection file (chartlock-mcp pair --finish writes one)`);
  }
  for (const f of ['relay', 'grant', 'patient', 'key']) {
    if (typeof c[f] !== 'string' || !c[f]) throw new PairingError('bad-connection', `${file} has no valid "${f}"`);
  }
  return { relay: c.relay, grant: c.grant, patient: c.patient, key: path.resolve(path.dirname(file), c.key) };
}
