// SPDX-License-Identifier: Apache-2.0
#include "share/redact.hpp"

#include <algorithm>
#include <cctype>


namespace chartlock::share {

namespace {

constexpr std::string_view kRedacted = "[redacted]";

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c | 0x20) : c; }

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (static_cast<unsigned char>(c) >= 0x80);
}

// Parts of a name worth hiding: every word of two letters or more.
void add_name_words(std::vector<std::string>& out, std::string_view name) {
  std::string word;
  auto flush = [&] {
    if (word.size() >= 2 && std::find(out.begin(), out.end(), word) == out.end()) out.push_back(word);
    word.clear();
  };
  for (char c : name) {
    if (is_word_char(c) || c == '\'') word += lower(c);
    else flush();
  }
  flush();
}

bool starts_ci(std::string_view s, std::size_t at, std::string_view lower_word) {
  if (s.size() - at < lower_word.size()) return false;
  for (std::size_t i = 0; i < lower_word.size(); ++i) {
    if (lower(s[at + i]) != lower_word[i]) return false;
  }
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::size_t digit_run(std::string_view s, std::size_t at) {
  std::size_t n = 0;
  while (at + n < s.size() && is_digit(s[at + n])) ++n;
  return n;
}

constexpr std::string_view kMonths[] = {"january", "february", "march",     "april",   "may",      "june",
                                        "july",    "august",   "september", "october", "november", "december"};

// The length of a date written at s[at] (a word start), or 0: 2019-05-02 (and
// a time after it), 5/2/2019, 02.05.2019, a year 1900-2099 standing alone,
// "May 2, 2019", "2 May 2019", "May 2019" (month names whole or in three letters).
std::size_t date_length(std::string_view s, std::size_t at) {
  const std::size_t n = digit_run(s, at);
  auto ends_word = [&](std::size_t end) { return end >= s.size() || !is_word_char(s[end]); };
  if (n == 4 && at + 10 <= s.size() && s[at + 4] == '-' && digit_run(s, at + 5) == 2 && s[at + 7] == '-' &&
      digit_run(s, at + 8) == 2) {
    std::size_t end = at + 10;
    if (end < s.size() && s[end] == 'T') {
      while (end < s.size() && (is_digit(s[end]) || s[end] == 'T' || s[end] == ':' || s[end] == '.' || s[end] == 'Z' ||
                                s[end] == '+' || s[end] == '-')) {
        ++end;
      }
    }
    return end - at;
  }
  if ((n == 1 || n == 2) && at + n < s.size() && (s[at + n] == '/' || s[at + n] == '.')) {
    const char sep = s[at + n];
    const std::size_t m = digit_run(s, at + n + 1);
    if ((m == 1 || m == 2) && at + n + 1 + m < s.size() && s[at + n + 1 + m] == sep) {
      const std::size_t y = digit_run(s, at + n + 2 + m);
      if ((y == 2 || y == 4) && ends_word(at + n + 2 + m + y)) return n + 2 + m + y;
    }
  }
  auto year_at = [&](std::size_t p) -> std::size_t {
    if (digit_run(s, p) == 4 && (s.substr(p, 2) == "19" || s.substr(p, 2) == "20") && ends_word(p + 4)) return 4;
    return 0;
  };
  auto month_at = [&](std::size_t p) -> std::size_t {
    for (std::string_view m : kMonths) {
      for (std::string_view form : {m, m.substr(0, 3)}) {
        if (starts_ci(s, p, form) && ends_word(p + form.size())) {
          return p + form.size() < s.size() && s[p + form.size()] == '.' ? form.size() + 1 : form.size();
        }
      }
    }
    return 0;
  };
  auto skip_spaces = [&](std::size_t p) {
    while (p < s.size() && (s[p] == ' ' || s[p] == ',')) ++p;
    return p;
  };
  if (n == 0) {  // May 2, 2019 / May 2019
    const std::size_t m = month_at(at);
    if (m == 0) return 0;
    std::size_t p = skip_spaces(at + m);
    const std::size_t d = digit_run(s, p);
    if ((d == 1 || d == 2) && ends_word(p + d)) {
      const std::size_t after = skip_spaces(p + d);
      if (const std::size_t y = year_at(after)) return after + y - at;
      return p + d - at;
    }
    if (const std::size_t y = year_at(p)) return p + y - at;
    return 0;
  }
  if ((n == 1 || n == 2) && ends_word(at + n)) {  // 2 May 2019
    const std::size_t p = skip_spaces(at + n);
    if (const std::size_t m = month_at(p)) {
      const std::size_t after = skip_spaces(p + m);
      if (const std::size_t y = year_at(after)) return after + y - at;
      return p + m - at;
    }
  }
  return year_at(at);
}

}  // namespace

