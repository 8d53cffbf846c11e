#include "share/redact.hpp"

#include <algorithm>
#include <cctype>

#include "text/base64.hpp"

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

bool is_text_type(const std::string& content_type) {
  return content_type.rfind("text/", 0) == 0 || content_type.find("xml") != std::string::npos ||
         content_type.find("json") != std::string::npos;
}

bool is_code_key(const std::string& key) {
  return key == "system" || key == "code" || key == "reference" || key == "id" || key == "resourceType" ||
         key == "url" || key == "contentType";
}

}  // namespace

Redactor::Redactor(const Patient& p) {
  add_name_words(words_, p.name);
  add_name_words(words_, p.family);
  for (const std::string& g : p.given) add_name_words(words_, g);
  // Longest first, so "mary-jane" goes before "mary".
  std::sort(words_.begin(), words_.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  const std::string& b = p.birthDate;
  if (b.size() == 10 && b[4] == '-' && b[7] == '-') {
    static const char* const months[] = {"january", "february", "march",     "april",   "may",      "june",
                                         "july",    "august",   "september", "october", "november", "december"};
    const std::string y = b.substr(0, 4), m = b.substr(5, 2), d = b.substr(8, 2);
    const std::string m1 = m[0] == '0' ? m.substr(1) : m, d1 = d[0] == '0' ? d.substr(1) : d;
    dates_ = {b, m + "/" + d + "/" + y, m1 + "/" + d1 + "/" + y, d + "/" + m + "/" + y, d1 + "/" + m1 + "/" + y,
              y + m + d, d + "." + m + "." + y};
    const int month = std::stoi(m);
    if (month >= 1 && month <= 12) {
      const std::string name = months[month - 1];
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

void Redactor::resource(nlohmann::ordered_json& r) const {
  if (r.is_object()) {
    const std::string content_type = r.contains("contentType") && r["contentType"].is_string()
                                         ? r["contentType"].get<std::string>() : std::string();
    for (auto it = r.begin(); it != r.end(); ++it) {
      if (it.value().is_string()) {
        if (is_code_key(it.key())) continue;
        if (it.key() == "data") {
          if (!is_text_type(content_type)) continue;
          auto decoded = text::base64_decode(it.value().get<std::string>(), std::size_t{64} * 1024 * 1024);
          if (decoded) it.value() = text::base64_encode(text(*decoded));
          continue;
        }
        it.value() = text(it.value().get<std::string>());
      } else {
        resource(it.value());
      }
    }
  } else if (r.is_array()) {
    for (auto& e : r) {
      if (e.is_string()) e = text(e.get<std::string>());
      else resource(e);
    }
  }
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
  for (Observation& o : r.observations) fix(o.value.text);
  for (Medication& m : r.medications) fix(m.dosage);
  for (Encounter& e : r.encounters) fix(e.serviceProvider);
  for (Report& rep : r.reports) fix(rep.conclusion);
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
