// SPDX-License-Identifier: Apache-2.0
// Are two Patient resources one person? A score from field-by-field
// agreement (the weights in docs/persons.md), after three rules that say
// "different" outright: birth dates that differ beyond a typo, given names
// that cannot be one person's, and one national identifier with two values.
#include <algorithm>
#include <cctype>

#include "chartlock/knowledge.hpp"
#include "chartlock/persons.hpp"
#include "persons/names.hpp"
#include "text/fold.hpp"

namespace chartlock {

namespace {

using Verdict = FieldComparison::Verdict;

// Thresholds and weights, documented in docs/persons.md.
constexpr double kSame = 5;        // at least this, with evidence beyond names: one person
constexpr double kDifferent = 0;   // at most this: two people
constexpr double kBirthAgree = 4, kBirthTypo = -1, kBirthYear = 1;
constexpr double kSexAgree = 1, kSexDisagree = -4;
constexpr double kFamilyAgree = 2, kFamilyPartial = 1.5, kFamilyDisagree = -3;
constexpr double kGivenAgree = 2, kGivenNickname = 1.5, kGivenPartial = 0.5;
constexpr double kIdentifierAgree = 5, kIdentifierDisagree = -3;
constexpr double kPhoneAgree = 1.5, kEmailAgree = 2, kAddressAgree = 1.5, kPostalAgree = 0.5;

// Identifiers one person has one of, whoever issued the record.
bool is_national(const std::string& system) {
  return system == "http://hl7.org/fhir/sid/us-ssn" || system == "urn:oid:2.16.840.1.113883.4.1";
}

bool full_date(const std::string& d) { return d.size() >= 10 && d[4] == '-' && d[7] == '-'; }

// One digit wrong, two neighbours swapped, or day and month swapped.
bool is_typo(const std::string& a, const std::string& b) {
  const std::string x = a.substr(0, 10), y = b.substr(0, 10);
  std::vector<std::size_t> diff;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (x[i] != y[i]) diff.push_back(i);
  }
  if (diff.size() == 1) return true;
  if (diff.size() == 2 && diff[1] == diff[0] + 1 && x[diff[0]] == y[diff[1]] && x[diff[1]] == y[diff[0]]) return true;
  return x.substr(0, 4) == y.substr(0, 4) && x.substr(5, 2) == y.substr(8, 2) && x.substr(8, 2) == y.substr(5, 2);
}

FieldComparison birth_dates(const Patient& a, const Patient& b) {
  FieldComparison f{"birthDate", a.birthDate, b.birthDate, Verdict::missing, 0, ""};
  if (a.birthDate.empty() || b.birthDate.empty()) return f;
  if (a.birthDate.substr(0, 10) == b.birthDate.substr(0, 10)) {
    f.verdict = Verdict::agree;
    f.weight = full_date(a.birthDate) ? kBirthAgree : kBirthYear;
  } else if (full_date(a.birthDate) && full_date(b.birthDate)) {
    const bool typo = is_typo(a.birthDate, b.birthDate);
    f.verdict = typo ? Verdict::partial : Verdict::disagree;
    f.weight = typo ? kBirthTypo : 0;
    f.note = typo ? "differs as a typing mistake would" : "different dates";
  } else {
    // "1980" against "1980-02-03": the year is all one of them says.
    const bool year = a.birthDate.substr(0, 4) == b.birthDate.substr(0, 4);
    f.verdict = year ? Verdict::partial : Verdict::disagree;
    f.weight = year ? kBirthYear : 0;
    f.note = year ? "only the year is known on one side" : "different years";
  }
  return f;
}

FieldComparison sexes(const Patient& a, const Patient& b) {
  FieldComparison f{"gender", a.gender, b.gender, Verdict::missing, 0, ""};
  auto known = [](const std::string& g) { return g == "male" || g == "female"; };
  if (!known(a.gender) || !known(b.gender)) return f;
  f.verdict = a.gender == b.gender ? Verdict::agree : Verdict::disagree;
  f.weight = a.gender == b.gender ? kSexAgree : kSexDisagree;
  return f;
}

bool overlap(const std::vector<std::string>& x, const std::vector<std::string>& y) {
  return std::any_of(x.begin(), x.end(), [&](const std::string& w) { return std::find(y.begin(), y.end(), w) != y.end(); });
}

struct NamePair {
  FieldComparison family, given;
  double total() const { return family.weight + given.weight; }
};

NamePair compare_names(const persons::FoldedName& x, const persons::FoldedName& y) {
  NamePair p{{"family", x.shown_family, y.shown_family, Verdict::missing, 0, ""},
             {"given", x.shown_given, y.shown_given, Verdict::missing, 0, ""}};
  if (!x.family.empty() && !y.family.empty()) {
    if (x.family == y.family) {
      p.family.verdict = Verdict::agree;
      p.family.weight = kFamilyAgree;
    } else if (overlap(x.family, y.family)) {
      p.family.verdict = Verdict::partial;
      p.family.weight = kFamilyPartial;
      p.family.note = "shares part of a double name";
    } else {
      p.family.verdict = Verdict::disagree;
      p.family.weight = kFamilyDisagree;
    }
    if (p.family.verdict != Verdict::disagree && (x.former || y.former)) p.family.note = "a former name";
  }
  if (!x.given.empty() && !y.given.empty()) {
    const std::string& gx = x.given.front();
    const std::string& gy = y.given.front();
    if (gx == gy) {
      p.given.verdict = Verdict::agree;
      p.given.weight = kGivenAgree;
    } else if (!persons::is_initial(gx) && !persons::is_initial(gy) && knowledge::same_given_name(gx, gy)) {
      p.given.verdict = Verdict::agree;
      p.given.weight = kGivenNickname;
      p.given.note = "a nickname";
    } else if ((persons::is_initial(gx) || persons::is_initial(gy)) && gx[0] == gy[0]) {
      p.given.verdict = Verdict::partial;
      p.given.weight = kGivenPartial;
      p.given.note = "an initial";
    } else if (std::find(y.given.begin() + 1, y.given.end(), gx) != y.given.end() ||
               std::find(x.given.begin() + 1, x.given.end(), gy) != x.given.end()) {
      p.given.verdict = Verdict::partial;
      p.given.weight = kGivenPartial;
      p.given.note = "goes by a middle name";
    } else {
      p.given.verdict = Verdict::disagree;
    }
  }
  // Family and given names written the other way round.
  if (p.family.verdict == Verdict::disagree && p.given.verdict == Verdict::disagree && overlap(x.family, y.given) &&
      overlap(x.given, y.family)) {
    p.family.verdict = p.given.verdict = Verdict::partial;
    p.family.weight = kFamilyPartial;
    p.given.weight = kGivenPartial;
    p.family.note = p.given.note = "the same names in the other order";
  }
  return p;
}

std::string digits_of(const std::string& phone) {
  std::string d;
  for (char c : phone) {
    if (c >= '0' && c <= '9') d += c;
  }
  return d.size() > 10 ? d.substr(d.size() - 10) : d;  // a country code is not the number
}

std::string lower_trimmed(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\t') out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Any value of one side equal to one of the other's, after `norm`.
template <class Norm>
FieldComparison any_equal(const char* field, const std::vector<std::string>& a, const std::vector<std::string>& b,
                          double weight, Norm norm) {
  FieldComparison f{field, a.empty() ? "" : a.front(), b.empty() ? "" : b.front(), Verdict::missing, 0, ""};
  if (a.empty() || b.empty()) return f;
  f.verdict = Verdict::disagree;
  f.note = "may have changed";
  for (const std::string& x : a) {
    for (const std::string& y : b) {
      if (!norm(x).empty() && norm(x) == norm(y)) {
        f = {field, x, y, Verdict::agree, weight, ""};
        return f;
      }
    }
  }
  return f;
}

std::string address_text(const Patient::Address& a) {
  std::string s;
  for (const std::string& l : a.line) s += (s.empty() ? "" : ", ") + l;
  for (const std::string* part : {&a.city, &a.state, &a.postalCode}) {
    if (!part->empty()) s += (s.empty() ? "" : ", ") + *part;
  }
  return s;
}

FieldComparison addresses(const Patient& a, const Patient& b) {
  FieldComparison f{"address", a.addresses.empty() ? "" : address_text(a.addresses.front()),
                    b.addresses.empty() ? "" : address_text(b.addresses.front()), Verdict::missing, 0, ""};
  if (a.addresses.empty() || b.addresses.empty()) return f;
  f.verdict = Verdict::disagree;
  f.note = "may have moved";
  auto postal = [](const Patient::Address& x) { return digits_of(x.postalCode).substr(0, 5); };
  auto street = [](const Patient::Address& x) {
    std::vector<std::string> w;
    for (const std::string& l : x.line) {
      for (std::string& word : text::fold_words(l)) w.push_back(std::move(word));
    }
    return w;
  };
  for (const Patient::Address& x : a.addresses) {
    for (const Patient::Address& y : b.addresses) {
      if (postal(x).empty() || postal(x) != postal(y)) continue;
      const bool same_street = !street(x).empty() && street(x) == street(y);
      if (same_street || f.verdict == Verdict::disagree) {
        f = {"address", address_text(x), address_text(y), same_street ? Verdict::agree : Verdict::partial,
             same_street ? kAddressAgree : kPostalAgree, same_street ? "" : "same postal code"};
        if (persons::is_former(x) || persons::is_former(y)) f.note += f.note.empty() ? "a former address" : ", a former address";
      }
    }
  }
  return f;
}

FieldComparison identifiers(const Patient& a, const Patient& b, bool& national_conflict) {
  FieldComparison f{"identifier", "", "", Verdict::missing, 0, ""};
  for (const Patient::Identifier& x : a.identifiers) {
    for (const Patient::Identifier& y : b.identifiers) {
      if (x.system.empty() || x.system != y.system) continue;
      if (x.value == y.value) return {"identifier", x.system + "|" + x.value, y.system + "|" + y.value, Verdict::agree,
                                      kIdentifierAgree, ""};
      f = {"identifier", x.system + "|" + x.value, y.system + "|" + y.value, Verdict::disagree, kIdentifierDisagree,
           "one issuer, two numbers"};
      if (is_national(x.system)) national_conflict = true;
    }
  }
  return f;
}

}  // namespace

const char* to_string(Match m) {
  switch (m) {
    case Match::same: return "same";
    case Match::different: return "different";
    case Match::uncertain: return "uncertain";
  }
  return "uncertain";
}

const char* to_string(FieldComparison::Verdict v) {
  switch (v) {
    case Verdict::agree: return "agree";
    case Verdict::partial: return "partial";
    case Verdict::disagree: return "disagree";
    case Verdict::missing: return "missing";
  }
  return "missing";
}

PatientComparison compare_patients(const Patient& a, const Patient& b) {
  PatientComparison c;
  const FieldComparison birth = birth_dates(a, b);
  c.fields.push_back(birth);

  // The names that agree best, former names included.
  NamePair best{{"family", a.name, b.name, Verdict::missing, 0, ""}, {"given", a.name, b.name, Verdict::missing, 0, ""}};
  bool first = true;
  for (const persons::FoldedName& x : persons::folded_names(a)) {
    for (const persons::FoldedName& y : persons::folded_names(b)) {
      NamePair p = compare_names(x, y);
      if (first || p.total() > best.total()) best = std::move(p);
      first = false;
    }
  }
  c.fields.push_back(best.family);
  c.fields.push_back(best.given);
  c.fields.push_back(sexes(a, b));
  bool national_conflict = false;
  c.fields.push_back(identifiers(a, b, national_conflict));
  c.fields.push_back(any_equal("phone", a.phones, b.phones, kPhoneAgree, digits_of));
  c.fields.push_back(any_equal("email", a.emails, b.emails, kEmailAgree, lower_trimmed));
  c.fields.push_back(addresses(a, b));
  for (const FieldComparison& f : c.fields) c.score += f.weight;

  if (birth.verdict == Verdict::disagree) c.rule = "the birth dates differ";
  else if (best.given.verdict == Verdict::disagree) c.rule = "the given names cannot be one person's";
  else if (national_conflict) c.rule = "one national identifier has two values";
  if (!c.rule.empty() || c.score <= kDifferent) {
    c.outcome = Match::different;
    return c;
  }
  // Names can be shared; a birth date, an identifier, a phone or an email ties them to one person.
  auto agrees = [&](const char* field) {
    return std::any_of(c.fields.begin(), c.fields.end(), [&](const FieldComparison& f) {
      return f.field == field && f.verdict == Verdict::agree;
    });
  };
  const bool tied = birth.verdict == Verdict::agree || birth.verdict == Verdict::partial || agrees("identifier") ||
                    agrees("phone") || agrees("email");
  c.outcome = c.score >= kSame && tied ? Match::same : Match::uncertain;
  return c;
}

DifferentPersons::DifferentPersons(std::vector<Person> persons, PatientComparison comparison)
    : std::runtime_error("the sources hold " + std::to_string(persons.size()) +
                         " different persons: choose one (its key), or read them apart"),
      persons_(std::move(persons)),
      comparison_(std::move(comparison)) {}

}  // namespace chartlock
