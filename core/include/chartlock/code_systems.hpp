// SPDX-License-Identifier: Apache-2.0
// Canonical URIs of the code systems Chartlock reads and writes.
#pragma once

namespace chartlock::systems {
inline constexpr const char* loinc = "http://loinc.org";
inline constexpr const char* snomed = "http://snomed.info/sct";
inline constexpr const char* rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr const char* cvx = "http://hl7.org/fhir/sid/cvx";
inline constexpr const char* icd10cm = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr const char* ucum = "http://unitsofmeasure.org";
inline constexpr const char* act_code = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
inline constexpr const char* obs_category =
    "http://terminology.hl7.org/CodeSystem/observation-category";
inline constexpr const char* interpretation =
    "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
inline constexpr const char* cpt = "http://www.ama-assn.org/go/cpt";
inline constexpr const char* ndc = "http://hl7.org/fhir/sid/ndc";
inline constexpr const char* icd9cm = "http://hl7.org/fhir/sid/icd-9-cm";
inline constexpr const char* administrative_gender =
    "http://terminology.hl7.org/CodeSystem/v3-AdministrativeGender";
inline constexpr const char* omb_race = "urn:oid:2.16.840.1.113883.6.238";  // CDC race & ethnicity
}  // namespace chartlock::systems
