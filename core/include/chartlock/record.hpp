// SPDX-License-Identifier: Apache-2.0
// The normalized record: what Chartlock knows about one patient after reading
// every source, merging the facts two providers both reported.
//
// Plain value types. Strings hold FHIR's own spellings (codes, dates as
// written); nothing here is interpreted yet — understanding is a later layer.
// Fields with few distinct values (code systems, codes, displays, units,
// statuses, categories, resource types, source names) are Interned: one
// pointer into a shared, capped pool instead of a copy each (interned.hpp).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chartlock/code_systems.hpp"
#include "chartlock/diagnostic.hpp"
#include "chartlock/interned.hpp"
#include "chartlock/short_text.hpp"

namespace chartlock {


struct Coding {
  Interned system;
  Interned code;
  Interned display;

  bool empty() const { return system.empty() && code.empty() && display.empty(); }
  friend bool operator==(const Coding& a, const Coding& b) {
    return a.system == b.system && a.code == b.code && a.display == b.display;
  }
};

struct CodeableConcept {
  std::vector<Coding> codings;
  Interned text;

  bool empty() const { return codings.empty() && text.empty(); }
  // The coding to show and to match on: the first coding from the first
  // system in `preferred` that has one, else the first coding; null if none.
  const Coding* primary(const std::vector<std::string>& preferred = {}) const;
  // Human label: text, else the primary coding's display, else its code.
  std::string label(const std::vector<std::string>& preferred = {}) const;
};

struct Quantity {
  std::optional<double> value;
  Interned comparator;  // "<", "<=", ">=", ">" or empty
  Interned unit;        // human unit as written
  Interned system;      // usually UCUM
  Interned code;        // machine unit (UCUM code)

  bool empty() const { return !value && unit.empty() && code.empty(); }
  // The unit to compare on: the UCUM code when present, else the unit text.
  const std::string& unit_key() const { return code.empty() ? unit : code; }
};

// A fact read from a SMART Health Card: who issued the card, and whether its
// signature was checked against one of that issuer's keys. Unverified cards
// are read only when the caller asked for them (docs/record-schema.md).
struct CardProvenance {
  std::string issuer;     // the card's iss (a URL)
  bool verified = false;  // false: kept with IngestOptions::allow_unverified_cards
};

// Where one fact came from. An item merged from two providers has two.
//
// Its four texts are held end to end in one string: one heap block per
// provenance instead of four (a UUID id, a "urn:uuid:" fullUrl, an instant
// and a pointer are each longer than a string keeps inline), and a quarter of
// the frees when the record goes (docs/performance.md, "The record's
// strings"). The views returned are valid until the provenance is changed,
// moved or destroyed.
struct Provenance {
  Interned source;        // the input's name (file name, provider)
  Interned resourceType;  // as in the source
  std::optional<CardProvenance> card;  // set when the source is a SMART Health Card

  std::string_view id() const { return text(kId); }                    // Resource.id, may be empty
  std::string_view fullUrl() const { return text(kFullUrl); }          // Bundle.entry.fullUrl, may be empty
  std::string_view lastUpdated() const { return text(kLastUpdated); }  // meta.lastUpdated, may be empty
  // JSON Pointer of the resource in its source (a card's: in its FHIR Bundle).
  std::string_view pointer() const { return text(kPointer); }

  // All four at once: one allocation of the exact size.
  void set_texts(std::string_view id, std::string_view full_url, std::string_view last_updated,
                 std::string_view pointer);
  void set_id(std::string_view v) { replace(kId, v); }
  void set_fullUrl(std::string_view v) { replace(kFullUrl, v); }
  void set_lastUpdated(std::string_view v) { replace(kLastUpdated, v); }
  void set_pointer(std::string_view v) { replace(kPointer, v); }

 private:
  enum : std::size_t { kId, kFullUrl, kLastUpdated, kPointer, kTexts };
  std::size_t begin(std::size_t i) const { return i == 0 ? 0 : packed_.ends[i - 1]; }
  std::size_t end(std::size_t i) const { return i == kPointer ? packed_.texts.size() : packed_.ends[i]; }
  std::string_view text(std::size_t i) const {
    return std::string_view(packed_.texts).substr(begin(i), end(i) - begin(i));
  }
  void replace(std::size_t i, std::string_view v);

  // The texts and where they end, moved as one: a moved-from provenance
  // (merging leaves some in the draft) reads four empty texts, never ends
  // past its string's end.
  struct Packed {
    std::string texts;  // id, fullUrl, lastUpdated, pointer, end to end
    // Where the first three end (the pointer ends with texts). 32 bits: the
    // texts come from one parsed document (simdjson caps it below 4 GiB; the
    // C-CDA reader's input is capped by its caller), and longer is refused.
    std::uint32_t ends[kPointer] = {};

