// SPDX-License-Identifier: Apache-2.0
// The sensitivity scan (core/src/consent/sensitivity.cpp) folds text and
// walks its index in one pass, and answers codes from a hash map. Here both
// are compared with the plain reading the knowledge base states
// (consent/sensitivity_reference.hpp: the words of text::fold_words against
// each category's phrases and whole words; ConditionCodes::matches and the
// LOINC and security label lists) — over the fixtures' texts, and random
// texts and codes built from the knowledge base's own words and codes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "chartlock/code_systems.hpp"
#include "chartlock/knowledge.hpp"
#include "consent/sensitivity.hpp"
#include "consent/sensitivity_reference.hpp"

using chartlock::consent::SensitiveSet;
using chartlock::consent::SensitivityScan;

namespace {

const chartlock::knowledge::Knowledge& kb() { return chartlock::knowledge::get(); }

// The categories a scan is checked on: the knowledge base's, or made-up ones
// compiled the same way.
struct Terms {
  const std::vector<chartlock::knowledge::SensitiveCategory>* categories;
  const chartlock::consent::SensitivityTerms* compiled;  // null: the scan's own

  SensitiveSet reference(std::string_view s) const { return chartlock::consent::reference::text(s, *categories); }
  SensitiveSet scan(std::string_view s) const {
    SensitivityScan scan = compiled != nullptr ? SensitivityScan(*compiled) : SensitivityScan();
    scan.text(s);
    return scan.found();
  }
  // Every word the categories match text on, as written there (folded).
  std::vector<std::string> words() const {
    std::vector<std::string> out;
    for (const auto& cat : *categories) {
      for (const auto& phrase : cat.words) out.insert(out.end(), phrase.begin(), phrase.end());
      out.insert(out.end(), cat.whole_words.begin(), cat.whole_words.end());
    }
    return out;
  }
};

const Terms kKnowledge{&chartlock::knowledge::get().sensitive, nullptr};

SensitiveSet reference_text(std::string_view s) { return kKnowledge.reference(s); }

SensitiveSet reference_coding(const std::string& system, const std::string& code) {
  return chartlock::consent::reference::coding(system, code);
}

SensitiveSet scan_text(std::string_view s) { return kKnowledge.scan(s); }

SensitiveSet scan_coding(const std::string& system, const std::string& code) {
  SensitivityScan scan;
  scan.coding(system, code);
  return scan.found();
}

// A letter as the text might carry it: upper case, or an accented letter
// that folds back to it (2-byte UTF-8), sometimes.
std::string dress(char letter, std::mt19937& rng) {
  static const std::vector<std::pair<char, std::vector<std::string>>> accents{
      {'a', {"\xC3\xA0", "\xC3\x81", "\xC4\x85"}}, {'e', {"\xC3\xA9", "\xC3\x8B", "\xC4\x9B"}},
      {'i', {"\xC3\xAD", "\xC4\xB0"}},             {'o', {"\xC3\xB6", "\xC3\x98"}},
      {'u', {"\xC3\xBC", "\xC5\xAF"}},             {'c', {"\xC3\xA7", "\xC4\x8D"}},
      {'n', {"\xC3\xB1", "\xC5\x84"}},             {'s', {"\xC5\xA1"}},
      {'z', {"\xC5\xBE"}},                         {'l', {"\xC5\x82"}}};
  const unsigned roll = rng() % 10;
  if (roll == 0) {
    for (const auto& [base, forms] : accents) {
      if (base == letter) return forms[rng() % forms.size()];
    }
  }
  if (roll <= 2 && letter >= 'a' && letter <= 'z') return std::string(1, static_cast<char>(letter - 'a' + 'A'));
  return std::string(1, letter);
}

// What may stand between words, or inside one to break or join it.
const std::vector<std::string> kSeparators{
    " ",  "  ", "\n", ", ", "-", "/", ".", "'", " ' ", "\t", " (", ") ", "\xE2\x80\x94" /* — */,
    "\xC2\xA0" /* no-break space */, "\xF0\x9F\x98\x80" /* an emoji: 4 bytes */,
    "\xC3\x97" /* × */, "\xFF", "\x80", "\xC3" /* a lead byte without its second */};

std::string random_text(const std::vector<std::string>& words, std::mt19937& rng) {
  static const std::vector<std::string> fillers{"the", "in", "post", "self", "of", "and", "history", "vitro",
                                               "use", "disorder", "ss", "stra\xC3\x9F" "e", "2024", "x"};
  std::string out;
  const std::size_t n = 1 + rng() % 8;
  for (std::size_t w = 0; w < n; ++w) {
    if (w > 0 || rng() % 4 == 0) out += kSeparators[rng() % kSeparators.size()];
    std::string word = rng() % 3 == 0 ? fillers[rng() % fillers.size()] : words[rng() % words.size()];
    const unsigned shape = rng() % 8;
    if (shape == 0 && word.size() > 1) word.resize(1 + rng() % (word.size() - 1));  // cut short
    if (shape == 1) word += std::string(1, static_cast<char>('a' + rng() % 26));     // longer
    if (shape == 2) word += "'s";
    for (char c : word) {
      out += dress(c, rng);
      if (rng() % 40 == 0) out += kSeparators[rng() % kSeparators.size()];
    }
  }
  if (rng() % 6 == 0) out += kSeparators[rng() % kSeparators.size()];
  return out;
}


TEST_CASE("sensitivity scan: the one-pass text scan finds what fold_words and the phrase lists find",
          "[sensitivity]") {
  for (const char* s : {"", " ", "'", "hiv", "HIV+", "hives", "Mental health", "mental\n\nhealth",
                        "mentally healthy", "in vitro fertilisation", "in", "in vitr", "Ménțal héalth",
                        "alcohol \xE2\x80\x94 use disorder", "alcohol's use disorders", "\xC3", "hi\xC3",
                        "h\xFFiv", "self-harm", "SELF HARM", "ss", "\xC3\x9F\xC3\x9F",
                        // An apostrophe alone is no word: the phrase reads on past it.
                        "mental ' health", "mental '' health", "in ' vitro 'fertilisation", "mental health '"}) {
    INFO(s);
    CHECK(scan_text(s) == reference_text(s));
  }
  CHECK(scan_text("Seen for mental health follow-up") != 0);  // the comparison is not of two zeros

  const std::vector<std::string> words = kKnowledge.words();
  REQUIRE(!words.empty());
  std::mt19937 rng(17);
  std::size_t positive = 0, negative = 0;
  for (int round = 0; round < 30000; ++round) {
    const std::string text = random_text(words, rng);
    const SensitiveSet want = reference_text(text);
    const SensitiveSet got = scan_text(text);
    if (got != want) {
      INFO("text: " << text);
      REQUIRE(got == want);
    }
    (want != 0 ? positive : negative)++;
  }
  // Both answers occur often enough for a difference to show.
  CHECK(positive > 5000);
  CHECK(negative > 2000);
}

// Each of `terms` at every offset from a block's start, with every kind of
// neighbour, cut at every length, so that a word starts and ends on each
// byte of a block, across two blocks, and in the short tail. Returns how many
// texts were checked and how many of them hold a term.
std::pair<std::size_t, std::size_t> check_every_offset(const Terms& t, const std::vector<std::string>& terms) {
  const std::vector<std::string> neighbours{"",  " ",   "x",  "X", "7",  "'",  "''", "-", ".",  ",",  "(", ")",
                                            "/", "\n", "a'", "'s", "\xC3\xA9", "\xC3\x97", "\xE2\x80\x94", "\xC3",
                                            "\xFF", "in ", " vitro", "ab", "z9"};
  std::size_t checked = 0, positive = 0;
  for (const std::string& term : terms) {
    for (std::size_t offset = 0; offset < 18; ++offset) {
      for (const std::string& before : neighbours) {
        for (const std::string& after : {std::string(), std::string(" "), std::string("s"), std::string("'"),
                                         std::string("9"), std::string("\xC3\xA9"), std::string(" health ok")}) {
          // `offset` bytes of plain words before the neighbour move the term through a block.
          std::string text = std::string("pad id 2024 ").substr(0, offset % 12) + std::string(offset / 12, 'q');
          text += before + term + after;
          // Whole, and cut inside what follows the term, at its end, and inside it.
          for (const std::size_t cut : {std::size_t{0}, std::size_t{1}, after.size(), after.size() + 1,
                                        after.size() + term.size() / 2}) {
            if (cut > text.size()) continue;
            const std::string_view s(text.data(), text.size() - cut);
            const SensitiveSet want = t.reference(s);
            if (t.scan(s) != want) {
              INFO("text: " << std::string(s));
              REQUIRE(t.scan(s) == want);
            }
            ++checked;
            if (want != 0) ++positive;
          }
        }
      }
    }
  }
  return {checked, positive};
}

// Random texts of the categories' words, ids, dates and codes, and random
// pieces of each. Returns how many pieces hold a term and how many do not.
std::pair<std::size_t, std::size_t> check_random_texts(const Terms& t, unsigned seed) {
  const std::vector<std::string> words = t.words();
  std::mt19937 rng(seed);
  std::size_t positive = 0, negative = 0;
  for (int round = 0; round < 2000; ++round) {
    std::string text;
    const std::size_t parts = 1 + rng() % 12;
    for (std::size_t p = 0; p < parts; ++p) {
      // Ids, dates and codes as a record carries them, between the words.
      static const std::vector<std::string> machine{"urn:uuid:4f1c2e3a-9b2c-4d5e-8f6a-0b1c2d3e4f5a",
                                                    "2019-03-04T10:00:00+00:00", "Practitioner/abc-123",
                                                    "8302-2", "final", "http://loinc.org", "F10.20"};
      text += rng() % 3 == 0 ? machine[rng() % machine.size()] : random_text(words, rng);
      text += kSeparators[rng() % kSeparators.size()];
    }
    for (int piece = 0; piece < 20; ++piece) {
      const std::size_t from = rng() % (text.size() + 1);
      const std::size_t len = rng() % (text.size() - from + 1);
      const std::string_view s = std::string_view(text).substr(from, len);
      const SensitiveSet want = t.reference(s);
      if (t.scan(s) != want) {
        INFO("text: " << std::string(s));
        REQUIRE(t.scan(s) == want);
      }
      (want != 0 ? positive : negative)++;
    }
  }
  return {positive, negative};
}

}  // namespace

