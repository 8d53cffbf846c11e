// Codes as the catalogs spell them: a coding, and a concept with an optional
// second coding (ICD-10-CM beside SNOMED, 2708-6 beside 59408-5).
#pragma once

namespace chartlock::synth {

namespace system {
inline constexpr const char* loinc = "http://loinc.org";
inline constexpr const char* snomed = "http://snomed.info/sct";
inline constexpr const char* rxnorm = "http://www.nlm.nih.gov/research/umls/rxnorm";
inline constexpr const char* cvx = "http://hl7.org/fhir/sid/cvx";
inline constexpr const char* icd10cm = "http://hl7.org/fhir/sid/icd-10-cm";
inline constexpr const char* ucum = "http://unitsofmeasure.org";
inline constexpr const char* act_code = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
inline constexpr const char* obs_category = "http://terminology.hl7.org/CodeSystem/observation-category";
inline constexpr const char* interpretation = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
inline constexpr const char* omb_race = "urn:oid:2.16.840.1.113883.6.238";
}  // namespace system

struct Coding {
  const char* system = nullptr;
  const char* code = nullptr;
  const char* display = nullptr;
};

struct Concept {
  Coding coding;
  Coding also{};  // optional second coding; system == nullptr when absent
  const char* text() const { return coding.display; }
};

}  // namespace chartlock::synth
