// SPDX-License-Identifier: Apache-2.0
#include "chartlock/summary_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "summary/plain_text.hpp"
#include "text/load.hpp"
#include "summary/memo_slot.hpp"

namespace chartlock {

using json = nlohmann::ordered_json;

namespace {

// The summary is written once, by the functions below, to either of two
// writers: a DOM (to_json) or compact text straight into a string
// (summary_to_json_text). The text is byte for byte the DOM's dump(), without
// building the DOM: for a large record that tree cost more than reading it.

// Builds an ordered_json. Only the innermost open container is ever added
// to, so the pointers to the open ones stay valid.
class DomWriter {
 public:
  json result;

  void object_begin() { open(json::object()); }
  void array_begin() { open(json::array()); }
  void object_end() { stack_.pop_back(); }
  void array_end() { stack_.pop_back(); }
  void key(const char* k) { key_ = k; }
  void null() { place(nullptr); }
  void boolean(bool v) { place(v); }
  void integer(std::int64_t v) { place(v); }
  void real(double v) { place(v); }
  void str(std::string_view v) { place(std::string(v)); }
  void str(const summary::TextPieces& v) { place(v.str()); }

 private:
  json* place(json v) {
    if (stack_.empty()) {
      result = std::move(v);
      return &result;
    }
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    json& slot = top[key_];
    slot = std::move(v);
    return &slot;
  }
  void open(json v) { stack_.push_back(place(std::move(v))); }

