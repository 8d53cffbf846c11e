// SPDX-License-Identifier: Apache-2.0
// A provider directory in the SMART "User-access Brands and Endpoints" format:
// a Bundle of Organization brands, each with a patient portal and its FHIR
// Endpoint. The listings given come first, then `count` synthetic ones.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace chartlock::synth {

struct DirectoryListing {
  std::string name;
  std::string city;
  std::string state;     // two-letter code
  std::string fhir_base;
};

struct DirectoryOptions {
  std::uint64_t seed = 1;
  std::uint64_t count = 10000;  // synthetic brands, after the listings
  std::vector<DirectoryListing> listings;
};

// Writes the Bundle to `out`; returns the number of brands written.
std::uint64_t generate_directory(const DirectoryOptions& options, std::ostream& out);

}  // namespace chartlock::synth
