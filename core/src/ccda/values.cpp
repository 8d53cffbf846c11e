// SPDX-License-Identifier: Apache-2.0
#include "ccda/values.hpp"

#include <array>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "text/note_text.hpp"

namespace chartlock::ccda {

namespace {

std::string_view local_name(std::string_view name) {
  const std::size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool is_block(std::string_view local) {
  static constexpr std::array<std::string_view, 10> blocks{"paragraph", "br", "tr", "item", "list",
                                                           "table", "caption", "thead", "tbody", "td"};
  for (std::string_view b : blocks) {
    if (b == local) return true;
  }
  return false;
}

std::string attr(pugi::xml_node n, const char* name) { return n.attribute(name).value(); }

}  // namespace

bool Names::is(pugi::xml_node n, std::string_view local) const {
  if (n.type() != pugi::node_element) return false;
  std::string_view name = n.name();
  if (name.size() != prefix_.size() + local.size()) return false;
  return name.substr(0, prefix_.size()) == prefix_ && name.substr(prefix_.size()) == local;
}

pugi::xml_node Names::child(pugi::xml_node n, std::string_view local) const {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (is(c, local)) return c;
  }
  return {};
}

std::vector<pugi::xml_node> Names::children(pugi::xml_node n, std::string_view local) const {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (is(c, local)) out.push_back(c);
  }
  return out;
}

pugi::xml_node Names::path(pugi::xml_node n, std::initializer_list<std::string_view> locals) const {
  for (std::string_view l : locals) {
    if (!n) return n;
    n = child(n, l);
  }
  return n;
}

bool Names::has_template(pugi::xml_node n, std::string_view root) const {
  for (pugi::xml_node t : children(n, "templateId")) {
    if (root == t.attribute("root").value()) return true;
  }
  return false;
}

std::string element_text(pugi::xml_node n) {
  std::string out;
  if (!n) return out;
  // Depth-first over the subtree by sibling and parent links: no recursion.
  pugi::xml_node cur = n.first_child();
  while (cur && cur != n) {
    if (cur.type() == pugi::node_pcdata || cur.type() == pugi::node_cdata) {
      out += cur.value();
    } else if (cur.type() == pugi::node_element) {
      const std::string_view local = local_name(cur.name());
      if (is_block(local)) out += '\n';
      else if (local == "th") out += ' ';
      if (cur.first_child()) {
        cur = cur.first_child();
        continue;
      }
    }
    while (cur && cur != n && !cur.next_sibling()) {
      cur = cur.parent();
      if (cur && cur != n && cur.type() == pugi::node_element && local_name(cur.name()) == "td") out += ' ';
    }
    if (cur && cur != n) cur = cur.next_sibling();
  }
  for (char& c : out) {
    if (c == '\t' || c == '\r') c = ' ';
  }
  return text::tidy_paragraphs(out);
}

std::string name_text(pugi::xml_node name) {
  std::string out;
  for (pugi::xml_node c = name.first_child(); c; c = c.next_sibling()) {
    std::string part = c.type() == pugi::node_element ? element_text(c) : std::string(c.value());
    for (char& ch : part) {
      if (ch == '\n') ch = ' ';
    }
    if (part.find_first_not_of(' ') == std::string::npos) continue;
    if (!out.empty()) out += ' ';
    out += part;
  }
  return text::tidy_paragraphs(out);
}

NarrativeIds narrative_ids(pugi::xml_node root) {
  NarrativeIds ids;
  pugi::xml_node cur = root;
  while (cur) {
    if (cur.type() == pugi::node_element) {
      if (pugi::xml_attribute id = cur.attribute("ID")) ids.emplace(id.value(), cur);
      if (cur.first_child()) {
        cur = cur.first_child();
        continue;
      }
    }
    while (cur && cur != root && !cur.next_sibling()) cur = cur.parent();
    if (!cur || cur == root) break;
    cur = cur.next_sibling();
  }
  return ids;
}

