// SPDX-License-Identifier: Apache-2.0
// The demo portal's sign-in page says what each scope lets the app do, in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loginPage } from '../../demo/smart-provider/pages.mjs';
import { scopeLines, scopeWords } from '../../demo/smart-provider/scope-words.mjs';

test('each scope in words', () => {
  assert.equal(scopeWords('patient/*.rs'), 'Read all your health records');
  assert.equal(scopeWords('patient/*.read'), 'Read all your health records');
  assert.equal(scopeWords('patient/Observation.rs?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory'),
    'Read your lab results, vital signs and other measurements (only laboratory)');
  assert.equal(scopeWords('user/Condition.cruds'), 'Read and change your health conditions that your account can see');
  assert.match(scopeWords('launch/patient'), /whose records/);
  assert.match(scopeWords('offline_access'), /after this window closes/);
  assert.equal(scopeWords('made-up'), 'A permission this page cannot explain');
  // openid and fhirUser say one thing: one line.
  assert.deepEqual(scopeLines(['openid', 'fhirUser']), [{ words: 'Know who signed in (your portal account)', scopes: ['openid', 'fhirUser'] }]);
});

test('the sign-in page lists the words, the scopes beside them', () => {
  const html = loginPage({ provider: 'Clinic A', requestId: 'r', clientId: 'chartlock', scopes: ['launch/patient', 'patient/*.rs'],
    demoUser: 'u', demoPassword: 'p' });
  assert.match(html, /If you allow it, it can:/);
  assert.match(html, /Read all your health records <span class="hint">\(<code>patient\/\*\.rs<\/code>\)/);
  assert.doesNotMatch(html, /<li><code>/);  // never a bare scope
});
