// SPDX-License-Identifier: Apache-2.0
// The knowledge base's loader, given its files' texts: get() passes the
// compiled-in ones; tests pass altered copies to see a bad edit fail loudly.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chartlock/knowledge.hpp"

namespace chartlock::knowledge {

struct Texts {
  std::string_view labs, vitals, conditions, medications, vaccines, preventive_care, sensitive;
};

// The compiled-in files (core/knowledge/), but nicknames.csv (below).
Texts embedded_texts();

// Reads the files. Throws std::runtime_error naming the file and what is
// wrong when one is malformed: not JSON, a member of the wrong type, a
// required member missing, or a fact that contradicts another.
Knowledge load(const Texts& texts);

// Folded given names, each with the formal names it is a nickname of and
// itself, from nicknames.csv's "name1,has_nickname,name2" lines. Throws
// std::runtime_error naming the file on a line of another shape.
using NameRoots = std::unordered_map<std::string, std::vector<std::string>>;
NameRoots read_nicknames(std::string_view csv);

// The compiled-in nicknames, read on first use (same_given_name()).
const NameRoots& name_roots();

}  // namespace chartlock::knowledge