std::optional<std::string> fhir_time(std::string_view ts) {
  // Trim: attribute values are sometimes padded.
  while (!ts.empty() && ts.front() == ' ') ts.remove_prefix(1);
  while (!ts.empty() && ts.back() == ' ') ts.remove_suffix(1);
  if (ts.empty()) return std::string();
  std::string_view zone;
  if (const std::size_t z = ts.find_first_of("+-"); z != std::string_view::npos) {
    zone = ts.substr(z);
    ts = ts.substr(0, z);
    if (zone.size() != 5 || !all_digits(zone.substr(1))) return std::nullopt;
  }
  std::string_view fraction;
  if (const std::size_t dot = ts.find('.'); dot != std::string_view::npos) {
    fraction = ts.substr(dot + 1);
    ts = ts.substr(0, dot);
    if (!all_digits(fraction) || ts.size() != 14) return std::nullopt;
  }
  if (!all_digits(ts)) return std::nullopt;
  const std::size_t len = ts.size();
  if (len != 4 && len != 6 && len != 8 && len != 10 && len != 12 && len != 14) return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t count) { return std::atoi(std::string(ts.substr(pos, count)).c_str()); };
  if (len >= 6 && (num(4, 2) < 1 || num(4, 2) > 12)) return std::nullopt;
  if (len >= 8 && (num(6, 2) < 1 || num(6, 2) > 31)) return std::nullopt;
  if (len >= 10 && num(8, 2) > 23) return std::nullopt;
  if (len >= 12 && num(10, 2) > 59) return std::nullopt;
  if (len >= 14 && num(12, 2) > 60) return std::nullopt;
  std::string out(ts.substr(0, 4));
  if (len >= 6) out += "-" + std::string(ts.substr(4, 2));
  if (len >= 8) out += "-" + std::string(ts.substr(6, 2));
  if (len == 8 || len < 8) return out;  // a date: FHIR dates carry no zone
  // FHIR times need minutes and seconds; a TS to the hour or minute is padded.
  out += "T" + std::string(ts.substr(8, 2));
  out += ":" + (len >= 12 ? std::string(ts.substr(10, 2)) : std::string("00"));
  out += ":" + (len >= 14 ? std::string(ts.substr(12, 2)) : std::string("00"));
  if (!fraction.empty()) out += "." + std::string(fraction);
  if (!zone.empty()) out += std::string(zone.substr(0, 3)) + ":" + std::string(zone.substr(3, 2));
  return out;
}

std::string system_uri(std::string_view oid) {
  static const std::array<std::pair<std::string_view, const char*>, 13> known{{
      {"2.16.840.1.113883.6.1", systems::loinc},
      {"2.16.840.1.113883.6.96", systems::snomed},
      {"2.16.840.1.113883.6.88", systems::rxnorm},
      {"2.16.840.1.113883.12.292", systems::cvx},
      {"2.16.840.1.113883.6.90", systems::icd10cm},
      {"2.16.840.1.113883.6.8", systems::ucum},
      {"2.16.840.1.113883.5.4", systems::act_code},
      {"2.16.840.1.113883.5.83", systems::interpretation},
      {"2.16.840.1.113883.6.12", systems::cpt},
      {"2.16.840.1.113883.6.69", systems::ndc},
      {"2.16.840.1.113883.6.103", systems::icd9cm},
      {"2.16.840.1.113883.6.104", systems::icd9cm},
      {"2.16.840.1.113883.5.1", systems::administrative_gender},
  }};
  for (const auto& [o, uri] : known) {
    if (o == oid) return uri;
  }
  return oid.empty() ? std::string() : "urn:oid:" + std::string(oid);
}

namespace {

Coding coding_of(pugi::xml_node cd) {
  Coding c;
  c.code = attr(cd, "code");
  c.system = c.code.empty() ? std::string() : system_uri(cd.attribute("codeSystem").value());
  c.display = attr(cd, "displayName");
  return c;
}

std::string referenced_text(const Reading& r, pugi::xml_node holder) {
  // <originalText>words</originalText>, or <originalText><reference value="#id"/></originalText>
  if (!holder) return {};
  if (pugi::xml_node ref = r.names.child(holder, "reference")) {
    std::string_view v = ref.attribute("value").value();
    if (!v.empty() && v.front() == '#') {
      auto it = r.ids.find(std::string(v.substr(1)));
      if (it != r.ids.end()) return element_text(it->second);
    }
  }
  return element_text(holder);
}

}  // namespace

CodeableConcept read_cd(const Reading& r, pugi::xml_node cd) {
  CodeableConcept c;
  if (!cd) return c;
  Coding main = coding_of(cd);
  if (!main.code.empty() || !main.display.empty()) c.codings.push_back(std::move(main));
  for (pugi::xml_node t : r.names.children(cd, "translation")) {
    Coding tr = coding_of(t);
    if (!tr.code.empty()) c.codings.push_back(std::move(tr));
  }
  c.text = referenced_text(r, r.names.child(cd, "originalText"));
  return c;
}

Quantity read_pq(const Reading& r, pugi::xml_node pq) {
  Quantity q;
  if (!pq || pq.attribute("nullFlavor")) return q;
  const std::string value = attr(pq, "value");
  if (!value.empty()) {
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end && end != value.c_str() && *end == '\0' && std::isfinite(v)) {
      q.value = v;
    } else {
      r.problems.push_back("a quantity's value is not a number");
    }
  }
  q.unit = attr(pq, "unit");
  if (!q.unit.empty() && q.unit != "1") {
    q.code = q.unit;
    q.system = systems::ucum;
  }
  if (q.unit == "1") q.unit.clear();
  // A unit that is not UCUM sits in a translation (originalText is the unit as written).
  for (pugi::xml_node t : r.names.children(pq, "translation")) {
    if (q.unit.empty()) q.unit = referenced_text(r, r.names.child(t, "originalText"));
  }
  return q;
}

