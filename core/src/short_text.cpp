// SPDX-License-Identifier: Apache-2.0
#include "chartlock/short_text.hpp"

namespace chartlock {

void ShortText::init_heap(std::string_view s) {
  Heap h{new char[s.size()], s.size()};
  std::memcpy(h.data, s.data(), s.size());
  std::memcpy(bytes_, &h, sizeof h);
  bytes_[kTag] = kHeapTag;
}

void ShortText::assign(std::string_view s) {
  // `s` may be this value's own characters (t = t.view().substr(1)): built
  // aside first, then this one's released.
  ShortText next(s);
  release();
  take(next);
}

}  // namespace chartlock
