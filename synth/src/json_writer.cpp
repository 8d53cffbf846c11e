// SPDX-License-Identifier: Apache-2.0
#include "json_writer.hpp"

namespace chartlock::synth {

JsonWriter& JsonWriter::string(std::initializer_list<std::string_view> parts) {
  separate();
  out_->push_back('"');
  for (std::string_view part : parts) append_escaped(part);
  out_->push_back('"');
  comma_ = true;
  return *this;
}

void JsonWriter::append_escaped(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t plain = 0;  // start of the run not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;  // UTF-8 bytes pass through
    out_->append(s.data() + plain, i - plain);
    plain = i + 1;
    switch (c) {
      case '"': out_->append("\\\""); break;
      case '\\': out_->append("\\\\"); break;
      case '\n': out_->append("\\n"); break;
      case '\t': out_->append("\\t"); break;
      case '\r': out_->append("\\r"); break;
      default:
        out_->append("\\u00");
        out_->push_back(kHex[c >> 4]);
        out_->push_back(kHex[c & 0xF]);
    }
  }
  out_->append(s.data() + plain, s.size() - plain);
}

JsonWriter& JsonWriter::decimal(std::int64_t scaled, int places) {
  separate();
  char buf[32];
  int n = 0;
  // Work on the magnitude as unsigned so INT64_MIN cannot overflow.
  std::uint64_t v = scaled < 0 ? 0 - static_cast<std::uint64_t>(scaled) : static_cast<std::uint64_t>(scaled);
  for (int i = 0; i < places; ++i) {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  if (places > 0) buf[n++] = '.';
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  if (scaled < 0) buf[n++] = '-';
  while (n > 0) out_->push_back(buf[--n]);
  comma_ = true;
  return *this;
}

}  // namespace chartlock::synth
