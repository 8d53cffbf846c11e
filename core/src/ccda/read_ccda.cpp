// SPDX-License-Identifier: Apache-2.0
#include "ccda/read_ccda.hpp"

#include <pugixml.hpp>

#include <array>
#include <utility>

#include "ccda/safe_xml.hpp"
#include "ccda/values.hpp"
#include "consent/sensitivity.hpp"
#include "fhir/patient_name.hpp"
#include "fhir/read_context.hpp"
#include "text/note_text.hpp"

namespace chartlock::ccda {

namespace {

constexpr const char* kNamespace = "urn:hl7-org:v3";

// C-CDA R2.1 template OIDs (10.20.22.x), shortened below to their tails.
std::string tmpl(const char* tail) { return std::string("2.16.840.1.113883.10.20.22.") + tail; }

enum class SectionKind { problems, diagnoses, medications, hospital_medications, allergies, results, vitals,
                         immunizations, procedures, encounters, social, other };

struct SectionDef {
  SectionKind kind;
  const char* template_tail;  // "2.5": both 2.5 (entries optional) and 2.5.1 (required) match
  const char* loinc;          // the section's LOINC code, when no known templateId is given
};

constexpr std::array<SectionDef, 15> kSections{{
    {SectionKind::problems, "2.5", "11450-4"},
    // A hospital stay's discharge (2.24) and admission (2.43) diagnoses:
    // Problem Observations inside a diagnosis act, as in a concern.
    {SectionKind::diagnoses, "2.24", "11535-2"},
    {SectionKind::diagnoses, "2.43", "46241-6"},
    {SectionKind::diagnoses, "2.43", "42347-5"},
    {SectionKind::medications, "2.1", "10160-0"},
    // Discharge (2.11; LOINC 10183-2 before R2.1) and admission (2.44)
    // medications: Medication Activities inside a wrapping act.
    {SectionKind::hospital_medications, "2.11", "75311-1"},
    {SectionKind::hospital_medications, "2.11", "10183-2"},
    {SectionKind::hospital_medications, "2.44", "42346-7"},
    {SectionKind::allergies, "2.6", "48765-2"},
    {SectionKind::results, "2.3", "30954-2"},
    {SectionKind::vitals, "2.4", "8716-3"},
    {SectionKind::immunizations, "2.2", "11369-6"},
    {SectionKind::procedures, "2.7", "47519-4"},
    {SectionKind::encounters, "2.22", "46240-8"},
    {SectionKind::social, "2.17", "29762-2"},
}};

// The document types of C-CDA R2.1 (ClinicalDocument/templateId 10.20.22.1.x
// and their LOINC document codes).
struct DocumentDef {
  const char* template_tail;
  const char* loinc;
  const char* name;
};
constexpr std::array<DocumentDef, 12> kDocuments{{
    {"1.2", "34133-9", "Continuity of Care Document"},
    {"1.3", "34117-2", "History and Physical"},
    {"1.4", "11488-4", "Consultation Note"},
    {"1.5", "18748-4", "Diagnostic Imaging Report"},
    {"1.6", "28570-0", "Procedure Note"},
    {"1.7", "11504-8", "Operative Note"},
    {"1.8", "18842-5", "Discharge Summary"},
    {"1.9", "11506-3", "Progress Note"},
    {"1.10", "", "Unstructured Document"},
    {"1.13", "18761-7", "Transfer Summary"},
    {"1.14", "57133-1", "Referral Note"},
    {"1.15", "52521-2", "Care Plan"},
}};

bool has_template_tail(const Names& names, pugi::xml_node n, const char* tail) {
  return names.has_template(n, tmpl(tail));
}

std::string status_code(const Names& names, pugi::xml_node n) {
  return names.child(n, "statusCode").attribute("code").value();
}

bool negated(pugi::xml_node n) { return std::string_view(n.attribute("negationInd").value()) == "true"; }

// An element's first id: its extension, else its root.
std::string first_id(const Names& names, pugi::xml_node n) {
  pugi::xml_node id = names.child(n, "id");
  std::string ext = id.attribute("extension").value();
  return ext.empty() ? id.attribute("root").value() : ext;
}

std::string indexed(const std::string& base, const char* local, std::size_t i) {
  return base + "/" + local + "[" + std::to_string(i) + "]";
}

class DocumentReader {
 public:
  DocumentReader(const Source& source, const IngestOptions& options, fhir::SourceDraft& draft,
                 SourceSummary& summary, std::map<std::string, std::uint64_t>& counts, fhir::Diagnostics& d)
      : source_(source), options_(options), draft_(draft), summary_(summary), counts_(counts), d_(d) {}

  void read(const pugi::xml_document& doc, const std::string& text) {
    root_ = doc.document_element();
    check_root();
    ids_ = narrative_ids(root_);
    summary_.format = "ccda";
    summary_.bundleType = document_kind();
    read_patient();
    read_sections();
    read_note(text);
  }