Redactor::Redactor(const Patient& p, bool mask_dates) : mask_dates_(mask_dates) {
  add_name_words(words_, p.name);
  add_name_words(words_, p.family);
  for (const std::string& g : p.given) add_name_words(words_, g);
  // Longest first, so "mary-jane" goes before "mary".
  std::sort(words_.begin(), words_.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  const std::string& b = p.birthDate;
  // A birth date as FHIR writes it, digits checked: the record's text is not trusted to be one.
  const bool dated = b.size() == 10 && b[4] == '-' && b[7] == '-' && digit_run(b, 0) == 4 && digit_run(b, 5) == 2 &&
                     digit_run(b, 8) == 2;
  if (dated) {
    const std::string y = b.substr(0, 4), m = b.substr(5, 2), d = b.substr(8, 2);
    const std::string m1 = m[0] == '0' ? m.substr(1) : m, d1 = d[0] == '0' ? d.substr(1) : d;
    dates_ = {b, m + "/" + d + "/" + y, m1 + "/" + d1 + "/" + y, d + "/" + m + "/" + y, d1 + "/" + m1 + "/" + y,
              y + m + d, d + "." + m + "." + y};
    const int month = (m[0] - '0') * 10 + (m[1] - '0');
    if (month >= 1 && month <= 12) {
      const std::string name(kMonths[month - 1]);
      for (const std::string& mn : {name, name.substr(0, 3)}) {
        dates_.push_back(mn + " " + d1 + ", " + y);
        dates_.push_back(mn + " " + d1 + " " + y);
        dates_.push_back(d1 + " " + mn + " " + y);
      }
    }
  }
}

std::string Redactor::text(std::string_view s) const {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const bool boundary = i == 0 || !is_word_char(s[i - 1]);
    bool replaced = false;
    if (boundary && mask_dates_) {
      if (const std::size_t n = date_length(s, i)) {
        out += "[date]";
        i += n;
        continue;
      }
    }
    if (boundary) {
      for (const std::vector<std::string>* list : {&dates_, &words_}) {
        for (const std::string& w : *list) {
          const std::size_t end = i + w.size();
          if (starts_ci(s, i, w) && (end == s.size() || !is_word_char(s[end]))) {
            out += kRedacted;
            i = end;
            replaced = true;
            break;
          }
        }
        if (replaced) break;
      }
    }
    if (!replaced) out += s[i++];
  }
  return out;
}

void Redactor::record(Record& r) const {
  auto fix = [&](std::string& s) {
    if (!s.empty()) s = text(s);
  };
  auto notes = [&](auto& list) {
    for (auto& item : list) {
      for (std::string& n : item.notes) fix(n);
    }
  };
  notes(r.conditions), notes(r.observations), notes(r.medications), notes(r.allergies), notes(r.immunizations);
  notes(r.procedures), notes(r.encounters), notes(r.reports), notes(r.documents), notes(r.carePlans), notes(r.goals);
  auto value = [&](ObservationValue& v) {
    if (v.kind == ObservationValue::Kind::string) fix(v.text);
  };
  auto ranges = [&](std::vector<ReferenceRange>& list) {
    for (ReferenceRange& range : list) fix(range.text);
  };
  for (Condition& c : r.conditions) fix(c.onsetText);
  for (Observation& o : r.observations) {
    value(o.value);
    ranges(o.referenceRange);
    for (ObservationComponent& c : o.components) {
      value(c.value);
      ranges(c.referenceRange);
    }
  }
  for (Medication& m : r.medications) fix(m.dosage);
  for (Encounter& e : r.encounters) fix(e.serviceProvider);
  for (Report& rep : r.reports) {
    fix(rep.conclusion);
    for (Attachment& a : rep.presentedForm) fix(a.text);
  }
  for (Document& d : r.documents) {
    fix(d.description);
    for (Document::Attachment& a : d.attachments) fix(a.text);
  }
  for (CarePlan& c : r.carePlans) {
    fix(c.title);
    fix(c.description);
  }
}

}  // namespace chartlock::share
