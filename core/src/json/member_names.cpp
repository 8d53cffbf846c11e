// SPDX-License-Identifier: Apache-2.0
#include "json/member_names.hpp"

#include "json/text_scanner.hpp"

namespace chartlock::json {

bool for_each_member_name(std::string_view text, const std::function<bool(std::string_view)>& visit) {
  Scanner s(text);
  s.skip_space();
  if (!s.take('{')) return false;
  s.skip_space();
  if (!s.take('}')) {
    for (;;) {
      s.skip_space();
      if (s.peek() != '"') return false;
      const char* name_start = s.at() + 1;
      bool escaped = false;
      if (!s.skip_string(&escaped) || escaped) return false;
      if (!visit(std::string_view(name_start, static_cast<std::size_t>(s.at() - 1 - name_start)))) return true;
      s.skip_space();
      if (!s.take(':')) return false;
      s.skip_space();
      if (!s.skip_value()) return false;
      s.skip_space();
      if (s.take('}')) break;
      if (!s.take(',')) return false;
    }
  }
  s.skip_space();
  return s.done();
}

}  // namespace chartlock::json