 private:
  // ---- the document ---------------------------------------------------------

  void check_root() {
    const std::string_view name = root_ ? root_.name() : "";
    const std::size_t colon = name.find(':');
    const std::string prefix = colon == std::string_view::npos ? "" : std::string(name.substr(0, colon));
    const std::string_view local = colon == std::string_view::npos ? name : name.substr(colon + 1);
    const std::string xmlns = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
    if (local != "ClinicalDocument" || std::string_view(root_.attribute(xmlns.c_str()).value()) != kNamespace) {
      throw IngestError(Diagnostic{DiagnosticCode::not_ccda, source_.name, "", 0,
                                   "XML, but its root is not a ClinicalDocument in the urn:hl7-org:v3 namespace: "
                                   "not a C-CDA document"});
    }
    names_ = Names(prefix.empty() ? "" : prefix + ":");
    root_path_ = "/" + std::string(name);
  }

  std::string document_kind() {
    const std::string code = names_.child(root_, "code").attribute("code").value();
    for (const DocumentDef& def : kDocuments) {
      if (has_template_tail(names_, root_, def.template_tail)) return def.name;
    }
    for (const DocumentDef& def : kDocuments) {
      if (*def.loinc && code == def.loinc) return def.name;
    }
    d_.warn(DiagnosticCode::invalid_value, fhir::Path(root_path_),
            "not one of the C-CDA R2.1 document types (by templateId or LOINC code); its sections are read");
    return "Clinical Document";
  }

  Reading reading() { return Reading{names_, ids_, problems_}; }

  // Ill-formed values met while reading one element, as one warning each.
  void flush_problems(const std::string& pointer) {
    for (std::string& p : problems_) d_.warn(DiagnosticCode::invalid_value, fhir::Path(pointer), std::move(p));
    problems_.clear();
  }

  // ---- the patient ----------------------------------------------------------

  void read_patient() {
    const pugi::xml_node record_target = names_.child(root_, "recordTarget");
    const pugi::xml_node role = names_.child(record_target, "patientRole");
    const std::string pointer = root_path_ + "/recordTarget/patientRole";
    if (!role) {
      d_.warn(DiagnosticCode::missing_required, fhir::Path(root_path_), "no recordTarget/patientRole: no patient");
      return;
    }
    Patient p;
    p.present = true;
    Provenance& prov = p.sources.emplace_back();
    prov.source = source_.name;
    prov.resourceType = "Patient";
    prov.set_texts(first_id(names_, role), {}, {}, pointer);
    for (pugi::xml_node id : names_.children(role, "id")) {
      Patient::Identifier ident{system_uri(id.attribute("root").value()), id.attribute("extension").value()};
      if (!ident.value.empty()) p.identifiers.push_back(std::move(ident));
    }
    for (pugi::xml_node addr : names_.children(role, "addr")) {
      Patient::Address a;
      for (pugi::xml_node line : names_.children(addr, "streetAddressLine")) {
        if (std::string l = element_text(line); !l.empty()) a.line.push_back(std::move(l));
      }
      a.city = element_text(names_.child(addr, "city"));
      a.state = element_text(names_.child(addr, "state"));
      a.postalCode = element_text(names_.child(addr, "postalCode"));
      a.country = element_text(names_.child(addr, "country"));
      a.use = address_use(addr.attribute("use").value());
      a.end = read_period(reading(), names_.child(addr, "useablePeriod")).end;
      if (a.line.empty() && a.city.empty() && a.postalCode.empty()) continue;
      if (!p.address) p.address = a;
      p.addresses.push_back(std::move(a));
    }
    for (pugi::xml_node tel : names_.children(role, "telecom")) {
      std::string_view v = tel.attribute("value").value();
      if (v.substr(0, 4) == "tel:") p.phones.emplace_back(v.substr(4));
      else if (v.substr(0, 7) == "mailto:") p.emails.emplace_back(v.substr(7));
    }
    const pugi::xml_node patient = names_.child(role, "patient");
    for (pugi::xml_node name : names_.children(patient, "name")) {
      Patient::Name n;
      const std::string_view use = name.attribute("use").value();
      n.use = use == "L" || use.empty() ? "official" : use == "P" ? "nickname" : use == "A" ? "anonymous" : "usual";
      for (pugi::xml_node g : names_.children(name, "given")) {
        std::string given = element_text(g);
        if (given.empty()) continue;
        // A given name marked CL (call me) is a nickname, not a legal name part.
        if (std::string_view(g.attribute("qualifier").value()) == "CL") continue;
        n.given.push_back(std::move(given));
      }
      n.family = element_text(names_.child(name, "family"));
      if (n.given.empty() && n.family.empty()) n.text = name_text(name);
      if (!n.family.empty() || !n.given.empty() || !n.text.empty()) p.names.push_back(std::move(n));
    }
    fhir::show_name(p);
    const std::string_view gender = names_.child(patient, "administrativeGenderCode").attribute("code").value();
    p.gender = gender == "M" ? "male" : gender == "F" ? "female" : gender == "UN" ? "other" : "";
    if (names_.child(patient, "administrativeGenderCode").attribute("nullFlavor")) p.gender = "unknown";
    if (const char* birth = names_.child(patient, "birthTime").attribute("value").value(); *birth) {
      auto t = fhir_time(birth);
      if (t) p.birthDate = t->substr(0, 10);
      else d_.warn(DiagnosticCode::invalid_value, fhir::Path(pointer + "/patient/birthTime"),
                   "birthTime is not an HL7 TS");
    }
    for (pugi::xml_node c = patient.first_child(); c; c = c.next_sibling()) {
      const std::string_view name = c.name();
      if (name == "sdtc:deceasedTime" && *c.attribute("value").value()) {
        if (auto t = fhir_time(c.attribute("value").value()); t && !t->empty()) p.deceased = *t;
      } else if (name == "sdtc:deceasedInd" && std::string_view(c.attribute("value").value()) == "true" &&
                 p.deceased.empty()) {
        p.deceased = "true";
      }
    }
    ++counts_["Patient"];
    count_resource(pointer);
    draft_.add_entry("Patient", prov.id(), {}, fhir::Kind::patient, draft_.patients.size());
    draft_.patients.push_back(std::move(p));
  }

