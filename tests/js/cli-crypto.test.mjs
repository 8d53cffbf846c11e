// SPDX-License-Identifier: Apache-2.0
// keygen, seal and open as a user (or a tool's backend) runs them.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadCore, runCli } from './support.mjs';

function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-cli-'));
  const at = (f) => path.join(dir, f);
  for (const who of ['tool', 'patient', 'stranger']) {
    const r = runCli(['keygen', '--out', at(who)]);
    assert.equal(r.status, 0, r.stderr);
  }
  writeFileSync(at('receipt.json'), '{"type":"chartlock-consent-receipt","scopes":["patient/Observation.rs"]}');
  writeFileSync(at('records.json'), '{"resourceType":"Bundle","type":"collection","entry":[]}');
  writeFileSync(at('summary.md'), '# Summary\n\nNothing to see.\n');
  return { dir, at };
}

function seal(at, extra = []) {
  return runCli(['seal', '--to', at('tool.pub'), '--key', at('patient.key'), '--receipt', at('receipt.json'),
    '--out', at('share.clb'), ...extra, at('records.json'), at('summary.md')]);
}

test('keygen writes a private key file readable only by its owner, and refuses to overwrite', () => {
  const { at } = workspace();
  assert.equal(statSync(at('tool.key')).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(at('tool.pub'), 'utf8')).type, 'chartlock-public-keys');
  const again = runCli(['keygen', '--out', at('tool')]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /exists/);
  assert.equal(runCli(['keygen', '--out', at('tool'), '--force']).status, 0);
});

test('seal then open: info, every part, and the default part', () => {
  const { at } = workspace();
  const sealed = seal(at, ['--seq', '5', '--grant', 'aa'.repeat(16)]);
  assert.equal(sealed.status, 0, sealed.stderr);
  const info = runCli(['open', '--key', at('tool.key'), '--from', at('patient.pub'), '--info', at('share.clb')]);
  assert.equal(info.status, 0, info.stderr);
  const header = JSON.parse(info.stdout);
  assert.equal(header.sequence, 5);
  assert.equal(header.grantId, 'aa'.repeat(16));
  const names = JSON.stringify(header);
  assert.match(names, /records\.json/);
  assert.match(names, /text\/markdown/);

  const first = runCli(['open', '--key', at('tool.key'), '--from', at('patient.pub'), at('share.clb')]);
  assert.equal(first.stdout.toString(), readFileSync(at('records.json'), 'utf8'));
  const md = runCli(['open', '--key', at('tool.key'), '--from', at('patient.pub'), '--part', 'summary.md', at('share.clb')]);
  assert.equal(md.stdout.toString(), readFileSync(at('summary.md'), 'utf8'));

  const outDir = at('received');
  const all = runCli(['open', '--key', at('tool.key'), '--from', at('patient.pub'), '--out-dir', outDir, at('share.clb')]);
  assert.equal(all.status, 0, all.stderr);
  assert.deepEqual(readdirSync(outDir).sort(), ['receipt', 'records.json', 'summary.md']);
  assert.equal(statSync(path.join(outDir, 'records.json')).mode & 0o777, 0o600);
});

test('open refuses a tampered bundle, a stranger\'s key and the wrong signer, with exit 2', () => {
  const { at } = workspace();
  assert.equal(seal(at).status, 0);
  const bundle = readFileSync(at('share.clb'));
  bundle[bundle.length - 100] ^= 1;
  writeFileSync(at('tampered.clb'), bundle);
  const cases = [
    [['--key', at('tool.key'), at('tampered.clb')], /tampered/],
    [['--key', at('stranger.key'), at('share.clb')], /wrong-recipient/],
    [['--key', at('tool.key'), '--from', at('stranger.pub'), at('share.clb')], /wrong-signer/],
    [['--key', at('tool.key'), '--now', '4000000000', at('share.clb')], /expired/],
    [['--key', at('tool.key'), at('receipt.json')], /not-a-bundle/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(['open', ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.equal(r.stdout.length, 0, 'nothing is output from a bundle that fails');
    assert.match(r.stderr, message);
  }
});

test('seal usage errors name what is missing', () => {
  const { at } = workspace();
  const r = runCli(['seal', '--to', at('tool.pub'), '--key', at('patient.key'), '--out', at('x.clb'), at('records.json')]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--receipt/);
  const badKey = runCli(['seal', '--to', at('patient.key'), '--key', at('patient.key'), '--receipt', at('receipt.json'),
    '--out', at('x.clb'), at('records.json')]);
  assert.equal(badKey.status, 2);
  assert.ok(!existsSync(at('x.clb')), 'no bundle is written on error');
});

test('open --out-dir refuses part names that would escape the directory', async () => {
  const core = await loadCore();
  const { at } = workspace();
  const now = Math.floor(Date.now() / 1000);
  for (const name of ['../evil', '.hidden', 'a/b']) {
    const bundle = core.bundleSeal({
      recipient: readFileSync(at('tool.pub'), 'utf8'), signer: readFileSync(at('patient.key'), 'utf8'),
      sequence: 1, createdAt: now - 5, expiresAt: now + 3600, receipt: new TextEncoder().encode('{}'),
      parts: [{ name, mediaType: 'text/plain', bytes: new TextEncoder().encode('x') }],
    });
    writeFileSync(at('evil.clb'), bundle);
    const r = runCli(['open', '--key', at('tool.key'), '--out-dir', at('out'), at('evil.clb')]);
    assert.equal(r.status, 2, name);
    assert.ok(!existsSync(at('evil')) && !existsSync(at('out/.hidden')) && !existsSync(at('out/a')), name);
  }
});
