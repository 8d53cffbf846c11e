// SPDX-License-Identifier: Apache-2.0
// The IPS a command's arguments ask for: --consent, --today, --person,
// --ndjson and the FILEs, read the one way 'chartlock ips' and
// 'chartlock shl create' share (ips.cpp).
#pragma once

#include "args.hpp"
#include "chartlock/ips.hpp"

namespace chartlock::cli {

// UsageError without --consent or files; the errors of reading them.
IpsDocument ips_from_args(const Args& args);

}  // namespace chartlock::cli
