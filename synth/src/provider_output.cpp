// SPDX-License-Identifier: Apache-2.0
#include "provider_output.hpp"

#include <stdexcept>

namespace chartlock::synth {
namespace {

constexpr std::size_t kFlushAt = std::size_t{1} << 20;

// Context a searchset includes alongside the patient's own resources.
bool included(ResourceType type) {
  return type == ResourceType::Organization || type == ResourceType::Practitioner ||
         type == ResourceType::Medication;
}

std::size_t decimal_digits(std::uint64_t n) {
  std::size_t d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

}  // namespace

ProviderOutput::ProviderOutput(const ProviderStyle& style, const GeneratorOptions& options, std::ostream& os)
    : style_(style),
      os_(os),
      target_(options.target_bytes),
      ndjson_(options.format == GeneratorOptions::Format::ndjson),
      bundle_type_(options.bundle_type),
      writer_(buffer_) {
  buffer_.reserve(kFlushAt + 64 * 1024);
}

void ProviderOutput::begin(const LocalId& bundle_id, std::int64_t now) {
  if (ndjson_) return;
  JsonWriter w(buffer_);
  const Stamp stamp = format_instant(now, style_.time);
  w.begin_object().field("resourceType", "Bundle");
  w.key("id").string(id_text(bundle_id).view());
  w.key("meta").begin_object().field("lastUpdated", stamp.view()).end_object();
  w.field("type", bundle_type_);
  w.field("timestamp", stamp.view());
  buffer_ += ",\"entry\":[";
}

JsonWriter& ProviderOutput::open_entry(ResourceType type, const LocalId& id, std::int64_t last_updated) {
  entry_start_ = buffer_.size();
  entry_type_ = type;
  entry_id_ = id;
  entry_updated_ = last_updated;
  writer_ = JsonWriter(buffer_);
  if (!ndjson_) {
    buffer_ += first_ ? "\n" : ",\n";
    writer_.begin_object().key("fullUrl");
    write_full_url(writer_, style_, type, id);
    writer_.key("resource");
  }
  return writer_;
}

bool ProviderOutput::close_entry(bool force) {
  const bool match = bundle_type_ == "searchset" && !included(entry_type_);
  if (ndjson_) {
    buffer_ += '\n';
  } else {
    JsonWriter& w = writer_;
    const IdText id = id_text(entry_id_);
    if (bundle_type_ == "transaction") {
      // A urn:uuid entry is created (POST); a server-style one is put at its id.
      w.key("request").begin_object();
      if (style_.urn_uuid) {
        w.field("method", "POST").field("url", type_name(entry_type_));
      } else {
        w.field("method", "PUT").key("url").string({type_name(entry_type_), "/", id.view()});
      }
      w.end_object();
    } else if (bundle_type_ == "searchset") {
      w.key("search").begin_object().field("mode", match ? "match" : "include").end_object();
    } else if (bundle_type_ == "batch-response") {
      w.key("response").begin_object().field("status", "201 Created");
      w.key("location").string({type_name(entry_type_), "/", id.view(), "/_history/1"});
      w.field("etag", "W/\"1\"");
      w.field("lastModified", format_instant(entry_updated_, style_.time).view());
      w.end_object();
    }
    w.end_object();
  }

  // Keep the entry if the file ends nearer its target with it than without.
  const std::uint64_t without = flushed_ + entry_start_ + footer_size(matches_);
  const std::uint64_t with = bytes() + footer_size(matches_ + (match ? 1 : 0));
  const bool fits = with <= target_ || (without < target_ && with - target_ < target_ - without);
  // Every output holds an Observation: until it has one, what does not fit
  // is skipped (references to it then carry only a display) and the first
  // Observation is kept regardless.
  const bool first_observation = count(ResourceType::Observation) == 0;
  if (!fits && !force && !(first_observation && entry_type_ == ResourceType::Observation)) {
    buffer_.resize(entry_start_);
    full_ = !first_observation;
    return false;
  }
  first_ = false;
  ++counts_[static_cast<std::size_t>(entry_type_)];
  if (match) ++matches_;
  if (buffer_.size() >= kFlushAt) flush();
  return true;
}

std::size_t ProviderOutput::footer_size(std::uint64_t matches) const {
  if (ndjson_) return 0;
  // "\n]}" or "\n],\"total\":N}"
  return bundle_type_ == "searchset" ? 12 + decimal_digits(matches) : 3;
}

void ProviderOutput::finish() {
  if (!ndjson_) {
    buffer_ += "\n]";
    if (bundle_type_ == "searchset") {
      JsonWriter w(buffer_);
      buffer_ += ",\"total\":";
      w.integer(static_cast<std::int64_t>(matches_));
    }
    buffer_ += "}";
  }
  flush();
  os_.flush();
  if (!os_) throw std::runtime_error(style_.name + ": write failed");
}

void ProviderOutput::flush() {
  os_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  if (!os_) throw std::runtime_error(style_.name + ": write failed");
  flushed_ += buffer_.size();
  buffer_.clear();
}

}  // namespace chartlock::synth
