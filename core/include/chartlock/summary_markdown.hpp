// SPDX-License-Identifier: Apache-2.0
// The summary as Markdown: what an AI tool receives as context. Headings,
// a table of labs with ranges and dates, units, and a line naming the sources.
#pragma once

#include <string>

#include "chartlock/summary.hpp"

namespace chartlock {

std::string summary_to_markdown(const Summary& summary);

}  // namespace chartlock
