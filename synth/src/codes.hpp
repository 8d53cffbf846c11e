// SPDX-License-Identifier: Apache-2.0
// Codes as the catalogs spell them: a coding, and a concept with an optional
// second coding (ICD-10-CM beside SNOMED, 2708-6 beside 59408-5).
#pragma once

#include "chartlock/code_systems.hpp"

namespace chartlock::synth {

namespace system = ::chartlock::systems;

struct Coding {
  const char* system = nullptr;
  const char* code = nullptr;
  const char* display = nullptr;
};

struct Concept {
  Coding coding;
  Coding also{};  // optional second coding; system == nullptr when absent
  const char* text() const { return coding.display; }
};

}  // namespace chartlock::synth
