// SPDX-License-Identifier: Apache-2.0
// build_ips(): the patient's consented selection (share/selection.hpp, the
// same as an AI tool's share) written as an IPS document Bundle.
#include <array>
#include <optional>
#include <stdexcept>

#include "chartlock/ips.hpp"
#include "ips/entries.hpp"
#include "ips/narrative.hpp"
#include "ips/sections.hpp"
#include "ips/uuid.hpp"
#include "share/date_shift.hpp"
#include "share/selection.hpp"
#include "share/share_resources.hpp"
#include "summary/civil_date.hpp"

namespace chartlock {

namespace {

using ips::json;
using ips::SectionId;

// The document's JSON is built member by member: a nested initializer list
// costs code for every element it converts (docs/performance.md, "The
// module's code size, again").
json bundle_entry(const std::string& full_url, json resource) {
  json e = json::object();
  e["fullUrl"] = full_url;
  e["resource"] = std::move(resource);
  return e;
}

// Resolved, inactive or ended: past illness. In remission stays a problem
// (a cancer in remission is on the problem list).
bool past_condition(const Condition& c) {
  const std::string& s = c.clinicalStatus;
  return s == "inactive" || s == "resolved" || !c.abatement.empty();
}

// The section a shared item goes in; nullopt for what the IPS does not carry
// (visits, reports, notes, care plans, goals, other observations).
std::optional<SectionId> section_of(const Condition& c, Category) {
  return past_condition(c) ? SectionId::pastProblems : SectionId::problems;
}
std::optional<SectionId> section_of(const Medication&, Category) { return SectionId::medications; }
std::optional<SectionId> section_of(const Allergy&, Category) { return SectionId::allergies; }
std::optional<SectionId> section_of(const Immunization&, Category) { return SectionId::immunizations; }
std::optional<SectionId> section_of(const Procedure&, Category) { return SectionId::procedures; }
std::optional<SectionId> section_of(const Observation&, Category category) {
  if (category == Category::labs) return SectionId::results;
  if (category == Category::vitals) return SectionId::vitalSigns;
  return std::nullopt;
}

const char* resource_type(const Condition&) { return "Condition"; }
const char* resource_type(const Medication& m) { return m.kind == "statement" ? "MedicationStatement" : "MedicationRequest"; }
const char* resource_type(const Allergy&) { return "AllergyIntolerance"; }
const char* resource_type(const Immunization&) { return "Immunization"; }
const char* resource_type(const Procedure&) { return "Procedure"; }
const char* resource_type(const Observation&) { return "Observation"; }

json entry_for(const Observation& o, const share::SharedIds& ids, SectionId section) {
  return ips::item_entry(o, ids, section == SectionId::results ? "laboratory" : "vital-signs");
}
template <class T>
json entry_for(const T& item, const share::SharedIds& ids, SectionId) {
  return ips::item_entry(item, ids);
}

// Builds the document from the selection, section by section.
class Builder {
 public:
  Builder(const share::Selection& selection, std::string seed) : selection_{selection}, seed_{std::move(seed)} {}

  // First pass: which items the document holds, their ids and fullUrls
  // (references are kept only between items it holds).
  template <class T>
  void place(const std::vector<T>& items) {
    for (const T& item : items) {
      const auto section = section_of(item, selection_.chosen.at(item.key).category);
      if (!section) continue;
      const std::string& id = selection_.id_of.at(item.key);
      ids_.emplace(item.key, id);
      urls_.emplace(std::string(resource_type(item)) + "/" + id, url(resource_type(item), id));
    }
  }

  // Second pass: each item's resource and its line in its section's text.
  template <class T>
  void write(const std::vector<T>& items) {
    const share::SharedIds shared{ids_};
    for (const T& item : items) {
      const auto section = section_of(item, selection_.chosen.at(item.key).category);
      if (!section) continue;
      const std::string full_url = url(resource_type(item), shared.of(item.key));
      json resource = entry_for(item, shared, *section);
      ips::resolve_references(resource, urls_);
      ips::SectionContent& content = sections_[static_cast<std::size_t>(*section)];
      content.entries.push_back(full_url);
      content.items += ips::list_item(selection_.chosen.at(item.key).label, ips::details(item), ips::source_names(item));
      keys_.push_back(item.key);
      for (const std::string& source : ips::source_names(item)) targets_[source].push_back(full_url);
      items_.push_back(bundle_entry(full_url, std::move(resource)));
    }
  }

