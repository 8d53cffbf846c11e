#include <stdexcept>

#include "chartlock/share.hpp"
#include "chartlock/summary_markdown.hpp"

namespace chartlock {

namespace {

using json = nlohmann::ordered_json;

json concept_json(const CodeableConcept& cc) {
  json j = json::object();
  if (!cc.codings.empty()) {
    json codings = json::array();
    for (const Coding& c : cc.codings) {
      json coding = json::object();
      if (!c.system.empty()) coding["system"] = c.system;
      if (!c.code.empty()) coding["code"] = c.code;
      if (!c.display.empty()) coding["display"] = c.display;
      codings.push_back(std::move(coding));
    }
    j["coding"] = std::move(codings);
  }
  if (!cc.text.empty()) j["text"] = cc.text;
  return j;
}

// The patient's identity and nothing else: no address, phone, record numbers.
json minimal_patient(const Patient& p) {
  json j = {{"resourceType", "Patient"}};
  if (!p.sources.empty() && !p.sources.front().id.empty()) j["id"] = p.sources.front().id;
  json name = json::object();
  if (!p.family.empty()) name["family"] = p.family;
  if (!p.given.empty()) name["given"] = p.given;
  if (p.given.empty() && p.family.empty() && !p.name.empty()) name["text"] = p.name;
  if (!name.empty()) j["name"] = json::array({name});
  if (!p.gender.empty()) j["gender"] = p.gender;
  if (!p.birthDate.empty()) j["birthDate"] = p.birthDate;
  return j;
}

class Collector {
 public:
  Collector(const ShareSelection& selection) : selection_(selection) {}

  template <class T>
  void list(const std::vector<T>& items, std::vector<T>& kept) {
    for (const T& item : items) {
      if (selection_.keys.count(item.key) == 0) continue;
      found_.insert(item.key);
      kept.push_back(item);
      add(item, resource_of(item));
    }
  }

  void add_patient(const Patient& p) {
    json r = minimal_patient(p);
    ++counts_["Patient"];
    json entry = json::object();
    if (!p.sources.empty() && !p.sources.front().fullUrl.empty()) entry["fullUrl"] = p.sources.front().fullUrl;
    entry["resource"] = std::move(r);
    entries_.push_back(std::move(entry));
  }

  ShareContent finish() && {
    ShareContent out;
    json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entries_)}};
    out.fhir_bundle = bundle.dump(-1, ' ', false, json::error_handler_t::replace);
    out.counts = std::move(counts_);
    for (const std::string& key : selection_.keys) {
      if (found_.count(key) == 0) out.missing.push_back(key);
    }
    return out;
  }

 private:
  template <class T>
  json resource_of(const T& item) {
    if (item.raw.empty()) {
      throw std::invalid_argument("the record was read without its original resources (keep_raw)");
    }
    json r = json::parse(item.raw);
    if constexpr (std::is_same_v<T, Medication>) {
      // The tool gets the drug itself, not a pointer to a resource it will not have.
      if (r.contains("medicationReference") && !item.code.empty()) {
        r.erase("medicationReference");
        r["medicationCodeableConcept"] = concept_json(item.code);
      }
    }
    return r;
  }

  template <class T>
  void add(const T& item, json resource) {
    ++counts_[resource.value("resourceType", std::string("Resource"))];
    json entry = json::object();
    if (!item.sources.empty() && !item.sources.front().fullUrl.empty()) entry["fullUrl"] = item.sources.front().fullUrl;
    entry["resource"] = std::move(resource);
    entries_.push_back(std::move(entry));
  }

  const ShareSelection& selection_;
  json entries_ = json::array();
  std::map<std::string, std::uint64_t> counts_;
  std::set<std::string> found_;
};

}  // namespace

ShareContent build_share(const Record& record, const ShareSelection& selection,
                         const SummaryOptions& summary_options) {
  Collector collect(selection);
  Record shared;  // the same record, cut down to what is shared: summarized for the tool
  shared.sources = record.sources;
  if (selection.include_patient && record.patient.present) {
    collect.add_patient(record.patient);
    shared.patient = record.patient;
  }
  collect.list(record.conditions, shared.conditions);
  collect.list(record.observations, shared.observations);
  collect.list(record.medications, shared.medications);
  collect.list(record.allergies, shared.allergies);
  collect.list(record.immunizations, shared.immunizations);
  collect.list(record.procedures, shared.procedures);
  collect.list(record.encounters, shared.encounters);
  collect.list(record.reports, shared.reports);
  collect.list(record.documents, shared.documents);
  collect.list(record.carePlans, shared.carePlans);
  collect.list(record.goals, shared.goals);
  ShareContent out = std::move(collect).finish();
  out.summary_markdown = summary_to_markdown(summarize(shared, summary_options));
  return out;
}

}  // namespace chartlock
