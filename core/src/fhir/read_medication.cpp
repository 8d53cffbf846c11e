// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

namespace {

// medicationCodeableConcept, or medicationReference: to a contained
// Medication ("#id", resolved here) or to one elsewhere in the source
// (resolved once the source is read).
bool read_medication_choice(ResourceInput& in, Medication& m, std::string_view type) {
  if (auto cc = get_object(in.d, in.resource, "medicationCodeableConcept", in.at)) {
    m.code = read_codeable_concept(in.d, *cc, in.at / "medicationCodeableConcept");
    return true;
  }
  auto mref = get_fields(in.d, in.resource, "medicationReference", in.at);
  if (!mref) {
    if (!get_any(in.resource, "medicationCodeableConcept") &&
        !get_any(in.resource, "medicationReference"))
      in.missing(type, "medication[x]");
    return false;
  }
  const Path at = in.at / "medicationReference";
  const std::string_view reference = view_or_empty(in.d, *mref, "reference", at);
  // A display names the drug even where the reference cannot be followed.
  m.code.text = string_or_empty(in.d, *mref, "display", at);
  if (reference.empty()) {
    if (m.code.text.empty()) {
      in.d.warn(DiagnosticCode::invalid_value, at, "medicationReference has neither a reference nor a display");
    }
    return !m.code.text.empty();
  }
  if (reference[0] != '#') {
    in.ref(Kind::medication, RefSlot::medication, reference, at);
    return true;
  }
  const std::string_view id = reference.substr(1);
  bool found = false;
  for_each_object(in.d, in.resource, "contained", in.at, [&](const Fields& c, const Path& p) {
    if (found) return;
    // Typed accessors: a mistyped id or resourceType in a contained resource
    // is reported at its own pointer, not only as a reference that failed.
    const auto cid = get_string(in.d, c, "id", p);
    if (!cid || *cid != id) return;
    found = true;
    const auto ctype = get_string(in.d, c, "resourceType", p);
    if (!ctype || *ctype != "Medication") {
      in.d.warn(DiagnosticCode::invalid_value, at,
                "medicationReference points at a contained resource that is not a Medication");
      return;
    }
    CodeableConcept code = get_concept(in.d, c, "code", p);
    if (code.text.empty()) code.text = std::move(m.code.text);
    m.code = std::move(code);
  });
  if (!found) {
    in.d.warn(DiagnosticCode::dangling_reference, at,
              "reference to a contained resource that is not there");
  }
  return true;
}

bool read_common(ResourceInput& in, Medication& m, std::string_view type) {
  if (!read_medication_choice(in, m, type)) return false;
  static_cast<ItemBase&>(m) = std::move(in.base);
  m.status = view_or_empty(in.d, in.resource, "status", in.at);
  if (m.status.empty()) in.missing(type, "status");
  in.ref_field(Kind::medication, RefSlot::encounter, type == "MedicationRequest" ? "encounter" : "context");
  return true;
}

// The first dosage's text, when the source gives one.
std::string first_dosage_text(ResourceInput& in, std::string_view key) {
  std::string text;
  for_each_object(in.d, in.resource, key, in.at, [&](const Fields& o, const Path& p) {
    if (text.empty()) text = string_or_empty(in.d, o, "text", p);
  });
  return text;
}

}  // namespace

bool read_medication_request(ResourceInput& in) {
  Medication m;
  m.kind = "request";
  if (!read_common(in, m, "MedicationRequest")) return false;
  m.intent = view_or_empty(in.d, in.resource, "intent", in.at);
  m.authoredOn = view_date_time(in.d, in.resource, "authoredOn", in.at);
  m.dosage = first_dosage_text(in, "dosageInstruction");
  m.reasons = get_concepts(in.d, in.resource, "reasonCode", in.at);
  in.draft.medications.push_back(std::move(m));
  return true;
}

bool read_medication_statement(ResourceInput& in) {
  Medication m;
  m.kind = "statement";
  if (!read_common(in, m, "MedicationStatement")) return false;
  m.effective = get_time_choice(in.d, in.resource, "effective", in.at).period;
  if (m.effective.empty()) m.authoredOn = view_date_time(in.d, in.resource, "dateAsserted", in.at);
  m.dosage = first_dosage_text(in, "dosage");
  m.reasons = get_concepts(in.d, in.resource, "reasonCode", in.at);
  in.draft.medications.push_back(std::move(m));
  return true;
}

}  // namespace chartlock::fhir