  static std::string address_use(std::string_view use) {
    if (use == "H" || use == "HP" || use == "HV") return "home";
    if (use == "WP" || use == "DIR" || use == "PUB") return "work";
    if (use == "TMP") return "temp";
    if (use == "OLD" || use == "BAD") return "old";
    return {};
  }


  // ---- sections -------------------------------------------------------------

  SectionKind section_kind(pugi::xml_node section) const {
    for (const SectionDef& def : kSections) {
      const std::string base = tmpl(def.template_tail);
      if (names_.has_template(section, base) || names_.has_template(section, base + ".1")) return def.kind;
    }
    const std::string_view code = names_.child(section, "code").attribute("code").value();
    for (const SectionDef& def : kSections) {
      if (code == def.loinc) return def.kind;
    }
    return SectionKind::other;
  }

  void read_sections() {
    const pugi::xml_node body = names_.path(root_, {"component", "structuredBody"});
    if (!body) return;  // a nonXMLBody (Unstructured Document): its narrative is not read
    // Sections and their subsections, in document order, without recursion.
    std::vector<std::pair<pugi::xml_node, std::string>> stack;
    const std::string body_path = root_path_ + "/component/structuredBody";
    const std::vector<pugi::xml_node> top = names_.children(body, "component");
    for (std::size_t i = top.size(); i > 0; --i) {
      stack.emplace_back(names_.child(top[i - 1], "section"), indexed(body_path, "component", i) + "/section");
    }
    while (!stack.empty()) {
      auto [section, pointer] = std::move(stack.back());
      stack.pop_back();
      if (!section) continue;
      read_section(section, pointer);
      const std::vector<pugi::xml_node> subs = names_.children(section, "component");
      for (std::size_t i = subs.size(); i > 0; --i) {
        stack.emplace_back(names_.child(subs[i - 1], "section"), indexed(pointer, "component", i) + "/section");
      }
    }
  }

  void read_section(pugi::xml_node section, const std::string& pointer) {
    const SectionKind kind = section_kind(section);
    if (kind == SectionKind::other) return;
    std::size_t i = 0;
    for (pugi::xml_node entry : names_.children(section, "entry")) {
      const std::string at = indexed(pointer, "entry", ++i);
      // The entry's clinical statement: its one element child besides sdtc extensions.
      for (pugi::xml_node statement = entry.first_child(); statement; statement = statement.next_sibling()) {
        if (statement.type() != pugi::node_element) continue;
        const std::string_view name = statement.name();
        if (name.substr(0, names_.prefix().size()) != names_.prefix()) continue;
        const std::string local(name.substr(names_.prefix().size()));
        read_entry(kind, statement, at + "/" + local, local);
        flush_problems(at);
      }
    }
  }

