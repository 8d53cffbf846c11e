// SPDX-License-Identifier: Apache-2.0
#include "share/selection.hpp"

#include <algorithm>
#include <unordered_map>

#include "keyed_hash.hpp"
#include "share/date_shift.hpp"
#include "share/redact.hpp"

namespace chartlock::share {

namespace {

// The consent decides each item; the caller's keys can only narrow it.
struct Decision {
  std::set<std::string> keys;
  std::vector<ShareContent::Refused> refused;
  std::map<std::string, std::uint64_t> by_category;
  Categories kept_back;  // shared categories with an item the patient held back
  std::map<std::string, Selection::Chosen> chosen;
};

Decision decide(const Record& record, const ShareRequest& request) {
  Decision d;
  std::unordered_map<std::string, const ConsentItem*, KeyedStringHash> by_key;
  const std::vector<ConsentItem> catalog = consent_catalog(record);
  for (const ConsentItem& item : catalog) {
    by_key.emplace(item.key, &item);
    const std::optional<Refusal> why = refusal(item, request.consent);
    if (request.keys && request.keys->count(item.key) == 0) {
      // Not among what the patient was shown: kept back too, if the consent would have shared it.
      if (!why) d.kept_back.insert(item.category);
      continue;
    }
    if (why) {
      if (request.keys) d.refused.push_back({item.key, *why});
      if (*why == Refusal::excluded || *why == Refusal::sensitive) d.kept_back.insert(item.category);
      continue;
    }
    d.keys.insert(item.key);
    d.chosen.emplace(item.key, Selection::Chosen{item.category, item.label});
    ++d.by_category[std::string(category_id(item.category))];
  }
  if (request.keys) {
    for (const std::string& key : *request.keys) {
      if (by_key.count(key) == 0) d.refused.push_back({key, Refusal::not_in_record});
    }
  }
  return d;
}

// The record cut down to what is shared, with the patient's name, birth date
// and (when hidden) every date taken out of its text, and its dates moved.
Record shared_record(const Record& record, const std::set<std::string>& keys, bool patient,
                     const std::optional<int>& shift_days) {
  Record shared;
  if (patient) shared.patient = record.patient;
  each_list(record, shared, [&](const auto& items, auto& kept) {
    for (const auto& item : items) {
      if (keys.count(item.key) > 0) kept.push_back(item);
    }
  });
  if (!patient || shift_days) Redactor(record.patient, shift_days.has_value()).record(shared);
  if (shift_days) {
    shift_dates(shared, *shift_days);
    shared.patient.name.clear();
    shared.patient.given.clear();
    shared.patient.family.clear();
  }
  return shared;
}

}  // namespace

Selection select(const Record& record, const ShareRequest& request) {
  if (!request.person.empty() && request.person != record.person) {
    throw WrongPerson("these records are another person's than the ones this share is for");
  }
  Decision decision = decide(record, request);
  Selection out;
  const std::optional<int>& shift = request.consent.shift_days;
  out.patient = request.consent.categories.count(Category::patient) > 0 && record.patient.present;
  out.record = shared_record(record, decision.keys, out.patient, shift);

  // Ids in the share: the record keys, or with dates hidden their place in
  // it (record keys are hashes of the items' dates).
  each_list(out.record, out.record, [&](const auto& items, auto&) {
    for (const auto& item : items) {
      out.keys.push_back(item.key);
      out.ids.push_back(shift ? "item-" + std::to_string(out.keys.size()) : item.key.str());
      out.id_of.emplace(item.key, out.ids.back());
      for (const Provenance& p : item.sources) {
        if (std::find(out.sources.begin(), out.sources.end(), p.source) == out.sources.end()) {
          out.sources.push_back(p.source);
        }
      }
    }
  });
  // Only the providers of what is shared are named (a source the share takes
  // nothing from could say more than the patient chose).
  for (const SourceSummary& s : record.sources) {
    if (std::find(out.sources.begin(), out.sources.end(), s.name) != out.sources.end()) out.record.sources.push_back(s);
  }
  out.by_category = std::move(decision.by_category);
  out.refused = std::move(decision.refused);
  out.partial = !decision.kept_back.empty();
  out.kept_back = std::move(decision.kept_back);
  out.chosen = std::move(decision.chosen);
  return out;
}

}  // namespace chartlock::share
