// SPDX-License-Identifier: Apache-2.0
// The patient's body over the years: slow trends (weight, HbA1c, LDL, blood
// pressure creep up at a per-patient rate), the chronic conditions those
// trends cross into, planned episodes (hypothyroidism, anemia), and what
// treatment does to the numbers. Everything is a function of time, so the
// dates a condition begins and ends are known before any visit happens —
// which lets a streaming writer state "resolved" correctly the first time.
#pragma once

#include <array>
#include <cstdint>

#include "civil_time.hpp"
#include "measures.hpp"
#include "person.hpp"
#include "rng.hpp"

namespace chartlock::synth {

inline constexpr std::int64_t kNever = INT64_MAX;

enum class Chronic {
  asthma, obesity, prediabetes, diabetes, hyperlipidemia, hypertension, hypothyroidism, anemia, count
};
enum class Therapy { metformin, statin, ace_inhibitor, calcium_blocker, levothyroxine, count };

// What today's acute illness does to the measurements.
struct Acute {
  bool fever = false;
  bool infection = false;
  bool breathless = false;
  bool pain = false;
};

// One set of measurements, scaled by each measure's decimals; for coded and
// text results, the index of the answer.
struct Snapshot {
  std::array<std::int64_t, kMeasureCount> values{};
  std::int64_t operator[](MeasureId id) const { return values[static_cast<std::size_t>(id)]; }
  std::int64_t& operator[](MeasureId id) { return values[static_cast<std::size_t>(id)]; }
};

class Physiology {
 public:
  // `start`: when the recorded history begins.
  Physiology(const Person& person, Rng& rng, std::int64_t start, std::int64_t now);

  // When a condition began / ended; kNever if not by `now`.
  std::int64_t onset(Chronic c) const { return onset_[index(c)]; }
  std::int64_t abatement(Chronic c) const { return abatement_[index(c)]; }
  bool present(Chronic c, std::int64_t t) const { return onset(c) <= t && t < abatement(c); }

  void start(Therapy therapy, std::int64_t t) { started_[index(therapy)] = t; }
  bool on(Therapy therapy) const { return started_[index(therapy)] != kNever; }

  Snapshot measure(std::int64_t t, const Acute& acute, Rng& rng) const;

 private:
  // base + per_decade × decades since start, in a measure's scaled units.
  struct Trend {
    std::int64_t base = 0;
    std::int64_t per_decade = 0;
    std::int64_t at(std::int64_t t, std::int64_t start) const {
      return base + per_decade * (t - start) / (10 * kYear);
    }
  };

  template <class E>
  static std::size_t index(E e) { return static_cast<std::size_t>(e); }
  // When a rising trend first reaches `threshold` (kNever if not by now).
  std::int64_t crossing(const Trend& trend, std::int64_t threshold) const;
  // Full effect of a therapy, reached `ramp_days` after it started.
  std::int64_t effect(Therapy therapy, std::int64_t t, std::int64_t full, std::int64_t ramp_days) const;

  const Person& person_;
  std::int64_t start_, now_;
  std::int64_t height_;  // cm × 10
  Trend weight_, a1c_, ldl_, hdl_, triglycerides_, systolic_;
  std::int64_t heart_rate_, creatinine_, tsh_, hemoglobin_, mcv_, platelets_, wbc_, alt_, smoking_;
  std::int64_t metformin_drop_;
  std::array<std::int64_t, static_cast<std::size_t>(Chronic::count)> onset_{}, abatement_{};
  std::array<std::int64_t, static_cast<std::size_t>(Therapy::count)> started_{};
};

}  // namespace chartlock::synth
