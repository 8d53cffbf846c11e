// SPDX-License-Identifier: Apache-2.0
#include "consent/sensitivity.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>

#include "chartlock/code_systems.hpp"
#include "chartlock/knowledge.hpp"
#include "json/same_key.hpp"
#include "text/fold.hpp"
#include "text/load.hpp"

namespace chartlock::consent {

namespace {

struct Phrase {
  const std::vector<std::string>* words;  // words[0] ends at the trie node holding it
  SensitiveSet category;
};

}  // namespace

// The categories' words in a trie of folded letters, so that one text word
// costs one walk down it however many phrases there are: a phrase whose
// first word is a prefix of the text's word sits on the way; a whole word
// where the walk ends.
class SensitivityTerms {
 public:
  struct Node {
    std::array<std::int32_t, 36> next;  // a-z, 0-9; -1: none
    std::vector<Phrase> phrases;
    SensitiveSet whole = 0;
    Node() { next.fill(-1); }
  };
  std::vector<Node> nodes{Node()};
  const std::vector<knowledge::SensitiveCategory>* categories;
  // This compilation's own number (from 1), so that the texts the scan
  // remembers (MemoSlot) are never answered for other terms, even ones
  // compiled later at the same address.
  std::uint32_t serial = next_serial();
  static std::uint32_t next_serial() {
    static std::atomic<std::uint32_t> next{1};
    std::uint32_t n = next++;
    return n != 0 ? n : next++;
  }

  // The categories a code is in, by the list that names it: looked up once
  // per coding instead of searching every category's lists. ICD-10 entries
  // are prefixes: a code is in those of each of its own prefixes.
  struct CodeSets {
    SensitiveSet snomed = 0, icd10 = 0, loinc = 0, security_label = 0;
  };
  std::unordered_map<std::string_view, CodeSets> codes;  // views into *kb
  std::size_t longest_icd10 = 0;

  // Bit (c0 << 7 | c1) clear: a word whose first two bytes are the ASCII
  // letters or digits c0 c1 leaves the trie by its second letter with
  // nothing found on the way (no phrase's first word is one letter), so the
  // scan skips the rest of it. Most words of a record (ids, dates, codes,
  // ordinary words) end there. Set for every pair the trie must read.
  std::array<std::uint64_t, 128 * 128 / 64> may_start{};
  bool digit_starts = false;  // a term begins with a digit
  bool may_start_at(unsigned c0, unsigned c1) const {
    if ((c0 | c1) >= 0x80) return true;
    const std::size_t bit = static_cast<std::size_t>(c0) << 7 | c1;
    return (may_start[bit >> 6] >> (bit & 63) & 1) != 0;
  }

  // The third byte's filter, for a pair may_start lets through: by the
  // class of each ASCII byte (byte_class: a letter's or digit's slot, kBreak,
  // kJoin), the classes of a third byte after which the word may still
  // find something; 0 for a pair that never can, all ones where the first
  // or second letter ends a phrase's first word. Most words that pass the
  // pair (in-, ob-, pr-, co-…) leave the trie by their third letter.
  static constexpr unsigned kBreak = 36, kJoin = 37, kClasses = 38;
  std::array<std::uint8_t, 128> byte_class{};
  std::array<std::uint64_t, kClasses * kClasses> third{};
  bool may_go_on(unsigned c0, unsigned c1, unsigned c2) const {
    if ((c0 | c1 | c2) >= 0x80) return true;
    return (third[byte_class[c0] * kClasses + byte_class[c1]] >> byte_class[c2] & 1) != 0;
  }

  // Folded text holds only a-z and 0-9.
  static std::size_t slot(char c) {
    return c >= 'a' ? static_cast<std::size_t>(c - 'a') : static_cast<std::size_t>(26 + (c - '0'));
  }

  std::size_t insert(const std::string& word) {
    std::size_t n = 0;
    for (char c : word) {
      const std::size_t s = slot(c);
      if (nodes[n].next[s] < 0) {
        nodes[n].next[s] = static_cast<std::int32_t>(nodes.size());
        nodes.emplace_back();
      }
      n = static_cast<std::size_t>(nodes[n].next[s]);
    }
    return n;
  }

