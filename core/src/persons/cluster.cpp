// SPDX-License-Identifier: Apache-2.0
#include "persons/cluster.hpp"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "keyed_hash.hpp"
#include "persons/names.hpp"

namespace chartlock::persons {

namespace {

// Keys two Patients of one person are likely to share, so that a bulk export
// of thousands is not compared pair by pair: birth date, family name and
// first initial, identifiers, phones, emails.
std::vector<std::string> blocking_keys(const Patient& p) {
  std::vector<std::string> keys;
  if (p.birthDate.size() >= 4) keys.push_back("b:" + p.birthDate.substr(0, 10));
  for (const FoldedName& n : folded_names(p)) {
    if (!n.family.empty() && !n.given.empty()) keys.push_back("n:" + n.family.front() + "/" + n.given.front().substr(0, 1));
  }
  for (const Patient::Identifier& id : p.identifiers) keys.push_back("i:" + id.system + "|" + id.value);
  for (const std::string& phone : p.phones) keys.push_back("p:" + phone);
  for (const std::string& email : p.emails) keys.push_back("e:" + email);
  return keys;
}

class Groups {
 public:
  explicit Groups(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) { parent_[find(b)] = find(a); }

 private:
  std::vector<std::size_t> parent_;
};

}  // namespace

std::vector<std::vector<std::size_t>> cluster(const std::vector<PatientNode>& nodes) {
  std::unordered_map<std::string, std::vector<std::size_t>, KeyedStringHash> blocks;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    for (const std::string& key : blocking_keys(*nodes[i].patient)) blocks[key].push_back(i);
  }
  std::set<std::pair<std::size_t, std::size_t>> candidates;
  for (const auto& [key, members] : blocks) {
    for (std::size_t x = 0; x < members.size(); ++x) {
      for (std::size_t y = x + 1; y < members.size(); ++y) {
        if (nodes[members[x]].source != nodes[members[y]].source) {
          candidates.emplace(std::min(members[x], members[y]), std::max(members[x], members[y]));
        }
      }
    }
  }
  std::map<std::pair<std::size_t, std::size_t>, PatientComparison> compared;
  auto comparison = [&](std::size_t a, std::size_t b) -> const PatientComparison& {
    const auto key = std::make_pair(std::min(a, b), std::max(a, b));
    auto it = compared.find(key);
    if (it == compared.end()) {
      it = compared.emplace(key, compare_patients(*nodes[key.first].patient, *nodes[key.second].patient)).first;
    }
    return it->second;
  };
  std::vector<std::pair<double, std::pair<std::size_t, std::size_t>>> same;
  for (const auto& pair : candidates) {
    const PatientComparison& c = comparison(pair.first, pair.second);
    if (c.outcome == Match::same) same.push_back({c.score, pair});
  }
  // The surest pairs first, so a doubtful link cannot block a sure one.
  std::stable_sort(same.begin(), same.end(), [](const auto& x, const auto& y) { return x.first > y.first; });

  Groups groups(nodes.size());
  std::vector<std::vector<std::size_t>> members(nodes.size());
  for (std::size_t i = 0; i < nodes.size(); ++i) members[i] = {i};
  for (const auto& [score, pair] : same) {
    const std::size_t ga = groups.find(pair.first), gb = groups.find(pair.second);
    if (ga == gb) continue;
    bool allowed = true;
    for (std::size_t x : members[ga]) {
      for (std::size_t y : members[gb]) {
        if (nodes[x].source == nodes[y].source || comparison(x, y).outcome == Match::different) allowed = false;
      }
    }
    if (!allowed) continue;
    groups.join(ga, gb);
    const std::size_t root = groups.find(ga), other = root == ga ? gb : ga;
    members[root].insert(members[root].end(), members[other].begin(), members[other].end());
    members[other].clear();
  }
  std::vector<std::vector<std::size_t>> out;
  std::vector<bool> seen(nodes.size(), false);
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const std::size_t root = groups.find(i);
    if (seen[root]) continue;
    seen[root] = true;
    std::vector<std::size_t> group = members[root];
    std::sort(group.begin(), group.end());
    out.push_back(std::move(group));
  }
  return out;
}

}  // namespace chartlock::persons