  std::vector<json*> stack_;
  const char* key_ = "";
};

// The length of the well-formed UTF-8 sequence (no overlong form, surrogate
// or code point past U+10FFFF) that starts with the non-ASCII byte at `i`,
// or 0: what nlohmann's dump accepts without replacing.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto tail = [&](std::size_t at, unsigned char lo, unsigned char hi) {
    return at < s.size() && static_cast<unsigned char>(s[at]) >= lo && static_cast<unsigned char>(s[at]) <= hi;
  };
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c >= 0xC2 && c <= 0xDF) return tail(i + 1, 0x80, 0xBF) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return tail(i + 1, lo, hi) && tail(i + 2, 0x80, 0xBF) ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return tail(i + 1, lo, hi) && tail(i + 2, 0x80, 0xBF) && tail(i + 3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

// Compact text, as json::dump(-1, ' ', false, replace) writes it, into a
// buffer of its own: std::string's out-of-line append cost more than the
// bytes (a key was ~240 instructions), and one flag says whether a comma is
// due, since only the innermost open container is ever written to.
class TextWriter {
 public:
  // `room`: the bytes to make room for at first.
  explicit TextWriter(std::size_t room = kFirstRoom)
      : buffer_(static_cast<char*>(std::malloc(room))), end_(buffer_.get()), limit_(buffer_ ? end_ + room : nullptr) {}
  void object_begin() { open('{'); }
  void array_begin() { open('['); }
  void object_end() { close('}'); }
  void array_end() { close(']'); }
  // Keys are this file's literals: nothing to escape, length known.
  template <std::size_t N>
  void key(const char (&k)[N]) {
    char* at = grow(N + 3);  // a comma, two quotes and a colon around N - 1 characters
    if (comma_) *at++ = ',';
    *at++ = '"';
    std::memcpy(at, k, N - 1);
    at += N - 1;
    *at++ = '"';
    *at++ = ':';
    end_ = at;
    comma_ = false;
  }
  void null() { scalar("null"); }
  void boolean(bool v) { scalar(v ? "true" : "false"); }
  void integer(std::int64_t v) {
    char* at = grow(1 + 24);
    if (comma_) *at++ = ',';
    end_ = std::to_chars(at, at + 24, v).ptr;
    comma_ = true;
  }
  // nlohmann's own shortest round-trip form, as dump() writes it, without a
  // json and a string per number (lab values are mostly not whole).
  // Numbers written are kept with their text, in 16 slots by a hash of
  // their bits: the same values come again and again, and formatting one
  // cost ~220 instructions where a copy costs a few. Same bits, same text.
  void real(double v) {
    if (!std::isfinite(v)) return scalar("null");
    char* at = grow(1 + 64);
    if (comma_) *at++ = ',';
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    RealText& cached = reals_[summary::memo_slot<kRealSlotsLog2>(bits)];
    if (cached.length != 0 && cached.bits == bits) {
      std::memcpy(at, cached.text, sizeof cached.text);
      end_ = at + cached.length;
    } else {
      end_ = nlohmann::detail::to_chars(at, at + 64, v);
      const std::size_t length = static_cast<std::size_t>(end_ - at);
      if (length <= sizeof cached.text) {
        cached.bits = bits;
        cached.length = static_cast<unsigned char>(length);
        std::memcpy(cached.text, at, length);
      }
    }
    comma_ = true;
  }
  // A text in pieces (a display: number, unit words) is written piece by
  // piece, without a string made for it: plain pieces copied, the rest
  // escaped and checked as a text is.
  void str(const summary::TextPieces& v) {
    std::size_t size = 0;
    bool all_plain = true;
    for (std::size_t i = 0; i < v.count; ++i) {
      all_plain = all_plain && plain(v.part[i]);
      size += v.part[i].size();
    }
    const std::size_t start = static_cast<std::size_t>(end_ - buffer_.get());
    char* at = grow(3 + size);
    if (comma_) *at++ = ',';
    *at++ = '"';
    if (all_plain) {
      for (std::size_t i = 0; i < v.count; ++i) {
        std::memcpy(at, v.part[i].data(), v.part[i].size());
        at += v.part[i].size();
      }
      *at++ = '"';
      end_ = at;
      comma_ = true;
      return;
    }
    end_ = at;
    for (std::size_t i = 0; i < v.count; ++i) {
      if (!append_escaped(v.part[i])) {
        // A piece not well-formed by itself: the whole goes to nlohmann.
        end_ = buffer_.get() + start;
        return replaced(v.str());
      }
    }
    *grow(1) = '"';
    ++end_;
    comma_ = true;
  }
  void str(std::string_view v) {
    if (plain(v)) {
      // Most texts (dates, codes, units, words) are copied as they are: one
      // check a word, no byte by byte loop (it cost ~170 instructions a text).
      char* at = grow(3 + v.size());
      if (comma_) *at++ = ',';
      *at++ = '"';
      std::memcpy(at, v.data(), v.size());
      at += v.size();
      *at++ = '"';
      end_ = at;
      comma_ = true;
      return;
    }
    const std::size_t start = static_cast<std::size_t>(end_ - buffer_.get());
    char* at = grow(3 + v.size());
    if (comma_) *at++ = ',';
    *at++ = '"';
    end_ = at;
    if (!append_escaped(v)) {
      end_ = buffer_.get() + start;
      return replaced(v);
    }
    *grow(1) = '"';
    ++end_;
    comma_ = true;
  }

  // Where the next byte goes, past the comma due before a value: what a
  // value written from here reads, once written, is text_since(offset).
  std::size_t value_offset() const { return static_cast<std::size_t>(end_ - buffer_.get()) + (comma_ ? 1 : 0); }
  std::string_view text_since(std::size_t offset) const {
    return {buffer_.get() + offset, static_cast<std::size_t>(end_ - buffer_.get()) - offset};
  }
  // A value's text as it was written before (text_since).
  void raw(std::string_view text) { scalar(text); }

  std::string text() const { return std::string(buffer_.get(), static_cast<std::size_t>(end_ - buffer_.get())); }

 private:
  // Whether the 8 bytes at `p` are all written as they are: ASCII, none a
  // control character, a quote or a backslash (the usual word-at-a-time
  // tests: a byte below 0x20, a byte equal to 0x22 or 0x5C; each is exact
  // about whether any byte qualifies).
  static bool plain8(const char* p) { return plain_word(text::load<std::uint64_t>(p)); }
  static bool plain_word(std::uint64_t x) {
    constexpr std::uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    const auto has_zero = [](std::uint64_t y) { return ((y - ones) & ~y & high) != 0; };
    if ((x & high) != 0) return false;
    if (((x - 0x20 * ones) & ~x & high) != 0) return false;
    return !has_zero(x ^ (0x22 * ones)) && !has_zero(x ^ (0x5C * ones));
  }
  // Whether all of `v` is written as it is (plain8 over it: the last word
  // may overlap the one before; a text of 4 to 7 bytes is read as two
  // overlapping halves, a shorter one into a word filled out with spaces,
  // which are plain).
  static bool plain(std::string_view v) {
    const char* p = v.data();
    const std::size_t n = v.size();
    if (n < 8) {
      if (n >= 4) {
        return plain_word(text::load_ends4(p, n));
      }
      std::uint64_t x = 0;
      for (std::size_t i = 0; i < n; ++i) x |= std::uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
      return plain_word(x | (0x2020202020202020ULL << (8 * n)));
    }
    for (std::size_t i = 0; i + 8 < n; i += 8) {
      if (!plain8(p + i)) return false;
    }
    return plain8(p + n - 8);
  }
  // `v` at end_, escaped, in one pass: well-formed UTF-8 is written as it is
  // (dump does not ensure ASCII), quotes, backslashes and control characters
  // escaped, the runs between them copied whole. Room for the text as it is
  // and a quote after it; each escape (up to 6 bytes for 1, \u00XX) asks for
  // its own, so a long text costs its length, not six times it. False, with
  // end_ anywhere, when `v` is not well-formed UTF-8.
  bool append_escaped(std::string_view v) {
    char* at = grow(v.size() + 1);
    std::size_t run = 0;
    for (std::size_t i = 0; i < v.size();) {
      if (i + 8 <= v.size() && plain8(v.data() + i)) {
        i += 8;
        continue;
      }
      const unsigned char c = static_cast<unsigned char>(v[i]);
      if (c >= 0x80) {
        const std::size_t n = utf8_sequence(v, i);
        if (n == 0) return false;
        i += n;
      } else if (c >= 0x20 && c != '"' && c != '\\') {
        ++i;
      } else {
        std::memcpy(at, v.data() + run, i - run);
        end_ = at + (i - run);
        at = grow(6 + (v.size() - i - 1) + 1);  // the escape, the rest, the quote
        at = escape(at, v[i]);
        run = ++i;
      }
    }
    std::memcpy(at, v.data() + run, v.size() - run);
    end_ = at + (v.size() - run);
    return true;
  }
  // Not well-formed: nlohmann replaces what is invalid; let it.
  void replaced(std::string_view v) {
    scalar(json(std::string(v)).dump(-1, ' ', false, json::error_handler_t::replace));
  }
  // Room for `n` more bytes; returns where they go (end_ is not moved).
  char* grow(std::size_t n) {
    // Room is there almost always: one compare, the rest out of the way.
    if (static_cast<std::size_t>(limit_ - end_) < n) enlarge(n);
    return end_;
  }
  // realloc, not a vector's resize: the new room is not filled with zeros
  // first, and a large block can grow where it is (a vector copied it every
  // time: 6.5 M instructions for the 10 MB patient's 3.2 MB of text).
  void enlarge(std::size_t n) {
    const std::size_t used = static_cast<std::size_t>(end_ - buffer_.get());
    const std::size_t size = std::max(static_cast<std::size_t>(limit_ - buffer_.get()) * 2, used + n);
    char* grown = static_cast<char*>(std::realloc(buffer_.get(), size));
    if (grown == nullptr) throw std::bad_alloc();
    buffer_.release();
    buffer_.reset(grown);
    end_ = grown + used;
    limit_ = grown + size;
  }
  void scalar(std::string_view text) {
    char* at = grow(1 + text.size());
    if (comma_) *at++ = ',';
    std::memcpy(at, text.data(), text.size());
    end_ = at + text.size();
    comma_ = true;
  }
  void open(char bracket) {
    char* at = grow(2);
    if (comma_) *at++ = ',';
    *at++ = bracket;
    end_ = at;
    comma_ = false;
  }
  void close(char bracket) {
    *grow(1) = bracket;
    ++end_;
    comma_ = true;
  }
  static char* escape(char* at, char c) {
    const auto two = [&](char second) {
      *at++ = '\\';
      *at++ = second;
      return at;
    };
    switch (c) {
      case '"': return two('"');
      case '\\': return two('\\');
      case '\b': return two('b');
      case '\f': return two('f');
      case '\n': return two('n');
      case '\r': return two('r');
      case '\t': return two('t');
      default: {
        // Only control characters reach here (str() copies the rest).
        static const char hex[] = "0123456789abcdef";
        std::memcpy(at, "\\u00", 4);
        at[4] = hex[(c >> 4) & 0xf];
        at[5] = hex[c & 0xf];
        return at + 6;
      }
    }
  }

  struct Free {
    void operator()(char* p) const { std::free(p); }
  };
  static constexpr std::size_t kFirstRoom = 4096;
  std::unique_ptr<char, Free> buffer_;
  char* end_;
  char* limit_;
  bool comma_ = false;  // a value was written last in the open container
  struct RealText {
    std::uint64_t bits = 0;
    unsigned char length = 0;  // 0: empty
    char text[24] = {};
  };
  static constexpr int kRealSlotsLog2 = 4;
  RealText reals_[1 << kRealSlotsLog2];
};

// Whole numbers as integers ("140", not "140.0"); the rest as nlohmann's
// shortest round-trip form, the same on every platform.
template <class W>
void num(W& w, double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    w.integer(static_cast<std::int64_t>(v));
  } else {
    w.real(v);  // NaN and infinities come out as null
  }
}

