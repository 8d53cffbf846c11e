// SPDX-License-Identifier: Apache-2.0
// The consent engine: what a patient can share, what a tool asked for, what
// the patient chose, and — for every item — whether it may leave. The one
// owner of these rules: the widget shows choices and passes them here, the
// CLI reads them from a file (docs/consent.md), and build_share() applies
// them again to every item it writes, whatever keys its caller passes.
#pragma once

#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chartlock/category.hpp"
#include "chartlock/record.hpp"

namespace chartlock {

// ---- what can be shared ----

struct ConsentItem {
  std::string key;
  Category category = Category::conditions;
  std::string resourceType;  // what it is shared as
  std::string label;         // plain words: the knowledge base's name when it knows the code
  std::string recorded;      // the record's own words when they differ from label, else empty
  std::string date;          // its main date, as written; may be empty
  bool ongoing = false;      // an active condition or a current medicine: kept by a date range it began before
  std::vector<std::string> sources;
  std::vector<std::string> sensitive;     // ids of the sensitive categories it falls in
  std::vector<std::string> fhirCategory;  // its FHIR category codes, for scopes such as ?category=laboratory
};

// Every shareable item of the record, in record order.
std::vector<ConsentItem> consent_catalog(const Record& record);
nlohmann::ordered_json to_json(const std::vector<ConsentItem>& items);

// ---- what a tool asks for: SMART v1/v2 patient-level scopes ----

struct Scope {
  std::string resourceType;  // "*" for every type
  std::string category;      // a ?category= narrowing (its code), or empty
};

// A patient-level read or search scope (patient/Condition.rs, v1
// patient/Observation.read, patient/*.rs, patient/Observation.rs?category=
// laboratory); nullopt for anything else (launch, openid, user/…, writes).
std::optional<Scope> parse_scope(std::string_view scope);
// The resource types Chartlock shares (Patient and the items' types).
bool is_shareable_type(std::string_view resourceType);
// The categories the scopes can cover; Category::patient when they ask for Patient.
Categories categories_for_scopes(const std::vector<std::string>& scopes);
// Whether some scope covers the item: its type, and any ?category= narrowing.
bool scopes_cover(const std::vector<std::string>& scopes, const ConsentItem& item);

// ---- what the patient chose ----

struct Consent {
  std::vector<std::string> scopes;  // the tool's, as its manifest lists them
  Categories categories;            // shared; Category::patient: name, sex and birth date
  std::set<std::string> sensitive;  // sensitive category ids the patient turned on
  std::string from, to;             // YYYY-MM-DD, or empty for an open end
  std::set<std::string> exclude;    // item keys the patient removed one by one
  // "Hide my name and exact dates": no name or record numbers, every date
  // moved by this many days (one secret offset per grant, kept in the vault),
  // items named by their place in the share instead of their record keys.
  std::optional<int> shift_days;
};

class ConsentError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Every category the scopes cover, no sensitive category, no dates, nothing excluded.
Consent default_consent(std::vector<std::string> scopes);
// CONSENT.json (docs/consent.md). Throws ConsentError naming the field at fault;
// a category the scopes do not cover is an error, not silently dropped.
Consent consent_from_json(std::string_view text);
nlohmann::ordered_json to_json(const Consent& consent);
// The consent as the tool may read it (the receipt): the excluded keys only
// counted (record keys are hashes of what the patient kept back), and the
// date offset never written.
nlohmann::ordered_json to_receipt_json(const Consent& consent);

enum class Refusal { not_in_record, out_of_scope, category_off, excluded, sensitive, out_of_range, undated };
const char* to_string(Refusal r);

// Why the item may not be shared under the consent; nullopt when it may.
std::optional<Refusal> refusal(const ConsentItem& item, const Consent& consent);

}  // namespace chartlock
