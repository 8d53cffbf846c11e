// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace chartlock {
// The project version, e.g. "0.1.0".
const char* version();
}  // namespace chartlock