  void read_entry(SectionKind kind, pugi::xml_node s, const std::string& at, const std::string& local) {
    switch (kind) {
      case SectionKind::problems:
        if (local == "act") read_problem_concern(s, at, "problem-list-item");
        break;
      case SectionKind::diagnoses:
        if (local == "act") read_problem_concern(s, at, "encounter-diagnosis");
        break;
      case SectionKind::allergies:
        if (local == "act") read_allergy_concern(s, at);
        break;
      case SectionKind::medications:
        if (local == "substanceAdministration") read_medication(s, at);
        break;
      case SectionKind::hospital_medications:
        if (local == "act") read_wrapped_medications(s, at);
        break;
      case SectionKind::immunizations:
        if (local == "substanceAdministration") read_immunization(s, at);
        break;
      case SectionKind::results:
      case SectionKind::vitals: {
        const char* category = kind == SectionKind::results ? "laboratory" : "vital-signs";
        if (local == "organizer") read_organizer(s, at, category, kind == SectionKind::results);
        else if (local == "observation") read_observation(s, at, category);
        break;
      }
      case SectionKind::social:
        if (local == "observation") read_observation(s, at, "social-history");
        break;
      case SectionKind::procedures:
        if (local == "procedure" || local == "observation" || local == "act") read_procedure(s, at);
        break;
      case SectionKind::encounters:
        if (local == "encounter") read_encounter(s, at);
        break;
      case SectionKind::other:
        break;
    }
  }

  // ---- items ----------------------------------------------------------------

  void count_resource(const std::string& at) {
    if (++summary_.resources > options_.limits.max_resources) {
      throw IngestError(Diagnostic{DiagnosticCode::too_large, source_.name, at, 0,
                                   "too many entries in one source: the limit is " +
                                       std::to_string(options_.limits.max_resources)});
    }
  }

  // Every coding, display name and word of the entry, and the narrative its
  // references point at: an item is sensitive when any of it is.
  consent::SensitiveSet scan(pugi::xml_node el) {
    consent::SensitivityScan scan;
    pugi::xml_node cur = el;
    while (cur) {
      if (cur.type() == pugi::node_pcdata || cur.type() == pugi::node_cdata) {
        scan.text(cur.value());
      } else if (cur.type() == pugi::node_element) {
        if (const char* code = cur.attribute("code").value(); *code && cur.attribute("codeSystem")) {
          scan.coding(system_uri(cur.attribute("codeSystem").value()), code);
        }
        if (const char* display = cur.attribute("displayName").value(); *display) scan.text(display);
        if (names_.is(cur, "reference")) {
          std::string_view v = cur.attribute("value").value();
          if (!v.empty() && v.front() == '#') {
            if (auto it = ids_.find(std::string(v.substr(1))); it != ids_.end()) scan.text(element_text(it->second));
          }
        }
        if (cur.first_child()) {
          cur = cur.first_child();
          continue;
        }
      }
      while (cur && cur != el && !cur.next_sibling()) cur = cur.parent();
      if (!cur || cur == el) break;
      cur = cur.next_sibling();
    }
    return scan.found();
  }

  // Provenance and the source's index entry for an item about to be pushed
  // onto the list of `kind`; its reference name ("urn:ccda:N") for links.
  ItemBase begin_item(pugi::xml_node el, const std::string& at, const char* type, fhir::Kind kind,
                      std::size_t index, CodeableConcept* medicine = nullptr) {
    count_resource(at);
    ++counts_[type];
    ItemBase base;
    Provenance& prov = base.sources.emplace_back();
    prov.source = source_.name;
    prov.resourceType = type;
    prov.set_texts(first_id(names_, el), {}, {}, at);
    base.sensitive = scan(el);
    if (medicine) {
      consent::SensitivityScan drug;
      drug.medication(*medicine);
      base.sensitive |= drug.found();
    }
    // Its own texts: the item is not in the draft yet, and its fullUrl is made up.
    draft_.add_entry(type, prov.id(), "urn:ccda:" + std::to_string(draft_.entries.size()), kind, index);
    return base;
  }

  std::string last_ref() const {
    return std::string(draft_.texts(static_cast<std::uint32_t>(draft_.entries.size() - 1)).full_url);
  }

  std::string author_time(pugi::xml_node el) {
    return read_point(reading(), names_.path(el, {"author", "time"}));
  }

  // Problem Concern Act (or a Hospital Admission/Discharge Diagnosis act) →
  // one Condition per Problem Observation in it.
  void read_problem_concern(pugi::xml_node act, const std::string& at, const char* category) {
    const std::string concern = status_code(names_, act);
    std::size_t i = 0;
    for (pugi::xml_node rel : names_.children(act, "entryRelationship")) {
      const std::string rel_at = indexed(at, "entryRelationship", ++i);
      const pugi::xml_node obs = names_.child(rel, "observation");
      if (!obs || !has_template_tail(names_, obs, "4.4")) continue;
      const std::string obs_at = rel_at + "/observation";
      Condition c;
      c.code = read_cd(reading(), names_.child(obs, "value"));
      if (c.code.empty()) c.code = read_cd(reading(), names_.child(obs, "code"));
      const Period when = read_period(reading(), names_.child(obs, "effectiveTime"));
      c.onset = when.start;
      c.abatement = when.end;
      c.recordedDate = author_time(obs);
      if (c.recordedDate.empty()) c.recordedDate = author_time(act);
      c.category.emplace_back(category);
      c.verificationStatus = negated(obs) ? "refuted" : "confirmed";
      // The Problem Status observation when given; else a problem with an
      // end (effectiveTime/high) is resolved, whatever its concern's state
      // (a concern stays active while it is tracked); else the concern's state.
      std::string status = status_observation(obs);
      if (status.empty()) status = !c.abatement.empty() ? "resolved" : concern == "active" ? "active" : concern == "completed" ? "inactive" : "";
      c.clinicalStatus = status;
      static_cast<ItemBase&>(c) = begin_item(obs, obs_at, "Condition", fhir::Kind::condition, draft_.conditions.size());
      draft_.conditions.push_back(std::move(c));
    }
  }