  explicit SensitivityTerms(const std::vector<knowledge::SensitiveCategory>& cats) : categories(&cats) {
    if (cats.size() > sizeof(SensitiveSet) * 8) throw std::invalid_argument("more sensitive categories than a SensitiveSet has bits");
    for (std::size_t i = 0; i < cats.size(); ++i) {
      const knowledge::SensitiveCategory& c = cats[i];
      const SensitiveSet bit = SensitiveSet{1} << i;
      for (const std::vector<std::string>& phrase : c.words) {
        if (!phrase.empty()) nodes[insert(phrase.front())].phrases.push_back(Phrase{&phrase, bit});
      }
      for (const std::string& w : c.whole_words) nodes[insert(w)].whole |= bit;
      for (const std::string& code : c.codes.snomed) codes[code].snomed |= bit;
      for (const std::string& prefix : c.codes.icd10) {
        codes[prefix].icd10 |= bit;
        longest_icd10 = std::max(longest_icd10, prefix.size());
      }
      for (const std::string& code : c.loinc) codes[code].loinc |= bit;
      for (const std::string& code : c.security_labels) codes[code].security_label |= bit;
    }
    for (int d = 0; d < 10; ++d) digit_starts = digit_starts || nodes[0].next[static_cast<std::size_t>(26 + d)] >= 0;
    for (int c0 = 0; c0 < 128; ++c0) {
      for (int c1 = 0; c1 < 128; ++c1) {
        const char f0 = text::kAsciiFold.to[c0], f1 = text::kAsciiFold.to[c1];
        bool needed = true;
        if (f0 > text::kJoins && f1 > text::kJoins) {
          const std::int32_t first = nodes[0].next[slot(f0)];
          needed = first >= 0 && (!nodes[static_cast<std::size_t>(first)].phrases.empty() ||
                                  nodes[static_cast<std::size_t>(first)].next[slot(f1)] >= 0);
        }
        const std::size_t b = static_cast<std::size_t>(c0) << 7 | static_cast<std::size_t>(c1);
        if (needed) may_start[b >> 6] |= std::uint64_t{1} << (b & 63);
      }
    }
    for (int c = 0; c < 128; ++c) {
      const char f = text::kAsciiFold.to[c];
      byte_class[static_cast<std::size_t>(c)] =
          static_cast<std::uint8_t>(f > text::kJoins ? slot(f) : f == text::kJoins ? kJoin : kBreak);
    }
    for (unsigned k0 = 0; k0 < kClasses; ++k0) {
      for (unsigned k1 = 0; k1 < kClasses; ++k1) {
        std::uint64_t& t = third[k0 * kClasses + k1];
        // Not a word's start (never asked), or an apostrophe next: the walk decides.
        t = ~std::uint64_t{0};
        if (k0 >= kBreak || k1 == kJoin) continue;
        const std::int32_t first = nodes[0].next[k0];
        if (first < 0) {
          t = 0;
          continue;
        }
        const Node& n1 = nodes[static_cast<std::size_t>(first)];
        if (!n1.phrases.empty()) continue;
        if (k1 == kBreak) {
          // A one-letter word: found only if it is a whole word.
          if (n1.whole == 0) t = 0;
          continue;
        }
        if (n1.next[k1] < 0) {
          t = 0;
          continue;
        }
        const Node& n2 = nodes[static_cast<std::size_t>(n1.next[k1])];
        if (!n2.phrases.empty()) continue;
        t = std::uint64_t{1} << kJoin;
        if (n2.whole != 0) t |= std::uint64_t{1} << kBreak;
        for (unsigned k2 = 0; k2 < kBreak; ++k2) {
          if (n2.next[k2] >= 0) t |= std::uint64_t{1} << k2;
        }
      }
    }
  }
};

namespace {

const SensitivityTerms& knowledge_terms() {
  static const SensitivityTerms terms(knowledge::get().sensitive);
  return terms;
}

bool has(const std::vector<std::string>& list, std::string_view s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// Whether the words of `s` after the one being read at byte `at` start with
// pw[1], pw[2]… in turn (pw[0] began the word being read), read from the text
// itself: this runs only where a phrase's first word began a text word, and
// most calls end at the next word's first letter.
bool followed_by(std::string_view s, std::size_t at, const std::vector<std::string>& pw) {
  char letters[2];
  // The rest of the word being read.
  while (at < s.size() && text::fold_char(s, at, letters) != text::kWordBreak) {
  }
  for (std::size_t j = 1; j < pw.size(); ++j) {
    const std::string& want = pw[j];
    std::size_t matched = 0;
    // The next word starts at its first letter: an apostrophe before it, or
    // alone between words ("mental ' health"), is no word (fold_words).
    int n = text::kWordBreak;
    while (at < s.size() && (n = text::fold_char(s, at, letters)) <= 0) {
    }
    if (n <= 0) return false;  // no word left
    // Inside the word now: compare its letters, then skip what is left of it.
    bool in_word = true;
    while (in_word) {
      for (int k = 0; k < n; ++k) {
        if (matched < want.size() && letters[k] != want[matched++]) return false;
      }
      in_word = at < s.size() && (n = text::fold_char(s, at, letters)) != text::kWordBreak;
    }
    if (matched < want.size()) return false;  // the word is shorter than the phrase's
  }
  return true;
}

// Eight bytes at a time (SWAR): each byte's top bit answers for it, and no
// byte carries into the next, as every sum below stays under 256.
constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHigh = kOnes * 0x80;

// The top bit of each byte of x set where lo < byte < hi (x's bytes below 0x80).
constexpr std::uint64_t bytes_between(std::uint64_t x, unsigned lo, unsigned hi) {
  return (kOnes * (127 + hi) - x) & (x + kOnes * (127 - lo));
}

}  // namespace

std::shared_ptr<const SensitivityTerms> compile_sensitivity_terms(
    const std::vector<knowledge::SensitiveCategory>& categories) {
  return std::make_shared<const SensitivityTerms>(categories);
}

SensitivityScan::SensitivityScan() : terms_(&knowledge_terms()) {}

namespace {

// The walk letter by letter down the trie, for what the blocks below do not
// skip: a word that may start a term, a block with a wide character or an
// apostrophe, a text on a big-endian machine.
struct TrieWalk {
  const SensitivityTerms& ix;
  std::string_view s;
  SensitiveSet& found;
  std::size_t node = 0;  // where the word's letters so far lead; 0 before its first
  bool off = false;      // the word has left the trie: nothing it holds can match

