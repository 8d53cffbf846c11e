// SPDX-License-Identifier: Apache-2.0
// The demo's record-location network (docs/record-location.md): portals
// that hold the generated patient with other details on file than the ones
// the patient verifies — as real portals do — and one that holds another
// person of the same name. Each variation is derived from the generated
// patient, whoever that is: no name or date is written here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

// How each portal's record differs from what the patient verifies.
export const FORMER_FAMILY_NAME = 'Lindqvist';
export const NETWORK_PROVIDERS = [
  { name: 'Northside Urgent Care', city: 'Springfield', state: 'IL', variant: 'nickname' },
  { name: 'Harbor Community Hospital', city: 'Springfield', state: 'IL', variant: 'old-address' },
  { name: 'Pinecrest Medical Group', city: 'Springfield', state: 'IL', variant: 'birth-date-typo' },
  { name: 'Cedar Valley Clinic', city: 'Springfield', state: 'IL', variant: 'former-name' },
  { name: 'Oakwood Internal Medicine', city: 'Springfield', state: 'IL', variant: 'namesake' },
];

// A nickname of a given name, from the core's nickname table (core/knowledge/nicknames.csv).
function nicknameOf(given) {
  const rows = readFileSync(path.resolve(here, '../core/knowledge/nicknames.csv'), 'utf8').split('\n').map((l) => l.split(','));
  return rows.find(([name, rel]) => name === given.toLowerCase() && rel === 'has_nickname')?.[2]
    ?.replace(/^./, (c) => c.toUpperCase()) ?? null;
}

// A typing mistake in a birth date: the day's two digits swapped, or its last digit changed.
function mistyped(birthDate) {
  const [y, m, d] = birthDate.split('-');
  const swapped = `${d[1]}${d[0]}`;
  const day = d[0] !== d[1] && swapped >= '01' && swapped <= '28' ? swapped : `${d[0]}${(Number(d[1]) + 1) % 10}`;
  return `${y}-${m}-${day === '00' ? '01' : day}`;
}

/** What a network portal has on file about the patient (`demographics` of startProvider). */
export function networkDemographics(variant, patient) {
  const official = patient.name.find((n) => n.use === 'official') ?? patient.name[0];
  const home = patient.address?.[0] ?? {};
  switch (variant) {
    case 'nickname':
      return { name: [{ use: 'usual', family: official.family, given: [nicknameOf(official.given[0]) ?? official.given[0][0]] }] };
    case 'old-address':  // an address (and no phone) from years ago
      return { address: [{ use: 'home', line: ['17 Mill Lane'], city: home.city, state: home.state,
        postalCode: String((Number(home.postalCode ?? '10000') + 4117) % 90000 + 10000) }], telecom: [] };
    case 'birth-date-typo':
      return { birthDate: mistyped(patient.birthDate) };
    case 'former-name':
      return { name: [{ use: 'official', family: FORMER_FAMILY_NAME, given: official.given }] };
    case 'namesake':  // another person's records, under the patient's name
      return { name: structuredClone(patient.name), gender: patient.gender };
    default:
      return undefined;
  }
}

/**
 * The network's list (network.json, docs/record-location.md): its portals by
 * their entries in the provider directory, so that "connected" is the same
 * provider in both.
 * @param {{ entry: { resource: any }[] }} directory  the directory Bundle listing them
 * @param {{ name: string, city: string, state: string, fhirBase: string }[]} portals
 */
export function networkOf(directory, portals) {
  return {
    name: 'Chartlock demo network',
    providers: portals.map((p) => {
      const endpoint = directory.entry.find((e) => e.resource.resourceType === 'Endpoint' && e.resource.address === p.fhirBase);
      const org = directory.entry.find((e) => e.resource.resourceType === 'Organization' && e.resource.name === p.name);
      return { id: org.resource.id, name: p.name, city: p.city, state: p.state, fhirBase: endpoint.resource.address };
    }),
  };
}

/** The Patient resource of a generated provider Bundle. */
export const patientOf = (file) => JSON.parse(readFileSync(file, 'utf8')).entry.map((e) => e.resource).find((r) => r.resourceType === 'Patient');