    Packed() = default;
    Packed(const Packed&) = default;
    Packed& operator=(const Packed&) = default;
    Packed(Packed&& other) noexcept : texts(std::move(other.texts)) { take_ends(other); }
    Packed& operator=(Packed&& other) noexcept {
      if (this != &other) {
        texts = std::move(other.texts);
        take_ends(other);
      }
      return *this;
    }
    ~Packed() = default;

   private:
    void take_ends(Packed& other) noexcept {
      for (std::size_t i = 0; i < kPointer; ++i) {
        ends[i] = other.ends[i];
        other.ends[i] = 0;
      }
      other.texts.clear();
    }
  };
  Packed packed_;
};

// A date or a period as FHIR wrote it ("2019", "2019-05-02", full instants…).
// Dates and keys are ShortTexts: most fit its inline room (short_text.hpp).
struct Period {
  ShortText start;
  ShortText end;
  bool empty() const { return start.empty() && end.empty(); }
};

struct ReferenceRange {
  std::optional<Quantity> low;
  std::optional<Quantity> high;
  CodeableConcept type;
  std::vector<CodeableConcept> appliesTo;
  std::string text;
};

// Observation.value[x] and component.value[x].
struct ObservationValue {
  enum class Kind { none, quantity, concept, string, boolean, integer, range, ratio, period, time, date_time, other };
  Kind kind = Kind::none;
  Quantity quantity;       // quantity; integer (value only); range/ratio low+high in low/high
  std::optional<Quantity> high;  // range high / ratio denominator
  CodeableConcept concept;       // concept
  std::string text;              // string, time, dateTime, period text; boolean "true"/"false"
  bool boolean = false;
};

struct ObservationComponent {
  CodeableConcept code;
  ObservationValue value;
  CodeableConcept dataAbsentReason;
  std::vector<ReferenceRange> referenceRange;
  std::vector<CodeableConcept> interpretation;
};

// Every item shares these: a record-local key (stable across runs for the
// same facts), where it came from, and a link to its original JSON.
struct ItemBase {
  ShortText key;
  std::vector<Provenance> sources;
  std::vector<std::string> notes;  // note[].text (Annotation), from every source
  // Minified JSON of the resource as the first source wrote it (kept with
  // IngestOptions::keep_raw, for the record's JSON; shares are rebuilt from
  // the fields above and below, never copied from it).
  std::string raw;
  // The sensitive categories found anywhere in any source's copy of the
  // resource: bit i is knowledge sensitive.json's category i.
  std::uint32_t sensitive = 0;
};

struct Patient : ItemBase {
  std::string name;  // display form: "Given Family"
  std::vector<std::string> given;
  std::string family;
  std::string birthDate;
  std::string gender;
  std::string deceased;  // dateTime or "true" when deceased
  struct Address {
    std::string city, state, postalCode, country;
    std::vector<std::string> line;
    std::string use;  // home, work, old…
    std::string end;  // period.end: no longer lived at
  };
  std::optional<Address> address;  // the first, for display
  bool present = false;  // false when no source held a Patient resource