// The scan reads plain ASCII eight bytes at a time (consent/sensitivity.cpp):
// the knowledge base's terms, and near-terms, at every offset.
TEST_CASE("sensitivity scan: terms at every offset, beside every neighbour, cut at every length",
          "[sensitivity]") {
  std::vector<std::string> terms = kKnowledge.words();
  // Prefixes of one another, overlapping, and near misses.
  for (const char* t : {"hiv", "hiv1", "hivx", "hi", "h", "std", "stds", "stdx", "ocd", "ocds", "in vitro fert",
                        "in vitro", "mental health", "mental healt", "mentalhealth", "self harm", "selfharm",
                        "alcohol use disorder", "alcohol use", "phq 9", "phq 99", "phq9", "gad 7", "audit c",
                        "audit", "MENTAL Health", "Hiv", "hIV", "m\xC3\xA9ntal health", "h\xC3\xAFv",
                        "stra\xC3\x9F" "e", "\xC3\x9F" "td", "de", "depress", "depres", "2hiv", "hiv2"}) {
    terms.emplace_back(t);
  }
  const auto [checked, positive] = check_every_offset(kKnowledge, terms);
  CHECK(checked > 100000);
  CHECK(positive > checked / 10);  // both answers are common
}

TEST_CASE("sensitivity scan: long random texts, and every piece of them", "[sensitivity]") {
  const auto [positive, negative] = check_random_texts(kKnowledge, 1717);
  CHECK(positive > 5000);
  CHECK(negative > 5000);
}

