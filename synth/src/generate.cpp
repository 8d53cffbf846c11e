// SPDX-License-Identifier: Apache-2.0
#include "chartlock/synth/generate.hpp"

#include <algorithm>
#include <deque>
#include <stdexcept>

#include "distributor.hpp"
#include "pacer.hpp"
#include "person.hpp"
#include "physiology.hpp"
#include "provider_output.hpp"
#include "provider_style.hpp"
#include "timeline.hpp"

namespace chartlock::synth {
namespace {

// The provider with the fewest bytes that still has room: providers fill
// evenly and finish together.
int least_filled(const std::deque<ProviderOutput>& outputs) {
  int best = -1;
  for (int p = 0; p < static_cast<int>(outputs.size()); ++p) {
    const ProviderOutput& o = outputs[static_cast<std::size_t>(p)];
    if (!o.full() && (best < 0 || o.bytes() < outputs[static_cast<std::size_t>(best)].bytes())) best = p;
  }
  return best;
}

GenerationTruth make_truth(const GeneratorOptions& options, const Person& person,
                           const std::vector<ProviderStyle>& styles, const std::deque<ProviderOutput>& outputs,
                           const Distributor& dist) {
  GenerationTruth truth;
  truth.options = options;
  truth.patient = {person.given, person.family, person.birth_date, person.gender()};
  for (std::size_t p = 0; p < outputs.size(); ++p) {
    ProviderTruth pt;
    pt.name = styles[p].name;
    pt.organization = styles[p].organization;
    pt.base_url = styles[p].base_url;
    pt.references = styles[p].urn_uuid ? "urn:uuid" : "relative";
    pt.bytes = outputs[p].bytes();
    for (std::size_t t = 0; t < kResourceTypeCount; ++t) {
      const auto type = static_cast<ResourceType>(t);
      if (outputs[p].count(type) > 0) pt.resources[type_name(type)] = outputs[p].count(type);
    }
    truth.providers.push_back(std::move(pt));
  }
  for (std::size_t t = 0; t < kResourceTypeCount; ++t) {
    const auto type = static_cast<ResourceType>(t);
    if (dist.shared(type) > 0) truth.shared[type_name(type)] = dist.shared(type);
    if (dist.duplicates(type) > 0) truth.duplicates[type_name(type)] = dist.duplicates(type);
  }
  return truth;
}

}  // namespace

GenerationTruth generate(const GeneratorOptions& options, const std::vector<std::ostream*>& outputs) {
  validate(options);
  if (outputs.size() != static_cast<std::size_t>(options.providers)) {
    throw std::invalid_argument("need one output stream per provider");
  }
  if (std::find(outputs.begin(), outputs.end(), nullptr) != outputs.end()) {
    throw std::invalid_argument("output stream is null");
  }
  const std::int64_t now = options.now;
  Rng person_rng(stream_seed(options.seed, Stream::person));
  const Person person = make_person(person_rng, now);

  std::vector<Rng> id_rngs;
  std::vector<ProviderStyle> styles;
  for (int p = 0; p < options.providers; ++p) {
    id_rngs.emplace_back(stream_seed(options.seed, Stream::provider_ids, static_cast<std::uint64_t>(p)));
    styles.push_back(make_provider_style(p, options.format, id_rngs.back()));
  }
  std::deque<ProviderOutput> outs;
  for (std::size_t p = 0; p < styles.size(); ++p) {
    outs.emplace_back(styles[p], options, *outputs[p]);
    outs.back().begin(random_uuid(id_rngs[p]), now);
  }
  Distributor dist(styles, outs, id_rngs, now);
  // A full Patient alone is ~1.7 KB; below 4 KB only its essentials fit the target.
  dist.write_patient(person, now - 40 * kDay, options.target_bytes < 4096);

  // Adult history, at most 30 years back.
  const std::int64_t start = std::max(person.birth + 18 * kYear, now - 30 * kYear);
  Rng clinical(stream_seed(options.seed, Stream::clinical));
  Rng sharing(stream_seed(options.seed, Stream::sharing));
  Physiology body(person, clinical, start, now);
  Timeline timeline(person, body, dist, styles, clinical, sharing, options.overlap_percent, now);
  Pacer pacer(now);

  auto bytes = [&] {
    std::uint64_t total = 0;
    for (const ProviderOutput& o : outs) total += o.bytes();
    return total;
  };
  auto bytes_left = [&] {
    std::uint64_t left = 0;
    for (const ProviderOutput& o : outs) {
      if (!o.full()) left += options.target_bytes - std::min(options.target_bytes, o.bytes());
    }
    return left;
  };
  std::uint64_t visits = 0;
  std::int64_t t = start, first = 0;
  for (int owner = least_filled(outs); owner >= 0; owner = least_filled(outs)) {
    const std::int64_t next = pacer.next(t, bytes_left(), clinical, styles[static_cast<std::size_t>(owner)].time);
    if (next >= now) break;
    if (visits++ == 0) first = next;
    const std::uint64_t before = bytes();
    t = timeline.visit(next, owner);
    pacer.record(bytes() - before, t - next);
  }
  for (ProviderOutput& o : outs) o.finish();

  GenerationTruth truth = make_truth(options, person, styles, outs, dist);
  truth.visits = visits;
  if (visits > 0) {
    truth.history_start = std::string(format_date(first, TimeStyle{}).view());
    truth.history_end = std::string(format_date(t, TimeStyle{}).view());
  }
  return truth;
}

}  // namespace chartlock::synth
