// SPDX-License-Identifier: Apache-2.0
// Finding one array member of a top-level JSON object, and each of its
// elements, by scanning the text instead of parsing it into a DOM. A Bundle's
// entries can then be parsed one at a time: memory for one entry's DOM
// instead of one for the whole input, which would be about 14× its size.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chartlock::json {

struct SplitArray {
  // The text with the array emptied (`…"entry":[]…`): everything else the
  // object holds, for a full parse of its own.
  std::string envelope;
  // Each element's text, in order: views into the scanned text.
  std::vector<std::string_view> elements;
  std::size_t largest = 0;  // the longest element's size
};

// Splits `text` when it is one object with exactly one member named `key`
// (spelled without escapes) whose value is an array. The scan only finds
// boundaries: it checks brackets, strings, commas and what lies between
// elements, not the elements themselves nor the envelope, which the caller
// must parse (then every byte of `text` has been checked once). Returns
// nullopt when the text is not shaped so or not well-formed where the scan
// looks; the caller then parses it whole, which says precisely what is wrong.
std::optional<SplitArray> split_array_member(std::string_view text, std::string_view key);

// split_array_member over a text that arrives in pieces: the same shapes
// accepted, the elements found one at a time. The caller keeps the text not
// yet consumed, appends what comes next, and calls again.
class ArraySplitter {
 public:
  explicit ArraySplitter(std::string_view key) : key_(key) {}

  enum class Step {
    more,     // nothing more complete: append text, or say it has ended
    element,  // `element` is the next element (a view into `text`)
    done,     // the text has ended, well formed: envelope() is whole
    refused,  // not as split_array_member splits (the caller reads it whole)
  };
  // `text`: what has come and is not yet consumed; `ended`: nothing follows.
  // `consumed`: how much of `text` the step used, to drop before the next
  // call (after using `element`).
  Step next(std::string_view text, bool ended, std::size_t& consumed, std::string_view& element);

  // Once done: the text with the array emptied, as SplitArray::envelope.
  const std::string& envelope() const { return envelope_; }

 private:
  enum class State { head, element, after_element, tail };
  std::string key_;
  State state_ = State::head;
  bool first_ = true;         // no element yet
  std::string envelope_;      // the head through '[', then the tail from ']'
  std::size_t head_size_ = 0;
};

}  // namespace chartlock::json
