// SPDX-License-Identifier: Apache-2.0
#include "merge/absorb.hpp"

#include <algorithm>
#include <utility>

namespace chartlock::merge {

namespace {

template <class V>
void fill(V& into, V&& from) {
  if (into.empty() && !from.empty()) into = std::move(from);
}

void fill_gaps(Condition& into, Condition&& from) {
  fill(into.clinicalStatus, std::move(from.clinicalStatus));
  fill(into.verificationStatus, std::move(from.verificationStatus));
  fill(into.category, std::move(from.category));
  fill(into.abatement, std::move(from.abatement));
  fill(into.recordedDate, std::move(from.recordedDate));
}

void fill_gaps(Observation& into, Observation&& from) {
  fill(into.category, std::move(from.category));
  fill(into.issued, std::move(from.issued));
  fill(into.referenceRange, std::move(from.referenceRange));
  fill(into.interpretation, std::move(from.interpretation));
}

void fill_gaps(Medication& into, Medication&& from) {
  fill(into.dosage, std::move(from.dosage));
  fill(into.reasons, std::move(from.reasons));
}

void fill_gaps(Allergy& into, Allergy&& from) {
  fill(into.reactions, std::move(from.reactions));
  fill(into.criticality, std::move(from.criticality));
}

void fill_gaps(Encounter& into, Encounter&& from) {
  fill(into.reasons, std::move(from.reasons));
  fill(into.serviceProvider, std::move(from.serviceProvider));
}

void fill_gaps(Report& into, Report&& from) {
  fill(into.conclusion, std::move(from.conclusion));
  fill(into.presentedForm, std::move(from.presentedForm));
}

template <class T>
void fill_gaps(T&, T&&) {}

}  // namespace

template <class T>
void absorb(T& into, T&& from) {
  for (Provenance& p : from.sources) into.sources.push_back(std::move(p));
  fill(into.raw, std::move(from.raw));
  into.sensitive |= from.sensitive;  // every provider's copy counts
  for (std::string& n : from.notes) {
    if (std::find(into.notes.begin(), into.notes.end(), n) == into.notes.end()) into.notes.push_back(std::move(n));
  }
  fill_gaps(into, std::move(from));
}

template void absorb(Condition&, Condition&&);
template void absorb(Observation&, Observation&&);
template void absorb(Medication&, Medication&&);
template void absorb(Allergy&, Allergy&&);
template void absorb(Immunization&, Immunization&&);
template void absorb(Procedure&, Procedure&&);
template void absorb(Encounter&, Encounter&&);
template void absorb(Report&, Report&&);
template void absorb(Document&, Document&&);
template void absorb(CarePlan&, CarePlan&&);
template void absorb(Goal&, Goal&&);
template void absorb(OtherResource&, OtherResource&&);

}  // namespace chartlock::merge