template <class W>
void opt_num(W& w, const std::optional<double>& v) {
  if (v) num(w, *v);
  else w.null();
}

template <class W>
void str_or_null(W& w, const std::string& v) {
  if (v.empty()) w.null();
  else w.str(v);
}

template <class W>
void strings(W& w, const std::vector<std::string>& v) {
  w.array_begin();
  for (const std::string& s : v) w.str(s);
  w.array_end();
}

// Keys and interned names.
template <class W, class Text>
void strings(W& w, const std::vector<Text>& v) {
  w.array_begin();
  for (const Text& s : v) w.str(std::string_view(s));
  w.array_end();
}

template <class W, std::size_t N>
void put(W& w, const char (&key)[N], const std::string& v) {
  if (v.empty()) return;
  w.key(key);
  w.str(v);
}

template <class W, std::size_t N>
void put(W& w, const char (&key)[N], const std::vector<std::string>& v) {
  if (v.empty()) return;
  w.key(key);
  strings(w, v);
}

template <class W>
void code_json(W& w, const CodeRef& c) {
  w.object_begin();
  put(w, "system", c.system);
  put(w, "code", c.code);
  put(w, "display", c.display);
  w.object_end();
}

// A series' unit and its words (unit_text), worked out once for all its points.
struct SeriesUnit {
  explicit SeriesUnit(const std::string& u) : unit(u), words(summary::unit_text(u)) {}
  const std::string& unit;
  std::string words;
};

