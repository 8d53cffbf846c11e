// SPDX-License-Identifier: Apache-2.0
// Starting the crypto layer. Every entry point initializes libsodium on first
// use; a program calls init() at start-up only to fail early and plainly
// (no usable random source) rather than on its first request.
#pragma once

namespace chartlock::crypto {

// Throws std::runtime_error when libsodium cannot initialize.
void init();

}  // namespace chartlock::crypto
