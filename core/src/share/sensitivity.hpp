// Which sensitive categories (knowledge/sensitive.json) an item falls in.
#pragma once

#include <string>
#include <vector>

#include "chartlock/record.hpp"

namespace chartlock::share {

// By code (SNOMED CT, ICD-10-CM prefix, LOINC), by medication class, or by a
// word of its label. Errs toward privacy: a mention is enough.
std::vector<std::string> sensitive_categories(const std::vector<const CodeableConcept*>& concepts,
                                              bool is_medication);

}  // namespace chartlock::share