  // A status observation (Problem Status, Allergy Status) as a FHIR clinical status.
  std::string status_observation(pugi::xml_node obs) {
    for (pugi::xml_node rel : names_.children(obs, "entryRelationship")) {
      const pugi::xml_node o = names_.child(rel, "observation");
      if (!o || std::string_view(names_.child(o, "code").attribute("code").value()) != "33999-4") continue;
      const std::string_view v = names_.child(o, "value").attribute("code").value();
      if (v == "55561003") return "active";
      if (v == "73425007") return "inactive";
      if (v == "413322009") return "resolved";
    }
    return {};
  }

  // Allergy Concern Act → one Allergy per Allergy - Intolerance Observation
  // that is not negated ("no known allergies" is not an allergy).
  void read_allergy_concern(pugi::xml_node act, const std::string& at) {
    const std::string concern = status_code(names_, act);
    std::size_t i = 0;
    for (pugi::xml_node rel : names_.children(act, "entryRelationship")) {
      const std::string rel_at = indexed(at, "entryRelationship", ++i);
      const pugi::xml_node obs = names_.child(rel, "observation");
      if (!obs || !has_template_tail(names_, obs, "4.7") || negated(obs)) continue;
      const std::string obs_at = rel_at + "/observation";
      Allergy a;
      for (pugi::xml_node participant : names_.children(obs, "participant")) {
        CodeableConcept substance = read_cd(reading(), names_.path(participant, {"participantRole", "playingEntity", "code"}));
        if (!substance.empty()) {
          a.code = std::move(substance);
          break;
        }
      }
      const std::string_view type = names_.child(obs, "value").attribute("code").value();
      allergy_type(type, a);
      if (a.code.empty()) a.code = read_cd(reading(), names_.child(obs, "value"));
      a.onset = read_period(reading(), names_.child(obs, "effectiveTime")).start;
      a.recordedDate = author_time(obs);
      a.verificationStatus = "confirmed";
      std::string status = status_observation(obs);
      if (status.empty()) status = concern == "active" ? "active" : concern == "completed" ? "resolved" : "";
      a.clinicalStatus = status;
      for (pugi::xml_node r : names_.children(obs, "entryRelationship")) {
        const pugi::xml_node o = names_.child(r, "observation");
        if (!o) continue;
        if (has_template_tail(names_, o, "4.9")) {
          Allergy::Reaction reaction;
          CodeableConcept m = read_cd(reading(), names_.child(o, "value"));
          if (!m.empty()) reaction.manifestations.push_back(std::move(m));
          for (pugi::xml_node sr : names_.children(o, "entryRelationship")) {
            const pugi::xml_node sev = names_.child(sr, "observation");
            if (sev && has_template_tail(names_, sev, "4.8")) reaction.severity = severity(sev);
          }
          a.reactions.push_back(std::move(reaction));
        } else if (has_template_tail(names_, o, "4.145")) {
          const std::string_view crit = names_.child(o, "value").attribute("code").value();
          a.criticality = crit == "CRITL" ? "low" : crit == "CRITH" ? "high" : crit == "CRITU" ? "unable-to-assess" : "";
        }
      }
      static_cast<ItemBase&>(a) = begin_item(obs, obs_at, "AllergyIntolerance", fhir::Kind::allergy, draft_.allergies.size());
      draft_.allergies.push_back(std::move(a));
    }
  }

  std::string severity(pugi::xml_node sev) {
    const std::string_view v = names_.child(sev, "value").attribute("code").value();
    if (v == "255604002") return "mild";
    if (v == "6736007") return "moderate";
    if (v == "24484000") return "severe";
    return {};
  }

