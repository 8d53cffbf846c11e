// SPDX-License-Identifier: Apache-2.0
// What leaves, decided once for every kind of share: the consent engine's
// answer for each item (chartlock/consent.hpp), narrowed by the keys the
// patient was shown, and the record cut down to those items with what the
// patient keeps back taken out of their text (and every date moved when
// dates are hidden). build_share() (an AI tool's parts) and build_ips() (a
// clinician's International Patient Summary) both start here, so a rule
// changed in one place holds for both.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chartlock/share.hpp"

namespace chartlock::share {

struct Selection {
  Record record;                  // only the shared items, redacted, dates moved when hidden
  bool patient = false;           // the Patient (name, sex, birth date) is shared
  std::vector<std::string> keys;  // the items shared (record keys), in record order
  std::vector<std::string> ids;   // their ids in the share: the keys, or item-N with dates hidden
  std::map<std::string, std::string> id_of;           // record key → id in the share
  std::vector<std::string> sources;                   // the providers of what is shared
  std::map<std::string, std::uint64_t> by_category;   // items shared, by category id
  std::vector<ShareContent::Refused> refused;         // keys asked for that are not shared, and why
  bool partial = false;           // an item of a shared category was kept back
  Categories kept_back;           // the shared categories that had an item kept back
  // What the consent engine called each shared item (by record key): its
  // category and its plain words, as the consent screen showed them.
  struct Chosen {
    Category category = Category::conditions;
    std::string label;
  };
  std::map<std::string, Chosen> chosen;
};

// Throws WrongPerson when request.person is not the record's person.
Selection select(const Record& record, const ShareRequest& request);

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

}  // namespace chartlock::share
