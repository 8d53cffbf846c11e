// SPDX-License-Identifier: Apache-2.0
// Catch2's main lives alone: it is slow to compile (≈17 s under emcc) and
// never changes, so every suite links this one object.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
