// SPDX-License-Identifier: Apache-2.0
#include "ips/narrative.hpp"

#include <algorithm>

#include "summary/civil_date.hpp"
#include "summary/number_text.hpp"

namespace chartlock::ips {

namespace {

void add_if(std::vector<std::string>& out, const std::string& prefix, const std::string& value) {
  if (!value.empty()) out.push_back(prefix + value);
}

std::string quantity_text(const Quantity& q) {
  std::string out = q.comparator;
  if (q.value) out += summary::number_text(*q.value);
  const std::string& unit = q.unit.empty() ? q.code : q.unit;
  if (!unit.empty()) out += (out.empty() ? "" : " ") + unit;
  return out;
}

std::string value_text(const ObservationValue& v) {
  using K = ObservationValue::Kind;
  switch (v.kind) {
    case K::quantity: return quantity_text(v.quantity);
    case K::integer: return v.quantity.value ? summary::number_text(*v.quantity.value) : std::string();
    case K::concept: return v.concept.label();
    case K::string:
    case K::time:
    case K::date_time:
    case K::period: return v.text;
    case K::boolean: return v.boolean ? "yes" : "no";
    case K::range: return quantity_text(v.quantity) + " to " + (v.high ? quantity_text(*v.high) : std::string());
    case K::ratio: return quantity_text(v.quantity) + " / " + (v.high ? quantity_text(*v.high) : std::string());
    case K::none:
    case K::other: break;
  }
  return {};
}

std::string range_text(const std::vector<ReferenceRange>& ranges) {
  if (ranges.empty()) return {};
  const ReferenceRange& r = ranges.front();
  if (!r.text.empty()) return r.text;
  if (r.low && r.high) return quantity_text(*r.low) + " to " + quantity_text(*r.high);
  if (r.low) return "at least " + quantity_text(*r.low);
  if (r.high) return "at most " + quantity_text(*r.high);
  return {};
}

// Dates as days: the hour of a test or a dose is not what a clinician scans for.
std::string day(const std::string& fhir) { return summary::date_part(fhir); }

std::string period_text(const Period& p) {
  const std::string start = day(p.start), end = day(p.end);
  if (end.empty() || end == start) return start;
  return (start.empty() ? "?" : start) + " to " + end;
}

std::string labels(const std::vector<CodeableConcept>& list) {
  std::string out;
  for (const CodeableConcept& c : list) {
    const std::string label = c.label();
    if (label.empty()) continue;
    out += (out.empty() ? "" : ", ") + label;
  }
  return out;
}

std::string joined(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

}  // namespace

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default:
        if (c < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') break;  // not allowed in XML
        out += ch;
    }
  }
  return out;
}

std::string div(const std::string& inner) { return "<div xmlns=\"http://www.w3.org/1999/xhtml\">" + inner + "</div>"; }

std::string list_item(const std::string& label, const std::vector<std::string>& details,
                      const std::vector<std::string>& sources) {
  std::string out = "<li><b>" + escape(label) + "</b>";
  if (!details.empty()) out += ": " + escape(joined(details, "; "));
  if (!sources.empty()) out += " <i>(from " + escape(joined(sources, ", ")) + ")</i>";
  return out + "</li>";
}

std::vector<std::string> source_names(const ItemBase& item) {
  std::vector<std::string> out;
  for (const Provenance& p : item.sources) {
    if (std::find(out.begin(), out.end(), p.source) == out.end()) out.push_back(p.source);
  }
  return out;
}

std::vector<std::string> details(const Condition& c) {
  std::vector<std::string> out;
  add_if(out, "", c.clinicalStatus);
  if (c.verificationStatus != "confirmed") add_if(out, "", c.verificationStatus);
  add_if(out, "since ", c.onset.empty() ? c.onsetText : day(c.onset));
  add_if(out, "ended ", day(c.abatement));
  return out;
}

std::vector<std::string> details(const Medication& m) {
  std::vector<std::string> out;
  add_if(out, "", m.status);
  add_if(out, "", m.dosage);
  add_if(out, m.kind == "statement" ? "taken " : "prescribed ",
         m.kind == "statement" ? period_text(m.effective) : day(m.authoredOn));
  return out;
}

std::vector<std::string> details(const Allergy& a) {
  std::vector<std::string> out;
  add_if(out, "", a.clinicalStatus);
  add_if(out, "criticality ", a.criticality);
  for (const Allergy::Reaction& r : a.reactions) {
    const std::string what = labels(r.manifestations);
    if (!what.empty()) out.push_back("reaction: " + what + (r.severity.empty() ? "" : " (" + r.severity + ")"));
  }
  add_if(out, "recorded ", day(a.recordedDate));
  return out;
}

std::vector<std::string> details(const Immunization& i) {
  std::vector<std::string> out;
  if (i.status != "completed") add_if(out, "", i.status);
  add_if(out, "given ", day(i.occurrence));
  return out;
}

std::vector<std::string> details(const Observation& o) {
  std::vector<std::string> out;
  add_if(out, "", value_text(o.value));
  for (const ObservationComponent& c : o.components) {
    const std::string value = value_text(c.value);
    if (!value.empty()) out.push_back(c.code.label() + " " + value);
  }
  if (o.value.kind == ObservationValue::Kind::none && o.components.empty()) add_if(out, "", o.dataAbsentReason.label());
  add_if(out, "", labels(o.interpretation));
  add_if(out, "reference range ", range_text(o.referenceRange));
  add_if(out, "", period_text(o.effective));
  return out;
}

std::vector<std::string> details(const Procedure& p) {
  std::vector<std::string> out;
  if (p.status != "completed") add_if(out, "", p.status);
  add_if(out, "", period_text(p.performed));
  return out;
}

}  // namespace chartlock::ips
