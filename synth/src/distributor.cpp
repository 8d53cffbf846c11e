// SPDX-License-Identifier: Apache-2.0
#include "distributor.hpp"

#include <algorithm>

namespace chartlock::synth {

Distributor::Distributor(std::vector<ProviderStyle>& styles, std::deque<ProviderOutput>& outputs,
                         std::vector<Rng>& id_rngs, std::int64_t now)
    : styles_(styles),
      outputs_(outputs),
      id_rngs_(id_rngs),
      now_(now),
      organizations_(outputs.size()),
      practitioners_(outputs.size()),
      medications_(outputs.size()),
      context_tried_(outputs.size(), false) {
  patient_.type = ResourceType::Patient;
  for (Handle& h : organizations_) h.type = ResourceType::Organization;
  for (Handle& h : practitioners_) h.type = ResourceType::Practitioner;
}

void Distributor::write_patient(const Person& person, std::int64_t updated, bool essentials_only) {
  PatientFact fact;
  fact.person = &person;
  fact.essentials_only = essentials_only;
  fact.updated = updated;
  for (int p = 0; p < providers(); ++p) {
    LocalId id;
    if (write_copy(fact, p, p, id, true)) patient_.ids[static_cast<std::size_t>(p)] = id;
  }
  // One person everywhere: a single shared fact with a copy per provider.
  if (providers() > 1) {
    shared_[index(ResourceType::Patient)] = 1;
    duplicates_[index(ResourceType::Patient)] = static_cast<std::uint64_t>(providers() - 1);
  }
}

void Distributor::ensure_context(int provider) {
  const auto p = static_cast<std::size_t>(provider);
  if (context_tried_[p] || full(provider)) return;
  context_tried_[p] = true;
  // Directory entries, maintained long after the first visit.
  OrganizationFact organization;
  organization.updated = now_ - 200 * kDay;
  PractitionerFact practitioner;
  practitioner.updated = now_ - 150 * kDay;
  LocalId id;
  if (write_copy(organization, provider, provider, id)) organizations_[p].ids[p] = id;
  if (write_copy(practitioner, provider, provider, id)) practitioners_[p].ids[p] = id;
}

const Handle& Distributor::organization(int provider) {
  ensure_context(provider);
  return organizations_[static_cast<std::size_t>(provider)];
}

const Handle& Distributor::practitioner(int provider) {
  ensure_context(provider);
  return practitioners_[static_cast<std::size_t>(provider)];
}

Handle Distributor::medication(const Drug& drug, Audience audience, std::int64_t updated) {
  auto slot_it = std::find(drugs_.begin(), drugs_.end(), &drug);
  const auto slot = static_cast<std::size_t>(slot_it - drugs_.begin());
  if (slot_it == drugs_.end()) drugs_.push_back(&drug);

  Handle handle;
  handle.type = ResourceType::Medication;
  for (const int p : {audience.owner, audience.partner}) {
    if (p < 0) continue;
    auto& known = medications_[static_cast<std::size_t>(p)];
    if (known.size() <= slot) known.resize(slot + 1);
    if (known[slot].empty() && !full(p)) {
      MedicationFact fact;
      fact.drug = &drug;
      fact.updated = updated;
      LocalId id;
      if (write_copy(fact, p, p, id)) known[slot] = id;
    }
    handle.ids[static_cast<std::size_t>(p)] = known[slot];
  }
  return handle;
}

std::int64_t Distributor::last_updated(std::int64_t updated, int provider, bool received) {
  Rng& rng = id_rngs_[static_cast<std::size_t>(provider)];
  const std::int64_t delay = received ? rng.between(kDay, 30 * kDay) : rng.between(kMinute, 6 * kHour);
  return std::min(now_, updated + delay);
}

}  // namespace chartlock::synth