template <class W>
void range_json(W& w, const RangeUsed& r, int decimals, const SeriesUnit& series) {
  w.object_begin();
  w.key("low"); opt_num(w, r.low);
  w.key("high"); opt_num(w, r.high);
  w.key("unit"); w.str(r.unit);
  w.key("source"); str_or_null(w, r.source);
  put(w, "reference", r.reference);
  if (r.low || r.high) {
    // A range in another unit than its series' works out its own words.
    const bool series_unit = r.unit == series.unit;
    const std::string words = series_unit ? std::string() : summary::unit_text(r.unit);
    summary::TextPieces display;
    summary::range_pieces(r, decimals, series_unit ? series.words : words, display);
    if (!display.empty()) {
      w.key("display"); w.str(display);
    }
  }
  w.object_end();
}

// The last range a series' points were written with, and its text: a
// series' points nearly all share one range (the knowledge base's or the
// lab's), so its object is written once and copied after (it cost ~1,800
// instructions a point: a number or two, three texts, a display).
struct RangeMemo {
  bool set = false;
  std::optional<double> low, high;  // compared bit for bit
  int decimals = 0;
  std::string unit, source, reference;
  std::string text;
};

bool same_bits(const std::optional<double>& a, const std::optional<double>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::memcmp(&*a, &*b, sizeof(double)) == 0;
}

// range_json for a point of a series, through the series' memo when the
// writer is the text's (the DOM has nothing to copy).
template <class W>
void point_range_json(W& w, const RangeUsed& r, int decimals, const SeriesUnit& series, RangeMemo& memo) {
  if constexpr (std::is_same_v<W, TextWriter>) {
    if (memo.set && memo.decimals == decimals && same_bits(memo.low, r.low) && same_bits(memo.high, r.high) &&
        memo.unit == r.unit && memo.source == r.source && memo.reference == r.reference) {
      w.raw(memo.text);
      return;
    }
    const std::size_t from = w.value_offset();
    range_json(w, r, decimals, series);
    memo.set = true;
    memo.low = r.low;
    memo.high = r.high;
    memo.decimals = decimals;
    memo.unit = r.unit;
    memo.source = r.source;
    memo.reference = r.reference;
    memo.text.assign(w.text_since(from));
  } else {
    range_json(w, r, decimals, series);
  }
}

// The last point's flag members ("flag", "flagBasis", "flagText") and their
// text: a series' points nearly all share them, and writing them cost ~250
// instructions a point (three keys, three texts, the label looked up).
struct FlagMemo {
  bool set = false;
  Flag flag = Flag::unknown;
  std::string basis;
  std::string text;  // from the first key's quote to the last value's
};

template <class W>
void flag_members(W& w, Flag flag, const std::string& basis) {
  w.key("flag"); w.str(to_string(flag));
  w.key("flagBasis"); w.str(basis);
  w.key("flagText"); w.str(summary::flag_label(flag, basis));
}

// flag_members for a point of a series, through the series' memo when the
// writer is the text's. The members' text is copied as a value is (raw): a
// comma before it when one is due, and one after it.
template <class W>
void point_flag_members(W& w, Flag flag, const std::string& basis, FlagMemo& memo) {
  if constexpr (std::is_same_v<W, TextWriter>) {
    if (memo.set && memo.flag == flag && memo.basis == basis) {
      w.raw(memo.text);
      return;
    }
    const std::size_t from = w.value_offset();
    flag_members(w, flag, basis);
    memo.set = true;
    memo.flag = flag;
    memo.basis = basis;
    memo.text.assign(w.text_since(from));
  } else {
    flag_members(w, flag, basis);
  }
}

