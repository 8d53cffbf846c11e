// SPDX-License-Identifier: Apache-2.0
// A patient's consent: read from JSON, and applied to one item at a time.
#include <algorithm>

#include "chartlock/consent.hpp"
#include "chartlock/knowledge.hpp"
#include "share/date_shift.hpp"
#include "summary/civil_date.hpp"

namespace chartlock {

namespace {

using json = nlohmann::json;

constexpr long long kMaxShiftDays = 3650;

std::vector<std::string> string_list(const json& j, const char* field) {
  if (!j.is_array()) throw ConsentError(std::string("\"") + field + "\" must be an array of strings");
  std::vector<std::string> out;
  for (const json& e : j) {
    if (!e.is_string()) throw ConsentError(std::string("\"") + field + "\" must be an array of strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

std::string date_field(const json& j, const char* field) {
  if (j.is_null()) return {};
  if (!j.is_string() || !summary::parse_day(j.get<std::string>())) {
    throw ConsentError(std::string("\"") + field + "\" must be a date (YYYY-MM-DD) or null");
  }
  return j.get<std::string>();
}

bool known_sensitive(const std::string& id) {
  const auto& cats = knowledge::get().sensitive;
  return std::any_of(cats.begin(), cats.end(), [&](const knowledge::SensitiveCategory& c) { return c.id == id; });
}

// The first and last day a date as written can mean: "2019" is 2019-01-01 to
// 2019-12-31. A range keeps an item only when all of it lies inside.
std::string earliest(const std::string& d) {
  if (d.size() >= 10) return d.substr(0, 10);
  if (d.size() == 7) return d + "-01";
  if (d.size() == 4) return d + "-01-01";
  return d;
}
std::string latest(const std::string& d) {
  if (d.size() >= 10) return d.substr(0, 10);
  if (d.size() == 7) return d + "-31";
  if (d.size() == 4) return d + "-12-31";
  return d;
}

}  // namespace

Consent default_consent(std::vector<std::string> scopes) {
  Consent c;
  c.categories = categories_for_scopes(scopes);
  c.scopes = std::move(scopes);
  return c;
}

Consent consent_from_json(std::string_view text) {
  const json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) throw ConsentError("the consent is not valid JSON");
  if (!j.is_object()) throw ConsentError("the consent must be a JSON object");
  static const std::set<std::string> known{"scopes", "categories", "patient", "sensitive", "from", "to", "exclude",
                                          "deidentify"};
  for (const auto& [key, value] : j.items()) {
    if (known.count(key) == 0) throw ConsentError("unknown field \"" + key + "\" (docs/consent.md lists the fields)");
  }
  if (!j.contains("scopes")) throw ConsentError("\"scopes\" is missing: the tool's scopes say what it may receive");
  Consent c = default_consent(string_list(j.at("scopes"), "scopes"));
  const Categories covered = c.categories;
  if (covered.empty()) throw ConsentError("\"scopes\" cover nothing Chartlock shares (patient/TYPE.rs scopes)");

  if (j.contains("categories")) {
    c.categories.clear();
    for (const std::string& id : string_list(j.at("categories"), "categories")) {
      const std::optional<Category> cat = category_from_id(id);
      if (!cat) throw ConsentError("\"categories\": unknown category \"" + id + "\"");
      if (covered.count(*cat) == 0) throw ConsentError("\"categories\": the tool's scopes do not cover \"" + id + "\"");
      c.categories.insert(*cat);
    }
  }
  if (j.contains("patient")) {
    if (!j.at("patient").is_boolean()) throw ConsentError("\"patient\" must be true or false");
    if (j.at("patient").get<bool>()) {
      if (covered.count(Category::patient) == 0) {
        throw ConsentError("\"patient\": the tool's scopes do not ask for the patient (patient/Patient.rs)");
      }
      c.categories.insert(Category::patient);
    } else {
      c.categories.erase(Category::patient);
    }
  }
  if (j.contains("sensitive")) {
    for (const std::string& id : string_list(j.at("sensitive"), "sensitive")) {
      if (!known_sensitive(id)) throw ConsentError("\"sensitive\": unknown sensitive category \"" + id + "\"");
      c.sensitive.insert(id);
    }
  }
  if (j.contains("from")) c.from = date_field(j.at("from"), "from");
  if (j.contains("to")) c.to = date_field(j.at("to"), "to");
  if (!c.from.empty() && !c.to.empty() && c.from > c.to) throw ConsentError("\"from\" is after \"to\"");
  if (j.contains("exclude")) {
    for (std::string& key : string_list(j.at("exclude"), "exclude")) c.exclude.insert(std::move(key));
  }
  if (j.contains("deidentify") && !(j.at("deidentify").is_boolean() && !j.at("deidentify").get<bool>())) {
    const json& d = j.at("deidentify");
    const json* days = d.is_object() && d.contains("shiftDays") && d.size() == 1 ? &d.at("shiftDays") : nullptr;
    if (days == nullptr || !days->is_number_integer() || days->get<long long>() == 0 ||
        days->get<long long>() < -kMaxShiftDays || days->get<long long>() > kMaxShiftDays) {
      throw ConsentError("\"deidentify\" must be false or {\"shiftDays\": N}, N a whole number of days, not 0, within ±" +
                         std::to_string(kMaxShiftDays));
    }
    c.shift_days = static_cast<int>(days->get<long long>());
  }
  return c;
}

nlohmann::ordered_json to_json(const Consent& c) {
  nlohmann::ordered_json j;
  j["scopes"] = c.scopes;
  nlohmann::ordered_json cats = nlohmann::ordered_json::array();
  for (Category cat : c.categories) {
    if (cat != Category::patient) cats.push_back(std::string(category_id(cat)));
  }
  j["categories"] = std::move(cats);
  j["patient"] = c.categories.count(Category::patient) > 0;
  j["sensitive"] = c.sensitive;
  j["from"] = c.from.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.from);
  j["to"] = c.to.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(c.to);
  j["exclude"] = c.exclude;
  if (c.shift_days) j["deidentify"] = {{"shiftDays", *c.shift_days}};
  return j;
}

nlohmann::ordered_json to_receipt_json(const Consent& c) {
  nlohmann::ordered_json j = to_json(c);
  j.erase("exclude");
  j["excluded"] = c.exclude.size();
  j.erase("deidentify");
  j["deidentify"] = c.shift_days.has_value();
  if (c.shift_days) {  // the range the tool sees its items in
    if (!c.from.empty()) j["from"] = share::shift_date(c.from, *c.shift_days);
    if (!c.to.empty()) j["to"] = share::shift_date(c.to, *c.shift_days);
  }
  return j;
}

const char* to_string(Refusal r) {
  switch (r) {
    case Refusal::not_in_record: return "not-in-record";
    case Refusal::out_of_scope: return "out-of-scope";
    case Refusal::category_off: return "category-off";
    case Refusal::excluded: return "excluded";
    case Refusal::sensitive: return "sensitive";
    case Refusal::out_of_range: return "out-of-range";
    case Refusal::undated: return "undated";
  }
  return "refused";
}

std::optional<Refusal> refusal(const ConsentItem& item, const Consent& c) {
  if (!scopes_cover(c.scopes, item)) return Refusal::out_of_scope;
  if (c.categories.count(item.category) == 0) return Refusal::category_off;
  if (c.exclude.count(item.key) > 0) return Refusal::excluded;
  for (const std::string& s : item.sensitive) {
    if (c.sensitive.count(s) == 0) return Refusal::sensitive;
  }
  // A range is a promise about when: an item without a date cannot keep it,
  // unless it is going on now (docs/consent.md).
  if (item.date.empty() && (!c.from.empty() || !c.to.empty()) && !item.ongoing) return Refusal::undated;
  if (!item.date.empty()) {
    const bool began_in_time = c.to.empty() || latest(item.date) <= c.to;
    const bool after_start = c.from.empty() || earliest(item.date) >= c.from;
    if (!began_in_time || !(after_start || item.ongoing)) return Refusal::out_of_range;
  }
  return std::nullopt;
}

}  // namespace chartlock
