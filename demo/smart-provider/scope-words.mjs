// SPDX-License-Identifier: Apache-2.0
// What each SMART scope a portal is asked for lets the app do, in words a
// patient reads on the sign-in page (SMART App Launch 2.x scopes, and the
// 1.0 forms portals still accept). The scope itself stays visible, small,
// for whoever wants the exact request.

const RESOURCE_WORDS = {
  '*': 'all your health records',
  Patient: 'your name, sex, date of birth and contact details',
  Observation: 'your lab results, vital signs and other measurements',
  Condition: 'your health conditions',
  MedicationRequest: 'your prescriptions',
  MedicationStatement: 'the medicines you take',
  AllergyIntolerance: 'your allergies',
  Immunization: 'your vaccines',
  Procedure: 'your procedures',
  Encounter: 'your visits',
  DiagnosticReport: 'your test reports',
  DocumentReference: 'your clinical notes and documents',
  CarePlan: 'your care plans',
  Goal: 'your health goals',
};

// "rs", "cruds", "read", "write", "*": what the app may do with the records.
function actionWords(actions) {
  if (actions === 'read' || /^[rs]+$/.test(actions)) return 'Read';
  if (actions === 'write') return 'Change';
  return 'Read and change';
}

/**
 * @param {string} scope  one scope as requested
 * @returns {string} what it lets the app do
 */
export function scopeWords(scope) {
  switch (scope) {
    case 'launch/patient': return 'Know whose records to open: the patient you sign in as';
    case 'openid': case 'fhirUser': case 'profile': return 'Know who signed in (your portal account)';
    case 'offline_access': return 'Keep its access after this window closes, until you or the app end it';
    case 'online_access': return 'Keep its access while you stay signed in';
    default: break;
  }
  const m = /^(patient|user|system)\/([A-Za-z*]+)\.([a-z*]+)(\?.*)?$/.exec(scope);
  if (!m) return 'A permission this page cannot explain';
  const [, who, resource, actions, query] = m;
  const what = RESOURCE_WORDS[resource] ?? `your ${resource} records`;
  const whose = who === 'patient' ? '' : who === 'user' ? ' that your account can see' : ' of any patient';
  const only = query ? ` (only ${decodeURIComponent(query.slice(1)).replace(/^category=.*\|/, '').replace(/^category=/, '')})` : '';
  return `${actionWords(actions)} ${what}${whose}${only}`;
}

/**
 * The scopes as the page lists them: one line per distinct meaning, the
 * scopes behind it kept for the curious.
 * @param {string[]} scopes
 * @returns {{ words: string, scopes: string[] }[]}
 */
export function scopeLines(scopes) {
  const lines = new Map();
  for (const scope of scopes) {
    const words = scopeWords(scope);
    lines.set(words, [...(lines.get(words) ?? []), scope]);
  }
  return [...lines].map(([words, list]) => ({ words, scopes: list }));
}
