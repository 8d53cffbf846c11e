// SPDX-License-Identifier: Apache-2.0
// The resources of an IPS, one per shared item: the share's own rebuilt
// resource (share/share_resources.hpp: the same fields, nothing copied from
// the source) with what the IPS profiles require and the record lacks stated
// absent the IPS way (a data-absent-reason extension or code), and its
// references turned into the Bundle's urn:uuid names.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chartlock/record.hpp"
#include "share/share_resources.hpp"

namespace chartlock::ips {

using json = nlohmann::ordered_json;

// Patient (IPS): name and birth date are required; when the patient chose
// not to share them they are written "masked", when the records do not have
// them "unknown".
json patient_entry(const Patient& p, bool withheld);

json item_entry(const Condition& c, const share::SharedIds& ids);
json item_entry(const Medication& m, const share::SharedIds& ids);
json item_entry(const Allergy& a, const share::SharedIds& ids);
json item_entry(const Immunization& i, const share::SharedIds& ids);
json item_entry(const Procedure& p, const share::SharedIds& ids);
// A result ("laboratory") or a vital sign ("vital-signs"): that FHIR
// category is written when the source left it out (the consent engine
// judged it one by its LOINC code).
json item_entry(const Observation& o, const share::SharedIds& ids, const std::string& category);

// Every {"reference": "Type/id"} inside `resource` named by `urls` becomes
// that fullUrl; a reference `urls` does not name is dropped with its field
// (every resource referred to must be inside the document).
void resolve_references(json& resource, const std::map<std::string, std::string>& urls);

// The provider one or more entries came from (IPS Design Conventions,
// Provenance: "distinguish subsets of data assembled from different
// sources"): the provider as custodian of those entries.
json provenance_entry(const std::string& id, const std::string& source, const std::vector<std::string>& targets,
                      const std::string& recorded);

// Chartlock, the software that assembled the document (its author: an IPS
// "software-assembled" from the patient's records).
json device_entry();

}  // namespace chartlock::ips