  void letter(char c, std::size_t after) {
    const std::int32_t next = ix.nodes[node].next[SensitivityTerms::slot(c)];
    if (next < 0) {
      node = 0;
      off = true;
      return;
    }
    node = static_cast<std::size_t>(next);
    for (const Phrase& p : ix.nodes[node].phrases) {
      if ((found & p.category) != 0) continue;
      if (p.words->size() == 1 || followed_by(s, after, *p.words)) found |= p.category;
    }
  }

  // One character.
  void step(std::size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      const char to = text::kAsciiFold.to[c];
      if (to > text::kJoins) {
        if (!off) letter(to, i);
        return;
      }
      if (to == text::kJoins) return;
    } else {
      char letters[2];
      const int n = text::fold_wide_char(s, i, letters);
      if (n != text::kWordBreak) {
        for (int k = 0; k < n && !off; ++k) letter(letters[k], i);
        return;
      }
    }
    // A word break: a whole word must have ended exactly where the walk did.
    if (node != 0) found |= ix.nodes[node].whole;
    node = 0;
    off = false;
  }
};

// Reads s from byte i, `off` as the word there is, at least to `end` and on
// until the walk is back at the trie's root; returns where it stopped (the
// text's end if the walk got there, a whole word at it counted).
inline std::size_t walk(const SensitivityTerms& ix, std::string_view s, std::size_t i, std::size_t end, bool& off,
                        SensitiveSet& found) {
  TrieWalk w{ix, s, found};
  w.off = off;
  while (i < s.size() && (i < end || w.node != 0)) w.step(i);
  if (w.node != 0) found |= ix.nodes[w.node].whole;  // the text ended inside the word
  off = w.off;
  return i;
}

// One pass over the bytes: each folded letter goes straight down the trie,
// with no folded copy of the text (fold_words is the reference the tests
// compare this against: tests/core/sensitivity_scan_test.cpp). Plain ASCII
// is read eight bytes at a time: a block's word starts come from one mask,
// and only a word whose first two bytes may start a term (SensitivityTerms::may_start)
// is read letter by letter (walk); so is a block with an apostrophe or a byte
// above 0x7F, as the folding has it.
void scan_text(const SensitivityTerms& ix, std::string_view s, SensitiveSet& found) {
  const char* const bytes = s.data();
  const std::size_t size = s.size();
  bool off = false;  // the word carried into the next block has left the trie
  std::size_t i = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  // Here the walk is at the trie's root: between words (off false) or in a word that left the trie (off true).
  while (i < size) {
    // The block's bytes in x (past the text: zeros, word breaks) and the byte after it.
    std::uint64_t x = 0;
    unsigned after = 0;
    const std::size_t len = std::min<std::size_t>(size - i, 8);
    if (size - i > 8) {
      std::memcpy(&x, bytes + i, 8);
      after = static_cast<unsigned char>(bytes[i + 8]);
    } else if (size >= 8) {
      std::memcpy(&x, bytes + size - 8, 8);
      x >>= 8 * (8 - len);
    } else {
      for (std::size_t k = 0; k < len; ++k) x |= std::uint64_t{static_cast<unsigned char>(bytes[i + k])} << 8 * k;
    }
    const std::uint64_t x7 = x & ~kHigh;
    const std::uint64_t apostrophes = bytes_between(x7, '\'' - 1, '\'' + 1);
    if (((x | apostrophes) & kHigh) != 0) {
      // Wide characters and apostrophes the slow way, to the end of the block.
      i = walk(ix, s, i, i + len, off, found);
      continue;
    }
    const std::uint64_t letters = bytes_between(x7 | kOnes * 0x20, 'a' - 1, 'z' + 1) & kHigh;
    const std::uint64_t alnum = letters | (bytes_between(x7, '0' - 1, '9' + 1) & kHigh);
    std::uint64_t starts = alnum & ~(alnum << 8 | (off ? 0x80u : 0u));
    if (!ix.digit_starts) starts &= letters;
    for (; starts != 0; starts &= starts - 1) {
      const unsigned at = static_cast<unsigned>(__builtin_ctzll(starts)) - 7;  // the start's first bit
      const std::uint64_t w = x >> at;
      if (!ix.may_start_at(w & 0x7F, at == 56 ? after : (w >> 8) & 0x7F)) continue;
      // A start in the block's last byte: its third byte is not at hand.
      if (at == 56 || ix.may_go_on(w & 0x7F, (w >> 8) & 0x7F, at == 48 ? after : (w >> 16) & 0x7F)) break;
    }
    if (starts != 0) {
      // A word that may start a term: letter by letter until it leaves the trie or ends.
      i += static_cast<std::size_t>(__builtin_ctzll(starts) >> 3);
      off = false;
      i = walk(ix, s, i, i + 1, off, found);
      continue;
    }
    // Every word begun in the block left the trie by its second or third letter.
    off = (alnum >> 63) != 0;
    i += len;
  }
#endif
  if (i < size) walk(ix, s, i, size, off, found);
}

// Texts already scanned, each with the categories found in it. A record
// repeats most of its texts (the patient's and the encounter's references,
// code displays, statuses, dates: in the bench's 10 MB patient 134,473 of
// the scan's 160,818 texts, 2.9 of their 3.8 MB, are ones seen before), and
// what a text holds depends on its bytes and the terms alone, so a text
// found again is answered from here. Direct-mapped (a text takes the place of
// the one before it in its slot), each thread its own, made on first use
// (78 KB); a text longer than kMemoBytes is always scanned.
constexpr std::size_t kMemoBytes = 64;
constexpr unsigned kMemoSlotBits = 10;

struct MemoSlot {
  std::uint32_t terms = 0;  // SensitivityTerms::serial; 0: empty
  SensitiveSet found = 0;
  std::uint8_t size = 0;
  char bytes[kMemoBytes];
};

MemoSlot* memo_slots() {
  thread_local std::unique_ptr<MemoSlot[]> slots;
  if (!slots) slots = std::make_unique<MemoSlot[]>(std::size_t{1} << kMemoSlotBits);
  return slots.get();
}

constexpr std::uint64_t kMemoMul = 0x9E3779B97F4A7C15ULL;

// A text of up to kMemoBytes hashed in whole words: eight bytes at a time,
// the last eight (or four) loaded where the text ends, overlapping the word
// before. (Compared below with json::same_key.)
std::size_t memo_slot(const char* p, std::size_t n) {
  std::uint64_t h = n;
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8) h = (h ^ text::load<std::uint64_t>(p + i)) * kMemoMul;
    h ^= text::load<std::uint64_t>(p + n - 8);
  } else if (n >= 4) {
    h ^= text::load_ends4(p, n);
  } else if (n > 0) {
    h ^= std::uint64_t{static_cast<unsigned char>(p[0])} << 16 |
         std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 | static_cast<unsigned char>(p[n - 1]);
  }
  return static_cast<std::size_t>((h * kMemoMul) >> (64 - kMemoSlotBits));
}