  // Allergy Intolerance Observation value (SNOMED) → type and category.
  static void allergy_type(std::string_view code, Allergy& a) {
    struct Row { const char* code; const char* type; const char* category; };
    static constexpr std::array<Row, 11> rows{{
        {"419199007", "allergy", ""},
        {"416098002", "allergy", "medication"},
        {"414285001", "allergy", "food"},
        {"426232007", "allergy", "environment"},
        {"232347008", "allergy", "environment"},
        {"419511003", "", "medication"},
        {"418471000", "", "food"},
        {"59037007", "intolerance", "medication"},
        {"235719002", "intolerance", "food"},
        {"420134006", "", ""},
        {"418038007", "", ""},
    }};
    for (const Row& r : rows) {
      if (code != r.code) continue;
      a.type = r.type;
      if (*r.category) a.category.emplace_back(r.category);
      return;
    }
  }

  CodeableConcept product_code(pugi::xml_node sa) {
    return read_cd(reading(), names_.path(sa, {"consumable", "manufacturedProduct", "manufacturedMaterial", "code"}));
  }

  // Medication Activity: EVN (taken) → statement, INT (intended) → request.
  void read_medication(pugi::xml_node sa, const std::string& at) {
    Medication m;
    m.code = product_code(sa);
    if (m.code.empty()) return;
    const std::string_view mood = sa.attribute("moodCode").value();
    m.kind = mood == "INT" || mood == "RQO" || mood == "PRMS" || mood == "PRP" ? "request" : "statement";
    if (m.kind == "request") {
      m.intent = mood == "PRP" ? "proposal" : "order";
      m.authoredOn = author_time(sa);
    }
    const std::string status = status_code(names_, sa);
    if (status == "active") m.status = "active";
    else if (status == "completed") m.status = "completed";
    else if (status == "aborted") m.status = "stopped";
    else if (status == "suspended") m.status = "on-hold";
    else if (status == "cancelled") m.status = m.kind == "request" ? "cancelled" : "not-taken";
    else if (status == "new") m.status = m.kind == "request" ? "draft" : "intended";
    std::string frequency;
    for (pugi::xml_node t : names_.children(sa, "effectiveTime")) {
      std::string_view type = t.attribute("xsi:type").value();
      if (const std::size_t colon = type.find(':'); colon != std::string_view::npos) type = type.substr(colon + 1);
      if (type == "PIVL_TS") {
        const Quantity period = read_pq(reading(), names_.child(t, "period"));
        if (period.value) frequency = "every " + number(*period.value) + " " + period.unit;
      } else if (m.effective.empty()) {
        m.effective = read_period(reading(), t);
      }
    }
    std::string dosage;
    const Quantity dose = read_pq(reading(), names_.child(sa, "doseQuantity"));
    if (dose.value) dosage = number(*dose.value) + (dose.unit.empty() ? "" : " " + dose.unit);
    const CodeableConcept route = read_cd(reading(), names_.child(sa, "routeCode"));
    if (const std::string r = route.label(); !r.empty()) dosage += (dosage.empty() ? "" : " ") + r;
    if (!frequency.empty()) dosage += (dosage.empty() ? "" : ", ") + frequency;
    const std::string sig = read_sig(sa);
    m.dosage = sig.empty() ? dosage : sig;
    for (pugi::xml_node rel : names_.children(sa, "entryRelationship")) {
      if (std::string_view(rel.attribute("typeCode").value()) != "RSON") continue;
      CodeableConcept reason = read_cd(reading(), names_.path(rel, {"observation", "value"}));
      if (!reason.empty()) m.reasons.push_back(std::move(reason));
    }
    static_cast<ItemBase&>(m) = begin_item(sa, at, m.kind == "request" ? "MedicationRequest" : "MedicationStatement",
                                           fhir::Kind::medication, draft_.medications.size(), &m.code);
    draft_.medications.push_back(std::move(m));
  }

  // Discharge and Admission Medication acts (4.35, 4.36) hold Medication Activities.
  void read_wrapped_medications(pugi::xml_node act, const std::string& at) {
    std::size_t i = 0;
    for (pugi::xml_node rel : names_.children(act, "entryRelationship")) {
      const std::string rel_at = indexed(at, "entryRelationship", ++i);
      const pugi::xml_node sa = names_.child(rel, "substanceAdministration");
      if (sa && has_template_tail(names_, sa, "4.16")) read_medication(sa, rel_at + "/substanceAdministration");
    }
  }

  // The free-text sig (Medication Free Text Sig, 4.147), when given.
  std::string read_sig(pugi::xml_node sa) {
    for (pugi::xml_node rel : names_.children(sa, "entryRelationship")) {
      const pugi::xml_node sig = names_.child(rel, "substanceAdministration");
      if (sig && has_template_tail(names_, sig, "4.147")) {
        std::string text = element_text(names_.child(sig, "text"));
        if (pugi::xml_node ref = names_.path(sig, {"text", "reference"})) {
          std::string_view v = ref.attribute("value").value();
          if (!v.empty() && v.front() == '#') {
            if (auto it = ids_.find(std::string(v.substr(1))); it != ids_.end()) text = element_text(it->second);
          }
        }
        return text;
      }
    }
    return {};
  }

