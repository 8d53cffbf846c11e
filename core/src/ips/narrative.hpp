// SPDX-License-Identifier: Apache-2.0
// Each IPS section's human-readable text: an XHTML div listing its entries
// in plain words (what, its status, value and range, when, from which
// provider), built from the same shared record as the entries, so the text
// says no more than the structured data. Everything written is escaped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "chartlock/record.hpp"

namespace chartlock::ips {

// Text for an XHTML element or attribute: & < > " ' escaped, and the control
// characters XML does not allow dropped.
std::string escape(std::string_view text);

// <div xmlns="http://www.w3.org/1999/xhtml">inner</div>; inner is XHTML already.
std::string div(const std::string& inner);

// One list item: the label in bold, then the details, then its providers.
std::string list_item(const std::string& label, const std::vector<std::string>& details,
                      const std::vector<std::string>& sources);

// The details of each kind of entry, in plain words (escaped by list_item).
std::vector<std::string> details(const Condition& c);
std::vector<std::string> details(const Medication& m);
std::vector<std::string> details(const Allergy& a);
std::vector<std::string> details(const Immunization& i);
std::vector<std::string> details(const Observation& o);
std::vector<std::string> details(const Procedure& p);

// The providers an item came from, each once, in the order the record has them.
std::vector<std::string> source_names(const ItemBase& item);

}  // namespace chartlock::ips
