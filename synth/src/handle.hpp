// SPDX-License-Identifier: Apache-2.0
// Where one written resource lives in each provider's output, so that later
// resources can reference it in that provider's own id and style.
#pragma once

#include <array>

#include "chartlock/synth/options.hpp"
#include "local_id.hpp"
#include "resource_type.hpp"

namespace chartlock::synth {

struct Handle {
  ResourceType type = ResourceType::count;
  std::array<LocalId, kMaxProviders> ids{};  // empty where not written

  bool in(int provider) const { return !ids[static_cast<std::size_t>(provider)].empty(); }
  const LocalId& id(int provider) const { return ids[static_cast<std::size_t>(provider)]; }
};

}  // namespace chartlock::synth
