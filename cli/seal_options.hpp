// SPDX-License-Identifier: Apache-2.0
// The options `seal` and `share` both take to make a bundle: --grant, --seq,
// --expires-in, --chunk-size.
#pragma once

#include "args.hpp"
#include "chartlock/crypto/bundle.hpp"

namespace chartlock::cli {

inline constexpr const char* kSealOptionsHelp =
    R"(  --grant HEX            grant id, 32 hex digits (default: random)
  --seq N                sequence number (default 1)
  --expires-in DAYS      validity in days from now (default 30)
  --chunk-size BYTES     plaintext bytes per chunk (default 65536, max 1048576)
)";

// The header fields and chunk size from those options; the recipient key,
// receipt and parts are the caller's.
crypto::SealRequest seal_request_from(const Args& args);

}  // namespace chartlock::cli
