// SPDX-License-Identifier: Apache-2.0
// The name a patient is shown by, from every name their record holds: FHIR's
// Patient (fhir/read_patient.cpp) and C-CDA's recordTarget (ccda/) alike.
#pragma once

#include "chartlock/record.hpp"

namespace chartlock::fhir {

// Patient::name, given and family from `names`: the official one when one is
// marked so, else the first; its text when it has no parts.
void show_name(Patient& p);

}  // namespace chartlock::fhir