  static std::string number(double v) {
    std::string s = std::to_string(v);
    if (s.find('.') != std::string::npos) {
      while (!s.empty() && s.back() == '0') s.pop_back();
      if (!s.empty() && s.back() == '.') s.pop_back();
    }
    return s;
  }

  void read_immunization(pugi::xml_node sa, const std::string& at) {
    Immunization im;
    im.code = product_code(sa);
    if (im.code.empty()) return;
    im.occurrence = read_point(reading(), names_.child(sa, "effectiveTime"));
    const std::string status = status_code(names_, sa);
    if (negated(sa) || status == "aborted" || status == "cancelled") im.status = "not-done";
    else if (status == "completed" || status == "active") im.status = "completed";
    static_cast<ItemBase&>(im) = begin_item(sa, at, "Immunization", fhir::Kind::immunization, draft_.immunizations.size());
    draft_.immunizations.push_back(std::move(im));
  }

  // Result Organizer → a DiagnosticReport with its observations as results;
  // Vital Signs Organizer → its observations.
  void read_organizer(pugi::xml_node org, const std::string& at, const char* category, bool report) {
    std::vector<std::string> members;
    std::size_t i = 0;
    for (pugi::xml_node comp : names_.children(org, "component")) {
      const std::string comp_at = indexed(at, "component", ++i);
      const pugi::xml_node obs = names_.child(comp, "observation");
      if (!obs) continue;
      if (read_observation(obs, comp_at + "/observation", category)) members.push_back(last_ref());
    }
    if (!report) return;
    Report r;
    r.code = read_cd(reading(), names_.child(org, "code"));
    if (r.code.empty()) return;
    r.status = observation_status(status_code(names_, org));
    r.category.push_back("LAB");
    r.effective = read_period(reading(), names_.child(org, "effectiveTime"));
    if (r.effective.empty() && !draft_.observations.empty() && !members.empty()) {
      // The organizer's time is optional; its observations have one.
      r.effective = draft_.observations.back().effective;
    }
    const std::size_t index = draft_.reports.size();
    static_cast<ItemBase&>(r) = begin_item(org, at, "DiagnosticReport", fhir::Kind::report, index);
    for (std::string& ref : members) {
      draft_.add_ref(fhir::Kind::report, index, fhir::RefSlot::result, ref, at);
    }
    draft_.reports.push_back(std::move(r));
  }

  static std::string observation_status(const std::string& status) {
    if (status == "completed") return "final";
    if (status == "active") return "preliminary";
    if (status == "aborted" || status == "cancelled") return "cancelled";
    return status;
  }

  bool read_observation(pugi::xml_node obs, const std::string& at, const char* category) {
    Observation o;
    o.code = read_cd(reading(), names_.child(obs, "code"));
    if (o.code.empty()) return false;
    o.category.emplace_back(category);
    o.status = observation_status(status_code(names_, obs));
    o.effective = read_period(reading(), names_.child(obs, "effectiveTime"));
    const pugi::xml_node value = names_.child(obs, "value");
    o.value = read_value(reading(), value);
    if (value && o.value.kind == ObservationValue::Kind::none) o.dataAbsentReason = null_flavor(value);
    for (pugi::xml_node interp : names_.children(obs, "interpretationCode")) {
      CodeableConcept c = read_cd(reading(), interp);
      if (!c.empty()) o.interpretation.push_back(std::move(c));
    }
    for (pugi::xml_node range : names_.children(obs, "referenceRange")) {
      ReferenceRange rr = read_range(reading(), names_.child(range, "observationRange"));
      if (rr.low || rr.high || !rr.text.empty()) o.referenceRange.push_back(std::move(rr));
    }
    static_cast<ItemBase&>(o) = begin_item(obs, at, "Observation", fhir::Kind::observation, draft_.observations.size());
    draft_.observations.push_back(std::move(o));
    return true;
  }

  void read_procedure(pugi::xml_node p, const std::string& at) {
    Procedure proc;
    proc.code = read_cd(reading(), names_.child(p, "code"));
    if (proc.code.empty()) return;
    const std::string status = status_code(names_, p);
    if (status == "completed") proc.status = "completed";
    else if (status == "active") proc.status = "in-progress";
    else if (status == "aborted") proc.status = "stopped";
    else if (status == "cancelled") proc.status = "not-done";
    else if (status == "new") proc.status = "preparation";
    if (negated(p)) proc.status = "not-done";
    proc.performed = read_period(reading(), names_.child(p, "effectiveTime"));
    static_cast<ItemBase&>(proc) = begin_item(p, at, "Procedure", fhir::Kind::procedure, draft_.procedures.size());
    draft_.procedures.push_back(std::move(proc));
  }

