// SPDX-License-Identifier: Apache-2.0
// A small, strict command-line parser: unknown options are usage errors, not
// silently ignored, so a typo never changes what gets sealed or shared.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace chartlock::cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct ArgSpec {
  std::set<std::string> valued;  // options that take a value: "--out"
  std::set<std::string> flags;   // options that do not: "--help"
};

class Args {
 public:
  Args(const std::vector<std::string>& argv, const ArgSpec& spec);

  const std::vector<std::string>& positional() const { return positional_; }
  bool has(const std::string& flag) const { return flags_.count(flag) != 0; }
  std::optional<std::string> get(const std::string& option) const;
  std::vector<std::string> all(const std::string& option) const;
  // Like get(), but a UsageError naming the option when it is absent.
  std::string require(const std::string& option) const;

 private:
  std::vector<std::string> positional_;
  std::multimap<std::string, std::string> values_;
  std::set<std::string> flags_;
};

// A whole number in [min, max]; UsageError naming `option` otherwise.
long long parse_integer(const std::string& option, const std::string& text, long long min,
                        long long max);
// A whole number of any size up to 2^64-1 (seeds). With `used`, digits may be
// followed by other text (units) and *used says how many characters were digits.
std::uint64_t parse_unsigned(const std::string& option, const std::string& text,
                             std::size_t* used = nullptr);
// A size in bytes: "1048576", "500KB", "10MB", "1GB" (also K/M/G, KiB/MiB/GiB,
// B; powers of 1024), at most `max`.
std::uint64_t parse_byte_size(const std::string& option, const std::string& text, std::uint64_t max);

}  // namespace chartlock::cli
