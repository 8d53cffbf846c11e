// SPDX-License-Identifier: Apache-2.0
// A minimal JSON text writer appending to a string. Building an nlohmann DOM
// per resource would cost several times the generation itself; this writes
// compact JSON directly, numbers by integer arithmetic (no locale, no %g).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace chartlock::synth {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(&out) {}

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }

  // Keys are the generator's own ASCII literals: written without escaping.
  JsonWriter& key(std::string_view k) {
    separate();
    out_->push_back('"');
    out_->append(k);
    out_->append("\":", 2);
    comma_ = false;
    return *this;
  }

  JsonWriter& string(std::string_view s) { return string({s}); }
  // One string value from several pieces ("urn:uuid:" + id …), no temporary.
  JsonWriter& string(std::initializer_list<std::string_view> parts);
  // scaled / 10^places, printed with exactly `places` decimals: FHIR decimals
  // keep their precision ("7.0" is not "7").
  JsonWriter& decimal(std::int64_t scaled, int places);
  JsonWriter& integer(std::int64_t value) { return decimal(value, 0); }
  JsonWriter& boolean(bool value) {
    separate();
    out_->append(value ? "true" : "false");
    comma_ = true;
    return *this;
  }

  // key + string value, the most common pair.
  JsonWriter& field(std::string_view k, std::string_view v) { return key(k).string(v); }

 private:
  void separate() {
    if (comma_) out_->push_back(',');
  }
  JsonWriter& open(char c) {
    separate();
    out_->push_back(c);
    comma_ = false;
    return *this;
  }
  JsonWriter& close(char c) {
    out_->push_back(c);
    comma_ = true;
    return *this;
  }
  void append_escaped(std::string_view s);

  std::string* out_;
  bool comma_ = false;  // the next value or key needs a ',' first
};

}  // namespace chartlock::synth
