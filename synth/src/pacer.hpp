// SPDX-License-Identifier: Apache-2.0
// When the next visit happens. The history spans years up to `now`; visits
// are spaced so that the outputs reach their target size about when the
// history reaches the present: the gap is the time left divided by the
// visits still needed, estimated from what recent visits cost.
#pragma once

#include <cstdint>

#include "civil_time.hpp"
#include "rng.hpp"

namespace chartlock::synth {

class Pacer {
 public:
  explicit Pacer(std::int64_t now) : now_(now) {}

  // The start of the next visit after `previous_end`, at least a day before
  // `now`; `now` itself when there is no time left. Visits at least a couple
  // of days apart land in clinic hours of the provider's time zone.
  std::int64_t next(std::int64_t previous_end, std::uint64_t bytes_left, Rng& rng, const TimeStyle& local) const;

  // What a visit cost, in bytes written and in time taken (a hospital stay
  // takes days). Recent visits weigh most: a visit's size depends on how
  // dense the history is (sparse visits are all check-ups with full labs).
  void record(std::uint64_t bytes, std::int64_t duration);

 private:
  std::int64_t now_;
  std::uint64_t bytes_per_visit_ = 0;  // 0: nothing known yet
  std::int64_t duration_per_visit_ = 0;
};

}  // namespace chartlock::synth