std::string read_point(const Reading& r, pugi::xml_node ivl) {
  if (!ivl) return {};
  for (pugi::xml_node n : {ivl, r.names.child(ivl, "low"), r.names.child(ivl, "center")}) {
    if (!n) continue;
    const char* v = n.attribute("value").value();
    if (!*v) continue;
    auto t = fhir_time(v);
    if (t && !t->empty()) return *t;
    if (!t) r.problems.push_back("a time is not an HL7 TS (YYYYMMDDHHMMSS±ZZZZ)");
  }
  return {};
}

Period read_period(const Reading& r, pugi::xml_node ivl) {
  Period p;
  if (!ivl) return p;
  p.start = read_point(r, ivl);
  if (pugi::xml_node high = r.names.child(ivl, "high")) {
    if (const char* v = high.attribute("value").value(); *v) {
      auto t = fhir_time(v);
      if (t) p.end = *t;
      else r.problems.push_back("a time is not an HL7 TS (YYYYMMDDHHMMSS±ZZZZ)");
    }
  }
  return p;
}

ObservationValue read_value(const Reading& r, pugi::xml_node value) {
  ObservationValue v;
  if (!value || value.attribute("nullFlavor")) return v;
  std::string_view type = value.attribute("xsi:type").value();
  if (const std::size_t colon = type.find(':'); colon != std::string_view::npos) type = type.substr(colon + 1);
  if (type == "PQ") {
    v.kind = ObservationValue::Kind::quantity;
    v.quantity = read_pq(r, value);
  } else if (type == "IVL_PQ") {
    v.kind = ObservationValue::Kind::range;
    v.quantity = read_pq(r, r.names.child(value, "low"));
    if (pugi::xml_node high = r.names.child(value, "high")) v.high = read_pq(r, high);
  } else if (type == "INT" || type == "REAL") {
    v.kind = type == "INT" ? ObservationValue::Kind::integer : ObservationValue::Kind::quantity;
    v.quantity = read_pq(r, value);
  } else if (type == "CD" || type == "CE" || type == "CV" || type == "CO") {
    v.kind = ObservationValue::Kind::concept;
    v.concept = read_cd(r, value);
  } else if (type == "BL") {
    v.kind = ObservationValue::Kind::boolean;
    v.boolean = std::string_view(value.attribute("value").value()) == "true";
    v.text = v.boolean ? "true" : "false";
  } else if (type == "TS") {
    v.kind = ObservationValue::Kind::date_time;
    v.text = read_point(r, value);
  } else if (type == "ST" || type == "ED" || type.empty()) {
    v.kind = ObservationValue::Kind::string;
    v.text = referenced_text(r, value);
    if (v.text.empty()) v.kind = ObservationValue::Kind::none;
  } else {
    v.kind = ObservationValue::Kind::other;
    v.text = element_text(value);
  }
  return v;
}

ReferenceRange read_range(const Reading& r, pugi::xml_node range) {
  ReferenceRange out;
  if (!range) return out;
  if (pugi::xml_node value = r.names.child(range, "value")) {
    if (pugi::xml_node low = r.names.child(value, "low"); low && !low.attribute("nullFlavor")) out.low = read_pq(r, low);
    if (pugi::xml_node high = r.names.child(value, "high"); high && !high.attribute("nullFlavor")) out.high = read_pq(r, high);
    if (out.low && !out.low->value) out.low.reset();
    if (out.high && !out.high->value) out.high.reset();
  }
  out.text = referenced_text(r, r.names.child(range, "text"));
  return out;
}

CodeableConcept null_flavor(pugi::xml_node n) {
  CodeableConcept c;
  const std::string_view flavor = n.attribute("nullFlavor").value();
  if (flavor.empty()) return c;
  const char* code = "unknown";
  if (flavor == "ASKU") code = "asked-unknown";
  else if (flavor == "NAV") code = "temp-unknown";
  else if (flavor == "NASK") code = "not-asked";
  else if (flavor == "MSK") code = "masked";
  else if (flavor == "NA") code = "not-applicable";
  else if (flavor == "NAN" || flavor == "NINF" || flavor == "PINF") code = "not-a-number";
  c.codings.push_back({"http://terminology.hl7.org/CodeSystem/data-absent-reason", code, ""});
  return c;
}

}  // namespace chartlock::ccda
