// SPDX-License-Identifier: Apache-2.0
// The identity of a fact: what must agree for two sources' items to be the
// same fact (same code system + code, same time, same value). Two items with
// equal identities from different sources merge into one.
#pragma once

#include <optional>
#include <string>

#include "chartlock/record.hpp"

namespace chartlock::merge {

// nullopt: the item lacks what would identify it (no code); it is never merged.
std::optional<std::string> identity(const Condition& c);
std::optional<std::string> identity(const Observation& o);
std::optional<std::string> identity(const Medication& m);
std::optional<std::string> identity(const Allergy& a);
std::optional<std::string> identity(const Immunization& i);
std::optional<std::string> identity(const Procedure& p);
std::optional<std::string> identity(const Encounter& e);
std::optional<std::string> identity(const Report& r);
std::optional<std::string> identity(const Document& d);
std::optional<std::string> identity(const CarePlan& c);
std::optional<std::string> identity(const Goal& g);
std::optional<std::string> identity(const OtherResource& o);

// Preferred code systems per list, most specific first.
const std::vector<std::string>& preferred_systems_observation();
const std::vector<std::string>& preferred_systems_condition();
const std::vector<std::string>& preferred_systems_medication();
const std::vector<std::string>& preferred_systems_immunization();

}  // namespace chartlock::merge
