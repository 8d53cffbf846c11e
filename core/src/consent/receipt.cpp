// SPDX-License-Identifier: Apache-2.0
// The consent receipt: what the patient agreed to, in words and numbers.
#include <ctime>
#include <stdexcept>

#include "chartlock/share.hpp"

namespace chartlock {

namespace {

using json = nlohmann::ordered_json;

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

// The same consent for systems that speak FHIR.
json fhir_consent(const json& receipt, const std::vector<std::string>& keys) {
  json data = json::array();
  for (const std::string& key : keys) data.push_back(json{{"meaning", "instance"}, {"reference", json{{"display", key}}}});
  const json& tool = receipt["tool"];
  std::string who = tool.value("name", std::string("the tool"));
  if (tool.contains("origin")) who += " (" + tool.value("origin", std::string()) + ")";
  json provision{
      {"type", "permit"},
      {"period", json{{"start", receipt["createdAt"]}, {"end", receipt["expiresAt"]}}},
      {"actor", json::array({json{{"role", json{{"coding", json::array({json{
                                                {"system", "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"},
                                                {"code", "IRCP"}}})}}},
                                  {"reference", json{{"display", who}}}}})},
      {"action", json::array({json{{"coding", json::array({json{
                                  {"system", "http://terminology.hl7.org/CodeSystem/consentaction"}, {"code", "disclose"}}})}}})},
  };
  if (tool.contains("purpose")) provision["purpose"] = json::array({json{{"display", tool["purpose"]}}});
  provision["data"] = std::move(data);
  return json{
      {"resourceType", "Consent"},
      {"status", "active"},
      {"scope", json{{"coding", json::array({json{{"system", "http://terminology.hl7.org/CodeSystem/consentscope"},
                                                  {"code", "patient-privacy"}}})}}},
      {"category", json::array({json{{"coding", json::array({json{{"system", "http://loinc.org"}, {"code", "59284-0"},
                                                                   {"display", "Patient Consent"}}})}}})},
      {"dateTime", receipt["createdAt"]},
      {"policyRule", json{{"text", "Chartlock consent receipt v1"}}},
      {"provision", std::move(provision)},
  };
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
  json receipt{
      {"type", "chartlock-consent-receipt"},
      {"version", 1},
      {"grantId", context.grant_id},
      {"sequence", context.sequence},
      {"createdAt", iso_time(context.created_at)},
      {"expiresAt", iso_time(context.expires_at)},
      {"tool", context.tool},
      {"scopesRequested", consent.scopes},
      {"consent", told},
      {"shared", json{{"categories", std::move(categories)},
                      {"patient", content.patient},
                      {"sensitiveIncluded", consent.sensitive},
                      {"dateRange", json{{"from", told["from"]}, {"to", told["to"]}}},
                      {"deidentified", consent.shift_days.has_value()},
                      {"items", content.ids.size()},
                      {"byCategory", content.by_category},
                      {"sources", content.sources},
                      {"keys", content.ids}}},
      {"parts", std::move(parts)},
      {"signer", context.signer},
  };
  receipt["fhir"] = fhir_consent(receipt, content.ids);
  return receipt;
}

}  // namespace chartlock
