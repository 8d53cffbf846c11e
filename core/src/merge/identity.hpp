// SPDX-License-Identifier: Apache-2.0
// The identity of a fact: what must agree for two sources' items to be the
// same fact (same code system + code, same time, same value). Two items with
// equal identities from different sources merge into one.
#pragma once

#include <cstddef>
#include <string>

#include "chartlock/record.hpp"

namespace chartlock::merge {

// Writes the item's identity into `out` (a buffer the caller reuses from
// one item to the next); false when the item lacks what would identify it
// (no code), and it is never merged.
bool identity(const Condition& c, std::string& out);
bool identity(const Observation& o, std::string& out);
bool identity(const Medication& m, std::string& out);
bool identity(const Allergy& a, std::string& out);
bool identity(const Immunization& i, std::string& out);
bool identity(const Procedure& p, std::string& out);
bool identity(const Encounter& e, std::string& out);
bool identity(const Report& r, std::string& out);
bool identity(const Document& d, std::string& out);
bool identity(const CarePlan& c, std::string& out);
bool identity(const Goal& g, std::string& out);
bool identity(const OtherResource& o, std::string& out);

// %.15g of v, as snprintf writes it in the C locale, at out (32 bytes at
// least); returns its length. The identity's non-whole numbers: 15
// significant digits, so that 5.1 and 5.10 agree and binary noise does not
// split them.
std::size_t format_g15(double v, char* out);

// Preferred code systems per list, most specific first.
const std::vector<std::string>& preferred_systems_observation();
const std::vector<std::string>& preferred_systems_condition();
const std::vector<std::string>& preferred_systems_medication();
const std::vector<std::string>& preferred_systems_immunization();

}  // namespace chartlock::merge
