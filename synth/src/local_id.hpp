// SPDX-License-Identifier: Apache-2.0
// Resource ids. Providers with urn:uuid fullUrls need UUIDs; the others use
// server-style sequence numbers. Each provider draws its own, so one fact
// has unrelated ids in two providers' outputs, as in real life.
#pragma once

#include <cstdint>
#include <string_view>

#include "rng.hpp"

namespace chartlock::synth {

// A UUID (hi carries the version nibble, so it is never 0) or a sequence
// number (hi == 0, lo > 0). All zero means "not written".
struct LocalId {
  std::uint64_t hi = 0;
  std::uint64_t lo = 0;
  bool empty() const { return hi == 0 && lo == 0; }
};

// Version 4, variant 1 ("random") shape.
LocalId random_uuid(Rng& rng);
inline LocalId sequence_id(std::uint64_t n) { return LocalId{0, n}; }

// The id as text: 36 characters for a UUID, decimal digits otherwise.
struct IdText {
  char data[40];
  std::size_t size = 0;
  std::string_view view() const { return {data, size}; }
};
IdText id_text(const LocalId& id);

}  // namespace chartlock::synth
