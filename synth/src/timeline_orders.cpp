// SPDX-License-Identifier: Apache-2.0
// What a visit orders and gives: prescriptions, vaccines, procedures.
#include <algorithm>

#include "problems.hpp"
#include "timeline.hpp"
#include "treatments.hpp"

namespace chartlock::synth {

void Timeline::start_therapies() {
  for (const Chronic c : v_.diagnosed) {
    for (const TreatmentPlan& t : kTreatments) {
      if (t.condition != c) continue;
      meds_.push_back({t.drug, &condition_[static_cast<std::size_t>(c)], &chronic_concept(c), kNever});
      if (t.therapy != Therapy::count) body_.start(t.therapy, v_.start);
    }
  }
  // An allergy that can cause anaphylaxis gets an epinephrine auto-injector.
  for (std::size_t i = 0; i < allergy_handles_.size(); ++i) {
    if (std::string_view(allergies_[i]->severity) != "severe") continue;
    if (std::none_of(meds_.begin(), meds_.end(), [](const ChronicMed& m) { return m.drug == &drug::epinephrine; })) {
      meds_.push_back({&drug::epinephrine, &allergy_handles_[i], &allergies_[i]->code, kNever});
    }
  }
  // Blood pressure still high a year into treatment: add a second drug.
  const auto htn = static_cast<std::size_t>(Chronic::hypertension);
  if (diagnosed(Chronic::hypertension) && !body_.on(Therapy::calcium_blocker) && v_.measured &&
      v_.vitals[MeasureId::systolic] >= 140 && days_since(diagnosed_at_[htn]) >= 365) {
    meds_.push_back({&drug::amlodipine, &condition_[htn], &condition::hypertension, kNever});
    body_.start(Therapy::calcium_blocker, v_.start);
  }
}

void Timeline::write_medications() {
  start_therapies();
  const bool routine = v_.kind == Visit::wellness || v_.kind == Visit::follow_up;
  for (ChronicMed& m : meds_) {
    // New prescriptions at any visit; yearly renewals at routine ones.
    if (m.last_written != kNever && (!routine || days_since(m.last_written) < 330)) continue;
    m.last_written = v_.start;
    PrescriptionFact f;
    f.drug = m.drug;
    f.end = v_.start + 365 * kDay;
    f.status = f.end > now_ ? "active" : "completed";
    f.refills = 3;
    f.reason = m.reason;
    f.reason_code = m.reason_code;
    prescribe(f);
  }
  if (v_.problem != nullptr && v_.problem->drug != nullptr) {
    const bool allergic = std::find(allergies_.begin(), allergies_.end(), &kAllergies[kPenicillinAllergy]) !=
                          allergies_.end();
    PrescriptionFact f;
    f.drug = allergic ? v_.problem->drug_if_penicillin_allergy : v_.problem->drug;
    f.end = v_.start + std::max(7, v_.problem->resolve_days) * kDay;
    f.status = f.end > now_ ? "active" : "stopped";
    if (v_.problem->condition != nullptr) {
      f.reason = &v_.problem_condition;
      f.reason_code = v_.problem->condition;
    } else {
      f.reason = &condition_[static_cast<std::size_t>(Chronic::asthma)];
      f.reason_code = &condition::asthma;
    }
    prescribe(f);
  }
  // Over-the-counter drugs the patient mentions: a MedicationStatement.
  if (v_.kind == Visit::wellness && rng_.chance(20)) {
    static const Drug* const kOverTheCounter[] = {&drug::ibuprofen, &drug::acetaminophen, &drug::naproxen};
    PrescriptionFact f;
    f.statement = true;
    f.drug = rng_.pick(kOverTheCounter);
    const std::int64_t end = v_.start + 90 * kDay;
    f.end = end <= now_ ? end : kNever;
    f.status = f.end != kNever ? "completed" : "active";
    prescribe(f);
  }
}

void Timeline::prescribe(PrescriptionFact f) {
  f.start = v_.start;
  f.encounter = &v_.encounter;
  f.requester = &dist_.practitioner(v_.owner);
  f.updated = v_.end;
  const Audience audience = share();
  const auto roll = rng_.below(100);
  Handle medication;
  if (!f.statement && roll >= 90) {
    f.form = MedicationForm::resource;
    medication = dist_.medication(*f.drug, audience, v_.end);
    f.medication = &medication;
  } else if (!f.statement && roll >= 75) {
    f.form = MedicationForm::contained;
  }
  dist_.emit(f, audience);
}

void Timeline::write_immunizations() {
  const bool routine = v_.kind == Visit::wellness || v_.kind == Visit::follow_up;
  const CivilDate d = civil_date(v_.start);
  const std::int64_t season = d.month >= 8 ? d.year : d.year - 1;
  if ((routine || v_.kind == Visit::acute) && (d.month >= 9 || d.month <= 3) && flu_season_ != season &&
      !v_.acute.fever) {
    give(d.year >= 2010 ? vaccine::influenza : vaccine::influenza_older);
    flu_season_ = season;
  }
  if (!routine) return;

  // The last tetanus shot before the record began is unknown: assume one within ten years.
  if (last_tetanus_ == kNever) last_tetanus_ = v_.start - rng_.between(0, 3650) * kDay;
  if (days_since(last_tetanus_) >= 3650) {
    const bool tdap = d.year >= 2006 && !tdap_given_;
    give(tdap ? vaccine::tdap : vaccine::td);
    tdap_given_ = tdap_given_ || tdap;
    last_tetanus_ = v_.start;
  }
  if (v_.start >= unix_time(2020, 12, 15)) {
    if (covid_brand_ == nullptr) covid_brand_ = rng_.chance(60) ? &vaccine::covid_pfizer : &vaccine::covid_moderna;
    const bool due = covid_doses_ == 0 || (covid_doses_ == 1 && days_since(last_covid_) >= 21) ||
                     (covid_doses_ == 2 && days_since(last_covid_) >= 180 && v_.start >= unix_time(2021, 9, 22));
    if (due) {
      give(*covid_brand_);
    } else if (covid_doses_ == 3 && days_since(last_covid_) >= 180 && v_.start >= unix_time(2023, 9, 12)) {
      give(vaccine::covid_unspecified, false);  // given at a pharmacy, recorded from the patient's card
    }
  }
  if (age(v_.start) >= 65) {
    if (pcv13_ == kNever) {
      give(vaccine::pneumococcal_pcv13);
      pcv13_ = v_.start;
    } else if (!ppsv23_given_ && days_since(pcv13_) >= 365) {
      give(vaccine::pneumococcal_ppsv23);
      ppsv23_given_ = true;
    }
  }
  if (age(v_.start) >= 50 && v_.start >= unix_time(2018, 1, 1) && zoster_doses_ < 2 &&
      (zoster_doses_ == 0 || days_since(last_zoster_) >= 60)) {
    give(vaccine::zoster);
    ++zoster_doses_;
    last_zoster_ = v_.start;
  }
  static const int kHepatitisBGap[] = {0, 28, 150};  // days after the previous dose
  if (hepatitis_b_doses_ < 3 &&
      (hepatitis_b_doses_ == 0 || days_since(last_hepatitis_b_) >= kHepatitisBGap[hepatitis_b_doses_])) {
    give(vaccine::hepatitis_b);
    ++hepatitis_b_doses_;
    last_hepatitis_b_ = v_.start;
  }
}

void Timeline::give(const Concept& vaccine, bool primary_source) {
  ImmunizationFact f;
  f.vaccine = &vaccine;
  f.time = v_.start + 5 * kMinute;
  f.primary_source = primary_source;
  if (primary_source) {
    f.lot = rng_.text("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", 6);
    v_.billed.push_back(&vaccine);
  }
  f.encounter = &v_.encounter;
  f.updated = v_.end;
  dist_.emit(f, share());
  if (&vaccine == &vaccine::covid_pfizer || &vaccine == &vaccine::covid_moderna ||
      &vaccine == &vaccine::covid_unspecified) {
    ++covid_doses_;
    last_covid_ = v_.start;
  }
}

void Timeline::write_procedures() {
  switch (v_.kind) {
    case Visit::wellness:
      if (!meds_.empty()) perform(procedure::medication_documentation, 5, nullptr, nullptr);
      if (days_since(last_depression_screen_) >= 330) {
        perform(procedure::depression_screening, 10, nullptr, nullptr);
        last_depression_screen_ = v_.start;
      }
      if (age(v_.start) >= 50 && days_since(last_colonoscopy_) >= 3650 && rng_.chance(25)) {
        perform(procedure::colonoscopy, 45, nullptr, nullptr);
        last_colonoscopy_ = v_.start;
      }
      if (person_.female && age(v_.start) >= 40 && days_since(last_mammogram_) >= 700) {
        perform(procedure::mammography, 20, nullptr, nullptr);
        last_mammogram_ = v_.start;
      }
      break;
    case Visit::follow_up:
      if (diagnosed(Chronic::asthma) && days_since(last_spirometry_) >= 330) {
        const Handle* asthma = &condition_[static_cast<std::size_t>(Chronic::asthma)];
        perform(procedure::spirometry, 20, asthma, &condition::asthma);
        last_spirometry_ = v_.start;
      }
      break;
    default:
      if (v_.problem != nullptr && v_.problem->procedure != nullptr) {
        perform(*v_.problem->procedure, 30, &v_.problem_condition, v_.problem->condition);
      }
  }
}

void Timeline::perform(const Concept& code, std::int64_t minutes, const Handle* reason, const Concept* reason_code) {
  ProcedureFact f;
  f.code = &code;
  f.start = v_.start + 5 * kMinute;
  f.end = f.start + minutes * kMinute;
  f.reason = reason;
  f.reason_code = reason_code;
  f.encounter = &v_.encounter;
  f.updated = v_.end;
  dist_.emit(f, share());
  v_.billed.push_back(&code);
}

}  // namespace chartlock::synth