template <class W>
void trend_json(W& w, const Trend& t, const std::string& unit, int decimals, DateStyle style) {
  w.object_begin();
  w.key("direction"); str_or_null(w, t.direction);
  w.key("change"); opt_num(w, t.change);
  w.key("since"); str_or_null(w, t.since);
  w.key("points"); w.integer(t.points);
  put(w, "note", t.note);
  w.key("display"); w.str(summary::trend_text(t, unit, decimals, style));
  w.object_end();
}

template <class W>
void decimals_json(W& w, int decimals) {
  w.key("decimals");
  if (decimals >= 0) w.integer(decimals);
  else w.null();
}

// A point's display ("7.6 thousand per microliter"), its unit's words
// those of the series' unit unless it has its own.
template <class W>
void display_json(W& w, const HistoryPoint& p, const SeriesUnit& series) {
  const bool series_unit = p.unit == series.unit || !p.value;
  const std::string words = series_unit ? std::string() : summary::unit_text(p.unit);
  summary::TextPieces display;
  summary::value_pieces(p, series_unit ? series.words : words, display);
  w.str(display);
}

// A series' displays of its values and their text, in 64 slots by a hash of
// the value's bits: nine in ten of the 10 MB patient's results repeat a
// value their series had before, and writing a display cost ~650
// instructions (the number at its precision, the pieces checked and
// copied). Only a value in the series' unit without a comparator: its
// display is then the value at the point's precision and the series' unit
// words, nothing else. Same bits and precision, same text.
struct DisplayMemo {
  struct Slot {
    std::uint64_t bits = 0;
    int decimals = 0;
    unsigned char length = 0;  // 0: empty
    char text[51];             // quotes included
  };
  static constexpr int kSlotsLog2 = 6;
  Slot slots[1 << kSlotsLog2];
};

// The last point's sources and their text: a series' results nearly all
// come from the same inputs (an array of one or two names, ~140
// instructions a point).
struct SourcesMemo {
  bool set = false;
  std::vector<Interned> sources;
  std::string text;
};

template <class W>
void point_sources_json(W& w, const std::vector<Interned>& sources, SourcesMemo& memo) {
  if constexpr (std::is_same_v<W, TextWriter>) {
    if (memo.set && memo.sources == sources) {
      w.raw(memo.text);
      return;
    }
    const std::size_t from = w.value_offset();
    strings(w, sources);
    memo.set = true;
    memo.sources = sources;
    memo.text.assign(w.text_since(from));
  } else {
    strings(w, sources);
  }
}

// The memos of one series' points (the text's writer only).
struct PointMemos {
  RangeMemo range;
  FlagMemo flag;
  DisplayMemo display;
  SourcesMemo sources;
};

// display_json for a point of a series, through the series' memo when the
// writer is the text's.
template <class W>
void point_display_json(W& w, const HistoryPoint& p, const SeriesUnit& series, DisplayMemo& memo) {
  if constexpr (std::is_same_v<W, TextWriter>) {
    if (p.value && p.comparator.empty() && p.unit == series.unit) {
      std::uint64_t bits;
      std::memcpy(&bits, &*p.value, sizeof bits);
      DisplayMemo::Slot& slot = memo.slots[summary::memo_slot<DisplayMemo::kSlotsLog2>(bits)];
      if (slot.length != 0 && slot.bits == bits && slot.decimals == p.decimals) {
        w.raw({slot.text, slot.length});
        return;
      }
      const std::size_t from = w.value_offset();
      display_json(w, p, series);
      const std::string_view text = w.text_since(from);
      if (text.size() <= sizeof slot.text) {
        slot.bits = bits;
        slot.decimals = p.decimals;
        slot.length = static_cast<unsigned char>(text.size());
        std::memcpy(slot.text, text.data(), text.size());
      }
      return;
    }
  }
  display_json(w, p, series);
}

template <class W>
void point_json(W& w, const HistoryPoint& p, const SeriesUnit& series, PointMemos& memos) {
  w.object_begin();
  w.key("date"); w.str(p.date);
  w.key("display"); point_display_json(w, p, series, memos.display);
  put(w, "method", p.method);
  put(w, "loinc", p.loinc);
  if (p.value) {
    w.key("value"); num(w, *p.value);
    put(w, "comparator", p.comparator);
    w.key("unit"); w.str(p.unit);
    if (p.original_value) {
      w.key("originalValue"); num(w, *p.original_value);
      w.key("originalUnit"); w.str(p.original_unit);
    }
  } else {
    w.key("value"); w.null();
    w.key("text"); w.str(p.text);
  }
  w.key("range"); point_range_json(w, p.range, p.decimals, series, memos.range);
  point_flag_members(w, p.flag, p.flag_basis, memos.flag);
  put(w, "interpretation", p.interpretation);
  put(w, "note", p.note);
  w.key("key"); w.str(p.key);
  w.key("sources"); point_sources_json(w, p.sources, memos.sources);
  w.object_end();
}

