// SPDX-License-Identifier: Apache-2.0
#include "chartlock/directory.hpp"

#include <algorithm>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "chartlock/diagnostic.hpp"
#include "directory/word_match.hpp"
#include "json/json_parse.hpp"
#include "keyed_hash.hpp"
#include "text/fold.hpp"

namespace chartlock {

namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

// Views into the parsed document, which lives until load() returns: only
// what ends up in an entry is copied.
std::string_view str(object o, std::string_view key) {
  std::string_view v;
  return o.at_key(key).get(v) == simdjson::SUCCESS ? v : std::string_view();
}

// Calls f(element) for each element of array field `key`, if it is one.
template <class F>
void each(object o, std::string_view key, F&& f) {
  array a;  // a default array is not iterable: only use one that was found
  if (o.at_key(key).get(a) != simdjson::SUCCESS) return;
  for (element e : a) f(e);
}

// The brand and portal extensions are identified by how their URL ends:
// FHIR's core "…/organization-portal" and drafts' "…/user-access-brand-portal"
// both end in "portal".
bool is_extension(object ext, std::string_view suffix) {
  const std::string_view url = str(ext, "url");
  return url.size() >= suffix.size() && url.substr(url.size() - suffix.size()) == suffix;
}

// A sub-extension's value (valueString / valueUrl / valueReference.reference…).
std::string_view sub_value(object ext, std::string_view url) {
  std::string_view value;
  each(ext, "extension", [&](element e) {
    object sub;
    if (!value.empty() || e.get_object().get(sub) != simdjson::SUCCESS || str(sub, "url") != url) return;
    for (const char* key : {"valueString", "valueUrl", "valueUri", "valueMarkdown"}) {
      if (value.empty()) value = str(sub, key);
    }
    object ref;
    if (value.empty() && sub.at_key("valueReference").get(ref) == simdjson::SUCCESS) value = str(ref, "reference");
  });
  return value;
}

struct Endpoint {
  std::string_view address;
  std::string_view name;
};

}  // namespace

