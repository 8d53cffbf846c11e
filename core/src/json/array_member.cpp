// SPDX-License-Identifier: Apache-2.0
#include "json/array_member.hpp"

#include "json/array_member_blocks.hpp"
#include "json/text_scanner.hpp"

namespace chartlock::json {

namespace {

// Moves `s` past the value it is at, as Scanner::skip_value: a container
// (an entry) by the block scan, anything else by the scanner.
bool skip_value(Scanner& s, const char* end) {
  const char c = s.peek();
  if (c != '{' && c != '[') return s.skip_value();
  const std::size_t size = blocks::container_size(std::string_view(s.at(), static_cast<std::size_t>(end - s.at())));
  if (size == 0) return false;
  s = Scanner(std::string_view(s.at() + size, static_cast<std::size_t>(end - s.at()) - size));
  return true;
}

}  // namespace

std::optional<SplitArray> split_array_member(std::string_view text, std::string_view key) {
  Scanner s(text);
  s.skip_space();
  if (!s.take('{')) return std::nullopt;
  const char* open = nullptr;   // the array's '['
  const char* close = nullptr;  // its ']'
  SplitArray out;
  s.skip_space();
  if (s.take('}')) return std::nullopt;  // an empty object has no such member
  for (;;) {
    s.skip_space();
    if (s.peek() != '"') return std::nullopt;
    const char* name_start = s.at() + 1;
    bool escaped = false;
    if (!s.skip_string(&escaped)) return std::nullopt;
    // An escaped name might spell `key` too; a full parse decides such text.
    if (escaped) return std::nullopt;
    const std::string_view name(name_start, static_cast<std::size_t>(s.at() - 1 - name_start));
    s.skip_space();
    if (!s.take(':')) return std::nullopt;
    s.skip_space();
    if (name == key) {
      if (open || s.peek() != '[') return std::nullopt;  // twice, or not an array
      open = s.at();
      s.take('[');
      s.skip_space();
      if (!s.take(']')) {
        for (;;) {
          s.skip_space();
          const char* start = s.at();
          if (!skip_value(s, text.data() + text.size())) return std::nullopt;
          const std::size_t size = static_cast<std::size_t>(s.at() - start);
          out.elements.emplace_back(start, size);
          if (size > out.largest) out.largest = size;
          s.skip_space();
          if (s.take(']')) break;
          if (!s.take(',')) return std::nullopt;
        }
      }
      close = s.at() - 1;
    } else if (!s.skip_value()) {
      return std::nullopt;
    }
    s.skip_space();
    if (s.take('}')) break;
    if (!s.take(',')) return std::nullopt;
  }
  s.skip_space();
  if (!s.done() || !open) return std::nullopt;
  const std::size_t head = static_cast<std::size_t>(open + 1 - text.data());
  const std::size_t tail = static_cast<std::size_t>(close - text.data());
  out.envelope.reserve(head + (text.size() - tail));
  out.envelope.append(text.substr(0, head));
  out.envelope.append(text.substr(tail));
  return out;
}

namespace {

// The members after the array, from its ']' to the end of the text: more
// members (none named `key`, none escaped), the closing brace, then nothing —
// what split_array_member checks after the array.
bool tail_is_well_formed(std::string_view tail, std::string_view key) {
  Scanner s(tail);
  if (!s.take(']')) return false;
  for (;;) {
    s.skip_space();
    if (s.take('}')) break;
    if (!s.take(',')) return false;
    s.skip_space();
    if (s.peek() != '"') return false;
    const char* name_start = s.at() + 1;
    bool escaped = false;
    if (!s.skip_string(&escaped) || escaped) return false;
    if (std::string_view(name_start, static_cast<std::size_t>(s.at() - 1 - name_start)) == key) return false;
    s.skip_space();
    if (!s.take(':')) return false;
    s.skip_space();
    if (!s.skip_value()) return false;
  }
  s.skip_space();
  return s.done();
}

}  // namespace

ArraySplitter::Step ArraySplitter::next(std::string_view text, bool ended, std::size_t& consumed,
                                        std::string_view& element) {
  consumed = 0;
  // Where what has come runs out: wait for more, unless nothing follows.
  const Step cut = ended ? Step::refused : Step::more;
  for (;;) {
    const std::string_view rest = text.substr(consumed);
    Scanner s(rest);
    const auto used = [&] { return static_cast<std::size_t>(s.at() - rest.data()); };
    switch (state_) {
      case State::head: {
        // Rescanned from the start until the array opens: a Bundle's head is
        // a few dozen bytes.
        s.skip_space();
        if (s.done()) return cut;
        if (!s.take('{')) return Step::refused;
        s.skip_space();
        if (s.done()) return cut;
        if (s.take('}')) return Step::refused;
        for (;;) {
          s.skip_space();
          if (s.done()) return cut;
          if (s.peek() != '"') return Step::refused;
          const char* name_start = s.at() + 1;
          bool escaped = false;
          if (!s.skip_string(&escaped)) return cut;
          if (escaped) return Step::refused;
          const std::string_view name(name_start, static_cast<std::size_t>(s.at() - 1 - name_start));
          s.skip_space();
          if (s.done()) return cut;
          if (!s.take(':')) return Step::refused;
          s.skip_space();
          if (s.done()) return cut;
          if (name == key_) {
            if (!s.take('[')) return Step::refused;
            envelope_.assign(rest.substr(0, used()));
            head_size_ = envelope_.size();
            consumed += used();
            state_ = State::element;
            break;
          }
          if (!s.skip_value()) return cut;
          s.skip_space();
          if (s.done()) return cut;
          if (s.take('}')) return Step::refused;  // no such array
          if (!s.take(',')) return Step::refused;
        }
        continue;
      }
      case State::element: {
        s.skip_space();
        if (s.done()) {
          consumed += used();
          return cut;
        }
        if (first_ && s.peek() == ']') {
          consumed += used();
          state_ = State::tail;
          continue;
        }
        const std::size_t before = used();
        const char* start = s.at();
        // A container or string cut short fails here; a scalar may simply
        // stop where the text does: both are seen again with more.
        if (!skip_value(s, rest.data() + rest.size()) || (s.done() && !ended)) {
          consumed += before;
          return cut;
        }
        element = std::string_view(start, static_cast<std::size_t>(s.at() - start));
        consumed += used();
        first_ = false;
        state_ = State::after_element;
        return Step::element;
      }
      case State::after_element: {
        s.skip_space();
        if (s.done()) {
          consumed += used();
          return cut;
        }
        if (s.peek() == ']') {
          consumed += used();
          state_ = State::tail;
          continue;
        }
        if (!s.take(',')) return Step::refused;
        consumed += used();
        state_ = State::element;
        continue;
      }
      case State::tail: {
        envelope_.append(rest);
        consumed = text.size();
        if (!ended) return Step::more;
        return tail_is_well_formed(std::string_view(envelope_).substr(head_size_), key_) ? Step::done
                                                                                        : Step::refused;
      }
    }
  }
}

}  // namespace chartlock::json
