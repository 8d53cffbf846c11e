// SPDX-License-Identifier: Apache-2.0
// Internal: libsodium initialization. Every public entry point that touches
// libsodium calls ensure_sodium() first, so callers never have to.
#pragma once

namespace chartlock::crypto::detail {

// Runs sodium_init() once (thread-safe, idempotent); throws std::runtime_error
// if libsodium cannot initialize (no usable random source).
void ensure_sodium();

}  // namespace chartlock::crypto::detail
