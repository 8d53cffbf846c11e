// SPDX-License-Identifier: Apache-2.0
// Every command that reads a file, given a directory, a FIFO, a missing file or
// an unreadable one, and every command that writes, given a full disk: exit 1,
// one line on stderr naming the path and what is wrong, never an abort (exit
// 134, "terminate called"), never a hang (a FIFO has no writer).
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync,
  statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import { cli, fixtures, runCli } from './support.mjs';

const root = process.getuid?.() === 0;
const nobody = 65534;
const timeout = 10_000;  // a CLI that opens a FIFO waits for a writer forever: this fails it instead

const ws = mkdtempSync(path.join(tmpdir(), 'chartlock-bad-paths-'));
const at = (f) => path.join(ws, f);
after(() => rmSync(ws, { recursive: true, force: true }));

function ok(args, options) {
  const r = runCli(args, { timeout, ...options });
  assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
  return r;
}

// Good inputs, so that only the path under test is bad.
copyFileSync(path.join(fixtures, 'fhir/clinic-a.json'), at('records.json'));
writeFileSync(at('consent.json'), '{"scopes":["patient/*.rs"]}');
writeFileSync(at('receipt.json'), '{"type":"chartlock-consent-receipt","scopes":["patient/*.rs"]}');
ok(['keygen', '--out', at('patient')]);
ok(['keygen', '--out', at('tool')]);
ok(['seal', '--to', at('tool.pub'), '--key', at('patient.key'), '--receipt', at('receipt.json'), '--out',
  at('share.clb'), at('records.json')]);
ok(['directory', 'generate', '--out', at('brands.json'), '--count', '20']);

// The bad paths.
const bad = {
  directory: { path: at('a-directory'), says: 'is a directory' },
  fifo: { path: at('a-fifo'), says: 'is not a regular file' },
  missing: { path: at('no-such-file.json'), says: 'No such file or directory' },
  unreadable: { path: at('unreadable.json'), says: 'Permission denied' },
};
mkdirSync(bad.directory.path);
execFileSync('mkfifo', [bad.fifo.path]);
copyFileSync(at('records.json'), bad.unreadable.path);
chmodSync(bad.unreadable.path, 0o000);

// Root reads a mode 000 file anyway: run that case as nobody, which needs the
// workspace to be nobody's and the CLI to be runnable by nobody.
let unreadableAs = {};
let unreadableSkip = false;
if (root) {
  chmodSync(ws, 0o755);
  for (const f of readdirSync(ws)) chownSync(at(f), nobody, nobody);
  chownSync(ws, nobody, nobody);
  const probe = spawnSync(cli, ['version'], { uid: nobody, gid: nobody, timeout });
  if (probe.status === 0) unreadableAs = { uid: nobody, gid: nobody };
  else unreadableSkip = `running as root, where mode 000 does not stop reading, and nobody (uid ${nobody}) cannot run ${cli}`;
}

const out = at('out.clb');
const sealArgs = (o = {}) => ['seal', '--to', o.to ?? at('tool.pub'), '--key', o.key ?? at('patient.key'),
  '--receipt', o.receipt ?? at('receipt.json'), '--out', o.out ?? out, o.file ?? at('records.json')];

// Each command and each file it reads, with the bad path in that place.
// `records`: the place takes records, where a folder is one bulk FHIR export
// (its *.ndjson files): an empty one says so instead of "is a directory".
const readers = [
  ['record', (p) => ['record', p], 'records'],
  ['summary', (p) => ['summary', p], 'records'],
  ['persons', (p) => ['persons', p], 'records'],
  ['share', (p) => ['share', '--consent', at('consent.json'), '--preview', p], 'records'],
  ['share', (p) => ['share', '--consent', p, '--preview', at('records.json')]],
  ['share', (p) => ['share', '--consent', at('consent.json'), '--to', p, '--key', at('patient.key'), '--out', out,
    at('records.json')]],
  ['seal', (p) => sealArgs({ file: p })],
  ['seal', (p) => sealArgs({ receipt: p })],
  ['seal', (p) => sealArgs({ key: p })],
  ['seal', (p) => sealArgs({ to: p })],
  ['open', (p) => ['open', '--key', at('tool.key'), '--from', at('patient.pub'), p]],
  ['open', (p) => ['open', '--key', p, '--from', at('patient.pub'), at('share.clb')]],
  ['open', (p) => ['open', '--key', at('tool.key'), '--from', p, at('share.clb')]],
  ['directory', (p) => ['directory', 'search', p, 'clinic']],
];

function assertOneLine(r, expected, what) {
  assert.equal(r.error, undefined, `${what}: ${r.error?.code === 'ETIMEDOUT' ? 'did not finish (a hang)' : r.error}`);
  assert.equal(r.signal, null, `${what}: killed by ${r.signal} (an abort?)\n${r.stderr}`);
  const stderr = String(r.stderr);
  assert.doesNotMatch(stderr, /terminate called|core dumped|Aborted/, what);
  assert.equal(r.status, 1, `${what}: exit ${r.status}\n${stderr}`);
  if (expected instanceof RegExp) assert.match(stderr, expected, what);
  else assert.equal(stderr, expected, what);
}

