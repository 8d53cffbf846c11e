// SPDX-License-Identifier: Apache-2.0
// Each shared item as a FHIR R4 resource rebuilt from the record model: only
// the fields listed in docs/share-content.md, references only to what the
// same share holds, no narrative, identifiers, extensions or contained
// resources. Nothing of the source's JSON is copied through.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chartlock/record.hpp"

namespace chartlock::share {

// The id each shared item has in the share, by its record key: references
// are kept only to these.
struct SharedIds {
  const std::map<std::string, std::string>& ids;
  // "" when the item is not in the share.
  const std::string& of(const std::string& key) const {
    static const std::string none;
    auto it = ids.find(key);
    return it == ids.end() ? none : it->second;
  }
};

inline constexpr const char* kPatientId = "patient";

// {"coding": [{"system": …, "code": …, "display": … (when given)}]}: a fixed
// concept of the receipt's, the IPS's. Built member by member: a nested
// initializer list costs code for every element it converts (docs/
// performance.md, "The module's code size, again").
nlohmann::ordered_json coded_concept(std::string_view system, std::string_view code, const char* display = nullptr);

nlohmann::ordered_json patient_resource(const Patient& p);
nlohmann::ordered_json resource(const Condition& c, const SharedIds& shared);
nlohmann::ordered_json resource(const Observation& o, const SharedIds& shared);
nlohmann::ordered_json resource(const Medication& m, const SharedIds& shared);
nlohmann::ordered_json resource(const Allergy& a, const SharedIds& shared);
nlohmann::ordered_json resource(const Immunization& i, const SharedIds& shared);
nlohmann::ordered_json resource(const Procedure& p, const SharedIds& shared);
nlohmann::ordered_json resource(const Encounter& e, const SharedIds& shared);
nlohmann::ordered_json resource(const Report& r, const SharedIds& shared);
nlohmann::ordered_json resource(const Document& d, const SharedIds& shared);
nlohmann::ordered_json resource(const CarePlan& c, const SharedIds& shared);
nlohmann::ordered_json resource(const Goal& g, const SharedIds& shared);

// Which provider(s) reported the item, as the share's sources name them
// (file names without directories): one meta.tag each, system kSourceTagSystem,
// display the name. Two when two providers reported the same fact.
inline constexpr const char* kSourceTagSystem = "urn:chartlock:source";
void tag_sources(nlohmann::ordered_json& resource, const std::vector<Provenance>& sources);

}  // namespace chartlock::share
