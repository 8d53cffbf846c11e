// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_names.hpp"

namespace chartlock::fhir {

namespace {

void append(std::string& out, std::string_view word, std::string_view separator = " ") {
  if (word.empty()) return;
  if (!out.empty()) out += separator;
  out += word;
}

std::vector<std::string> strings(Diagnostics& d, const Fields& obj, std::string_view key, const Path& at) {
  std::vector<std::string> out;
  auto arr = get_array(d, obj, key, at);
  if (!arr) return out;
  for (element e : *arr) {
    std::string_view s;
    if (e.get_string().get(s) == simdjson::SUCCESS && !s.empty()) out.emplace_back(s);
  }
  return out;
}

std::string human_name(Diagnostics& d, const Fields& name, const Path& at) {
  if (std::string text = string_or_empty(d, name, "text", at); !text.empty()) return text;
  std::string out;
  for (const std::string& p : strings(d, name, "prefix", at)) append(out, p);
  for (const std::string& g : strings(d, name, "given", at)) append(out, g);
  append(out, string_or_empty(d, name, "family", at));
  if (out.empty()) return out;
  std::string suffixes;
  for (const std::string& s : strings(d, name, "suffix", at)) append(suffixes, s);
  append(out, suffixes, ", ");
  return out;
}

}  // namespace

bool has_name(std::string_view type) {
  return type == "Practitioner" || type == "Organization" || type == "Location";
}

std::optional<std::string> resource_name(Diagnostics& d, std::string_view type, const Fields& resource, const Path& at) {
  std::string out;
  if (type == "Practitioner") {
    std::string first, official;
    for_each_object(d, resource, "name", at, [&](const Fields& n, const Path& p) {
      std::string shown = human_name(d, n, p);
      if (shown.empty()) return;
      if (first.empty()) first = shown;
      if (official.empty() && string_or_empty(d, n, "use", p) == "official") official = std::move(shown);
    });
    out = official.empty() ? first : official;
  } else if (type == "Organization" || type == "Location") {
    out = string_or_empty(d, resource, "name", at);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

}  // namespace chartlock::fhir
