// SPDX-License-Identifier: Apache-2.0
#include "fhir_types.hpp"
#include "resources.hpp"

namespace chartlock::synth {
namespace {

// A US Core race or ethnicity extension: the OMB category and its text.
void write_omb_extension(JsonWriter& w, const char* url, const Coding& category) {
  w.begin_object().field("url", url).key("extension").begin_array();
  w.begin_object().field("url", "ombCategory").key("valueCoding");
  write_coding(w, category);
  w.end_object();
  w.begin_object().field("url", "text").field("valueString", category.display).end_object();
  w.end_array().end_object();
}

void write_npi(JsonWriter& w, const std::string& npi) {
  w.key("identifier").begin_array().begin_object();
  w.field("system", "http://hl7.org/fhir/sid/us-npi").field("value", npi).end_object().end_array();
}

void write_claim_type(JsonWriter& w, Visit visit) {
  const bool facility = visit == Visit::emergency || visit == Visit::inpatient;
  w.key("type");
  write_code(w, "http://terminology.hl7.org/CodeSystem/claim-type", facility ? "institutional" : "professional");
}

void write_insurance(JsonWriter& w, const char* payer, bool with_sequence) {
  w.key("insurance").begin_array().begin_object();
  if (with_sequence) w.key("sequence").integer(1);
  w.key("focal").boolean(true).key("coverage").begin_object().field("display", payer).end_object();
  w.end_object().end_array();
}

}  // namespace

void write_body(JsonWriter& w, const PatientFact& f, const RenderContext& ctx) {
  const Person& p = *f.person;
  if (f.essentials_only) {
    w.key("name").begin_array().begin_object().field("use", "official").field("family", p.family);
    w.key("given").begin_array().string(p.given).end_array().end_object().end_array();
    w.field("gender", p.gender()).field("birthDate", p.birth_date);
    return;
  }
  w.key("extension").begin_array();
  write_omb_extension(w, "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race", p.race);
  write_omb_extension(w, "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity", p.ethnicity);
  w.begin_object().field("url", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex");
  w.field("valueCode", p.female ? "F" : "M").end_object();
  w.end_array();
  // Each provider knows the patient by its own record number.
  w.key("identifier").begin_array().begin_object().field("use", "usual").key("type");
  w.begin_object().key("coding").begin_array();
  write_coding(w, Coding{"http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical Record Number"});
  w.end_array().field("text", "Medical Record Number").end_object();
  w.key("system").string({"https://", ctx.target.name, ".example/mrn"});
  w.field("value", ctx.target.mrn).end_object().end_array();
  w.key("active").boolean(true);
  w.key("name").begin_array().begin_object().field("use", "official").field("family", p.family);
  w.key("given").begin_array().string(p.given);
  if (!p.middle.empty()) w.string(p.middle);
  w.end_array().end_object().end_array();
  w.key("telecom").begin_array().begin_object().field("system", "phone").field("value", p.phone);
  w.field("use", "home").end_object().end_array();
  w.field("gender", p.gender()).field("birthDate", p.birth_date);
  w.key("address").begin_array().begin_object().key("line").begin_array().string(p.street).end_array();
  w.field("city", p.city).field("state", p.state).field("postalCode", p.postal_code).field("country", "US");
  w.end_object().end_array();
  w.key("maritalStatus");
  write_code(w, "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus", p.married ? "M" : "S",
             p.married ? "Married" : "Never Married");
  w.key("communication").begin_array().begin_object().key("language");
  write_concept(w, Concept{{"urn:ietf:bcp:47", "en-US", "English (United States)"}});
  w.end_object().end_array();
}

void write_body(JsonWriter& w, const OrganizationFact&, const RenderContext& ctx) {
  write_npi(w, ctx.origin.org_npi);
  w.key("active").boolean(true).key("type").begin_array();
  write_code(w, "http://terminology.hl7.org/CodeSystem/organization-type", "prov", "Healthcare Provider");
  w.end_array().field("name", ctx.origin.organization);
  w.key("telecom").begin_array().begin_object().field("system", "phone").field("value", ctx.origin.org_phone);
  w.end_object().end_array();
}

void write_body(JsonWriter& w, const PractitionerFact&, const RenderContext& ctx) {
  write_npi(w, ctx.origin.practitioner_npi);
  w.key("active").boolean(true).key("name").begin_array().begin_object();
  w.field("family", ctx.origin.practitioner_family);
  w.key("given").begin_array().string(ctx.origin.practitioner_given).end_array();
  w.key("prefix").begin_array().string("Dr.").end_array().end_object().end_array();
}

void write_body(JsonWriter& w, const ClaimFact& f, const RenderContext& ctx) {
  w.field("status", "active");
  write_claim_type(w, f.visit);
  w.field("use", "claim");
  ctx.subject(w, "patient");
  w.key("billablePeriod");
  write_period(w, ctx, f.start, f.end);
  w.field("created", ctx.date_time(f.end).view());
  ctx.reference(w, "provider", f.provider, ctx.origin.organization.c_str());
  w.key("priority");
  write_code(w, "http://terminology.hl7.org/CodeSystem/processpriority", "normal");
  if (!f.diagnoses.empty()) {
    w.key("diagnosis").begin_array();
    std::int64_t sequence = 1;
    for (const auto& [condition, display] : f.diagnoses) {
      w.begin_object().key("sequence").integer(sequence++);
      ctx.reference(w, "diagnosisReference", &condition, display);
      w.end_object();
    }
    w.end_array();
  }
  write_insurance(w, f.payer, true);
  w.key("item").begin_array();
  std::int64_t sequence = 1;
  for (const Concept* item : f.items) {
    w.begin_object().key("sequence").integer(sequence).key("productOrService");
    write_concept(w, *item);
    if (sequence++ == 1 && ctx.has(f.encounter)) {
      w.key("encounter").begin_array();
      ctx.reference_value(w, f.encounter, nullptr);
      w.end_array();
    }
    w.end_object();
  }
  w.end_array().key("total");
  write_money(w, f.total_cents);
}

void write_body(JsonWriter& w, const ExplanationOfBenefitFact& f, const RenderContext& ctx) {
  const ClaimFact& claim = *f.claim_fact;
  w.field("status", "active");
  write_claim_type(w, claim.visit);
  w.field("use", "claim");
  ctx.subject(w, "patient");
  w.key("billablePeriod");
  write_period(w, ctx, claim.start, claim.end);
  w.field("created", ctx.date_time(claim.end).view());
  w.key("insurer").begin_object().field("display", claim.payer).end_object();
  ctx.reference(w, "provider", claim.provider, ctx.origin.organization.c_str());
  ctx.reference(w, "claim", f.claim);
  w.field("outcome", "complete");
  write_insurance(w, claim.payer, false);
  w.key("total").begin_array().begin_object().key("category");
  write_code(w, "http://terminology.hl7.org/CodeSystem/adjudication", "submitted", "Submitted Amount");
  w.key("amount");
  write_money(w, claim.total_cents);
  w.end_object().end_array();
  w.key("payment").begin_object().key("amount");
  write_money(w, f.paid_cents);
  w.end_object();
}

void write_body(JsonWriter& w, const ProvenanceFact& f, const RenderContext& ctx) {
  w.key("target").begin_array();
  ctx.reference_value(w, f.target, nullptr);
  w.end_array().field("recorded", ctx.instant(f.recorded).view());
  w.key("agent").begin_array().begin_object().key("type");
  write_code(w, "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author");
  ctx.reference(w, "who", f.author, ctx.origin.practitioner_display.c_str());
  ctx.reference(w, "onBehalfOf", f.organization, ctx.origin.organization.c_str());
  w.end_object().end_array();
}

}  // namespace chartlock::synth