  // Everything that tells who this is, for deciding whether two sources are
  // one person (docs/persons.md): every name (official, usual, old…), every
  // address, phone numbers and emails, and identifiers.
  struct Name {
    std::string use;  // official, usual, nickname, maiden, old…
    std::string family;
    std::vector<std::string> given;
    std::string text;
    std::string end;  // period.end: no longer used
  };
  struct Identifier {
    std::string system, value;
  };
  std::vector<Name> names;
  std::vector<Address> addresses;
  std::vector<std::string> phones, emails;
  std::vector<Identifier> identifiers;
};

struct Condition : ItemBase {
  CodeableConcept code;
  Interned clinicalStatus;
  Interned verificationStatus;
  std::vector<Interned> category;  // codes, e.g. "problem-list-item"
  ShortText onset;          // onsetDateTime, or onsetPeriod.start
  std::string onsetText;    // onsetString / onsetAge rendered
  ShortText abatement;
  ShortText recordedDate;
  ShortText encounter;      // key of the Encounter item, when resolved
};

struct Observation : ItemBase {
  Interned status;
  std::vector<Interned> category;  // codes, e.g. "laboratory", "vital-signs"
  CodeableConcept code;
  Period effective;  // effectiveDateTime / effectiveInstant go to start
  ShortText issued;
  ObservationValue value;
  CodeableConcept dataAbsentReason;
  std::vector<ReferenceRange> referenceRange;
  std::vector<CodeableConcept> interpretation;
  std::vector<ObservationComponent> components;
  std::vector<ShortText> members;  // hasMember → keys of Observation items
  ShortText encounter;
};

// MedicationRequest and MedicationStatement, one list: what the patient takes
// or was prescribed.
struct Medication : ItemBase {
  Interned kind;  // "request" or "statement"
  CodeableConcept code;  // from medicationCodeableConcept or the referenced Medication
  Interned status;
  Interned intent;     // requests
  ShortText authoredOn;    // requests
  Period effective;       // statements
  std::string dosage;     // first dosage's text, when given
  std::vector<CodeableConcept> reasons;
  ShortText encounter;
};

struct Allergy : ItemBase {
  CodeableConcept code;
  Interned clinicalStatus;
  Interned verificationStatus;
  Interned type;                   // "allergy" | "intolerance"
  std::vector<Interned> category;  // food, medication, environment, biologic
  Interned criticality;
  ShortText onset;
  ShortText recordedDate;
  struct Reaction {
    std::vector<CodeableConcept> manifestations;
    Interned severity;
  };
  std::vector<Reaction> reactions;
};

struct Immunization : ItemBase {
  CodeableConcept code;  // vaccineCode
  Interned status;
  ShortText occurrence;
  ShortText encounter;
};

struct Procedure : ItemBase {
  CodeableConcept code;
  Interned status;
  Period performed;
  ShortText encounter;
};

struct Encounter : ItemBase {
  Interned status;
  Coding encounterClass;
  CodeableConcept type;  // the first type
  Period period;
  std::vector<CodeableConcept> reasons;
  std::string serviceProvider;  // display, when given
};

// Inline data, or a Binary the widget fetched and put inline
// (docs/record-schema.md): read as plain text when it is text, HTML, RTF or
// a C-CDA document's narrative; PDFs and images are listed, not read.
struct Attachment {
  std::string contentType;
  std::string title;
  std::string url;
  std::string creation;
  std::optional<std::uint64_t> size;
  std::string format;        // how it was read: text, html, rtf, cda, xml, pdf, binary ("" without data)
  std::string text;          // the attachment's words, plain text
  std::string note;          // why it was not read, or how (fixed words, never the input's)
  bool hasBinary = false;    // inline data that was not read (kept in raw only)
};

struct Report : ItemBase {  // DiagnosticReport
  CodeableConcept code;
  Interned status;
  std::vector<Interned> category;
  Period effective;
  ShortText issued;
  std::vector<ShortText> results;  // keys of Observation items
  std::string conclusion;
  std::vector<Attachment> presentedForm;  // the report as a document (a note), read as attachments are
  ShortText encounter;
};

struct Document : ItemBase {  // DocumentReference
  CodeableConcept type;
  Interned status;
  std::vector<Interned> category;
  ShortText date;
  std::string description;
  using Attachment = chartlock::Attachment;
  std::vector<std::string> authors;  // the authors' display names
  std::vector<Attachment> attachments;
  ShortText encounter;
};

struct CarePlan : ItemBase {
  Interned status;
  Interned intent;
  std::vector<CodeableConcept> category;
  std::string title;
  std::string description;
  Period period;
  std::vector<CodeableConcept> activities;
  ShortText encounter;
};

struct Goal : ItemBase {
  Interned lifecycleStatus;
  CodeableConcept description;
  std::string start;
  std::vector<std::string> targetDates;
};

// A resource of a type the model does not read (Claim, Organization…):
// counted and kept as is, never an error.
struct OtherResource : ItemBase {
  Interned resourceType;
};

// One input as it was read.
struct SourceSummary {
  std::string name;
  std::string format;      // "bundle", "resource", "ndjson" or "smart-health-card"
  std::string bundleType;  // for bundles
  std::uint64_t bytes = 0;
  std::uint64_t resources = 0;  // resources read from it (nested bundles not counted)
  std::optional<CardProvenance> card;  // for "smart-health-card"
};

// The lists of items: the record's, and each source's before merging.
struct ItemLists {
  std::vector<Condition> conditions;
  std::vector<Observation> observations;
  std::vector<Medication> medications;
  std::vector<Allergy> allergies;
  std::vector<Immunization> immunizations;
  std::vector<Procedure> procedures;
  std::vector<Encounter> encounters;
  std::vector<Report> reports;
  std::vector<Document> documents;
  std::vector<CarePlan> carePlans;
  std::vector<Goal> goals;
  std::vector<OtherResource> other;
};

struct Record : ItemLists {
  Patient patient;
  // Whose record this is: the person's key (docs/persons.md); empty when the
  // sources hold no Patient at all.
  std::string person;
  std::vector<SourceSummary> sources;
  std::vector<Diagnostic> warnings;
  // Resources read, by resourceType, over all sources, before merging.
  std::map<std::string, std::uint64_t> counts;
};

}  // namespace chartlock