// Term shapes the knowledge base does not have today, which the scan's
// filters must still read right: a phrase whose first word is one letter
// ("x ray"), one-letter and digit-first whole words, phrases that start with
// a digit, a digit-only word, a term that is a prefix of another.
TEST_CASE("sensitivity scan: made-up terms of every shape the scan's filters treat apart",
          "[sensitivity]") {
  std::vector<chartlock::knowledge::SensitiveCategory> made_up(3);
  made_up[0].id = "one-letter";
  made_up[0].words = {{"x", "ray"}, {"b", "cell"}, {"q"}};
  made_up[0].whole_words = {"k", "z9"};
  made_up[1].id = "digit-first";
  made_up[1].words = {{"5q", "del"}, {"21", "trisomy"}, {"3"}};
  made_up[1].whole_words = {"9p", "2024x"};
  made_up[2].id = "ordinary";
  made_up[2].words = {{"in", "vitro"}, {"hivx"}};
  made_up[2].whole_words = {"hiv", "ab"};
  const auto compiled = chartlock::consent::compile_sensitivity_terms(made_up);
  const Terms t{&made_up, compiled.get()};

  std::vector<std::string> terms = t.words();
  for (const char* near : {"x ray", "x-ray", "xray", "x rays", "xr", "b cell", "bcell", "b cells", "q", "qq", "k",
                           "kk", "z9", "z99", "5q del", "5q", "5qdel", "21 trisomy", "21trisomy", "2 trisomy",
                           "3", "33", "9p", "9pp", "2024x", "2024", "hiv", "hivx", "hi", "in vitro", "ab", "abc"}) {
    terms.emplace_back(near);
  }
  const auto [checked, with_term] = check_every_offset(t, terms);
  CHECK(checked > 50000);
  CHECK(with_term > checked / 10);
  const auto [positive, negative] = check_random_texts(t, 2929);
  CHECK(positive > 5000);
  CHECK(negative > 5000);
  // Each category found on its own, by a term of each shape.
  CHECK(t.scan("an X-ray today") == 1);
  CHECK(t.scan("a note: q") == 1);
  CHECK(t.scan("marker 5q deleted") == 2);
  CHECK(t.scan("3 more") == 2);
  CHECK(t.scan("hives") == 0);
  CHECK(t.scan("HIV") == 4);
  CHECK(t.scan("xylophone rayon") == 1);  // each word of a phrase is a prefix
  CHECK(t.scan("xylophone bay") == 0);
}

