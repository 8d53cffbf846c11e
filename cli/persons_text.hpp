// SPDX-License-Identifier: Apache-2.0
// The message for sources that are more than one person: each person, and the
// fields that tell the first two apart, both values side by side. For the
// patient's own terminal: it names values, so it is never logged.
#pragma once

#include <string>

#include "chartlock/persons.hpp"

namespace chartlock::cli {

std::string different_persons_text(const DifferentPersons& e);

}  // namespace chartlock::cli
