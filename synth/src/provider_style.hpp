// SPDX-License-Identifier: Apache-2.0
// How one provider's system writes FHIR. Real exports differ in more than
// ids: Synthea-like systems use urn:uuid fullUrls and references, UTC "+00:00"
// times, no reference ranges and carry claims; portal-style servers use
// absolute fullUrls with relative references, local times, ranges with H/L
// flags, sometimes molar units, and Provenance. Providers alternate styles.
#pragma once

#include <cstdint>
#include <string>

#include "chartlock/synth/options.hpp"
#include "civil_time.hpp"
#include "local_id.hpp"
#include "resource_type.hpp"
#include "rng.hpp"

namespace chartlock::synth {

struct ProviderStyle {
  int index = 0;          // 0-based; the file is provider-(index+1)
  std::string name;       // provider-1
  std::string base_url;   // https://provider-1.example/fhir
  bool uuid_ids = true;   // UUIDs, else sequence numbers
  bool urn_uuid = true;   // urn:uuid fullUrls and references, else absolute fullUrls + relative references
  TimeStyle time;
  bool reference_ranges = false;  // labs carry referenceRange, and H/L when outside it
  bool si_units = false;          // some glucose and lipid results in mmol/L
  bool ldl_calculated = false;    // LDL by calculation (13457-7), else direct (18262-6)
  bool pulse_oximetry = false;    // SpO2 as 59408-5 + 2708-6, else 2708-6 only
  bool billing = false;           // Claim + ExplanationOfBenefit per visit
  bool provenance = false;        // Provenance per visit

  std::string organization;  // Organization.name
  std::string org_npi;
  std::string org_phone;
  std::string practitioner_given;
  std::string practitioner_family;
  std::string practitioner_display;  // "Dr. Given Family"
  std::string practitioner_npi;
  std::string mrn;  // the patient's record number here
  std::uint64_t next_sequence = 0;

  // A new id for a resource in this provider's output.
  LocalId new_id(Rng& rng) { return uuid_ids ? random_uuid(rng) : sequence_id(next_sequence++); }
  bool relative_references() const { return !urn_uuid; }
};

ProviderStyle make_provider_style(int index, GeneratorOptions::Format format, Rng& rng);

}  // namespace chartlock::synth

namespace chartlock::synth {

class JsonWriter;

// A reference to a resource in this provider's output: "urn:uuid:…" or
// "Observation/123" (relative to the entry's absolute fullUrl).
void write_reference(JsonWriter& w, const ProviderStyle& style, ResourceType type, const LocalId& id);
// Bundle.entry.fullUrl: "urn:uuid:…" or "https://provider-2.example/fhir/Observation/123".
void write_full_url(JsonWriter& w, const ProviderStyle& style, ResourceType type, const LocalId& id);

}  // namespace chartlock::synth