// A text found again is answered from what the scan remembers of texts it
// read (a slot per text, each thread its own, for texts of up to 64 bytes):
// the answer must be that text's own, for these terms, whatever was read
// before it. Here many texts of one length share their first 17 bytes (so
// they meet in slots), each is read three times in a random order, by the
// knowledge base's terms and by made-up ones in turn, alone and after
// another text in the same scan; every answer against the reference.
TEST_CASE("sensitivity scan: a text read again answers as it did the first time", "[sensitivity]") {
  std::vector<chartlock::knowledge::SensitiveCategory> made_up(2);
  made_up[0].id = "whole";
  made_up[0].whole_words = {"hiv", "ab"};
  made_up[1].id = "phrase";
  made_up[1].words = {{"mental", "health"}, {"in", "vitro"}};
  const auto compiled = chartlock::consent::compile_sensitivity_terms(made_up);
  const Terms other{&made_up, compiled.get()};

  std::vector<std::string> words = kKnowledge.words();
  for (const char* w : {"hiv", "hix", "ab", "ac", "mental health", "mental healty", "in vitro", "in vitra"}) {
    words.emplace_back(w);
  }
  std::mt19937 rng(4242);
  std::vector<std::string> texts;
  for (int k = 0; k < 6000; ++k) {
    std::string tail = rng() % 2 == 0 ? words[rng() % words.size()] : "x" + std::to_string(rng() % 1000000);
    tail.resize(20, ' ');  // cut or padded: one length for all
    texts.push_back("Patient note 17: " + tail);
  }
  // Short ones (the slot's compare of 1-3 and 4-7 bytes), and either side of the longest remembered.
  for (const char* t : {"a", "ab", "hiv", "hix", "abab", "hiv 1", "hiv 12", "x hiv", "ab hiv", "in vitr"}) texts.emplace_back(t);
  for (std::size_t n : {63, 64, 65}) {
    texts.push_back(std::string(n - 4, 'q') + " hiv");
    texts.push_back(std::string(n - 4, 'q') + " hix");
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < texts.size(); ++i) order.insert(order.end(), 3, i);
  std::shuffle(order.begin(), order.end(), rng);

  std::size_t positive = 0, negative = 0;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::string& s = texts[order[k]];
    const Terms& t = k % 2 == 0 ? kKnowledge : other;
    INFO(s);
    const SensitiveSet want = t.reference(s);
    CHECK(t.scan(s) == want);
    (want != 0 ? positive : negative)++;
    // Two texts in one scan: the second's slot holds its own answer, not the sum.
    const std::string& before = texts[order[(k + 1) % order.size()]];
    SensitivityScan both = t.compiled != nullptr ? SensitivityScan(*t.compiled) : SensitivityScan();
    both.text(before);
    both.text(s);
    CHECK(both.found() == (t.reference(before) | want));
    CHECK(t.scan(s) == want);
  }
  CHECK(positive > 2000);
  CHECK(negative > 2000);
}

