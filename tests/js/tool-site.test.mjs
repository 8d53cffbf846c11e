// SPDX-License-Identifier: Apache-2.0
// The demo tool's backend does what a real one must (integrators copy demos):
// each visitor sees only the shares handed to them, nothing changes from
// another site, and a share older than one already seen is refused.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startToolSite } from '../../demo/tool-site/server.mjs';

const RELAY = 'https://relay.example';
const GRANT = 'ab'.repeat(16);
let site;
const fetched = [];  // the handles the backend asked the SDK to fetch
let serving = 2;     // the version the fake relay serves

before(async () => {
  const tool = {
    async fetchShare(handle) {
      fetched.push(handle);
      if (handle.minSequence !== undefined && serving < handle.minSequence) {
        throw Object.assign(new Error('older than a version already seen'), { code: 'stale', status: 0 });
      }
      return { header: { sequence: serving }, fhirBundle: { entry: [] }, receipt: {}, summaryMarkdown: '' };
    },
  };
  site = await startToolSite({ widgetOrigin: 'http://127.0.0.1:9', embedIntegrity: 'sha384-x', relays: [RELAY], tool,
    keys: { secret: '{}', public: JSON.stringify({ x25519: 'x', ed25519: 'e' }) } });
});
after(() => site?.close());

// A visitor: the cookie the tool's page gives them.
async function visitor() {
  const r = await fetch(site.origin);
  const cookie = /tool_session=[^;]+/.exec(r.headers.get('set-cookie') ?? '')?.[0];
  assert.ok(cookie, 'a session cookie');
  assert.match(r.headers.get('set-cookie'), /HttpOnly; SameSite=Strict/);
  const post = (path, body, headers = {}) => fetch(`${site.origin}${path}`, { method: 'POST',
    headers: { Cookie: cookie, Origin: site.origin, 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const list = async () => (await fetch(`${site.origin}/api/shares`, { headers: { Cookie: cookie } })).json();
  return { cookie, post, list };
}

test('no session, no shares: a stranger gets 401', async () => {
  assert.equal((await fetch(`${site.origin}/api/shares`)).status, 401);
  assert.equal((await fetch(`${site.origin}/api/shares`, { headers: { Cookie: `tool_session=${'A'.repeat(43)}` } })).status, 401);
});

test('each visitor sees only the shares handed to them', async () => {
  const alice = await visitor();
  const bob = await visitor();
  const r = await alice.post('/api/shares', { relay: RELAY, grantId: GRANT, patientKey: 'k' });
  assert.equal(r.status, 200);
  assert.equal((await alice.list()).length, 1);
  assert.deepEqual(await bob.list(), []);
  assert.equal((await bob.post(`/api/shares/${GRANT}/refresh`, {})).status, 404, 'not his to refresh');
});

test('nothing changes from another site or without JSON', async () => {
  const carol = await visitor();
  const handle = { relay: RELAY, grantId: GRANT, patientKey: 'k' };
  assert.equal((await carol.post('/api/shares', handle, { Origin: 'https://evil.example' })).status, 403);
  assert.equal((await carol.post('/api/shares', handle, { 'Content-Type': 'text/plain' })).status, 403);
  assert.equal((await carol.post('/api/shares', { ...handle, relay: 'https://elsewhere.example' })).status, 400);
  assert.deepEqual(await carol.list(), []);
});

test('the highest version seen is the least accepted: a rolled-back relay is refused', async () => {
  const dave = await visitor();
  serving = 2;
  await dave.post('/api/shares', { relay: RELAY, grantId: GRANT, patientKey: 'k' });
  assert.equal(fetched.at(-1).minSequence, undefined);
  serving = 1;  // the relay now serves an older version
  const r = await (await dave.post(`/api/shares/${GRANT}/refresh`, {})).json();
  assert.equal(fetched.at(-1).minSequence, 2);
  assert.equal(r.error.code, 'stale');
  serving = 3;
  const fresh = await (await dave.post(`/api/shares/${GRANT}/refresh`, {})).json();
  assert.equal(fresh.sequence, 3);
  assert.equal(fresh.error, null);
});
