// SPDX-License-Identifier: Apache-2.0
// Who the patient is: invented name, sex, birth date, address and US Core
// race/ethnicity, drawn from the seed alone (no real person's data).
#pragma once

#include <cstdint>
#include <string>

#include "codes.hpp"
#include "rng.hpp"

namespace chartlock::synth {

struct Person {
  std::string given;
  std::string middle;
  std::string family;
  bool female = false;
  std::int64_t birth = 0;  // midnight UTC of the birth date
  std::string birth_date;  // YYYY-MM-DD
  std::string street;
  std::string city;
  std::string state;
  std::string postal_code;
  std::string phone;  // 555-01xx: reserved for fiction
  Coding race;
  Coding ethnicity;
  bool married = false;

  const char* gender() const { return female ? "female" : "male"; }
};

// Aged 40–84 at `now`.
Person make_person(Rng& rng, std::int64_t now);

}  // namespace chartlock::synth
