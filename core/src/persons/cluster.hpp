// SPDX-License-Identifier: Apache-2.0
// Patient resources grouped into persons.
#pragma once

#include <cstddef>
#include <vector>

#include "chartlock/persons.hpp"

namespace chartlock::persons {

struct PatientNode {
  std::size_t source;     // which input
  const Patient* patient;
};

// Groups of node indices, one per person, in order of first appearance. Two
// Patients are joined when compare_patients says "same"; never two of one
// source (each source keeps its patients apart), never a group holding a pair
// found "different".
std::vector<std::vector<std::size_t>> cluster(const std::vector<PatientNode>& nodes);

}  // namespace chartlock::persons
