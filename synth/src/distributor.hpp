// SPDX-License-Identifier: Apache-2.0
// Writes facts to the providers that hold them: the owner of the visit and,
// for a shared fact, a partner. Each copy gets that provider's own id,
// reference style and meta; the content is the same. Keeps what the truth
// needs: which facts reached two outputs.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <vector>

#include "facts.hpp"
#include "provider_output.hpp"
#include "provider_style.hpp"
#include "render_context.hpp"
#include "resources.hpp"
#include "rng.hpp"

namespace chartlock::synth {

// Who gets a fact: the provider that recorded it and, when shared, one more.
struct Audience {
  int owner = 0;
  int partner = -1;
};

class Distributor {
 public:
  Distributor(std::vector<ProviderStyle>& styles, std::deque<ProviderOutput>& outputs,
              std::vector<Rng>& id_rngs, std::int64_t now);

  int providers() const { return static_cast<int>(outputs_.size()); }
  bool full(int provider) const { return output(provider).full(); }

  // The patient, to every provider.
  void write_patient(const Person& person, std::int64_t updated, bool essentials_only);

  // The provider's Organization and Practitioner, written on first use.
  const Handle& organization(int provider);
  const Handle& practitioner(int provider);
  // Medication resources for `drug` in each output of the audience, written
  // on first use there.
  Handle medication(const Drug& drug, Audience audience, std::int64_t updated);

  // Writes the fact to the audience; the handle says where it landed.
  template <class Fact>
  Handle emit(const Fact& fact, Audience audience);

  std::uint64_t shared(ResourceType type) const { return shared_[index(type)]; }
  std::uint64_t duplicates(ResourceType type) const { return duplicates_[index(type)]; }

 private:
  static std::size_t index(ResourceType t) { return static_cast<std::size_t>(t); }
  ProviderOutput& output(int p) { return outputs_[static_cast<std::size_t>(p)]; }
  const ProviderOutput& output(int p) const { return outputs_[static_cast<std::size_t>(p)]; }
  ProviderStyle& style(int p) { return styles_[static_cast<std::size_t>(p)]; }
  void ensure_context(int provider);
  // meta.lastUpdated: when the source system saved it, or later for a copy
  // received from elsewhere; never after `now`.
  std::int64_t last_updated(std::int64_t updated, int provider, bool received);

  // Writes one copy; true if the output kept it (always, when `force`).
  template <class Fact>
  bool write_copy(const Fact& fact, int provider, int origin, LocalId& id, bool force = false);

  std::vector<ProviderStyle>& styles_;
  std::deque<ProviderOutput>& outputs_;
  std::vector<Rng>& id_rngs_;
  std::int64_t now_;
  Handle patient_;
  std::vector<Handle> organizations_, practitioners_;
  std::vector<std::vector<LocalId>> medications_;  // by provider, by drug slot
  std::vector<const Drug*> drugs_;                 // drug slots
  std::vector<bool> context_tried_;  // Organization and Practitioner written (or skipped)
  std::array<std::uint64_t, kResourceTypeCount> shared_{}, duplicates_{};
};

template <class Fact>
bool Distributor::write_copy(const Fact& fact, int provider, int origin, LocalId& id, bool force) {
  ProviderOutput& out = output(provider);
  const ResourceType type = resource_type(fact);
  id = style(provider).new_id(id_rngs_[static_cast<std::size_t>(provider)]);
  const std::int64_t updated = last_updated(fact.updated, provider, provider != origin);
  JsonWriter& w = out.open_entry(type, id, updated);
  w.begin_object().field("resourceType", type_name(type));
  w.key("id").string(id_text(id).view());
  w.key("meta").begin_object().field("lastUpdated", format_instant(updated, style(provider).time).view());
  w.end_object();
  const RenderContext ctx{style(provider), style(origin), patient_};
  write_body(w, fact, ctx);
  w.end_object();
  return out.close_entry(force);
}

template <class Fact>
Handle Distributor::emit(const Fact& fact, Audience audience) {
  Handle handle;
  handle.type = resource_type(fact);
  int copies = 0;
  for (const int p : {audience.owner, audience.partner}) {
    if (p < 0 || full(p)) continue;
    LocalId id;
    if (write_copy(fact, p, audience.owner, id)) {
      handle.ids[static_cast<std::size_t>(p)] = id;
      ++copies;
    }
  }
  if (copies > 1) {
    ++shared_[index(handle.type)];
    duplicates_[index(handle.type)] += static_cast<std::uint64_t>(copies - 1);
  }
  return handle;
}

}  // namespace chartlock::synth