TEST_CASE("sensitivity scan: the fixtures' texts, whole and line by line, read as the reference reads them",
          "[sensitivity]") {
  std::size_t files = 0, lines = 0, positive = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(CHARTLOCK_FIXTURES)) {
    if (!entry.is_regular_file() || entry.file_size() > 4 * 1024 * 1024) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string content = buffer.str();
    ++files;
    INFO(entry.path().string());
    CHECK(scan_text(content) == reference_text(content));
    std::istringstream by_line(content);
    for (std::string line; std::getline(by_line, line);) {
      ++lines;
      const SensitiveSet want = reference_text(line);
      if (scan_text(line) != want) {
        INFO("line: " << line);
        CHECK(scan_text(line) == want);
      }
      if (want != 0) ++positive;
    }
  }
  CHECK(files > 20);
  CHECK(lines > 1000);
  CHECK(positive > 0);
}

TEST_CASE("sensitivity scan: codes answered from the index as ConditionCodes::matches and the lists answer",
          "[sensitivity]") {
  const std::vector<std::string> systems{chartlock::systems::snomed,  chartlock::systems::loinc,
                                         chartlock::systems::act_code, chartlock::systems::icd10cm,
                                         "http://hl7.org/fhir/sid/icd-10", chartlock::systems::rxnorm,
                                         "",                           "http://snomed.info/sct/"};
  std::vector<std::string> codes{"", "F", "Z", "O", "0", "F1", "F10.20", "O09.90", "B20", "Z30.011"};
  for (const auto& cat : kb().sensitive) {
    for (const auto* list : {&cat.codes.snomed, &cat.codes.icd10, &cat.loinc, &cat.security_labels}) {
      for (const std::string& code : *list) {
        codes.push_back(code);
        codes.push_back(code + "9");
        codes.push_back(code + ".1");
        if (code.size() > 1) codes.push_back(code.substr(0, code.size() - 1));
        std::string lower = code;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        codes.push_back(lower);
      }
    }
  }
  std::size_t positive = 0;
  for (const std::string& system : systems) {
    for (const std::string& code : codes) {
      const SensitiveSet want = reference_coding(system, code);
      if (scan_coding(system, code) != want) {
        INFO(system << " | " << code);
        CHECK(scan_coding(system, code) == want);
      }
      if (want != 0) ++positive;
    }
  }
  CHECK(positive > 100);
}
