// SPDX-License-Identifier: Apache-2.0
// The consent receipt: what the patient agreed to, in words and numbers.
#include <ctime>
#include <stdexcept>

#include "chartlock/share.hpp"
#include "share/share_resources.hpp"

namespace chartlock {

namespace {

using json = nlohmann::ordered_json;
using share::coded_concept;

std::string iso_time(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
#if defined(_WIN32)
  gmtime_s(&tm, &tt);
#else
  gmtime_r(&tt, &tm);
#endif
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return buf;
}

// The same consent for systems that speak FHIR. The receipt's JSON is built
// member by member: a nested initializer list costs code for every element
// it converts, and this was the module's third-largest function (docs/
// performance.md, "The module's code size, again").
json fhir_consent(const json& receipt, const std::vector<std::string>& keys) {
  json data = json::array();
  for (const std::string& key : keys) data.push_back(json{{"meaning", "instance"}, {"reference", json{{"display", key}}}});
  const json& tool = receipt["tool"];
  std::string who = tool.value("name", std::string("the tool"));
  if (tool.contains("origin")) who += " (" + tool.value("origin", std::string()) + ")";
  json provision = json::object();
  provision["type"] = "permit";
  provision["period"]["start"] = receipt["createdAt"];
  provision["period"]["end"] = receipt["expiresAt"];
  json actor = json::object();
  actor["role"] = coded_concept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP");
  actor["reference"]["display"] = who;
  provision["actor"].push_back(std::move(actor));
  provision["action"].push_back(coded_concept("http://terminology.hl7.org/CodeSystem/consentaction", "disclose"));
  if (tool.contains("purpose")) provision["purpose"] = json::array({json{{"display", tool["purpose"]}}});
  provision["data"] = std::move(data);
  json out = json::object();
  out["resourceType"] = "Consent";
  out["status"] = "active";
  out["scope"] = coded_concept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy");
  out["category"].push_back(coded_concept("http://loinc.org", "59284-0", "Patient Consent"));
  out["dateTime"] = receipt["createdAt"];
  out["policyRule"]["text"] = "Chartlock consent receipt v1";
  out["provision"] = std::move(provision);
  return out;
}

}  // namespace

nlohmann::ordered_json consent_receipt(const ShareContent& content, const Consent& consent,
                                       const ReceiptContext& context) {
  if (!context.part_digests.empty() && context.part_digests.size() != content.parts.size()) {
    throw std::invalid_argument("the receipt needs one digest per part");
  }
  json categories = json::array();
  for (Category c : consent.categories) {
    const std::string id(category_id(c));
    if (c == Category::patient ? content.patient : content.by_category.count(id) > 0) categories.push_back(id);
  }
  const json told = to_receipt_json(consent);  // dates as the tool sees them, no offset, no withheld keys
  json parts = json::array();
  for (std::size_t i = 0; i < content.parts.size(); ++i) {
    json part{{"name", content.parts[i].name}, {"mediaType", content.parts[i].mediaType},
              {"size", content.parts[i].text.size()}};
    if (!context.part_digests.empty()) part["blake2b256"] = context.part_digests[i];
    parts.push_back(std::move(part));
  }
  json shared = json::object();
  shared["categories"] = std::move(categories);
  shared["patient"] = content.patient;
  shared["sensitiveIncluded"] = consent.sensitive;
  shared["dateRange"]["from"] = told["from"];
  shared["dateRange"]["to"] = told["to"];
  shared["deidentified"] = consent.shift_days.has_value();
  shared["items"] = content.ids.size();
  shared["byCategory"] = content.by_category;
  shared["sources"] = content.sources;
  shared["keys"] = content.ids;
  json receipt = json::object();
  receipt["type"] = "chartlock-consent-receipt";
  receipt["version"] = 1;
  receipt["grantId"] = context.grant_id;
  receipt["sequence"] = context.sequence;
  receipt["createdAt"] = iso_time(context.created_at);
  receipt["expiresAt"] = iso_time(context.expires_at);
  receipt["tool"] = context.tool;
  receipt["scopesRequested"] = consent.scopes;
  receipt["consent"] = told;
  receipt["shared"] = std::move(shared);
  receipt["parts"] = std::move(parts);
  receipt["signer"] = context.signer;
  receipt["fhir"] = fhir_consent(receipt, content.ids);
  return receipt;
}

}  // namespace chartlock
