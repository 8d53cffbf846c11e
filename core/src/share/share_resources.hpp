// Each shared item as a FHIR R4 resource rebuilt from the record model: only
// the fields listed in docs/share-content.md, references only to what the
// same share holds, no narrative, identifiers, extensions or contained
// resources. Nothing of the source's JSON is copied through.
#pragma once

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "chartlock/record.hpp"

namespace chartlock::share {

// The keys of every item in the share, to keep references inside it.
struct SharedKeys {
  const std::set<std::string>& keys;
  bool has(const std::string& key) const { return !key.empty() && keys.count(key) > 0; }
};

inline constexpr const char* kPatientId = "patient";

nlohmann::ordered_json patient_resource(const Patient& p);
nlohmann::ordered_json resource(const Condition& c, const SharedKeys& shared);
nlohmann::ordered_json resource(const Observation& o, const SharedKeys& shared);
nlohmann::ordered_json resource(const Medication& m, const SharedKeys& shared);
nlohmann::ordered_json resource(const Allergy& a, const SharedKeys& shared);
nlohmann::ordered_json resource(const Immunization& i, const SharedKeys& shared);
nlohmann::ordered_json resource(const Procedure& p, const SharedKeys& shared);
nlohmann::ordered_json resource(const Encounter& e, const SharedKeys& shared);
nlohmann::ordered_json resource(const Report& r, const SharedKeys& shared);
nlohmann::ordered_json resource(const Document& d, const SharedKeys& shared);
nlohmann::ordered_json resource(const CarePlan& c, const SharedKeys& shared);
nlohmann::ordered_json resource(const Goal& g, const SharedKeys& shared);

}  // namespace chartlock::share