template <class W>
void latest_json(W& w, const HistoryPoint& p) {
  w.object_begin();
  w.key("value");
  if (p.value) num(w, *p.value);
  else w.null();
  put(w, "comparator", p.comparator);
  if (!p.value) {
    w.key("text"); w.str(p.text);
  }
  w.key("unit"); w.str(p.unit);
  w.key("date"); w.str(p.date);
  w.key("display"); w.str(summary::value_text(p));
  put(w, "method", p.method);
  put(w, "loinc", p.loinc);
  w.object_end();
}

template <class W, class T, class F>
void list(W& w, const std::vector<T>& items, F&& item_json) {
  w.array_begin();
  for (const T& item : items) item_json(w, item);
  w.array_end();
}

template <class W>
void lab_json(W& w, const LabSeries& l, DateStyle style) {
  w.object_begin();
  w.key("loinc"); str_or_null(w, l.loinc);
  w.key("code"); code_json(w, l.code);
  w.key("name"); w.str(l.name);
  w.key("plain"); str_or_null(w, l.plain);
  put(w, "group", l.group);
  w.key("known"); w.boolean(l.known);
  w.key("unit"); w.str(l.unit);
  const SeriesUnit unit(l.unit);
  w.key("unitText"); w.str(unit.words);
  decimals_json(w, l.decimals);
  w.key("unitConverted"); w.boolean(!l.separate_series);
  w.key("latest"); latest_json(w, l.latest);
  w.key("range"); range_json(w, l.latest.range, l.decimals, unit);
  flag_members(w, l.latest.flag, l.latest.flag_basis);
  put(w, "interpretation", l.latest.interpretation);
  w.key("concerning"); w.str(l.concerning);
  w.key("trend"); trend_json(w, l.trend, l.unit, l.decimals, style);
  put(w, "note", l.note);
  put(w, "notes", l.notes);
  w.key("history");
  // Once for the series: a point is written through them (the DOM writer leaves them unused).
  PointMemos memos;
  list(w, l.history, [&](W& out, const HistoryPoint& p) { point_json(out, p, unit, memos); });
  w.object_end();
}

template <class W>
void pressure_json(W& w, const PressurePoint& p) {
  w.object_begin();
  w.key("date"); w.str(p.date);
  w.key("systolic"); opt_num(w, p.systolic);
  w.key("diastolic"); opt_num(w, p.diastolic);
  w.key("unit"); w.str(p.unit);
  w.key("display"); w.str(summary::pressure_text(p));
  w.key("category"); str_or_null(w, p.category);
  put(w, "categoryLabel", p.category_label);
  w.key("flag"); w.str(to_string(p.flag));
  w.key("key"); w.str(p.key);
  w.key("sources"); strings(w, p.sources);
  w.object_end();
}

template <class W>
void vital_json(W& w, const VitalSeries& v, DateStyle style) {
  w.object_begin();
  w.key("id"); w.str(v.id);
  w.key("loinc"); str_or_null(w, v.loinc);
  w.key("name"); w.str(v.name);
  w.key("plain"); str_or_null(w, v.plain);
  w.key("known"); w.boolean(v.known);
  w.key("unit"); w.str(v.unit);
  const SeriesUnit unit(v.unit);
  w.key("unitText"); w.str(unit.words);
  decimals_json(w, v.decimals);
  if (v.blood_pressure) {
    w.key("latest"); pressure_json(w, *v.latest_pressure);
    w.key("flag"); w.str(to_string(v.latest_pressure->flag));
    w.key("flagText"); w.str(summary::flag_label(v.latest_pressure->flag, "category"));
    w.key("category"); str_or_null(w, v.latest_pressure->category);
    put(w, "categorySource", v.range_source);
    w.key("trend"); trend_json(w, v.trend, v.unit, v.decimals, style);
    w.key("diastolicTrend"); trend_json(w, v.diastolic_trend, v.unit, v.decimals, style);
    put(w, "note", v.note);
    put(w, "notes", v.notes);
    w.key("history"); list(w, v.pressures, pressure_json<W>);
    w.object_end();
    return;
  }
  w.key("unitConverted"); w.boolean(!v.separate_series);
  w.key("latest"); latest_json(w, v.latest);
  w.key("range"); range_json(w, v.latest.range, v.decimals, unit);
  flag_members(w, v.latest.flag, v.latest.flag_basis);
  if (!v.category.empty()) {
    w.key("category"); w.str(v.category);
    w.key("categoryLabel"); w.str(v.category_label);
  }
  w.key("trend"); trend_json(w, v.trend, v.unit, v.decimals, style);
  put(w, "note", v.note);
  put(w, "notes", v.notes);
  w.key("history");
  PointMemos memos;
  list(w, v.history, [&](W& out, const HistoryPoint& p) { point_json(out, p, unit, memos); });
  w.object_end();
}

