// SPDX-License-Identifier: Apache-2.0
// Folding a second source's copy of a fact into the item already in the
// record: its provenance is added, and fields the first copy lacked are
// filled from it (one lab sends reference ranges, another does not).
#pragma once

#include "chartlock/record.hpp"

namespace chartlock::merge {

template <class T>
void absorb(T& into, T&& from);

}  // namespace chartlock::merge
