// SPDX-License-Identifier: Apache-2.0
#include "chartlock/record.hpp"

namespace chartlock {

const Coding* CodeableConcept::primary(const std::vector<std::string>& preferred) const {
  for (const std::string& system : preferred) {
    for (const Coding& c : codings) {
      if (c.system == system && !c.code.empty()) return &c;
    }
  }
  return codings.empty() ? nullptr : &codings.front();
}

std::string CodeableConcept::label(const std::vector<std::string>& preferred) const {
  if (!text.empty()) return text;
  const Coding* c = primary(preferred);
  if (!c) return {};
  return c->display.empty() ? c->code : c->display;
}

}  // namespace chartlock
