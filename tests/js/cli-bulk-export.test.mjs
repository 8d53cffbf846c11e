// SPDX-License-Identifier: Apache-2.0
// A bulk FHIR export is a folder of NDJSON files, one per resource type,
// whose resources reference each other: `chartlock record DIR` reads it as one
// source, so those references resolve, and several patients in it are
// separate persons.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { runCli } from './support.mjs';

// Two generated patients, their resources re-filed by type as a bulk export writes them.
function bulkExport() {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-bulk-'));
  /** @type {Map<string, string[]>} */
  const byType = new Map();
  for (const seed of [3, 4]) {
    const out = path.join(dir, `gen-${seed}`);
    const r = runCli(['generate', '--seed', String(seed), '--format', 'ndjson', '--size', '100KB', '--out', out]);
    assert.equal(r.status, 0, r.stderr);
    for (const line of readFileSync(path.join(out, 'provider-1.ndjson'), 'utf8').split('\n').filter(Boolean)) {
      const type = JSON.parse(line).resourceType;
      byType.set(type, [...(byType.get(type) ?? []), line]);
    }
  }
  const exportDir = path.join(dir, 'export');
  mkdirSync(exportDir);
  for (const [type, lines] of byType) writeFileSync(path.join(exportDir, `${type}.ndjson`), `${lines.join('\n')}\n`);
  writeFileSync(path.join(exportDir, 'manifest.json'), '{"transactionTime":"2026-01-01T00:00:00Z","output":[]}');
  return exportDir;
}

// Every reference in the export, and whether its target is in the export: counted here, not by the core.
function referencesOf(dir) {
  const ids = new Set(), refs = [];
  const walk = (o) => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      for (const [k, v] of Object.entries(o)) {
        if (k === 'reference' && typeof v === 'string') refs.push(v);
        else walk(v);
      }
    }
  };
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ndjson'))) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean)) {
      const r = JSON.parse(line);
      ids.add(`${r.resourceType}/${r.id}`);
      walk(r);
    }
  }
  return { all: refs.length, outside: refs.filter((r) => !r.startsWith('#') && !ids.has(r)).length };  // #id: contained
}

test('a folder is one bulk export: its references resolve, its patients are separate persons', () => {
  const dir = bulkExport();
  const refs = referencesOf(dir);
  assert.ok(refs.all > 100);
  assert.equal(refs.outside, 0, 'every reference points inside the export');

  const persons = JSON.parse(runCli(['persons', dir]).stdout.toString());
  assert.equal(persons.length, 2);
  for (const p of persons) assert.deepEqual(p.sources, [dir], 'one source: the folder');

  for (const p of persons) {
    const r = runCli(['record', '--person', p.key, dir]);
    const record = JSON.parse(r.stdout.toString());
    const dangling = record.warnings.filter((w) => w.code === 'dangling-reference' && w.pointer !== '');
    assert.deepEqual(dangling, [], 'no reference into the export is dangling');
    assert.equal(record.sources.length, 1);
    assert.equal(record.sources[0].format, 'ndjson');
    assert.ok(record.observations.length > 10);
  }

  // The same files given one by one are 13+ unrelated sources: their references dangle (what the folder fixes).
  const files = readdirSync(dir).filter((n) => n.endsWith('.ndjson')).map((n) => path.join(dir, n));
  const apart = JSON.parse(runCli(['record', '--person', persons[0].key, ...files]).stdout.toString());
  assert.ok(apart.warnings.filter((w) => w.code === 'dangling-reference' && w.pointer !== '').length > 50);
});

test('a folder with no NDJSON files is a clear error', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'chartlock-empty-'));
  writeFileSync(path.join(dir, 'notes.txt'), 'nothing here');
  const r = runCli(['record', dir]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /no \.ndjson files \(a folder is read as one bulk FHIR export\)/);
});