Directory Directory::load(std::string_view bundle_json, const JsonLimits& limits) {
  simdjson::dom::parser parser;
  const element root = json::parse(parser, bundle_json, 0, limits, "directory");
  object bundle;
  std::string_view type;
  if (root.get_object().get(bundle) != simdjson::SUCCESS ||
      bundle.at_key("resourceType").get(type) != simdjson::SUCCESS || type != "Bundle") {
    throw IngestError(Diagnostic{DiagnosticCode::not_fhir, "directory", "", 0,
                                 "a directory is a FHIR Bundle of Organization and Endpoint resources"});
  }
  // Endpoints first, by the two names a reference may use: fullUrl, or "Endpoint/<id>".
  std::unordered_map<std::string_view, Endpoint, KeyedStringHash> by_full_url, by_id;
  std::vector<object> organizations;
  each(bundle, "entry", [&](element e) {
    object entry, res;
    if (e.get_object().get(entry) != simdjson::SUCCESS ||
        entry.at_key("resource").get(res) != simdjson::SUCCESS) return;
    const std::string_view rtype = str(res, "resourceType");
    if (rtype == "Organization") {
      organizations.push_back(res);
    } else if (rtype == "Endpoint") {
      const Endpoint ep{str(res, "address"), str(res, "name")};
      if (ep.address.empty()) return;
      if (std::string_view full = str(entry, "fullUrl"); !full.empty()) by_full_url.emplace(full, ep);
      if (std::string_view id = str(res, "id"); !id.empty()) by_id.emplace(id, ep);
    }
  });
  auto find_endpoint = [&](std::string_view ref) -> const Endpoint* {
    constexpr std::string_view prefix = "Endpoint/";
    if (auto it = by_full_url.find(ref); it != by_full_url.end()) return &it->second;
    if (ref.substr(0, prefix.size()) == prefix) {
      if (auto it = by_id.find(ref.substr(prefix.size())); it != by_id.end()) return &it->second;
    }
    return nullptr;
  };

  Directory d;
  for (object org : organizations) {
    DirectoryEntry base;
    base.id = str(org, "id");
    base.name = str(org, "name");
    each(org, "alias", [&](element a) {
      std::string_view alias;
      if (a.get_string().get(alias) == simdjson::SUCCESS) base.aliases.emplace_back(alias);
    });
    each(org, "address", [&](element a) {
      object addr;
      if (!base.city.empty() || a.get_object().get(addr) != simdjson::SUCCESS) return;
      base.city = str(addr, "city");
      base.state = str(addr, "state");
    });
    std::vector<std::string_view> refs;
    each(org, "extension", [&](element x) {
      object ext;
      if (x.get_object().get(ext) != simdjson::SUCCESS) return;
      if (is_extension(ext, "portal")) {
        base.portalName = sub_value(ext, "portalName");
        base.portalUrl = sub_value(ext, "portalUrl");
        if (base.logo.empty()) base.logo = sub_value(ext, "portalLogo");
        if (std::string_view ref = sub_value(ext, "portalEndpoint"); !ref.empty()) refs.push_back(ref);
      } else if (is_extension(ext, "brand")) {
        base.logo = sub_value(ext, "brandLogo");
      }
    });
    each(org, "endpoint", [&](element r) {
      object ref;
      if (r.get_object().get(ref) == simdjson::SUCCESS) refs.push_back(str(ref, "reference"));
    });
    std::sort(refs.begin(), refs.end());
    refs.erase(std::unique(refs.begin(), refs.end()), refs.end());
    bool any = false;
    for (std::string_view ref : refs) {
      const Endpoint* ep = find_endpoint(ref);
      if (ep == nullptr || base.name.empty()) continue;
      DirectoryEntry entry = base;
      entry.fhirBase = ep->address;
      entry.endpointName = ep->name;
      if (refs.size() > 1) (entry.id += '|') += ref;
      d.entries_.push_back(std::move(entry));
      any = true;
    }
    if (!any) ++d.skipped_;
  }
  // Index: folded words of the name, then portal name, place and aliases.
  std::unordered_map<std::string, std::uint32_t, KeyedStringHash> ids;
  auto add = [&](std::vector<std::uint32_t>& to, const std::string& field) {
    for (std::string& w : text::fold_words(field)) {
      auto [it, fresh] = ids.try_emplace(std::move(w), static_cast<std::uint32_t>(d.vocabulary_.size()));
      if (fresh) d.vocabulary_.push_back(it->first);
      to.push_back(it->second);
    }
  };
  for (const DirectoryEntry& e : d.entries_) {
    std::vector<std::uint32_t> words;
    add(words, e.name);
    d.name_words_.push_back(words.size());
    for (const std::string* field : {&e.portalName, &e.city, &e.state}) add(words, *field);
    for (const std::string& alias : e.aliases) add(words, alias);
    d.words_.push_back(std::move(words));
  }
  d.index_names();
  return d;
}

// Names compare folded ("St. Mary's" is "st marys"), so that the same name
// written two ways is one name; a FHIR base without its trailing slash.
void Directory::index_names() {
  const std::size_t n = entries_.size();
  std::vector<std::string> folded(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t w = 0; w < name_words_[i]; ++w) (folded[i] += vocabulary_[words_[i][w]]) += ' ';
  }
  std::vector<std::uint32_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return folded[a] < folded[b]; });
  name_rank_.assign(n, 0);
  for (std::size_t k = 1; k < n; ++k) {
    name_rank_[order[k]] = name_rank_[order[k - 1]] + (folded[order[k]] != folded[order[k - 1]] ? 1 : 0);
  }
  auto base = [&](std::uint32_t i) {
    std::string_view b = entries_[i].fhirBase;
    while (!b.empty() && b.back() == '/') b.remove_suffix(1);
    return b;
  };
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    const DirectoryEntry &x = entries_[a], &y = entries_[b];
    return std::forward_as_tuple(name_rank_[a], x.state, x.city, base(a), x.id) <
           std::forward_as_tuple(name_rank_[b], y.state, y.city, base(b), y.id);
  });
  listing_order_.assign(n, 0);
  for (std::size_t k = 0; k < n; ++k) listing_order_[order[k]] = static_cast<std::uint32_t>(k);
  std::map<std::pair<std::uint32_t, std::string_view>, std::uint32_t> providers;
  provider_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto key = std::make_pair(name_rank_[i], base(static_cast<std::uint32_t>(i)));
    provider_[i] = providers.try_emplace(key, static_cast<std::uint32_t>(providers.size())).first->second;
  }
}

