// SPDX-License-Identifier: Apache-2.0
#include "pacer.hpp"

#include <algorithm>

namespace chartlock::synth {

void Pacer::record(std::uint64_t bytes, std::int64_t duration) {
  if (bytes_per_visit_ == 0) {
    bytes_per_visit_ = std::max<std::uint64_t>(1, bytes);
    duration_per_visit_ = duration;
    return;
  }
  bytes_per_visit_ = std::max<std::uint64_t>(1, (bytes_per_visit_ * 15 + bytes) / 16);
  duration_per_visit_ = (duration_per_visit_ * 15 + duration) / 16;
}

std::int64_t Pacer::next(std::int64_t previous_end, std::uint64_t bytes_left, Rng& rng,
                         const TimeStyle& local) const {
  constexpr std::uint64_t kFirstGuess = 40 * 1024;  // a first check-up with its labs, about
  const std::uint64_t per_visit = bytes_per_visit_ > 0 ? bytes_per_visit_ : kFirstGuess;
  const auto visits_left = static_cast<std::int64_t>((bytes_left + per_visit - 1) / per_visit);
  const std::int64_t time_left = now_ - previous_end;
  if (time_left < 2 * kDay) return now_;  // a visit must be over before the present
  // The gap from one visit's end to the next one's start.
  const std::int64_t mean = time_left / std::max<std::int64_t>(1, visits_left) - duration_per_visit_;
  std::int64_t interval = std::max(10 * kMinute, mean * rng.between(50, 150) / 100);
  // Never within a day of the present while bytes are still wanted: halve what is left.
  if (interval > time_left - kDay) interval = time_left / 2;
  std::int64_t t = previous_end + interval;
  if (interval >= 2 * kDay) {
    const std::int64_t offset = local.offset_minutes * kMinute;
    const std::int64_t local_midnight = floor_div(t + offset, kDay) * kDay;
    t = local_midnight - offset + rng.between(8 * 60, 16 * 60) * kMinute;
    if (t <= previous_end) t = previous_end + 15 * kMinute;
  }
  return t;
}

}  // namespace chartlock::synth
