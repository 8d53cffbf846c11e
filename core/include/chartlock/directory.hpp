// SPDX-License-Identifier: Apache-2.0
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
  // How well the query's words match the entry's: the sum, over the query's
  // words, of each one's best match (exact word > prefix > one typo > two
  // typos; a word of the name counts a little more than one of the place).
  int score;
};

// What a search found: the best matches, and how many providers matched in
// all, so that a patient shown 20 of 375 knows to say more.
struct DirectorySearch {
  std::vector<DirectoryMatch> matches;  // at most the limit, best first
  std::size_t total = 0;                // every provider that matched (matches.size() when it is all of them)
};

class Directory {
 public:
  // Reads a Bundle of Organization and Endpoint resources. One entry per
  // (brand, FHIR endpoint) pair; brands without a usable endpoint are left out
  // and counted in skipped(). Throws IngestError for input that is not JSON
  // or not a Bundle.
  static Directory load(std::string_view bundle_json, const JsonLimits& limits = {});

  // Up to `limit` entries matching every word of `query`, best first: by
  // score; at equal score, names the query spells out whole first, then one
  // entry of each name before a second of any (so 25 "Riverside Clinic"s do
  // not hide "Riverside Family Medicine"), then names with fewer words left
  // unmatched, then by name, state, city and FHIR base. The same name at the
  // same FHIR base listed twice is one provider: returned and counted once.
  // A `limit` of 0 counts only.
  DirectorySearch search(std::string_view query, std::size_t limit = 20) const;

  const std::vector<DirectoryEntry>& entries() const { return entries_; }
  std::size_t skipped() const { return skipped_; }

 private:
  void index_names();
  int entry_score(std::size_t entry, const std::vector<std::vector<int>>& term_scores) const;

  std::vector<DirectoryEntry> entries_;
  // Every distinct folded word once: a query word is compared with each
  // distinct word once, not once per entry that has it.
  std::vector<std::string> vocabulary_;
  std::vector<std::vector<std::uint32_t>> words_;  // per entry: vocabulary ids, name words first
  std::vector<std::size_t> name_words_;            // how many of words_[i] come from the name
  // Per entry: the alphabetical rank of its folded name (equal names, equal
  // rank), its place in the order ties are listed in (name, state, city,
  // FHIR base, id), and which provider it is (same folded name and FHIR base).
  std::vector<std::uint32_t> name_rank_;
  std::vector<std::uint32_t> listing_order_;
  std::vector<std::uint32_t> provider_;
  std::size_t skipped_ = 0;
};

}  // namespace chartlock