bool memo_holds(const MemoSlot& m, std::uint32_t terms, const char* p, std::size_t n) {
  return m.terms == terms && json::same_key(std::string_view(m.bytes, m.size), std::string_view(p, n));
}

}  // namespace

void SensitivityScan::text(std::string_view s) {
  const SensitivityTerms& ix = *terms_;
  if (s.empty()) return;  // no word in it
  if (s.size() > kMemoBytes) {
    scan_text(ix, s, found_);
    return;
  }
  MemoSlot& m = memo_slots()[memo_slot(s.data(), s.size())];
  if (!memo_holds(m, ix.serial, s.data(), s.size())) {
    // Scanned on its own, so the slot holds this text's categories only.
    SensitiveSet own = 0;
    scan_text(ix, s, own);
    m.terms = ix.serial;
    m.found = own;
    m.size = static_cast<std::uint8_t>(s.size());
    std::memcpy(m.bytes, s.data(), s.size());
  }
  found_ |= m.found;
}

// The same answers as ConditionCodes::matches and the categories' LOINC and
// security label lists, from the index (tests/core/sensitivity_scan_test.cpp
// compares the two).
void SensitivityScan::coding(std::string_view system, std::string_view code) {
  if (code.empty()) return;
  const SensitivityTerms& ix = *terms_;
  auto in = [&](std::string_view key) -> const SensitivityTerms::CodeSets* {
    auto it = ix.codes.find(key);
    return it == ix.codes.end() ? nullptr : &it->second;
  };
  if (system == systems::snomed) {
    if (const auto* c = in(code)) found_ |= c->snomed;
  } else if (system == systems::loinc) {
    if (const auto* c = in(code)) found_ |= c->loinc;
  } else if (system == systems::act_code) {
    if (const auto* c = in(code)) found_ |= c->security_label;
  } else if (knowledge::ConditionCodes::is_icd10_system(system)) {
    for (std::size_t len = 0; len <= std::min(code.size(), ix.longest_icd10); ++len) {
      if (const auto* c = in(code.substr(0, len))) found_ |= c->icd10;
    }
  }
}

void SensitivityScan::concept(const CodeableConcept& c) {
  text(c.text);
  for (const Coding& coding : c.codings) {
    this->coding(coding.system, coding.code);
    text(coding.display);
  }
}

void SensitivityScan::medication(const CodeableConcept& c) {
  concept(c);
  const std::vector<knowledge::SensitiveCategory>& categories = *terms_->categories;
  for (const knowledge::IngredientMatch& m : knowledge::get().ingredients_of(c)) {
    for (std::size_t i = 0; i < categories.size(); ++i) {
      for (const std::string& cls : m.ingredient->classes) {
        if (has(categories[i].drug_classes, cls)) found_ |= SensitiveSet{1} << i;
      }
    }
  }
}

std::vector<std::string> sensitive_ids(SensitiveSet set) {
  const knowledge::Knowledge& kb = knowledge::get();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < kb.sensitive.size(); ++i) {
    if ((set & (SensitiveSet{1} << i)) != 0) out.push_back(kb.sensitive[i].id);
  }
  return out;
}

}  // namespace chartlock::consent
