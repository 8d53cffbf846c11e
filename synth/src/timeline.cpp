// SPDX-License-Identifier: Apache-2.0
#include "timeline.hpp"

#include <algorithm>

#include "problems.hpp"
#include "treatments.hpp"

namespace chartlock::synth {

namespace {

const char* const kPayers[] = {"Blue Harbor Health Plan", "Northstar Mutual", "Keystone Health Alliance"};

}  // namespace

Timeline::Timeline(const Person& person, Physiology& body, Distributor& dist,
                   const std::vector<ProviderStyle>& styles, Rng& clinical, Rng& sharing, int overlap_percent,
                   std::int64_t now)
    : person_(person),
      body_(body),
      dist_(dist),
      styles_(styles),
      rng_(clinical),
      sharing_(sharing),
      overlap_percent_(overlap_percent),
      now_(now),
      payer_(rng_.pick(kPayers)) {
  const int allergy_count = rng_.chance(35) ? (rng_.chance(25) ? 2 : 1) : 0;
  while (static_cast<int>(allergies_.size()) < allergy_count) {
    const AllergyDef* a = &rng_.pick(kAllergies);
    if (std::find(allergies_.begin(), allergies_.end(), a) == allergies_.end()) allergies_.push_back(a);
  }
  allergy_handles_.reserve(allergies_.size());  // handles are pointed to
  hepatitis_b_doses_ = rng_.chance(30) ? 0 : 3;  // 3: already immune
  diagnosed_at_.fill(kNever);
}

std::int64_t Timeline::visit(std::int64_t start, int owner) {
  v_ = VisitState{};
  v_.start = start;
  v_.owner = owner;
  v_.kind = choose_visit(start);
  v_.problem = choose_problem(v_.kind);
  if (v_.problem != nullptr) v_.acute = v_.problem->acute;
  switch (v_.kind) {
    case Visit::wellness: v_.end = start + rng_.between(20, 40) * kMinute; break;
    case Visit::follow_up: v_.end = start + rng_.between(15, 30) * kMinute; break;
    case Visit::acute: v_.end = start + rng_.between(15, 25) * kMinute; break;
    case Visit::emergency: v_.end = start + rng_.between(2 * 60, 6 * 60) * kMinute; break;
    case Visit::inpatient:
      v_.end = start + rng_.between(2, 5) * kDay;
      v_.end += rng_.between(0, 8 * 60) * kMinute;
      v_.end = std::min(v_.end, now_ - kHour);  // discharged by now (visits start a day before it)
      break;
  }
  // The partner: another provider this visit's facts may also reach.
  std::vector<int> others;
  for (int p = 0; p < dist_.providers(); ++p) {
    if (p != owner && !dist_.full(p)) others.push_back(p);
  }
  if (!others.empty()) v_.partner = others[static_cast<std::size_t>(sharing_.below(others.size()))];
  // Chronic conditions whose onset has passed and that this visit finds.
  for (int c = 0; c < static_cast<int>(Chronic::count); ++c) {
    const auto chronic = static_cast<Chronic>(c);
    if (!diagnosed(chronic) && body_.present(chronic, start)) v_.diagnosed.push_back(chronic);
  }

  write_encounter();
  write_vitals();
  write_labs();
  write_conditions();
  write_allergies();
  write_medications();
  write_immunizations();
  write_procedures();
  write_care_plans();
  write_note();
  write_claims_and_provenance();
  if (v_.kind == Visit::wellness) last_wellness_ = start;
  return v_.end;
}

Visit Timeline::choose_visit(std::int64_t start) {
  if (last_wellness_ == kNever || start - last_wellness_ >= 330 * kDay) return Visit::wellness;
  const auto roll = rng_.below(100);
  if (roll < 45) return Visit::follow_up;
  if (roll < 80) return Visit::acute;
  if (roll < 96) return Visit::emergency;
  return Visit::inpatient;
}

const Problem* Timeline::choose_problem(Visit kind) {
  if (kind == Visit::wellness || kind == Visit::follow_up) return nullptr;
  std::vector<const Problem*> fitting;
  for (std::size_t i = 0; i < std::size(kProblems); ++i) {
    if (kProblems[i].visit != kind) continue;
    if (i == kAsthmaFlare && !diagnosed(Chronic::asthma)) continue;
    fitting.push_back(&kProblems[i]);
  }
  return fitting[static_cast<std::size_t>(rng_.below(fitting.size()))];
}

Audience Timeline::share() {
  const bool shared = sharing_.chance(overlap_percent_);
  return Audience{v_.owner, shared && v_.partner >= 0 ? v_.partner : -1};
}

void Timeline::write_encounter() {
  EncounterFact e;
  e.visit = v_.kind;
  e.start = v_.start;
  e.end = v_.end;
  e.updated = v_.end;
  e.organization = &dist_.organization(v_.owner);
  e.practitioner = &dist_.practitioner(v_.owner);
  if (v_.problem != nullptr) {
    e.reason = v_.problem->condition != nullptr ? v_.problem->condition : &condition::asthma;
  } else if (v_.kind == Visit::follow_up) {
    std::vector<Chronic> known;
    for (int c = 0; c < static_cast<int>(Chronic::count); ++c) {
      if (diagnosed(static_cast<Chronic>(c)) && body_.present(static_cast<Chronic>(c), v_.start)) {
        known.push_back(static_cast<Chronic>(c));
      }
    }
    if (!known.empty()) e.reason = &chronic_concept(known[static_cast<std::size_t>(rng_.below(known.size()))]);
  }
  v_.encounter = dist_.emit(e, share());
}

void Timeline::write_conditions() {
  for (const Chronic c : v_.diagnosed) {
    ConditionFact f;
    f.code = &chronic_concept(c);
    f.problem_list = true;
    f.onset = body_.onset(c);
    f.recorded = v_.start;
    f.abatement = body_.abatement(c);
    f.updated = v_.end;
    f.encounter = &v_.encounter;
    Handle& h = condition_[static_cast<std::size_t>(c)];
    h = dist_.emit(f, share());
    diagnosed_at_[static_cast<std::size_t>(c)] = v_.start;
    v_.conditions.emplace_back(h, f.code->text());
  }
  const Problem* p = v_.problem;
  if (p == nullptr || p->condition == nullptr) return;
  ConditionFact f;
  f.code = p->condition;
  f.onset = v_.start;
  f.recorded = v_.start;
  const std::int64_t resolved = v_.start + p->resolve_days * kDay;
  f.abatement = resolved <= now_ ? resolved : kNever;
  f.updated = v_.end;
  f.encounter = &v_.encounter;
  v_.problem_condition = dist_.emit(f, share());
  v_.conditions.emplace_back(v_.problem_condition, f.code->text());
}

void Timeline::write_allergies() {
  if (allergies_recorded_) return;
  allergies_recorded_ = true;
  for (const AllergyDef* a : allergies_) {
    AllergyFact f;
    f.allergy = a;
    f.recorded = v_.start;
    f.updated = v_.end;
    f.encounter = &v_.encounter;
    allergy_handles_.push_back(dist_.emit(f, share()));
  }
}

void Timeline::write_care_plans() {
  auto plan = [&](const CarePlanDef& def, std::int64_t end, const Handle* condition, const Concept* code,
                  const Handle* goal, const char* goal_display) {
    CarePlanFact f;
    f.plan = &def;
    f.start = v_.start;
    f.end = end <= now_ ? end : kNever;
    f.condition = condition;
    f.condition_code = code;
    f.goal = goal;
    f.goal_display = goal_display;
    f.updated = v_.end;
    f.encounter = &v_.encounter;
    dist_.emit(f, share());
  };
  for (const Chronic c : v_.diagnosed) {
    for (const TreatmentPlan& t : kTreatments) {
      if (t.condition != c || (t.goal == nullptr && t.plan == nullptr)) continue;
      const Handle* condition = &condition_[static_cast<std::size_t>(c)];
      Handle goal;
      if (t.goal != nullptr) {
        GoalFact g;
        g.goal = t.goal;
        g.start = v_.start;
        g.condition = condition;
        g.condition_code = &chronic_concept(c);
        g.updated = v_.end;
        goal = dist_.emit(g, share());
      }
      if (t.plan != nullptr) {
        plan(*t.plan, kNever, condition, &chronic_concept(c), t.goal ? &goal : nullptr,
             t.goal ? t.goal->description : nullptr);
      }
    }
  }
  const Problem* p = v_.problem;
  if (p != nullptr && p->plan != nullptr) {
    plan(*p->plan, v_.start + p->resolve_days * kDay, &v_.problem_condition, p->condition, nullptr, nullptr);
  }
}

void Timeline::write_note() {
  static const int kChance[] = {70, 50, 40, 80, 100};  // by Visit
  if (!rng_.chance(kChance[static_cast<std::size_t>(v_.kind)])) return;
  static const Concept* const kTypes[] = {&note::history_and_physical, &note::progress, &note::progress,
                                          &note::emergency, &note::discharge};
  DocumentFact f;
  f.type = kTypes[static_cast<std::size_t>(v_.kind)];
  f.start = v_.start;
  f.end = v_.end;
  f.updated = v_.end;
  f.encounter = &v_.encounter;
  f.author = &dist_.practitioner(v_.owner);
  f.custodian = &dist_.organization(v_.owner);
  // Some notes are scanned PDFs held elsewhere: only a url.
  if (rng_.chance(v_.kind == Visit::inpatient ? 50 : 15)) {
    f.url = "https://" + owner_style().name + ".example/documents/" + rng_.text("0123456789abcdef", 16) + ".pdf";
  } else {
    f.text = note_text();
  }
  dist_.emit(f, share());
}

// A short note from what the visit found. No identifying details.
std::string Timeline::note_text() const {
  const VisitDef& def = visit_def(v_.kind);
  std::string text = std::string(def.type.text()) + "\nDate: " +
                     std::string(format_date(v_.start, owner_style().time).view()) + "\n";
  if (v_.problem != nullptr) {
    const Concept* reason = v_.problem->condition ? v_.problem->condition : &condition::asthma;
    text += "Reason for visit: " + std::string(reason->text()) + "\n";
  }
  if (v_.measured) {
    text += "Vitals: BP " + std::to_string(v_.vitals[MeasureId::systolic]) + "/" +
            std::to_string(v_.vitals[MeasureId::diastolic]) + " mm[Hg], HR " +
            std::to_string(v_.vitals[MeasureId::heart_rate]) + " /min.\n";
  }
  std::string problems;
  for (int c = 0; c < static_cast<int>(Chronic::count); ++c) {
    const auto chronic = static_cast<Chronic>(c);
    if ((diagnosed(chronic) && body_.present(chronic, v_.start)) ||
        std::find(v_.diagnosed.begin(), v_.diagnosed.end(), chronic) != v_.diagnosed.end()) {
      problems += (problems.empty() ? "" : "; ") + std::string(chronic_concept(chronic).text());
    }
  }
  text += "Problems: " + (problems.empty() ? std::string("none") : problems) + "\n";
  std::string meds;
  for (const ChronicMed& m : meds_) meds += (meds.empty() ? "" : "; ") + std::string(m.drug->code.text());
  text += "Medications: " + (meds.empty() ? std::string("none") : meds) + "\n";
  static const char* const kPlans[] = {"Routine screening up to date. Return in one year.",
                                       "Continue current medications. Recheck labs in three months.",
                                       "Supportive care. Return if symptoms worsen.",
                                       "Discharged home in stable condition. Follow up with primary care.",
                                       "Discharged home. Follow up with primary care within one week."};
  text += std::string("Plan: ") + kPlans[static_cast<std::size_t>(v_.kind)] + "\n";
  return text;
}

void Timeline::write_claims_and_provenance() {
  const ProviderStyle& style = owner_style();
  if (!v_.encounter.in(v_.owner)) return;  // the owner's output is full
  const Handle& organization = dist_.organization(v_.owner);
  if (style.provenance) {
    ProvenanceFact f;
    f.recorded = v_.end;
    f.target = &v_.encounter;
    f.author = &dist_.practitioner(v_.owner);
    f.organization = &organization;
    f.updated = v_.end;
    dist_.emit(f, Audience{v_.owner});
  }
  if (!style.billing) return;
  static const std::int64_t kVisitCents[][2] = {
      {15000, 25000}, {9000, 16000}, {11000, 19000}, {80000, 250000}, {600000, 2500000}};
  const auto* range = kVisitCents[static_cast<std::size_t>(v_.kind)];
  ClaimFact claim;
  claim.visit = v_.kind;
  claim.start = v_.start;
  claim.end = v_.end;
  claim.updated = v_.end;
  claim.encounter = &v_.encounter;
  claim.provider = &organization;
  claim.payer = age(v_.start) >= 65 ? "Medicare" : payer_;
  claim.items.push_back(&visit_def(v_.kind).type);
  claim.total_cents = rng_.between(range[0], range[1]);
  for (const Concept* item : v_.billed) {
    claim.items.push_back(item);
    // Compare the text: the same literal may sit at different addresses.
    const bool vaccine = std::string_view(item->coding.system) == system::cvx;
    claim.total_cents += vaccine ? rng_.between(2500, 9000) : rng_.between(20000, 150000);
  }
  claim.diagnoses = v_.conditions;
  const Handle claim_handle = dist_.emit(claim, Audience{v_.owner});
  ExplanationOfBenefitFact eob;
  eob.claim_fact = &claim;
  eob.claim = &claim_handle;
  eob.paid_cents = claim.total_cents * rng_.between(60, 90) / 100;
  eob.updated = v_.end + rng_.between(7, 40) * kDay;
  eob.encounter = &v_.encounter;
  dist_.emit(eob, Audience{v_.owner});
}

}  // namespace chartlock::synth