namespace {

// One entry that matches every word of the query, and how well.
struct Candidate {
  std::uint32_t entry;
  int score;
  std::uint32_t unmatched;  // words of the entry's name that no query word matches
  bool whole;               // no such word: the query spells out the whole name
  std::uint32_t repeat;     // how many entries of the same name rank above it, as well matched
};

// Among candidates matched equally well (same score, both whole names or
// both not), one of each name before a second of any: a directory may list
// "Riverside Clinic" in 25 cities, and those are 25 providers to tell apart
// by place, but not a reason to push "Riverside Family Medicine" off the
// page. Only the runs that reach into the first `limit` are reordered.
void spread_names(std::vector<Candidate>& found, const std::vector<std::uint32_t>& name_rank, std::size_t limit) {
  std::unordered_map<std::uint32_t, std::uint32_t> seen;
  for (std::size_t begin = 0; begin < found.size() && begin < limit;) {
    std::size_t end = begin + 1;
    while (end < found.size() && found[end].score == found[begin].score && found[end].whole == found[begin].whole) ++end;
    seen.clear();
    for (std::size_t k = begin; k < end; ++k) found[k].repeat = seen[name_rank[found[k].entry]]++;
    std::stable_sort(found.begin() + static_cast<std::ptrdiff_t>(begin), found.begin() + static_cast<std::ptrdiff_t>(end),
                     [](const Candidate& a, const Candidate& b) { return a.repeat < b.repeat; });
    begin = end;
  }
}

}  // namespace

DirectorySearch Directory::search(std::string_view query, std::size_t limit) const {
  const std::vector<std::string> terms = text::fold_words(query);
  DirectorySearch out;
  if (terms.empty()) return out;
  // How well each term matches each distinct word; the last term may still
  // be being typed, so a prefix counts for it.
  std::vector<std::vector<int>> term_scores(terms.size(), std::vector<int>(vocabulary_.size()));
  for (std::size_t t = 0; t < terms.size(); ++t) {
    for (std::size_t v = 0; v < vocabulary_.size(); ++v) {
      term_scores[t][v] = directory::word_score(terms[t], vocabulary_[v], t + 1 == terms.size());
    }
  }
  std::vector<Candidate> found;
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const int score = entry_score(i, term_scores);
    if (score == 0) continue;
    std::uint32_t unmatched = 0;
    for (std::size_t w = 0; w < name_words_[i]; ++w) {
      const std::uint32_t word = words_[i][w];
      const bool matched = std::any_of(term_scores.begin(), term_scores.end(),
                                       [&](const std::vector<int>& scores) { return scores[word] > 0; });
      if (!matched) ++unmatched;
    }
    found.push_back({static_cast<std::uint32_t>(i), score, unmatched, name_words_[i] > 0 && unmatched == 0, 0});
  }
  std::sort(found.begin(), found.end(), [&](const Candidate& a, const Candidate& b) {
    return std::make_tuple(-a.score, !a.whole, a.unmatched, listing_order_[a.entry]) <
           std::make_tuple(-b.score, !b.whole, b.unmatched, listing_order_[b.entry]);
  });
  // The same provider listed twice (same name, same FHIR base): its best entry only.
  std::unordered_set<std::uint32_t> seen;
  std::size_t kept = 0;
  for (const Candidate& c : found) {
    if (seen.insert(provider_[c.entry]).second) found[kept++] = c;
  }
  found.resize(kept);
  out.total = found.size();
  spread_names(found, name_rank_, limit);
  if (found.size() > limit) found.resize(limit);
  for (const Candidate& c : found) out.matches.push_back({&entries_[c.entry], c.score});
  return out;
}

// The sum over the terms of each one's best match among the entry's words,
// or 0 when one term matches none.
int Directory::entry_score(std::size_t i, const std::vector<std::vector<int>>& term_scores) const {
  int total = 0;
  for (const std::vector<int>& scores : term_scores) {
    int best = 0;
    for (std::size_t w = 0; w < words_[i].size(); ++w) {
      int s = scores[words_[i][w]];
      if (s > 0 && w < name_words_[i]) s += 5;  // the name outranks the place
      best = std::max(best, s);
    }
    if (best == 0) return 0;
    total += best;
  }
  return total;
}

}  // namespace chartlock
