// SPDX-License-Identifier: Apache-2.0
#include <stdexcept>
#include <string>

#include "chartlock/synth/options.hpp"

namespace chartlock::synth {

const std::vector<std::string>& supported_bundle_types() {
  static const std::vector<std::string> kTypes = {"collection", "transaction", "searchset", "batch-response"};
  return kTypes;
}

const char* to_string(GeneratorOptions::Format format) {
  return format == GeneratorOptions::Format::bundle ? "bundle" : "ndjson";
}

void validate(const GeneratorOptions& o) {
  if (o.providers < 1 || o.providers > kMaxProviders) {
    throw std::invalid_argument("providers must be 1 to " + std::to_string(kMaxProviders) + ", not " +
                                std::to_string(o.providers));
  }
  if (o.target_bytes < 1 || o.target_bytes > kMaxTargetBytes) {
    throw std::invalid_argument("size must be 1 byte to 16 GiB, not " + std::to_string(o.target_bytes) + " bytes");
  }
  if (o.overlap_percent < 0 || o.overlap_percent > 100) {
    throw std::invalid_argument("overlap must be 0 to 100 percent, not " + std::to_string(o.overlap_percent));
  }
  if (o.format == GeneratorOptions::Format::bundle) {
    bool known = false;
    std::string list;
    for (const std::string& t : supported_bundle_types()) {
      known = known || t == o.bundle_type;
      list += (list.empty() ? "" : ", ") + t;
    }
    if (!known) throw std::invalid_argument("bundle type '" + o.bundle_type + "' is not one of " + list);
  }
  // The history needs room before `now`: 1990 … 2100.
  if (o.now < 631152000 || o.now > 4102444800) {
    throw std::invalid_argument("now must be between 1990 and 2100");
  }
}

}  // namespace chartlock::synth
