// SPDX-License-Identifier: Apache-2.0
// The synthetic patient generator: one person, years of care at one or more
// providers, written as FHIR R4 JSON.
#pragma once

#include <ostream>
#include <vector>

#include "chartlock/synth/options.hpp"
#include "chartlock/synth/truth.hpp"

namespace chartlock::synth {

// Writes provider i's Bundle (or NDJSON) to *outputs[i], entry by entry:
// memory use stays small whatever target_bytes is. outputs.size() must equal
// options.providers. Throws std::invalid_argument for bad options and
// std::runtime_error when a stream fails.
GenerationTruth generate(const GeneratorOptions& options, const std::vector<std::ostream*>& outputs);

}  // namespace chartlock::synth
