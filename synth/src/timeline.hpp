// SPDX-License-Identifier: Apache-2.0
// The clinical course, one visit at a time: what kind of visit, what is
// measured, diagnosed, prescribed, given and billed, and which of it the
// visit's provider shares with another. Decides the facts; the Distributor
// writes them.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "distributor.hpp"
#include "facts.hpp"
#include "physiology.hpp"

namespace chartlock::synth {

struct Problem;  // an acute episode (problems.hpp)

class Timeline {
 public:
  Timeline(const Person& person, Physiology& body, Distributor& dist, const std::vector<ProviderStyle>& styles,
           Rng& clinical, Rng& sharing, int overlap_percent, std::int64_t now);

  // One visit at provider `owner` starting at `start`; returns when it ended.
  std::int64_t visit(std::int64_t start, int owner);

 private:
  // Therapies the patient stays on, renewed yearly.
  struct ChronicMed {
    const Drug* drug;
    const Handle* reason;  // the Condition or AllergyIntolerance it treats
    const Concept* reason_code;
    std::int64_t last_written;
  };
  // The visit being written.
  struct VisitState {
    Visit kind = Visit::wellness;
    std::int64_t start = 0, end = 0;
    int owner = 0, partner = -1;
    const Problem* problem = nullptr;
    Acute acute;
    Handle encounter;
    Snapshot vitals;
    bool measured = false;  // vitals holds this visit's first measurements
    std::vector<Chronic> diagnosed;  // chronic conditions found at this visit
    Handle problem_condition;  // the acute episode's Condition
    std::vector<std::pair<Handle, const char*>> conditions;  // for the claim
    std::vector<const Concept*> billed;                     // procedures and vaccines
  };

  // timeline.cpp
  Visit choose_visit(std::int64_t start);
  const Problem* choose_problem(Visit kind);
  Audience share();
  void write_encounter();
  void write_conditions();
  void write_allergies();
  void write_care_plans();
  void write_note();
  std::string note_text() const;
  void write_claims_and_provenance();  // the owner's own records of the visit
  // timeline_measurements.cpp
  void write_vitals();
  void write_vital_set(std::int64_t t, std::initializer_list<MeasureId> which);
  void write_labs();
  void write_panel(PanelId id, std::int64_t t);
  ObservationFact observation(MeasureId id, const Snapshot& s, std::int64_t t, std::int64_t issued, bool si) const;
  // timeline_orders.cpp
  void write_medications();
  void start_therapies();
  // A MedicationRequest from this visit, or a MedicationStatement.
  void prescribe(PrescriptionFact fact);
  void write_immunizations();
  void give(const Concept& vaccine, bool primary_source = true);
  void write_procedures();
  void perform(const Concept& code, std::int64_t minutes, const Handle* reason, const Concept* reason_code);

  std::int64_t age(std::int64_t t) const { return (t - person_.birth) / kYear; }
  std::int64_t days_since(std::int64_t then) const {
    return then == kNever ? INT64_MAX / kDay : (v_.start - then) / kDay;
  }
  bool diagnosed(Chronic c) const { return condition_[static_cast<std::size_t>(c)].type != ResourceType::count; }
  const ProviderStyle& owner_style() const { return styles_[static_cast<std::size_t>(v_.owner)]; }

  const Person& person_;
  Physiology& body_;
  Distributor& dist_;
  const std::vector<ProviderStyle>& styles_;
  Rng& rng_;      // the clinical course
  Rng& sharing_;  // who else gets a fact, and how it is spelled there
  int overlap_percent_;
  std::int64_t now_;
  VisitState v_;

  std::array<Handle, static_cast<std::size_t>(Chronic::count)> condition_{};  // written diagnoses
  std::array<std::int64_t, static_cast<std::size_t>(Chronic::count)> diagnosed_at_{};
  std::vector<ChronicMed> meds_;
  std::vector<const AllergyDef*> allergies_;  // recorded at the first visit
  std::vector<Handle> allergy_handles_;
  bool allergies_recorded_ = false;
  const char* payer_;
  std::int64_t last_wellness_ = kNever, last_lipid_ = kNever, last_metabolic_ = kNever, last_cbc_ = kNever,
               last_a1c_ = kNever, last_tsh_ = kNever, last_urinalysis_ = kNever, last_smoking_ = kNever;
  std::int64_t last_depression_screen_ = kNever, last_colonoscopy_ = kNever, last_mammogram_ = kNever,
               last_spirometry_ = kNever;
  std::int64_t flu_season_ = 0, last_tetanus_ = kNever, last_covid_ = kNever, last_zoster_ = kNever,
               last_hepatitis_b_ = kNever, pcv13_ = kNever;
  int covid_doses_ = 0, zoster_doses_ = 0, hepatitis_b_doses_ = 0;
  bool tdap_given_ = false, ppsv23_given_ = false;
  const Concept* covid_brand_ = nullptr;
};

}  // namespace chartlock::synth