template <class W>
void condition_json(W& w, const ConditionItem& c) {
  w.object_begin();
  w.key("plain"); w.str(c.plain);
  w.key("code"); code_json(w, c.code);
  w.key("known"); w.boolean(c.known);
  put(w, "group", c.group);
  w.key("chronic"); w.boolean(c.chronic);
  put(w, "status", c.status);
  put(w, "onset", c.onset);
  put(w, "abatement", c.abatement);
  put(w, "source", c.source);
  w.key("key"); w.str(c.key);
  w.key("sources"); strings(w, c.sources);
  w.object_end();
}

template <class W>
void medication_json(W& w, const MedicationItem& m) {
  w.object_begin();
  w.key("name"); w.str(m.name);
  w.key("code"); code_json(w, m.code);
  w.key("classes"); strings(w, m.classes);
  w.key("classIds"); strings(w, m.class_ids);
  w.key("ingredients"); strings(w, m.ingredients);
  w.key("matchedBy"); str_or_null(w, m.matched_by);
  w.key("status"); w.str(m.status);
  w.key("current"); str_or_null(w, m.current);
  put(w, "since", m.since);
  put(w, "dosage", m.dosage);
  w.key("key"); w.str(m.key);
  w.key("sources"); strings(w, m.sources);
  w.object_end();
}

template <class W>
void allergy_json(W& w, const AllergyItem& a) {
  w.object_begin();
  w.key("plain"); w.str(a.plain);
  w.key("code"); code_json(w, a.code);
  put(w, "status", a.status);
  put(w, "criticality", a.criticality);
  put(w, "categories", a.categories);
  put(w, "reactions", a.reactions);
  put(w, "groups", a.groups);
  put(w, "recorded", a.recorded);
  w.key("key"); w.str(a.key);
  w.key("sources"); strings(w, a.sources);
  w.object_end();
}

template <class W>
void immunization_json(W& w, const ImmunizationItem& i) {
  w.object_begin();
  w.key("plain"); w.str(i.plain);
  w.key("code"); code_json(w, i.code);
  w.key("known"); w.boolean(i.known);
  put(w, "group", i.group);
  w.key("date"); w.str(i.date);
  put(w, "status", i.status);
  w.key("key"); w.str(i.key);
  w.key("sources"); strings(w, i.sources);
  w.object_end();
}

template <class W>
void encounter_json(W& w, const EncounterItem& e) {
  w.object_begin();
  w.key("date"); w.str(e.date);
  w.key("plain"); w.str(e.plain);
  put(w, "setting", e.setting);
  put(w, "provider", e.provider);
  put(w, "reasons", e.reasons);
  w.key("key"); w.str(e.key);
  w.key("sources"); strings(w, e.sources);
  w.object_end();
}

template <class W>
void notes_json(W& w, const NotesSummary& n) {
  w.object_begin();
  w.key("count"); w.integer(static_cast<std::int64_t>(n.count));
  w.key("unread"); w.integer(static_cast<std::int64_t>(n.unread));
  w.key("mostRecent");
  if (!n.most_recent) {
    w.null();
  } else {
    const NoteItem& m = *n.most_recent;
    w.object_begin();
    w.key("date"); str_or_null(w, m.date);
    w.key("kind"); w.str(m.kind);
    put(w, "author", m.author);
    put(w, "title", m.title);
    put(w, "format", m.format);
    w.key("read"); w.boolean(m.read);
    w.key("key"); w.str(m.key);
    w.key("sources"); strings(w, m.sources);
    w.object_end();
  }
  w.key("kinds");
  w.array_begin();
  for (const NoteKind& k : n.kinds) {
    w.object_begin();
    w.key("kind"); w.str(k.kind);
    w.key("count"); w.integer(static_cast<std::int64_t>(k.count));
    w.object_end();
  }
  w.array_end();
  w.object_end();
}

template <class W>
void timeline_event_json(W& w, const TimelineEvent& e) {
  w.object_begin();
  w.key("date"); w.str(e.date);
  w.key("kind"); w.str(e.kind);
  w.key("text"); w.str(e.text);
  w.key("sources"); strings(w, e.sources);
  w.key("keys"); strings(w, e.keys);
  w.object_end();
}

template <class W>
void evidence_json(W& w, const EvidenceRef& e) {
  w.object_begin();
  w.key("kind"); w.str(e.kind);
  w.key("ref"); w.str(e.ref);
  w.key("label"); w.str(e.label);
  put(w, "date", e.date);
  put(w, "value", e.value);
  w.object_end();
}