  void read_encounter(pugi::xml_node e, const std::string& at) {
    Encounter enc;
    enc.type = read_cd(reading(), names_.child(e, "code"));
    for (const Coding& c : enc.type.codings) {
      if (c.system == systems::act_code) {
        enc.encounterClass = c;
        break;
      }
    }
    enc.period = read_period(reading(), names_.child(e, "effectiveTime"));
    const std::string status = status_code(names_, e);
    enc.status = status == "completed" ? "finished" : status == "active" ? "in-progress" : status == "cancelled" ? "cancelled" : "";
    if (enc.status.empty() && !enc.period.empty()) enc.status = "finished";
    for (pugi::xml_node rel : names_.children(e, "entryRelationship")) {
      // Encounter Diagnosis (4.80) holds Problem Observations; Indication (4.19) is one.
      pugi::xml_node diagnosis = names_.child(rel, "act");
      std::vector<pugi::xml_node> observations;
      if (diagnosis) {
        for (pugi::xml_node r : names_.children(diagnosis, "entryRelationship")) {
          if (pugi::xml_node o = names_.child(r, "observation")) observations.push_back(o);
        }
      } else if (pugi::xml_node o = names_.child(rel, "observation")) {
        observations.push_back(o);
      }
      for (pugi::xml_node o : observations) {
        CodeableConcept reason = read_cd(reading(), names_.child(o, "value"));
        if (!reason.empty()) enc.reasons.push_back(std::move(reason));
      }
    }
    for (pugi::xml_node participant : names_.children(e, "participant")) {
      if (std::string_view(participant.attribute("typeCode").value()) != "LOC") continue;
      enc.serviceProvider = name_text(names_.path(participant, {"participantRole", "playingEntity", "name"}));
      if (!enc.serviceProvider.empty()) break;
    }
    if (enc.type.empty() && enc.period.empty()) return;
    static_cast<ItemBase&>(enc) = begin_item(e, at, "Encounter", fhir::Kind::encounter, draft_.encounters.size());
    draft_.encounters.push_back(std::move(enc));
  }

  // ---- the narrative ----------------------------------------------------------

  // Every section's title and text (text/note_text.hpp's C-CDA reader) as one
  // note: what the document says in words, structured entries or not.
  void read_note(const std::string& text) {
    Document doc;
    doc.type = read_cd(reading(), names_.child(root_, "code"));
    doc.status = "current";
    doc.date = read_point(reading(), names_.child(root_, "effectiveTime"));
    doc.description = element_text(names_.child(root_, "title"));
    for (pugi::xml_node author : names_.children(root_, "author")) {
      const pugi::xml_node name = names_.path(author, {"assignedAuthor", "assignedPerson", "name"});
      std::string who = name_text(name);
      if (!who.empty()) doc.authors.push_back(std::move(who));
    }
    Attachment att;
    att.contentType = "application/xml";
    att.title = doc.description;
    att.creation = doc.date;
    att.size = text.size();
    att.format = "cda";
    if (names_.path(root_, {"component", "nonXMLBody"})) {
      att.note = "unstructured body (nonXMLBody); not read";
    } else {
      std::string why;
      if (std::optional<std::string> words = text::cda_narrative(text, why)) {
        att.text = std::move(*words);
      } else {
        att.note = why;
      }
    }
    flush_problems(root_path_);
    doc.attachments.push_back(std::move(att));
    static_cast<ItemBase&>(doc) =
        begin_item(root_, root_path_, "DocumentReference", fhir::Kind::document, draft_.documents.size());
    draft_.documents.push_back(std::move(doc));
  }

  const Source& source_;
  const IngestOptions& options_;
  fhir::SourceDraft& draft_;
  SourceSummary& summary_;
  std::map<std::string, std::uint64_t>& counts_;
  fhir::Diagnostics& d_;
  pugi::xml_node root_;
  std::string root_path_;
  Names names_;
  NarrativeIds ids_;
  std::vector<std::string> problems_;
};

}  // namespace

void read_source(const Source& source, const IngestOptions& options, fhir::SourceDraft& draft,
                 SourceSummary& summary, std::map<std::string, std::uint64_t>& counts,
                 std::vector<Diagnostic>& warnings) {
  summary.name = source.name;
  summary.bytes = source.bytes.size();
  pugi::xml_document doc;
  std::string text;
  bool utf8 = true;
  parse_xml(doc, source.bytes, options.xml, source.name, text, utf8);
  fhir::Diagnostics d(source.name, warnings);
  if (!utf8) d.warn(DiagnosticCode::invalid_value, fhir::Path(), "XML is not UTF-8; read as Windows-1252");
  DocumentReader(source, options, draft, summary, counts, d).read(doc, text);
  d.finish();
}

}  // namespace chartlock::ccda
