// A provider directory in the SMART "User-access Brands and Endpoints" format
// (a Bundle of Organization brands and the FHIR Endpoints they offer),
// searched by name, alias or place, forgiving of typos.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/json_limits.hpp"

namespace chartlock {

struct DirectoryEntry {
  std::string id;            // the Organization's id (with the endpoint's when a brand has several)
  std::string name;          // Organization.name: what patients recognize
  std::vector<std::string> aliases;
  std::string city;
  std::string state;
  std::string portalName;    // portal extension's portalName, when given
  std::string portalUrl;
  std::string logo;          // brand or portal logo URL
  std::string fhirBase;      // Endpoint.address: where the SMART launch starts
  std::string endpointName;
};

struct DirectoryMatch {
  const DirectoryEntry* entry;
  int score;  // higher is better: exact word > prefix > one typo > two typos
};

class Directory {
 public:
  // Reads a Bundle of Organization and Endpoint resources. One entry per
  // (brand, FHIR endpoint) pair; brands without a usable endpoint are left out
  // and counted in skipped(). Throws IngestError for input that is not JSON
  // or not a Bundle.
  static Directory load(std::string_view bundle_json, const JsonLimits& limits = {});

  // Up to `limit` entries matching every word of `query`, best first.
  std::vector<DirectoryMatch> search(std::string_view query, std::size_t limit = 20) const;

  const std::vector<DirectoryEntry>& entries() const { return entries_; }
  std::size_t skipped() const { return skipped_; }

 private:
  std::vector<DirectoryEntry> entries_;
  // Every distinct folded word once: a query word is compared with each
  // distinct word once, not once per entry that has it.
  std::vector<std::string> vocabulary_;
  std::vector<std::vector<std::uint32_t>> words_;  // per entry: vocabulary ids, name words first
  std::vector<std::size_t> name_words_;            // how many of words_[i] come from the name
  std::size_t skipped_ = 0;
};

}  // namespace chartlock
