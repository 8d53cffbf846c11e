// SPDX-License-Identifier: Apache-2.0
#include "chartlock/version.hpp"

namespace chartlock {
const char* version() { return CHARTLOCK_VERSION; }
}  // namespace chartlock