  std::string url(const std::string& type, const std::string& id) const { return ips::urn_uuid(seed_ + "|" + type + "/" + id); }
  void add_patient_url() { urls_.emplace(std::string("Patient/") + share::kPatientId, url("Patient", share::kPatientId)); }

  std::array<ips::SectionContent, ips::kSectionCount>& sections() { return sections_; }
  json& items() { return items_; }
  std::vector<std::string>& keys() { return keys_; }
  const std::map<std::string, std::vector<std::string>>& targets() const { return targets_; }

 private:
  const share::Selection& selection_;
  std::string seed_;
  std::map<std::string, std::string> ids_;   // record key → id, for items in the document
  std::map<std::string, std::string> urls_;  // "Type/id" → fullUrl
  std::array<ips::SectionContent, ips::kSectionCount> sections_;
  json items_ = json::array();
  std::vector<std::string> keys_;
  std::map<std::string, std::vector<std::string>> targets_;  // provider → fullUrls of its entries
};

template <class F>
void each_ips_list(const Record& r, F&& f) {
  f(r.conditions);
  f(r.allergies);
  f(r.medications);
  f(r.immunizations);
  f(r.observations);
  f(r.procedures);
}

// What the document says about itself: its date, its providers, and the
// consent's date range (moved with the dates when they are hidden).
struct About {
  std::string date;
  std::vector<std::string> sources;  // the providers of its entries
  std::string from, to;
  bool dates_moved = false;
};

About about(const share::Selection& selection, const Consent& consent, const std::string& today,
            const std::map<std::string, std::vector<std::string>>& targets) {
  const auto moved = [&](const std::string& d) {
    return consent.shift_days && !d.empty() ? share::shift_date(d, *consent.shift_days) : d;
  };
  About a{moved(today), {}, moved(consent.from), moved(consent.to), consent.shift_days.has_value()};
  for (const std::string& s : selection.sources) {
    if (targets.count(s) > 0) a.sources.push_back(s);
  }
  return a;
}

// What the document is, in a few words: when and from what it was made, and what it leaves out.
std::string composition_text(const About& a) {
  std::string out = "<p>" + ips::escape("A summary of the health records the patient chose to share, assembled by "
                                        "Chartlock for the patient on " + a.date + ".") + "</p>";
  std::string sources;
  for (const std::string& s : a.sources) sources += (sources.empty() ? "" : ", ") + s;
  if (!sources.empty()) out += "<p>" + ips::escape("From the records of: " + sources + ".") + "</p>";
  if (!a.from.empty() || !a.to.empty()) {
    const std::string range = a.from.empty() ? "up to " + a.to : a.to.empty() ? "from " + a.from : a.from + " to " + a.to;
    out += "<p>" + ips::escape("Only records dated " + range + " (and what was ongoing then).") + "</p>";
  }
  if (a.dates_moved) {
    out += "<p>" + ips::escape("The patient hid their name and exact dates: every date in this summary is moved by the "
                               "same number of days.") + "</p>";
  }
  return ips::div(out);
}

json composition(const About& a, const std::string& patient_url, const std::string& device_url, json sections) {
  json c = json::object();
  c["resourceType"] = "Composition";
  c["id"] = "ips";
  c["text"]["status"] = "generated";
  c["text"]["div"] = composition_text(a);
  c["status"] = "final";
  c["type"] = share::coded_concept("http://loinc.org", "60591-5", "Patient summary Document");
  c["subject"]["reference"] = patient_url;
  c["date"] = a.date;
  json author = json::object();
  author["reference"] = device_url;
  c["author"].push_back(std::move(author));
  c["title"] = "International Patient Summary";
  if (!a.from.empty() || !a.to.empty()) {
    json period = json::object();
    if (!a.from.empty()) period["start"] = a.from;
    if (!a.to.empty()) period["end"] = a.to;
    json event = json::object();
    event["code"].push_back(share::coded_concept("http://terminology.hl7.org/CodeSystem/v3-ActClass", "PCPR"));
    event["period"] = std::move(period);
    c["event"].push_back(std::move(event));
  }
  c["section"] = std::move(sections);
  return c;
}

json sections_json(std::array<ips::SectionContent, ips::kSectionCount>& contents, const share::Selection& selection,
                   const Consent& consent) {
  json out = json::array();
  for (const ips::SectionSpec& spec : ips::section_specs()) {
    ips::SectionContent& content = contents[static_cast<std::size_t>(spec.id)];
    const bool chosen = consent.categories.count(spec.category) > 0;
    if (!spec.required && (!chosen || (spec.id == SectionId::pastProblems && content.entries.empty()))) continue;
    // Kept-back items are known by category, not by section: past illness does not claim them.
    content.partial = spec.id != SectionId::pastProblems && selection.kept_back.count(spec.category) > 0;
    const ips::EmptyReason empty = !chosen || content.partial ? ips::EmptyReason::withheld : ips::EmptyReason::unavailable;
    out.push_back(ips::section_json(spec, content, empty));
  }
  return out;
}

// What every fullUrl of one document is made from: the date, the items and
// the providers, hashed once (a name per entry then costs its own length).
std::string seed_of(const share::Selection& selection, const std::string& date) {
  std::string seed = date;
  for (const std::string& id : selection.ids) seed += "|" + id;
  for (const std::string& s : selection.sources) seed += "|" + s;
  return ips::urn_uuid(seed);
}

}  // namespace

IpsDocument build_ips(const Record& record, const ShareRequest& request) {
  if (!summary::parse_day(request.today)) throw std::invalid_argument("today must be a date written YYYY-MM-DD");
  const share::Selection selection = share::select(record, request);
  const Consent& consent = request.consent;
  const std::string date = consent.shift_days ? share::shift_date(request.today, *consent.shift_days) : request.today;
  const std::string timestamp = date + "T00:00:00Z";

  Builder builder(selection, seed_of(selection, date));
  builder.add_patient_url();
  each_ips_list(selection.record, [&](const auto& items) { builder.place(items); });
  each_ips_list(selection.record, [&](const auto& items) { builder.write(items); });
  const About about_it = about(selection, consent, request.today, builder.targets());

  const std::string patient_url = builder.url("Patient", share::kPatientId);
  const std::string device_url = builder.url("Device", "chartlock");
  json entries = json::array();
  entries.push_back(bundle_entry(builder.url("Composition", "ips"),
                                 composition(about_it, patient_url, device_url,
                                             sections_json(builder.sections(), selection, consent))));
  // Not shared, or the name hidden: what is missing was kept back, not unknown.
  const bool patient_withheld = consent.categories.count(Category::patient) == 0 || consent.shift_days.has_value();
  entries.push_back(bundle_entry(patient_url, ips::patient_entry(selection.record.patient, patient_withheld)));
  entries.push_back(bundle_entry(device_url, ips::device_entry()));
  for (json& e : builder.items()) entries.push_back(std::move(e));
  std::size_t n = 0;
  for (const std::string& source : about_it.sources) {
    const std::string id = "provenance-" + std::to_string(++n);
    entries.push_back(bundle_entry(builder.url("Provenance", id),
                                   ips::provenance_entry(id, source, builder.targets().at(source), timestamp)));
  }

  const std::string body = entries.dump(-1, ' ', false, json::error_handler_t::replace);
  json bundle = json::object();
  bundle["resourceType"] = "Bundle";
  bundle["identifier"]["system"] = "urn:ietf:rfc:3986";
  bundle["identifier"]["value"] = ips::urn_uuid(timestamp + "|" + body);
  bundle["type"] = "document";
  bundle["timestamp"] = timestamp;
  bundle["entry"] = std::move(entries);
  IpsDocument out;
  out.json = bundle.dump(-1, ' ', false, json::error_handler_t::replace);
  out.keys = std::move(builder.keys());
  out.sources = about_it.sources;
  return out;
}

}  // namespace chartlock