template <class W>
void insight_json(W& w, const Insight& in) {
  w.object_begin();
  w.key("id"); w.str(in.id);
  w.key("kind"); w.str(in.kind);
  w.key("severity"); w.str(in.severity);
  w.key("title"); w.str(in.title);
  w.key("text"); w.str(in.text);
  w.key("evidence"); list(w, in.evidence, evidence_json<W>);
  w.key("source"); w.str(in.source);
  w.object_end();
}

template <class W>
void question_json(W& w, const Question& q) {
  w.object_begin();
  w.key("text"); w.str(q.text);
  w.key("insight"); str_or_null(w, q.insight);
  put(w, "about", q.about);
  w.object_end();
}

// Only in the summary of a share: which categories it holds, which it does
// not (their lists are empty because they were not shared), and its dates.
template <class W>
void shared_json(W& w, const ShareScope& scope) {
  w.object_begin();
  w.key("categories");
  w.array_begin();
  for (Category c : all_categories()) {
    if (scope.categories.count(c)) w.str(category_id(c));
  }
  w.array_end();
  w.key("notShared");
  w.array_begin();
  for (Category c : all_categories()) {
    if (!scope.categories.count(c)) w.str(category_id(c));
  }
  w.array_end();
  w.key("from"); str_or_null(w, scope.from);
  w.key("to"); str_or_null(w, scope.to);
  w.object_end();
}

template <class W>
void summary_json(W& w, const Summary& s) {
  w.object_begin();
  w.key("schema"); w.str("chartlock.summary/1");
  w.key("today"); str_or_null(w, s.today);
  if (s.shared) {
    w.key("shared"); shared_json(w, *s.shared);
  }
  w.key("patient");
  w.object_begin();
  w.key("name"); w.str(s.patient.name);
  w.key("birthDate"); str_or_null(w, s.patient.birth_date);
  w.key("age");
  if (s.patient.age) w.integer(*s.patient.age);
  else w.null();
  w.key("gender"); str_or_null(w, s.patient.gender);
  if (!s.patient.deceased.empty()) {
    w.key("deceased"); w.str(s.patient.deceased);
  }
  w.object_end();
  w.key("sources"); strings(w, s.sources);
  w.key("providers"); strings(w, s.providers);
  w.key("narrative"); w.str(s.narrative);
  w.key("labs"); list(w, s.labs, [&](W& out, const LabSeries& l) { lab_json(out, l, s.date_style); });
  w.key("vitals"); list(w, s.vitals, [&](W& out, const VitalSeries& v) { vital_json(out, v, s.date_style); });
  w.key("activeConditions"); list(w, s.active_conditions, condition_json<W>);
  w.key("pastConditions"); list(w, s.past_conditions, condition_json<W>);
  w.key("activeMedications"); list(w, s.active_medications, medication_json<W>);
  w.key("pastMedications"); list(w, s.past_medications, medication_json<W>);
  w.key("allergies"); list(w, s.allergies, allergy_json<W>);
  w.key("immunizations"); list(w, s.immunizations, immunization_json<W>);
  w.key("recentEncounters"); list(w, s.recent_encounters, encounter_json<W>);
  w.key("clinicalNotes"); notes_json(w, s.clinical_notes);
  w.key("timeline"); list(w, s.timeline, timeline_event_json<W>);
  w.key("insights"); list(w, s.insights, insight_json<W>);
  w.key("questions"); list(w, s.questions, question_json<W>);
  w.key("notes"); strings(w, s.notes);
  w.object_end();
}

}  // namespace

json to_json(const Summary& s) {
  DomWriter w;
  summary_json(w, s);
  return std::move(w.result);
}

namespace {

// Room for the summary's text, a little more than it takes: a result is
// ~350 bytes and a timeline event ~230 (the bench's 1, 10 and 100 MB
// patients), the rest of the summary ~2 to 6 % of the whole. The buffer
// doubling from 4 KB copied itself 10 times for the 10 MB patient's 3.2 MB
// (2.2 M instructions) and ended with up to twice the room it needed.
std::size_t text_room(const Summary& s) {
  std::size_t points = 0;
  for (const LabSeries& l : s.labs) points += l.history.size();
  for (const VitalSeries& v : s.vitals) points += v.history.size() + v.pressures.size();
  return 64 * 1024 + 400 * points + 260 * s.timeline.size();
}

}  // namespace

std::string summary_to_json_text(const Summary& summary, int indent) {
  if (indent >= 0) {
    // Replace invalid UTF-8 rather than throw: names come from the input.
    return to_json(summary).dump(indent, ' ', false, json::error_handler_t::replace);
  }
  TextWriter w(text_room(summary));
  summary_json(w, summary);
  return w.text();
}

}  // namespace chartlock
