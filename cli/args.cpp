// SPDX-License-Identifier: Apache-2.0
#include "args.hpp"

#include <cctype>
#include <charconv>

namespace chartlock::cli {

Args::Args(const std::vector<std::string>& argv, const ArgSpec& spec) {
  bool only_positional = false;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (only_positional || a.size() < 2 || a[0] != '-') {
      positional_.push_back(a);
      continue;
    }
    if (a == "--") {
      only_positional = true;
      continue;
    }
    std::string name = a;
    std::optional<std::string> inline_value;
    if (auto eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
      name = a.substr(0, eq);
      inline_value = a.substr(eq + 1);
    }
    if (spec.flags.count(name)) {
      if (inline_value) throw UsageError("option " + name + " takes no value");
      flags_.insert(name);
    } else if (spec.valued.count(name)) {
      if (inline_value) {
        values_.emplace(name, *inline_value);
      } else if (i + 1 < argv.size()) {
        values_.emplace(name, argv[++i]);
      } else {
        throw UsageError("option " + name + " needs a value");
      }
    } else {
      throw UsageError("unknown option " + name);
    }
  }
}

std::optional<std::string> Args::get(const std::string& option) const {
  auto it = values_.find(option);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Args::all(const std::string& option) const {
  std::vector<std::string> out;
  auto [lo, hi] = values_.equal_range(option);
  for (auto it = lo; it != hi; ++it) out.push_back(it->second);
  return out;
}

std::string Args::require(const std::string& option) const {
  auto v = get(option);
  if (!v) throw UsageError("missing required option " + option);
  return *v;
}

long long parse_integer(const std::string& option, const std::string& text, long long min,
                        long long max) {
  long long value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value < min || value > max) {
    throw UsageError(option + " must be a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max));
  }
  return value;
}

std::uint64_t parse_unsigned(const std::string& option, const std::string& text, std::size_t* used) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec == std::errc::result_out_of_range) throw UsageError(option + " is too large: " + text);
  if (ec != std::errc() || (used == nullptr && ptr != end)) {
    throw UsageError(option + " needs a whole number, not '" + text + "'");
  }
  if (used != nullptr) *used = static_cast<std::size_t>(ptr - text.data());
  return value;
}

std::uint64_t parse_byte_size(const std::string& option, const std::string& text, std::uint64_t max) {
  std::size_t used = 0;
  const std::uint64_t value = parse_unsigned(option, text, &used);
  std::string unit;
  for (char c : text.substr(used)) unit += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (unit.size() == 3 && unit[1] == 'I' && unit[2] == 'B') unit.erase(1, 1);  // KiB → KB
  int shift = -1;
  if (unit.empty() || unit == "B") shift = 0;
  if (unit == "K" || unit == "KB") shift = 10;
  if (unit == "M" || unit == "MB") shift = 20;
  if (unit == "G" || unit == "GB") shift = 30;
  if (shift < 0) {
    throw UsageError(option + " '" + text + "': expected a number of bytes or a unit KB, MB or GB");
  }
  if (value > (max >> shift)) {
    throw UsageError(option + " '" + text + "' is over the limit of " + std::to_string(max) + " bytes");
  }
  return value << shift;
}

}  // namespace chartlock::cli
