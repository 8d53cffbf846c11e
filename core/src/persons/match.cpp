// Patient/$match: how a provider grades a query against its patients, and
// the queries that tell a patient which of their details a provider holds
// differently.
#include <algorithm>

#include "chartlock/persons.hpp"

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

std::vector<Relaxation> relaxations(const Patient& verified) {
  std::vector<Relaxation> out;
  if (!verified.addresses.empty() || verified.address) {
    Relaxation r{"address", "your address", verified};
    r.query.addresses.clear();
    r.query.address.reset();
    out.push_back(std::move(r));
  }
  if (!verified.phones.empty()) {
    Relaxation r{"phone", "your phone number", verified};
    r.query.phones.clear();
    out.push_back(std::move(r));
  }
  if (!verified.emails.empty()) {
    Relaxation r{"email", "your email address", verified};
    r.query.emails.clear();
    out.push_back(std::move(r));
  }
  for (const Patient::Name& n : verified.names) {
    const bool former = n.use == "old" || n.use == "maiden" || !n.end.empty();
    if (!former) continue;
    Relaxation r{"name", "your former name", verified};
    Patient::Name as_current = n;
    as_current.use = "official";
    as_current.end.clear();
    r.query.names = {as_current};
    r.query.family = n.family;
    r.query.given = n.given;
    out.push_back(std::move(r));
  }
  const std::string& b = verified.birthDate;
  if (b.size() >= 10 && b[4] == '-' && b[7] == '-' && b.substr(5, 2) != b.substr(8, 2) && b.substr(8, 2) <= "12") {
    Relaxation r{"birthDate", "your date of birth", verified};
    r.query.birthDate = b.substr(0, 5) + b.substr(8, 2) + "-" + b.substr(5, 2);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace chartlock
