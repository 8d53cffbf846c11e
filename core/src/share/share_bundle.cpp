#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "chartlock/share.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_markdown.hpp"
#include "share/date_shift.hpp"
#include "share/redact.hpp"
#include "share/share_resources.hpp"

namespace chartlock {

namespace {

using json = nlohmann::ordered_json;

// The consent decides each item; the caller's keys can only narrow it.
struct Decision {
  std::set<std::string> keys;
  std::vector<ShareContent::Refused> refused;
  std::map<std::string, std::uint64_t> by_category;
  bool partial = false;  // an item of a shared category was kept back
};

Decision decide(const Record& record, const ShareRequest& request) {
  Decision d;
  std::unordered_map<std::string, const ConsentItem*> by_key;
  const std::vector<ConsentItem> catalog = consent_catalog(record);
  for (const ConsentItem& item : catalog) {
    by_key.emplace(item.key, &item);
    const std::optional<Refusal> why = refusal(item, request.consent);
    if (request.keys && request.keys->count(item.key) == 0) {
      // Not among what the patient was shown: kept back too, if the consent would have shared it.
      if (!why) d.partial = true;
      continue;
    }
    if (why) {
      if (request.keys) d.refused.push_back({item.key, *why});
      if (*why == Refusal::excluded || *why == Refusal::sensitive) d.partial = true;
      continue;
    }
    d.keys.insert(item.key);
    ++d.by_category[std::string(category_id(item.category))];
  }
  if (request.keys) {
    for (const std::string& key : *request.keys) {
      if (by_key.count(key) == 0) d.refused.push_back({key, Refusal::not_in_record});
    }
  }
  return d;
}

// Calls f on each item list of a record and the matching list of another.
template <class F>
void each_list(const Record& from, Record& to, F&& f) {
  f(from.conditions, to.conditions);
  f(from.observations, to.observations);
  f(from.medications, to.medications);
  f(from.allergies, to.allergies);
  f(from.immunizations, to.immunizations);
  f(from.procedures, to.procedures);
  f(from.encounters, to.encounters);
  f(from.reports, to.reports);
  f(from.documents, to.documents);
  f(from.carePlans, to.carePlans);
  f(from.goals, to.goals);
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
  if (!patient || shift_days) share::Redactor(record.patient, shift_days.has_value()).record(shared);
  if (shift_days) {
    share::shift_dates(shared, *shift_days);
    shared.patient.name.clear();
    shared.patient.given.clear();
    shared.patient.family.clear();
  }
  return shared;
}

class Writer {
 public:
  explicit Writer(const std::map<std::string, std::string>& ids) : ids_{ids} {}

  template <class T>
  void list(const std::vector<T>& items) {
    for (const T& item : items) {
      json resource = share::resource(item, ids_);
      share::tag_sources(resource, item.sources);
      add(std::move(resource));
    }
  }

  void patient(const Patient& p) { add(share::patient_resource(p)); }

  std::map<std::string, std::uint64_t> take_counts() { return std::move(counts_); }

  std::string bundle_text() {
    json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entries_)}};
    return bundle.dump(-1, ' ', false, json::error_handler_t::replace);
  }

 private:
  void add(json resource) {
    ++counts_[resource.value("resourceType", std::string("Resource"))];
    entries_.push_back(json{{"resource", std::move(resource)}});
  }

  share::SharedIds ids_;
  json entries_ = json::array();
  std::map<std::string, std::uint64_t> counts_;
};

}  // namespace

ShareContent build_share(const Record& record, const ShareRequest& request) {
  if (!request.person.empty() && request.person != record.person) {
    throw WrongPerson("these records are another person's than the ones this share is for");
  }
  Decision decision = decide(record, request);
  ShareContent out;
  const std::optional<int>& shift = request.consent.shift_days;
  out.patient = request.consent.categories.count(Category::patient) > 0 && record.patient.present;
  Record shared = shared_record(record, decision.keys, out.patient, shift);

  // Ids in the share: the record keys, or with dates hidden their place in
  // it (record keys are hashes of the items' dates).
  std::map<std::string, std::string> ids;
  each_list(shared, shared, [&](const auto& items, auto&) {
    for (const auto& item : items) {
      out.keys.push_back(item.key);
      out.ids.push_back(shift ? "item-" + std::to_string(out.keys.size()) : item.key);
      ids.emplace(item.key, out.ids.back());
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
    if (std::find(out.sources.begin(), out.sources.end(), s.name) != out.sources.end()) shared.sources.push_back(s);
  }

  Writer write(ids);
  if (out.patient) write.patient(shared.patient);
  each_list(shared, shared, [&](const auto& items, auto&) { write.list(items); });
  out.counts = write.take_counts();
  out.by_category = std::move(decision.by_category);
  out.refused = std::move(decision.refused);

  SummaryOptions options;
  options.today = shift && !request.today.empty() ? share::shift_date(request.today, *shift) : request.today;
  ShareScope scope;
  scope.categories = request.consent.categories;
  scope.from = shift && !request.consent.from.empty() ? share::shift_date(request.consent.from, *shift) : request.consent.from;
  scope.to = shift && !request.consent.to.empty() ? share::shift_date(request.consent.to, *shift) : request.consent.to;
  scope.partial = decision.partial;
  scope.dates_shifted = shift.has_value();
  options.shared = std::move(scope);
  out.parts.push_back(SharePart{"records.json", "application/fhir+json", write.bundle_text()});
  out.parts.push_back(SharePart{"summary.md", "text/markdown", summary_to_markdown(summarize(shared, options))});
  return out;
}

nlohmann::ordered_json parts_to_json(const ShareContent& content) {
  json parts = json::array();
  for (const SharePart& p : content.parts) {
    parts.push_back(json{{"name", p.name}, {"mediaType", p.mediaType}, {"text", p.text}});
  }
  return json{{"parts", std::move(parts)}};
}

}  // namespace chartlock
