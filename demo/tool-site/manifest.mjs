// SPDX-License-Identifier: Apache-2.0
// The demo AI tool's manifest (docs/tool-manifest.md): what it asks the
// patient for and why. Served by the Node tool site (server.mjs) and built
// in the page by the static demo's tool page.

/** @param {{ origin: string, keys: { x25519: string, ed25519: string } }} o  keys: the tool's public keys */
export const toolManifest = ({ origin, keys }) => ({
  type: 'chartlock-tool-manifest', version: 1,
  name: 'Demo Health Coach',
  origin,
  purpose: 'Explains your lab results, conditions and visit notes in plain words and helps you prepare questions for your next visit.',
  retention: 'Kept for 30 days, then deleted. Disconnecting stops new updates.',
  scopes: ['patient/Patient.rs', 'patient/Condition.rs', 'patient/MedicationRequest.rs', 'patient/AllergyIntolerance.rs',
    'patient/Observation.rs?category=laboratory', 'patient/Observation.rs?category=vital-signs', 'patient/Immunization.rs',
    'patient/DocumentReference.rs'],
  keys: { x25519: keys.x25519, ed25519: keys.ed25519 },
});
