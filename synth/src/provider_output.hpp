// SPDX-License-Identifier: Apache-2.0
// One provider's output: the Bundle (or NDJSON) framing around each
// resource, byte accounting against the target size, and buffered streaming
// to its std::ostream — never more than about a megabyte held in memory.
#pragma once

#include <array>
#include <cstdint>
#include <ostream>
#include <string>

#include "chartlock/synth/options.hpp"
#include "json_writer.hpp"
#include "provider_style.hpp"
#include "resource_type.hpp"

namespace chartlock::synth {

class ProviderOutput {
 public:
  ProviderOutput(const ProviderStyle& style, const GeneratorOptions& options, std::ostream& os);
  ProviderOutput(const ProviderOutput&) = delete;  // writer_ points into buffer_
  ProviderOutput& operator=(const ProviderOutput&) = delete;

  // The Bundle's opening (nothing for NDJSON).
  void begin(const LocalId& bundle_id, std::int64_t now);

  // Starts an entry and returns the writer for its resource object, which
  // the caller writes in full (begin_object … end_object).
  JsonWriter& open_entry(ResourceType type, const LocalId& id, std::int64_t last_updated);
  // Keeps the entry if that brings the output closer to its target size (or
  // if `force`); otherwise drops it and marks the output full — except that
  // an output's first Observation is always kept and, before it, entries
  // that do not fit are only dropped. True if kept.
  bool close_entry(bool force);

  // Closes the Bundle and flushes. Throws std::runtime_error if the stream failed.
  void finish();

  bool full() const { return full_; }
  std::uint64_t bytes() const { return flushed_ + buffer_.size(); }
  std::uint64_t count(ResourceType type) const { return counts_[static_cast<std::size_t>(type)]; }

 private:
  std::size_t footer_size(std::uint64_t matches) const;
  void flush();

  const ProviderStyle& style_;
  std::ostream& os_;
  std::uint64_t target_;
  bool ndjson_;
  std::string bundle_type_;
  std::string buffer_;
  JsonWriter writer_;
  std::uint64_t flushed_ = 0;
  bool full_ = false;
  bool first_ = true;
  std::array<std::uint64_t, kResourceTypeCount> counts_{};
  std::uint64_t matches_ = 0;  // searchset entries with search.mode "match"

  // The entry being written.
  std::size_t entry_start_ = 0;
  ResourceType entry_type_ = ResourceType::count;
  LocalId entry_id_;
  std::int64_t entry_updated_ = 0;
};

}  // namespace chartlock::synth
