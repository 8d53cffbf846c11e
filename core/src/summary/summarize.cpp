// SPDX-License-Identifier: Apache-2.0
// summarize(): the record, explained. Each section is built by its own part;
// this file only wires them together in a fixed order.
#include <stdexcept>

#include "chartlock/knowledge.hpp"
#include "chartlock/summary.hpp"
#include "summary/civil_date.hpp"
#include "summary/clinical_lists.hpp"
#include "summary/context.hpp"
#include "summary/insights.hpp"
#include "summary/lab_results.hpp"
#include "summary/narrative.hpp"
#include "summary/plain_text.hpp"
#include "summary/share_scope.hpp"
#include "summary/timeline.hpp"

namespace chartlock {

Summary summarize(const Record& record, const SummaryOptions& options) {
  using namespace summary;
  Context ctx{record, options, knowledge::get(), std::nullopt, std::nullopt, std::nullopt, record.patient.gender,
              !record.patient.deceased.empty(), {}};
  if (!options.today.empty()) {
    ctx.today = parse_day(options.today);
    if (!ctx.today) throw std::invalid_argument("today must be a date written YYYY-MM-DD");
  }
  if (options.shared) {
    for (const std::string* day : {&options.shared->from, &options.shared->to}) {
      if (!day->empty() && !parse_day(*day)) throw std::invalid_argument("a shared date range is written YYYY-MM-DD");
    }
  }
  ctx.birth = record.patient.birthDate.size() >= 10 ? parse_date(record.patient.birthDate) : std::nullopt;
  // A deceased patient's age is their age at death.
  std::optional<CivilDate> age_on = ctx.today;
  if (ctx.deceased && record.patient.deceased != "true") {
    if (auto died = parse_date(record.patient.deceased)) age_on = died;
  }
  if (ctx.birth && age_on && !(*age_on < *ctx.birth)) ctx.age = years_between(*ctx.birth, *age_on);

  Summary s;
  s.today = options.shared && options.shared->dates_shifted ? std::string() : options.today;
  s.shared = options.shared;
  s.date_style = options.date_style;
  s.patient = SummaryPatient{record.patient.name, record.patient.birthDate, record.patient.gender,
                             record.patient.deceased, ctx.age};
  for (const SourceSummary& src : record.sources) s.sources.push_back(base_name(src.name));
  s.providers = providers(ctx);
  // Personal details left out of a share are not missing: the share's scope says they were not shared.
  if (!record.patient.present && is_shared(options.shared, Category::patient)) {
    s.notes.push_back("No source had a Patient resource, so who the records belong to is not known.");
  }
  if (ctx.birth && !ctx.today) s.notes.push_back("No date for today was given, so ages are not shown.");

  ctx.observations = classify(record.observations, ctx.kb);
  s.labs = lab_results(ctx);
  s.vitals = vital_signs(ctx);
  conditions(ctx, s.active_conditions, s.past_conditions);
  medications(ctx, s.active_medications, s.past_medications);
  s.allergies = allergies(ctx);
  s.immunizations = immunizations(ctx);
  s.recent_encounters = recent_encounters(ctx);
  s.clinical_notes = clinical_notes(ctx);
  s.timeline = timeline(ctx, s);

  allergy_conflicts(ctx, s.active_medications, s.allergies, s.insights);
  result_insights(ctx, s.labs, s.vitals, s.insights);
  preventive_insights(ctx, s.vitals, s.active_medications, s.insights, s.notes);
  order_insights(s.insights, ctx.today);

  s.narrative = narrative(ctx, s);
  s.questions = questions(ctx, s);
  if (ctx.deceased) s.notes.push_back("No questions are suggested, because the record says the patient has died.");
  return s;
}

}  // namespace chartlock
