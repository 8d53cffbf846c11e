// SPDX-License-Identifier: Apache-2.0
// The summary: what a record means, in plain words. Labs and vital signs
// against their ranges with trends, the active problem list, medicines,
// allergies, immunizations, recent visits, a dated timeline, insights with the evidence and
// source they rest on, and questions for the next appointment.
//
// Deterministic: the same record and options give the same summary, natively
// and in wasm. Every rule that depends on the date takes it from options.
// Schema and rules: docs/summary-schema.md.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "chartlock/category.hpp"
#include "chartlock/record.hpp"

namespace chartlock {

// What a share holds, for the summary written into it: the record given to
// summarize() is then only the shared part, and a category outside
// `categories` was not shared — the summary says so and claims nothing about
// it (never "none on record", no rule that needs it).
struct ShareScope {
  Categories categories;
  std::string from, to;  // the date range shared, YYYY-MM-DD; empty: open
  // Some items of the shared categories were kept back (removed one by one,
  // or in a sensitive category left off): an absence proves nothing.
  bool partial = false;
  // Every date was moved by a secret offset ("hide my name and exact dates"):
  // the summary does not write today's date, which would give it away.
  bool dates_shifted = false;
};

// How dates are written inside sentences (fields stay YYYY-MM-DD): ISO for
// tools, or the patient's locale order with the month in words ("June 13,
// 2023", "13 June 2023"), as the widget writes its own dates.
enum class DateStyle { iso, month_day_year, day_month_year };

struct SummaryOptions {
  // "YYYY-MM-DD". Empty: date-dependent rules (ages, due dates, gaps) are
  // skipped and a note says so.
  std::string today;
  std::size_t recent_encounters = 5;
  DateStyle date_style = DateStyle::iso;
  // Set when summarizing a share; absent: the patient's whole record.
  std::optional<ShareScope> shared;
};

enum class Flag { low, normal, high, critical_low, critical_high, abnormal, unknown };
const char* to_string(Flag flag);

// The range a value was judged against, in the series unit.
//
// The texts a result repeats from a few values (a literal, the knowledge
// base's citation of the test, a lab's range text) are Interned, and item
// keys ShortText: every point of a series then holds them without a heap
// block of its own (each was one, twice per point in wasm; docs/performance.md,
// "Allocations on the summarize path"). Both read as strings; neither refers
// to the record or the knowledge base, so a summary outlives both.
struct RangeUsed {
  std::optional<double> low, high;
  std::string unit;
  Interned source;     // "report", "knowledge-base", or "" when none was usable
  Interned reference;  // the knowledge base's citation, or the report's range text
};

// A code kept as the record wrote it: copies of the record's Interned
// coding (a pointer each, where a system URL was a heap block).
struct CodeRef {
  Interned system, code, display;
};

struct HistoryPoint {
  std::string date;  // YYYY-MM-DD (or as partial as the source)
  std::optional<double> value;  // numeric results, in the series unit, at its precision
  int decimals = -1;            // the test's reported precision (places); -1: not known
  std::string comparator;       // "<", ">=", … as reported
  std::string text;             // coded and text results
  std::string unit;             // the series unit
  std::optional<double> original_value;  // when converted: as reported
  std::string original_unit;
  RangeUsed range;
  Flag flag = Flag::unknown;
  Interned flag_basis;          // "range", "critical-limit", "interpretation", "answer", "none"
  std::string interpretation;   // the source's own flag (H, L, A, …), when given
  std::string method;           // how it was measured, when one series holds several (LDL: "calculated")
  std::string loinc;            // the result's own LOINC, when the series is keyed on another
  ShortText key;                // the observation's record key
  std::vector<Interned> sources;  // input names: a few, the same for nearly every point
  std::string note;
};

struct Trend {
  std::string direction;  // "up", "down", "stable"; "" with a note when there is not enough data
  std::optional<double> change;  // last − first, in the series unit, at its precision
  std::string since;             // date of the first point used (the recent window's)
  int points = 0;                // values the trend was computed from
  std::string note;
};

// One test (LOINC) as a series. A value whose unit cannot be converted to the
// series unit goes to a separate series of its own (separate_series = true).
struct LabSeries {
  std::string loinc;  // "" when the observation had no LOINC code
  CodeRef code;       // the code the series was keyed on
  std::string name, plain, group, note;
  bool known = false;  // in the knowledge base
  std::string unit;
  int decimals = -1;   // reported precision in `unit`; -1: not known (three significant digits shown)
  bool separate_series = false;
  std::string concerning;  // "high", "low", "both", "none"
  HistoryPoint latest;
  Trend trend;
  std::vector<HistoryPoint> history;  // oldest first
  std::vector<std::string> notes;
};

// A blood pressure reading: both numbers, when both were measured.
struct PressurePoint {
  std::string date;
  std::optional<double> systolic, diastolic;
  std::string unit;
  std::string category, category_label;  // from the knowledge base
  Flag flag = Flag::unknown;
  ShortText key;
  std::vector<Interned> sources;
};

struct VitalSeries {
  std::string id;  // knowledge base id, or the LOINC code when unknown
  std::string loinc;
  std::string name, plain, unit, note;
  int decimals = -1;  // reported precision in `unit`
  bool known = false;
  std::string range_source;
  bool separate_series = false;
  HistoryPoint latest;           // for everything but blood pressure
  std::string category, category_label;  // BMI's category, when it has one
  Trend trend;
  std::vector<HistoryPoint> history;
  // Blood pressure only.
  bool blood_pressure = false;
  std::optional<PressurePoint> latest_pressure;
  Trend diastolic_trend;
  std::vector<PressurePoint> pressures;
  std::vector<std::string> notes;
};

struct ConditionItem {
  std::string key, plain, group, status, onset, abatement, source;  // source: the knowledge base's
  bool known = false, chronic = false;
  CodeRef code;
  std::vector<std::string> sources;  // the inputs that reported it
};

struct MedicationItem {
  std::string key, name, status, since, dosage;  // since: the newest listing's date
  // Why it counts as current: "active" (the record lists it as active, on
  // hold or intended) or "prescribed-recently" (prescribed in the 12 months
  // before today and not stopped); "" for a past medicine.
  std::string current;
  std::vector<std::string> classes;        // plain class names
  std::vector<std::string> class_ids;
  std::vector<std::string> ingredients;
  std::string matched_by;                  // "rxnorm", "product", "name", or "" (not in the knowledge base)
  CodeRef code;
  std::vector<std::string> sources;  // every listing of it folded into this line
};

struct AllergyItem {
  std::string key, plain, status, criticality, recorded;
  std::vector<std::string> categories, reactions, groups;  // groups: knowledge-base allergy groups
  CodeRef code;
  std::vector<std::string> sources;
};

struct ImmunizationItem {
  std::string key, plain, group, date, status;
  bool known = false;
  CodeRef code;
  std::vector<std::string> sources;
};

struct EncounterItem {
  std::string key, date, plain, setting, provider;
  std::vector<std::string> reasons;
  std::vector<std::string> sources;
};

// One dated event of the patient's history. Lab results are one event per
// report, or per day for results no report holds.
struct TimelineEvent {
  std::string date;  // the date part as the record wrote it
  std::string kind;  // visit, condition-onset, condition-resolved, lab-report, lab-results, report,
                     // procedure, immunization, medication-started, medication-stopped, allergy
  std::string text;  // plain words
  std::vector<std::string> sources;  // the inputs the event's items came from
  std::vector<ShortText> keys;       // the record keys of those items
};

// What an insight rests on: a result, an item, or a rule.
struct EvidenceRef {
  std::string kind;   // "lab", "vital", "condition", "medication", "allergy", "immunization", "rule"
  std::string ref;    // LOINC, vital id, item key or rule id
  std::string label;
  std::string date;
  std::string value;
};

struct Insight {
  std::string id;        // stable: "<kind>:<subject>"
  std::string kind;      // out-of-range, worsening-trend, overdue-immunization, due-screening,
                         // medication-allergy-conflict, gap-in-monitoring
  std::string severity;  // "urgent", "important", "info"
  std::string title, text, source;
  std::vector<EvidenceRef> evidence;
  std::string question;  // suggested question, if any
};

struct Question {
  std::string text;
  std::string insight;  // the insight id it comes from, or ""
  std::string about;    // else: what it is tied to ("lab:4548-4", "condition:<key>", …)
};

// Clinical notes: DocumentReferences and reports that come as a document
// (presentedForm). The summary says how many, the most recent, and what
// kinds; the words themselves are in the record (and the records view).
struct NoteItem {
  std::string key, date, kind, author, title;
  std::string format;  // of its first attachment with words, else of the first: html, rtf, cda, text, pdf…
  bool read = false;   // some of its text was read (a PDF alone is listed, not read)
  std::vector<std::string> sources;
};

struct NoteKind {
  std::string kind;
  std::size_t count = 0;
};

struct NotesSummary {
  std::size_t count = 0;
  std::size_t unread = 0;               // notes with no text read (PDF only, not fetched, refused)
  std::optional<NoteItem> most_recent;  // by date
  std::vector<NoteKind> kinds;          // most frequent first, then by name
};

struct SummaryPatient {
  std::string name, birth_date, gender, deceased;
  std::optional<int> age;
};

struct Summary {
  std::string today;
  DateStyle date_style = DateStyle::iso;  // options.date_style: how the texts write dates
  std::optional<ShareScope> shared;    // options.shared: what the share holds
  SummaryPatient patient;
  std::vector<std::string> sources;    // input names
  std::vector<std::string> providers;  // organizations named in the records
  std::string narrative;
  std::vector<LabSeries> labs;
  std::vector<VitalSeries> vitals;
  std::vector<ConditionItem> active_conditions, past_conditions;
  std::vector<MedicationItem> active_medications;  // current: see MedicationItem::current
  std::vector<MedicationItem> past_medications;    // the rest, newest first
  std::vector<AllergyItem> allergies;
  std::vector<ImmunizationItem> immunizations;  // newest first
  std::vector<EncounterItem> recent_encounters; // newest first
  NotesSummary clinical_notes;
  std::vector<TimelineEvent> timeline;          // newest first; dated events only
  std::vector<Insight> insights;
  std::vector<Question> questions;
  std::vector<std::string> notes;  // what could not be done, and why
};

// Throws std::invalid_argument when options.today, or a date of
// options.shared, is set but not YYYY-MM-DD.
Summary summarize(const Record& record, const SummaryOptions& options = {});

}  // namespace chartlock
