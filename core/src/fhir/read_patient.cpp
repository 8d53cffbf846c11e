#include "fhir/resource_readers.hpp"

namespace chartlock::fhir {

namespace {

// The name to show: the "official" one when marked, else the first usable.
void read_name(ResourceInput& in, Patient& p) {
  auto names = get_array(in.d, in.resource, "name", in.at);
  if (!names) return;
  const Path field = in.at / "name";
  std::optional<object> chosen;
  std::size_t i = 0, chosen_i = 0;
  bool official = false;
  for (element e : *names) {
    object o;
    if (e.get_object().get(o) != simdjson::SUCCESS) {
      in.d.warn(DiagnosticCode::wrong_type, field / i, "expected an object");
    } else if (!official) {
      // Through the typed accessor, so a mistyped `use` is reported, not
      // silently taken as "not official".
      const auto use = get_string(in.d, o, "use", field / i);
      const bool is_official = use && *use == "official";
      if (!chosen || is_official) {
        chosen = o;
        chosen_i = i;
        official = is_official;
      }
    }
    ++i;
  }
  if (!chosen) return;
  const Path at = field / chosen_i;
  p.given = get_strings(in.d, *chosen, "given", at);
  p.family = string_or_empty(in.d, *chosen, "family", at);
  std::string text = string_or_empty(in.d, *chosen, "text", at);
  for (const std::string& g : p.given) {
    if (!p.name.empty()) p.name += ' ';
    p.name += g;
  }
  if (!p.family.empty()) {
    if (!p.name.empty()) p.name += ' ';
    p.name += p.family;
  }
  if (p.name.empty()) p.name = std::move(text);
}

}  // namespace

bool read_patient(ResourceInput& in) {
  Patient p;
  static_cast<ItemBase&>(p) = std::move(in.base);
  p.present = true;
  read_name(in, p);
  p.birthDate = get_date_time(in.d, in.resource, "birthDate", in.at);
  p.gender = string_or_empty(in.d, in.resource, "gender", in.at);
  if (get_any(in.resource, "deceasedDateTime")) {
    p.deceased = get_date_time(in.d, in.resource, "deceasedDateTime", in.at);
  } else if (auto b = get_bool(in.d, in.resource, "deceasedBoolean", in.at); b && *b) {
    p.deceased = "true";
  }
  bool first = true;
  for_each_object(in.d, in.resource, "address", in.at, [&](object a, const Path& at) {
    if (!first) return;
    first = false;
    p.address = Patient::Address{string_or_empty(in.d, a, "city", at),
                                 string_or_empty(in.d, a, "state", at),
                                 string_or_empty(in.d, a, "postalCode", at),
                                 string_or_empty(in.d, a, "country", at)};
  });
  in.draft.patients.push_back(std::move(p));
  return true;
}

}  // namespace chartlock::fhir
