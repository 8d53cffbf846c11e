// What the patient can share, and what is shared: the consent catalog (every
// item with its category, date, providers and any sensitive category), and
// the share content built from exactly the items consented to — a minimized
// FHIR Bundle plus the summary in Markdown.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chartlock/record.hpp"
#include "chartlock/summary.hpp"

namespace chartlock {

struct ConsentItem {
  std::string key;
  std::string category;   // labs, vitals, conditions, medications, allergies, immunizations, procedures,
                          // encounters, reports, documents, carePlans, goals, socialHistory, otherObservations
  std::string resourceType;  // what it is shared as
  std::string label;      // plain words: the knowledge base's name when it knows the code
  std::string recorded;   // the record's own words when they differ from label, else empty
  std::string date;       // its main date, as written; may be empty
  std::vector<std::string> sources;
  std::vector<std::string> sensitive;  // ids of sensitive categories it falls in
};

// Every shareable item of the record. Needs nothing but the record.
std::vector<ConsentItem> consent_catalog(const Record& record);
nlohmann::ordered_json to_json(const std::vector<ConsentItem>& items);

struct ShareSelection {
  std::set<std::string> keys;   // items to share
  bool include_patient = true;  // name, gender and birth date only
};

struct ShareContent {
  std::string fhir_bundle;       // a FHIR R4 collection Bundle (JSON text)
  std::string summary_markdown;  // the summary of the shared items only
  std::map<std::string, std::uint64_t> counts;  // resources shared, by type
  std::vector<std::string> missing;  // selected keys the record does not have
};

// Builds what is sealed for the tool. Items are shared as their original
// resources (the record must have been ingested with keep_raw), minimized:
// the Patient reduced to name, gender and birth date; a medication that
// pointed at a Medication resource carries the drug's code inline instead.
ShareContent build_share(const Record& record, const ShareSelection& selection,
                         const SummaryOptions& summary_options);

}  // namespace chartlock
