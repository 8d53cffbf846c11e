#include "chartlock/summary_json.hpp"

#include <cmath>
#include <cstdint>

namespace chartlock {

using json = nlohmann::ordered_json;

namespace {

// Whole numbers as integers ("140", not "140.0"); the rest as nlohmann's
// shortest round-trip form, the same on every platform.
json num(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return static_cast<std::int64_t>(v);
  return v;
}

json opt_num(const std::optional<double>& v) { return v ? num(*v) : json(nullptr); }

void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

void put(json& j, const char* key, const std::vector<std::string>& v) {
  if (!v.empty()) j[key] = v;
}

json code_json(const CodeRef& c) {
  json j = json::object();
  put(j, "system", c.system);
  put(j, "code", c.code);
  put(j, "display", c.display);
  return j;
}

json range_json(const RangeUsed& r) {
  json j = json::object();
  j["low"] = opt_num(r.low);
  j["high"] = opt_num(r.high);
  j["unit"] = r.unit;
  j["source"] = r.source.empty() ? json(nullptr) : json(r.source);
  put(j, "reference", r.reference);
  return j;
}

json trend_json(const Trend& t) {
  json j = json::object();
  j["direction"] = t.direction.empty() ? json(nullptr) : json(t.direction);
  j["change"] = opt_num(t.change);
  j["since"] = t.since.empty() ? json(nullptr) : json(t.since);
  j["points"] = t.points;
  put(j, "note", t.note);
  return j;
}

json point_json(const HistoryPoint& p) {
  json j = json::object();
  j["date"] = p.date;
  if (p.value) {
    j["value"] = num(*p.value);
    put(j, "comparator", p.comparator);
    j["unit"] = p.unit;
    if (p.original_value) {
      j["originalValue"] = num(*p.original_value);
      j["originalUnit"] = p.original_unit;
    }
  } else {
    j["value"] = nullptr;
    j["text"] = p.text;
  }
  j["range"] = range_json(p.range);
  j["flag"] = to_string(p.flag);
  j["flagBasis"] = p.flag_basis;
  put(j, "interpretation", p.interpretation);
  put(j, "note", p.note);
  j["key"] = p.key;
  j["sources"] = p.sources;
  return j;
}

json latest_json(const HistoryPoint& p) {
  json j = json::object();
  j["value"] = p.value ? num(*p.value) : json(nullptr);
  put(j, "comparator", p.comparator);
  if (!p.value) j["text"] = p.text;
  j["unit"] = p.unit;
  j["date"] = p.date;
  return j;
}

json lab_json(const LabSeries& l) {
  json j = json::object();
  j["loinc"] = l.loinc.empty() ? json(nullptr) : json(l.loinc);
  j["code"] = code_json(l.code);
  j["name"] = l.name;
  j["plain"] = l.plain.empty() ? json(nullptr) : json(l.plain);
  put(j, "group", l.group);
  j["known"] = l.known;
  j["unit"] = l.unit;
  j["unitConverted"] = !l.separate_series;
  j["latest"] = latest_json(l.latest);
  j["range"] = range_json(l.latest.range);
  j["flag"] = to_string(l.latest.flag);
  j["flagBasis"] = l.latest.flag_basis;
  put(j, "interpretation", l.latest.interpretation);
  j["concerning"] = l.concerning;
  j["trend"] = trend_json(l.trend);
  put(j, "note", l.note);
  put(j, "notes", l.notes);
  json h = json::array();
  for (const HistoryPoint& p : l.history) h.push_back(point_json(p));
  j["history"] = std::move(h);
  return j;
}

json pressure_json(const PressurePoint& p) {
  json j = json::object();
  j["date"] = p.date;
  j["systolic"] = opt_num(p.systolic);
  j["diastolic"] = opt_num(p.diastolic);
  j["unit"] = p.unit;
  j["category"] = p.category.empty() ? json(nullptr) : json(p.category);
  put(j, "categoryLabel", p.category_label);
  j["flag"] = to_string(p.flag);
  j["key"] = p.key;
  j["sources"] = p.sources;
  return j;
}

json vital_json(const VitalSeries& v) {
  json j = json::object();
  j["id"] = v.id;
  j["loinc"] = v.loinc.empty() ? json(nullptr) : json(v.loinc);
  j["name"] = v.name;
  j["plain"] = v.plain.empty() ? json(nullptr) : json(v.plain);
  j["known"] = v.known;
  j["unit"] = v.unit;
  if (v.blood_pressure) {
    j["latest"] = pressure_json(*v.latest_pressure);
    j["flag"] = to_string(v.latest_pressure->flag);
    j["category"] = v.latest_pressure->category.empty() ? json(nullptr) : json(v.latest_pressure->category);
    put(j, "categorySource", v.range_source);
    j["trend"] = trend_json(v.trend);
    j["diastolicTrend"] = trend_json(v.diastolic_trend);
    put(j, "note", v.note);
    put(j, "notes", v.notes);
    json h = json::array();
    for (const PressurePoint& p : v.pressures) h.push_back(pressure_json(p));
    j["history"] = std::move(h);
    return j;
  }
  j["unitConverted"] = !v.separate_series;
  j["latest"] = latest_json(v.latest);
  j["range"] = range_json(v.latest.range);
  j["flag"] = to_string(v.latest.flag);
  j["flagBasis"] = v.latest.flag_basis;
  if (!v.category.empty()) {
    j["category"] = v.category;
    j["categoryLabel"] = v.category_label;
  }
  j["trend"] = trend_json(v.trend);
  put(j, "note", v.note);
  put(j, "notes", v.notes);
  json h = json::array();
  for (const HistoryPoint& p : v.history) h.push_back(point_json(p));
  j["history"] = std::move(h);
  return j;
}

json condition_json(const ConditionItem& c) {
  json j = json::object();
  j["plain"] = c.plain;
  j["code"] = code_json(c.code);
  j["known"] = c.known;
  put(j, "group", c.group);
  j["chronic"] = c.chronic;
  put(j, "status", c.status);
  put(j, "onset", c.onset);
  put(j, "abatement", c.abatement);
  put(j, "source", c.source);
  j["key"] = c.key;
  return j;
}

json medication_json(const MedicationItem& m) {
  json j = json::object();
  j["name"] = m.name;
  j["code"] = code_json(m.code);
  j["classes"] = m.classes;
  j["classIds"] = m.class_ids;
  j["ingredients"] = m.ingredients;
  j["matchedBy"] = m.matched_by.empty() ? json(nullptr) : json(m.matched_by);
  j["status"] = m.status;
  put(j, "since", m.since);
  put(j, "dosage", m.dosage);
  j["key"] = m.key;
  return j;
}

json allergy_json(const AllergyItem& a) {
  json j = json::object();
  j["plain"] = a.plain;
  j["code"] = code_json(a.code);
  put(j, "status", a.status);
  put(j, "criticality", a.criticality);
  put(j, "categories", a.categories);
  put(j, "reactions", a.reactions);
  put(j, "groups", a.groups);
  put(j, "recorded", a.recorded);
  j["key"] = a.key;
  return j;
}

json immunization_json(const ImmunizationItem& i) {
  json j = json::object();
  j["plain"] = i.plain;
  j["code"] = code_json(i.code);
  j["known"] = i.known;
  put(j, "group", i.group);
  j["date"] = i.date;
  put(j, "status", i.status);
  j["key"] = i.key;
  return j;
}

json encounter_json(const EncounterItem& e) {
  json j = json::object();
  j["date"] = e.date;
  j["plain"] = e.plain;
  put(j, "setting", e.setting);
  put(j, "provider", e.provider);
  put(j, "reasons", e.reasons);
  j["key"] = e.key;
  return j;
}

json insight_json(const Insight& in) {
  json j = json::object();
  j["id"] = in.id;
  j["kind"] = in.kind;
  j["severity"] = in.severity;
  j["title"] = in.title;
  j["text"] = in.text;
  json ev = json::array();
  for (const EvidenceRef& e : in.evidence) {
    json x = json::object();
    x["kind"] = e.kind;
    x["ref"] = e.ref;
    x["label"] = e.label;
    put(x, "date", e.date);
    put(x, "value", e.value);
    ev.push_back(std::move(x));
  }
  j["evidence"] = std::move(ev);
  j["source"] = in.source;
  return j;
}

}  // namespace

json to_json(const Summary& s) {
  json j = json::object();
  j["schema"] = "chartlock.summary/1";
  j["today"] = s.today.empty() ? json(nullptr) : json(s.today);
  json p = json::object();
  p["name"] = s.patient.name;
  p["birthDate"] = s.patient.birth_date.empty() ? json(nullptr) : json(s.patient.birth_date);
  p["age"] = s.patient.age ? json(*s.patient.age) : json(nullptr);
  p["gender"] = s.patient.gender.empty() ? json(nullptr) : json(s.patient.gender);
  if (!s.patient.deceased.empty()) p["deceased"] = s.patient.deceased;
  j["patient"] = std::move(p);
  j["sources"] = s.sources;
  j["providers"] = s.providers;
  j["narrative"] = s.narrative;
  auto list = [](const auto& items, auto&& convert) {
    json a = json::array();
    for (const auto& item : items) a.push_back(convert(item));
    return a;
  };
  j["labs"] = list(s.labs, lab_json);
  j["vitals"] = list(s.vitals, vital_json);
  j["activeConditions"] = list(s.active_conditions, condition_json);
  j["pastConditions"] = list(s.past_conditions, condition_json);
  j["activeMedications"] = list(s.active_medications, medication_json);
  j["allergies"] = list(s.allergies, allergy_json);
  j["immunizations"] = list(s.immunizations, immunization_json);
  j["recentEncounters"] = list(s.recent_encounters, encounter_json);
  j["insights"] = list(s.insights, insight_json);
  j["questions"] = list(s.questions, [](const Question& q) {
    json x = json::object();
    x["text"] = q.text;
    x["insight"] = q.insight.empty() ? json(nullptr) : json(q.insight);
    put(x, "about", q.about);
    return x;
  });
  j["notes"] = s.notes;
  return j;
}

std::string summary_to_json_text(const Summary& summary, int indent) {
  // Replace invalid UTF-8 rather than throw: names come from the input.
  return to_json(summary).dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace chartlock
