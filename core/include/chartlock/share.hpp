// SPDX-License-Identifier: Apache-2.0
// What is shared: the content sealed for a tool, built from the record and
// the patient's consent. Every item is checked against the consent here,
// whatever the caller asked for, and every resource is rebuilt from what the
// tool may see (docs/share-content.md) — never copied from the source.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "chartlock/consent.hpp"
#include "chartlock/record.hpp"

namespace chartlock {

struct ShareRequest {
  Consent consent;
  // The items the patient was shown as chosen. Absent: every item the
  // consent allows. Either way, an item the consent refuses is not shared.
  std::optional<std::set<std::string>> keys;
  std::string today;  // YYYY-MM-DD for the summary's date rules; empty: skipped
  // Whose records the share is for (a person key: a grant's person). Set, it
  // must be the record's: a grant never receives another person's records.
  std::string person;
};

struct SharePart {
  std::string name;       // "records.json", "summary.md"
  std::string mediaType;
  std::string text;
};

struct ShareContent {
  std::vector<SharePart> parts;  // in the order they are sealed, after the receipt
  std::vector<std::string> keys;  // the items shared (record keys), in record order
  std::vector<std::string> ids;   // their ids in the share: the keys, or item-N with dates hidden
  bool patient = false;           // the Patient (name, sex, birth date) is shared
  std::map<std::string, std::uint64_t> counts;        // resources shared, by type
  std::map<std::string, std::uint64_t> by_category;   // items shared, by category id
  std::vector<std::string> sources;                   // the providers of what is shared
  struct Refused {
    std::string key;
    Refusal why;
  };
  std::vector<Refused> refused;  // keys asked for that are not shared, and why
};

// Throws std::invalid_argument when request.today is not YYYY-MM-DD, and
// WrongPerson when request.person is not the record's person.
class WrongPerson : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};
ShareContent build_share(const Record& record, const ShareRequest& request);

// {"parts":[{"name","mediaType","text"}...]}: what `chartlock share --preview`
// prints and the widget shows before Share.
nlohmann::ordered_json parts_to_json(const ShareContent& content);

}  // namespace chartlock

namespace chartlock {

// Who the share is for and which version of which grant: what the receipt
// names besides the consent and what was shared.
struct ReceiptContext {
  nlohmann::ordered_json tool = nlohmann::ordered_json::object();  // the manifest's name, origin, purpose, retention, keys
  std::string grant_id;     // 32 hex digits
  std::uint64_t sequence = 1;
  std::int64_t created_at = 0, expires_at = 0;  // Unix seconds
  std::string signer;       // the grant's Ed25519 public key, base64url
  // BLAKE2b-256 (hex) of each part, in content.parts order: computed by the
  // caller with crypto::hash (the core calls no libsodium).
  std::vector<std::string> part_digests;
};

// The consent receipt (docs/consent.md), sealed as part 0: what the patient
// agreed to and exactly what was shared, with the same consent as a FHIR R4
// Consent resource under "fhir".
nlohmann::ordered_json consent_receipt(const ShareContent& content, const Consent& consent,
                                       const ReceiptContext& context);

}  // namespace chartlock
