#include <algorithm>
#include <stdexcept>
#include <unordered_map>

#include "chartlock/share.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_markdown.hpp"
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
    if (request.keys && request.keys->count(item.key) == 0) {
      // Not among what the patient was shown: kept back too, if the consent would have shared it.
      if (!refusal(item, request.consent)) d.partial = true;
      continue;
    }
    if (const std::optional<Refusal> why = refusal(item, request.consent)) {
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

class Writer {
 public:
  // `redact`: set when the patient is not shared, to keep their name and
  // birth date out of every shared text.
  Writer(const std::set<std::string>& keys, const share::Redactor* redact)
      : keys_(keys), shared_{keys}, redact_(redact) {}

  template <class T>
  void list(const std::vector<T>& items, std::vector<T>& kept) {
    for (const T& item : items) {
      if (keys_.count(item.key) == 0) continue;
      kept.push_back(item);
      order_.push_back(item.key);
      json r = share::resource(item, shared_);
      if (redact_ != nullptr) redact_->resource(r);
      add(std::move(r));
      for (const Provenance& p : item.sources) note_source(p.source);
    }
  }

  void patient(const Patient& p) { add(share::patient_resource(p)); }

  std::vector<std::string> take_order() { return std::move(order_); }
  std::vector<std::string> take_sources() { return std::move(sources_); }
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

  void note_source(const std::string& source) {
    if (std::find(sources_.begin(), sources_.end(), source) == sources_.end()) sources_.push_back(source);
  }

  const std::set<std::string>& keys_;
  share::SharedKeys shared_;
  const share::Redactor* redact_;
  json entries_ = json::array();
  std::vector<std::string> order_, sources_;
  std::map<std::string, std::uint64_t> counts_;
};

}  // namespace

ShareContent build_share(const Record& record, const ShareRequest& request) {
  Decision decision = decide(record, request);
  ShareContent out;
  out.patient = request.consent.categories.count(Category::patient) > 0 && record.patient.present;
  const share::Redactor redactor(record.patient);
  Writer write(decision.keys, out.patient || redactor.empty() ? nullptr : &redactor);
  // The same record, cut down to what is shared: summarized for the tool.
  Record shared;
  if (out.patient) {
    write.patient(record.patient);
    shared.patient = record.patient;
  }
  write.list(record.conditions, shared.conditions);
  write.list(record.observations, shared.observations);
  write.list(record.medications, shared.medications);
  write.list(record.allergies, shared.allergies);
  write.list(record.immunizations, shared.immunizations);
  write.list(record.procedures, shared.procedures);
  write.list(record.encounters, shared.encounters);
  write.list(record.reports, shared.reports);
  write.list(record.documents, shared.documents);
  write.list(record.carePlans, shared.carePlans);
  write.list(record.goals, shared.goals);
  out.keys = write.take_order();
  out.sources = write.take_sources();
  out.counts = write.take_counts();
  out.by_category = std::move(decision.by_category);
  out.refused = std::move(decision.refused);
  // Only the providers of what is shared are named (a source the share takes
  // nothing from could say more than the patient chose).
  for (const SourceSummary& s : record.sources) {
    if (std::find(out.sources.begin(), out.sources.end(), s.name) != out.sources.end()) shared.sources.push_back(s);
  }

  if (!out.patient && !redactor.empty()) redactor.record(shared);

  SummaryOptions options;
  options.today = request.today;
  ShareScope scope;
  scope.categories = request.consent.categories;
  scope.from = request.consent.from;
  scope.to = request.consent.to;
  scope.partial = decision.partial;
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
