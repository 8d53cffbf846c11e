// SPDX-License-Identifier: Apache-2.0
// What a resource writer needs to know about the copy it is writing: whose
// output it goes to (ids and reference style) and who recorded the fact
// (how its times are spelled, so both copies of a shared fact are identical).
#pragma once

#include <string_view>

#include "civil_time.hpp"
#include "handle.hpp"
#include "json_writer.hpp"
#include "provider_style.hpp"

namespace chartlock::synth {

struct RenderContext {
  const ProviderStyle& target;
  const ProviderStyle& origin;
  const Handle& patient;

  bool has(const Handle* h) const { return h != nullptr && h->in(target.index); }

  // `"key":{"reference":…,"display":…}`: the reference only where the target
  // was written to this output, the display when given; nothing at all when
  // neither — so a copy never holds a reference that does not resolve.
  void reference(JsonWriter& w, std::string_view key, const Handle* to, const char* display = nullptr) const {
    if (!has(to) && display == nullptr) return;
    w.key(key);
    reference_value(w, to, display);
  }
  // The same as an array element; the caller guarantees a display or a target.
  void reference_value(JsonWriter& w, const Handle* to, const char* display) const {
    w.begin_object();
    if (has(to)) {
      w.key("reference");
      write_reference(w, target, to->type, to->id(target.index));
    }
    if (display != nullptr) w.field("display", display);
    w.end_object();
  }
  void subject(JsonWriter& w, std::string_view key = "subject") const { reference(w, key, &patient); }

  Stamp date(std::int64_t t) const { return format_date(t, origin.time); }
  Stamp date_time(std::int64_t t) const { return format_date_time(t, origin.time); }
  Stamp instant(std::int64_t t) const { return format_instant(t, origin.time); }
};

}  // namespace chartlock::synth
