// SPDX-License-Identifier: Apache-2.0
#include "fhir/patient_name.hpp"
#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

namespace {

std::string period_end(ResourceInput& in, const Fields& o, const Path& at) {
  if (auto period = get_fields(in.d, o, "period", at)) return get_date_time(in.d, *period, "end", at / "period");
  return {};
}

// Every name, address, phone, email and identifier: what tells who this is.
void read_identity(ResourceInput& in, Patient& p) {
  for_each_object(in.d, in.resource, "name", in.at, [&](const Fields& o, const Path& at) {
    Patient::Name n;
    n.use = string_or_empty(in.d, o, "use", at);
    n.family = string_or_empty(in.d, o, "family", at);
    n.given = get_strings(in.d, o, "given", at);
    n.text = string_or_empty(in.d, o, "text", at);
    n.end = period_end(in, o, at);
    if (!n.family.empty() || !n.given.empty() || !n.text.empty()) p.names.push_back(std::move(n));
  });
  for_each_object(in.d, in.resource, "address", in.at, [&](const Fields& a, const Path& at) {
    Patient::Address addr{string_or_empty(in.d, a, "city", at), string_or_empty(in.d, a, "state", at),
                          string_or_empty(in.d, a, "postalCode", at), string_or_empty(in.d, a, "country", at),
                          get_strings(in.d, a, "line", at), string_or_empty(in.d, a, "use", at),
                          period_end(in, a, at)};
    if (!p.address) p.address = addr;
    p.addresses.push_back(std::move(addr));
  });
  for_each_object(in.d, in.resource, "telecom", in.at, [&](const Fields& t, const Path& at) {
    const std::string system = string_or_empty(in.d, t, "system", at);
    std::string value = string_or_empty(in.d, t, "value", at);
    if (value.empty()) return;
    if (system == "phone" || system == "sms") p.phones.push_back(std::move(value));
    if (system == "email") p.emails.push_back(std::move(value));
  });
  for_each_object(in.d, in.resource, "identifier", in.at, [&](const Fields& o, const Path& at) {
    Patient::Identifier id{string_or_empty(in.d, o, "system", at), string_or_empty(in.d, o, "value", at)};
    if (!id.value.empty()) p.identifiers.push_back(std::move(id));
  });
}

}  // namespace

// The name to show: the official one when marked, else the first.
void show_name(Patient& p) {
  if (p.names.empty()) return;
  const Patient::Name* chosen = &p.names.front();
  for (const Patient::Name& n : p.names) {
    if (n.use == "official") {
      chosen = &n;
      break;
    }
  }
  p.given = chosen->given;
  p.family = chosen->family;
  for (const std::string& g : p.given) {
    if (!p.name.empty()) p.name += ' ';
    p.name += g;
  }
  if (!p.family.empty()) {
    if (!p.name.empty()) p.name += ' ';
    p.name += p.family;
  }
  if (p.name.empty()) p.name = chosen->text;
}

bool read_patient(ResourceInput& in) {
  Patient p;
  static_cast<ItemBase&>(p) = std::move(in.base);
  p.present = true;
  p.birthDate = get_date_time(in.d, in.resource, "birthDate", in.at);
  p.gender = string_or_empty(in.d, in.resource, "gender", in.at);
  if (get_any(in.resource, "deceasedDateTime")) {
    p.deceased = get_date_time(in.d, in.resource, "deceasedDateTime", in.at);
  } else if (auto b = get_bool(in.d, in.resource, "deceasedBoolean", in.at); b && *b) {
    p.deceased = "true";
  }
  read_identity(in, p);
  show_name(p);
  in.draft.patients.push_back(std::move(p));
  return true;
}

}  // namespace chartlock::fhir
