// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the provider directory the widget loads and searches as
// the patient types. The input's first line (at most kMaxQuery bytes) is the
// query, the rest the directory Bundle (SMART User-access Brands). A
// directory that loads is searched with the query, with every entry's name
// and with the name cut short by one character (the typo paths).
//
// Bad input must end in IngestError; results must point into the directory
// and come best first; the total counts at least what is returned, and all
// of it when fewer than the limit are.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "chartlock/diagnostic.hpp"
#include "chartlock/directory.hpp"

namespace {

constexpr std::size_t kMaxQuery = 200;
constexpr std::size_t kMaxNamesSearched = 8;

void check(const chartlock::Directory& directory, const chartlock::DirectorySearch& found, std::size_t limit) {
  const std::vector<chartlock::DirectoryMatch>& matches = found.matches;
  if (matches.size() > limit || matches.size() > found.total) std::abort();
  if (matches.size() < limit && matches.size() != found.total) std::abort();
  const auto& entries = directory.entries();
  for (std::size_t i = 0; i < matches.size(); ++i) {
    const chartlock::DirectoryEntry* e = matches[i].entry;
    if (entries.empty() || e < &entries.front() || e > &entries.back()) std::abort();
    if (i > 0 && matches[i].score > matches[i - 1].score) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.substr(0, kMaxQuery).find('\n');
  const std::string_view query = newline == std::string_view::npos ? std::string_view() : input.substr(0, newline);
  if (newline != std::string_view::npos) input.remove_prefix(newline + 1);

  chartlock::Directory directory;
  try {
    directory = chartlock::Directory::load(input);
  } catch (const chartlock::IngestError&) {
    return 0;
  }
  check(directory, directory.search(query, 5), 5);
  const auto& entries = directory.entries();
  for (std::size_t i = 0; i < entries.size() && i < kMaxNamesSearched; ++i) {
    const std::string& name = entries[i].name;
    check(directory, directory.search(name), 20);
    if (!name.empty()) check(directory, directory.search(std::string_view(name).substr(0, name.size() - 1)), 20);
  }
  return 0;
}
