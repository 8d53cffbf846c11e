// SPDX-License-Identifier: Apache-2.0
#include "provider_style.hpp"

#include "json_writer.hpp"

namespace chartlock::synth {
namespace {

const char* const kOrganizations[] = {"Riverside Family Medicine", "Lakeshore Medical Center",
                                      "Northgate Health Partners", "Summit Internal Medicine",
                                      "Valley Community Hospital", "Harborview Primary Care",
                                      "Pinecrest Clinic", "Meadowbrook Health"};
const char* const kDoctorGiven[] = {"Anita", "Marcus", "Elena", "Tobias", "Ngozi", "Kenji", "Ruth", "Felipe"};
const char* const kDoctorFamily[] = {"Calloway", "Iverson", "Mbeki", "Santangelo", "Thornbury", "Yilmaz",
                                     "Ostrowski", "Delacroix"};
const int kOffsets[] = {0, -300, 0, -480, -360, -420};  // minutes from UTC, by provider

}  // namespace

ProviderStyle make_provider_style(int index, GeneratorOptions::Format format, Rng& rng) {
  ProviderStyle s;
  s.index = index;
  s.name = "provider-" + std::to_string(index + 1);
  s.base_url = "https://" + s.name + ".example/fhir";
  const bool synthea_like = index % 2 == 0;
  s.uuid_ids = synthea_like;
  // NDJSON has no fullUrl to resolve urn:uuid against: references are relative.
  s.urn_uuid = synthea_like && format == GeneratorOptions::Format::bundle;
  s.time = TimeStyle{kOffsets[index % 6], index % 4 == 2};
  s.reference_ranges = index != 0;
  s.si_units = !synthea_like;
  s.ldl_calculated = !synthea_like;
  s.pulse_oximetry = !synthea_like;
  s.billing = synthea_like;
  s.provenance = !synthea_like;

  s.organization = kOrganizations[index % 8];
  if (index >= 8) s.organization += " " + std::to_string(index / 8 + 1);
  s.org_npi = "99" + rng.digits(8);
  s.org_phone = "555-01" + rng.digits(2);
  s.practitioner_given = rng.pick(kDoctorGiven);
  s.practitioner_family = rng.pick(kDoctorFamily);
  s.practitioner_display = "Dr. " + s.practitioner_given + " " + s.practitioner_family;
  s.practitioner_npi = "99" + rng.digits(8);
  s.mrn = (synthea_like ? "" : "E") + rng.digits(8);
  s.next_sequence = static_cast<std::uint64_t>(rng.between(1000, 90000)) * 10;
  return s;
}

void write_reference(JsonWriter& w, const ProviderStyle& style, ResourceType type, const LocalId& id) {
  const IdText text = id_text(id);
  if (style.urn_uuid) {
    w.string({"urn:uuid:", text.view()});
  } else {
    w.string({type_name(type), "/", text.view()});
  }
}

void write_full_url(JsonWriter& w, const ProviderStyle& style, ResourceType type, const LocalId& id) {
  const IdText text = id_text(id);
  if (style.urn_uuid) {
    w.string({"urn:uuid:", text.view()});
  } else {
    w.string({style.base_url, "/", type_name(type), "/", text.view()});
  }
}

}  // namespace chartlock::synth
