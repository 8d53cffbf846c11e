// SPDX-License-Identifier: Apache-2.0
// Patient/$match: how a provider grades a query against its patients, and
// the queries that tell a patient which of their details a provider holds
// differently.
#include <algorithm>

#include "chartlock/persons.hpp"
#include "persons/names.hpp"

namespace chartlock {

namespace {

// Certain: one person beyond doubt (a score this high needs agreeing birth
// date and names plus supporting evidence). Scores are mapped onto 0..1 over
// the range the weights can reach (docs/persons.md).
constexpr double kCertain = 8;
constexpr double kScoreSpan = 16;

// A provider's index weighs contact details it holds that disagree with the
// query (merging does not: people move), which is why a stale address keeps
// a patient from being found "certain" — and why leaving it out finds them.
double contact_penalty(const FieldComparison& f) {
  if (f.verdict != FieldComparison::Verdict::disagree) return 0;
  if (f.field == "address") return -1.5;
  if (f.field == "phone" || f.field == "email") return -1;
  return 0;
}

}  // namespace

const char* to_string(MatchGrade g) {
  switch (g) {
    case MatchGrade::certain: return "certain";
    case MatchGrade::probable: return "probable";
    case MatchGrade::possible: return "possible";
    case MatchGrade::certainly_not: return "certainly-not";
  }
  return "certainly-not";
}

MatchResult grade_match(const Patient& query, const Patient& candidate) {
  MatchResult r;
  r.comparison = compare_patients(query, candidate);
  double score = r.comparison.score;
  for (const FieldComparison& f : r.comparison.fields) score += contact_penalty(f);
  r.score = std::clamp(score / kScoreSpan, 0.0, 1.0);
  switch (r.comparison.outcome) {
    case Match::same: r.grade = score >= kCertain ? MatchGrade::certain : MatchGrade::probable; break;
    case Match::uncertain: r.grade = MatchGrade::possible; break;
    case Match::different: r.grade = MatchGrade::certainly_not; r.score = 0; break;
  }
  return r;
}

Patient match_query(const Patient& verified) {
  Patient q = verified;
  const auto former = [](const auto& x) { return persons::is_former(x); };
  q.names.erase(std::remove_if(q.names.begin(), q.names.end(), former), q.names.end());
  q.addresses.erase(std::remove_if(q.addresses.begin(), q.addresses.end(), former), q.addresses.end());
  if (q.address && persons::is_former(*q.address)) q.address.reset();
  if (!q.address && !q.addresses.empty()) q.address = q.addresses.front();
  return q;
}

std::vector<Relaxation> relaxations(const Patient& verified_details) {
  const Patient verified = match_query(verified_details);
  std::vector<Relaxation> out;
  if (!verified.addresses.empty() || verified.address) {
    Relaxation r{"address", "your address", "when your address was left out",
                 "ask them to update your address", verified};
    r.query.addresses.clear();
    r.query.address.reset();
    out.push_back(std::move(r));
  }
  if (!verified.phones.empty()) {
    Relaxation r{"phone", "your phone number", "when your phone number was left out",
                 "ask them to update your phone number", verified};
    r.query.phones.clear();
    out.push_back(std::move(r));
  }
  if (!verified.emails.empty()) {
    Relaxation r{"email", "your email address", "when your email address was left out",
                 "ask them to update your email address", verified};
    r.query.emails.clear();
    out.push_back(std::move(r));
  }
  for (const Patient::Name& n : verified_details.names) {
    if (!persons::is_former(n)) continue;
    Patient::Name as_current = n;
    as_current.use = "official";
    as_current.end.clear();
    if (as_current.given.empty()) as_current.given = verified.given;  // a former surname, same given names
    std::string written;
    for (const std::string& g : as_current.given) written += g + " ";
    written += n.family;
    Relaxation r{"name", "your former name", "under your former name (" + written + ")",
                 "ask them to update your name", verified};
    r.query.names = {as_current};
    r.query.family = n.family;
    r.query.given = as_current.given;
    out.push_back(std::move(r));
  }
  // A mistyped birth date (a digit, two digits swapped, day and month
  // swapped) keeps a provider from being certain; the year alone does not.
  const std::string& b = verified.birthDate;
  if (b.size() >= 10 && b[4] == '-') {
    Relaxation r{"birthDate", "your date of birth", "when only the year of your birth was given",
                 "ask them to check your date of birth", verified};
    r.query.birthDate = b.substr(0, 4);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace chartlock