const label = { directory: 'a directory', fifo: 'a FIFO', missing: 'a missing file', unreadable: 'an unreadable file' };
for (const [kind, { path: badPath, says }] of Object.entries(bad)) {
  const skip = kind === 'unreadable' && unreadableSkip;
  test(`every command given ${label[kind]}: exit 1 and "${says}"`, { skip }, () => {
    for (const [command, argsFor, takes] of readers) {
      const args = argsFor(badPath);
      const what = `chartlock ${args.join(' ')}`;
      const r = spawnSync(cli, args, { timeout, killSignal: 'SIGKILL', ...(kind === 'unreadable' ? unreadableAs : {}) });
      const expected = kind === 'directory' && takes === 'records'
        ? 'no .ndjson files (a folder is read as one bulk FHIR export)' : says;
      assertOneLine(r, `chartlock ${command}: ${badPath}: ${expected}\n`, what);
      assert.equal(r.stdout.length, 0, `${what}: printed something`);
      assert.ok(!existsSync(out), `${what}: wrote ${out}`);
    }
  });
}

test('standard input may not be a directory', () => {
  const fd = openSync(bad.directory.path, 'r');
  try {
    for (const command of ['record', 'summary', 'persons']) {
      const r = spawnSync(cli, [command, '-'], { timeout, killSignal: 'SIGKILL', stdio: [fd, 'pipe', 'pipe'] });
      assertOneLine(r, `chartlock ${command}: standard input: is a directory\n`, `${command} - < directory`);
    }
  } finally {
    closeSync(fd);
  }
});

// A full device of our own when root: a CLI that replaced its output path by
// renaming a temporary file over it would replace the system's /dev/full.
function fullDevice() {
  if (!root) return '/dev/full';
  const own = at('full');
  try {
    execFileSync('mknod', [own, 'c', '1', '7'], { stdio: 'ignore' });
    return own;
  } catch {
    return null;
  }
}
const full = fullDevice();
const fullSkip = full ? false : 'running as root without mknod: /dev/full itself is not put at risk';

function leftovers(target) {
  const base = path.basename(target);
  return readdirSync(path.dirname(target)).filter((f) => f.startsWith(`${base}.tmp-`));
}

test('a full disk for an output file: exit 1, one line, no temporary file left, the device still a device',
  { skip: fullSkip }, () => {
    const cases = [
      ['seal', sealArgs({ out: full })],
      ['share', ['share', '--consent', at('consent.json'), '--to', at('tool.pub'), '--key', at('patient.key'),
        '--out', full, at('records.json')]],
    ];
    for (const [command, args] of cases) {
      const r = spawnSync(cli, args, { timeout, killSignal: 'SIGKILL' });
      assertOneLine(r, `chartlock ${command}: cannot write ${full}: No space left on device\n`, args.join(' '));
      assert.ok(statSync(full).isCharacterDevice(), `${full} was replaced`);
      if (full !== '/dev/full') assert.deepEqual(leftovers(full), [], 'temporary file left behind');
    }
  });

test('an output path that is a directory or has no parent: exit 1, one line, nothing left behind', () => {
  const noParent = at('no-such-dir/out.clb');
  for (const [target, says] of [[bad.directory.path, 'is a directory'], [noParent, 'No such file or directory']]) {
    const r = spawnSync(cli, sealArgs({ out: target }), { timeout, killSignal: 'SIGKILL' });
    assertOneLine(r, `chartlock seal: cannot write ${target}: ${says}\n`, `seal --out ${target}`);
  }
  assert.deepEqual(readdirSync(bad.directory.path), []);
  assert.deepEqual(leftovers(bad.directory.path), []);
});

test('a full disk on standard output: exit 1 and one line', () => {
  const fd = openSync('/dev/full', 'w');
  try {
    const cases = [
      ['record', ['record', at('records.json')]],
      ['summary', ['summary', at('records.json')]],
      ['persons', ['persons', at('records.json')]],
      ['share', ['share', '--consent', at('consent.json'), '--preview', at('records.json')]],
      ['seal', sealArgs({ out: '-' })],
      ['open', ['open', '--key', at('tool.key'), '--from', at('patient.pub'), at('share.clb')]],
      ['open', ['open', '--key', at('tool.key'), '--from', at('patient.pub'), '--info', at('share.clb')]],
      ['directory', ['directory', 'search', at('brands.json'), 'clinic']],
    ];
    for (const [command, args] of cases) {
      const r = spawnSync(cli, args, { timeout, killSignal: 'SIGKILL', stdio: ['ignore', fd, 'pipe'] });
      assertOneLine(r, new RegExp(`^chartlock ${command}: cannot write standard output(: No space left on device)?\\n$`),
        `${args.join(' ')} > /dev/full`);
    }
    // keygen says which files it wrote before it prints the public keys.
    const r = spawnSync(cli, ['keygen', '--out', at('more')], { timeout, stdio: ['ignore', fd, 'pipe'] });
    assertOneLine(r, /\nchartlock keygen: cannot write standard output(: .*)?\n$/, 'keygen > /dev/full');
  } finally {
    closeSync(fd);
  }
});

test('directory generate with a full disk for its output', { skip: fullSkip }, () => {
  const r = spawnSync(cli, ['directory', 'generate', '--out', full, '--count', '20'], { timeout });
  assertOneLine(r, new RegExp(`^chartlock directory: cannot write ${full}(: .*)?\\n$`), 'directory generate');
});
