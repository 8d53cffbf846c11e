// SPDX-License-Identifier: Apache-2.0
// simdjson's parsing kernel on tricky input. The wasm build runs our own
// WebAssembly SIMD128 kernel (third_party/simdjson-wasm), the native build
// Debian's x64 one: both must give these answers, which come from the inputs'
// construction (a tree serialized here, then parsed back) or from the JSON and
// UTF-8 specifications, never from a kernel's output.
#include <catch2/catch.hpp>

#include <simdjson.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using simdjson::error_code;
using simdjson::dom::element;
using simdjson::dom::element_type;

// The value a document parses to, or its error.
std::pair<error_code, element> parse(simdjson::dom::parser& parser, const std::string& text) {
  element root;
  error_code error = parser.parse(text).get(root);
  return {error, root};
}

// --- a tree, our own serializer, and a comparison with simdjson's DOM -------

struct Node {
  enum Kind { Null, Bool, Int, Uint, Double, String, Array, Object } kind = Null;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  std::string s;  // String: the decoded UTF-8
  std::vector<std::pair<std::string, std::unique_ptr<Node>>> children;  // Array: keys unused
};

// A deterministic generator (xorshift64*), so a failure reproduces.
struct Random {
  uint64_t state;
  uint64_t next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ULL;
  }
  uint32_t below(uint32_t n) { return uint32_t(next() % n); }
};

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += char(cp);
  } else if (cp < 0x800) {
    out += char(0xC0 | (cp >> 6));
    out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += char(0xE0 | (cp >> 12));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  } else {
    out += char(0xF0 | (cp >> 18));
    out += char(0x80 | ((cp >> 12) & 0x3F));
    out += char(0x80 | ((cp >> 6) & 0x3F));
    out += char(0x80 | (cp & 0x3F));
  }
}

void append_u_escape(std::string& out, uint32_t unit) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(unit));
  out += buf;
}

// A string of code points that stresses the string scanner: quotes,
// backslash runs, JSON's structural characters, control characters,
// multibyte UTF-8, and long plain runs that push the rest across 64-byte
// blocks. Returns the decoded text and writes its JSON form to `json`.
std::string random_string(Random& rng, std::string& json) {
  static const uint32_t kPicks[] = {'"', '\\', '/', '{', '}', '[', ']', ':', ',', ' ', '\n', '\t', 0x1F,
                                    0, 'a', 'z', 0x7F, 0xE9, 0x7FF, 0x800, 0x20AC, 0xFFFD, 0xFFFF,
                                    0x10000, 0x1F600, 0x10FFFF};
  std::string text;
  json += '"';
  uint32_t pieces = rng.below(12);
  for (uint32_t p = 0; p < pieces; ++p) {
    uint32_t how = rng.below(10);
    if (how < 3) {  // a plain run, up to two blocks long
      std::string run(rng.below(130), char('a' + rng.below(26)));
      text += run;
      json += run;
      continue;
    }
    if (how < 5) {  // a run of backslashes, maybe followed by a quote
      uint32_t n = 1 + rng.below(9);
      for (uint32_t k = 0; k < n; ++k) {
        text += '\\';
        json += "\\\\";
      }
      if (rng.below(2)) {
        text += '"';
        json += "\\\"";
      }
      continue;
    }
    uint32_t cp = kPicks[rng.below(sizeof kPicks / sizeof kPicks[0])];
    append_utf8(text, cp);
    bool must_escape = cp == '"' || cp == '\\' || cp < 0x20;
    if (must_escape || rng.below(3) == 0) {
      if (cp == '"') {
        json += "\\\"";
      } else if (cp == '\\') {
        json += "\\\\";
      } else if (cp == '\n' && rng.below(2)) {
        json += "\\n";
      } else if (cp == '/' && rng.below(2)) {
        json += "\\/";
      } else if (cp >= 0x10000) {  // a surrogate pair
        uint32_t v = cp - 0x10000;
        append_u_escape(json, 0xD800 | (v >> 10));
        append_u_escape(json, 0xDC00 | (v & 0x3FF));
      } else {
        append_u_escape(json, cp);
      }
    } else {
      append_utf8(json, cp);
    }
  }
  json += '"';
  return text;
}

std::string whitespace(Random& rng) {
  static const char* kSpaces[] = {" ", "\n", "\t", "\r\n", "  ", "\n\t\t "};
  if (rng.below(2)) return "";
  return kSpaces[rng.below(6)];
}

// Builds a random tree and writes it twice: `json` with random whitespace
// between tokens, `compact` without.
std::unique_ptr<Node> random_value(Random& rng, int depth, std::string& json, std::string& compact) {
  auto node = std::make_unique<Node>();
  uint32_t pick = rng.below(depth > 4 ? 7 : 10);
  auto both = [&](const std::string& s) {
    json += s;
    compact += s;
  };
  switch (pick) {
    case 0: node->kind = Node::Null; both("null"); break;
    case 1: node->kind = Node::Bool; node->b = rng.below(2) == 1; both(node->b ? "true" : "false"); break;
    case 2: {
      node->kind = Node::Int;
      node->i = int64_t(rng.next()) >> rng.below(64);
      both(std::to_string(node->i));
      break;
    }
    case 3: {
      node->kind = Node::Uint;  // above INT64_MAX, so simdjson keeps it unsigned
      node->u = (rng.next() | (uint64_t(1) << 63));
      both(std::to_string(node->u));
      break;
    }
    case 4: {
      node->kind = Node::Double;
      int64_t mantissa = int64_t(rng.next() >> 11) - (int64_t(1) << 52);
      node->d = double(mantissa) * std::pow(10.0, double(int(rng.below(40)) - 30));
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", node->d);
      std::string text = buf;
      if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
      both(text);
      break;
    }
    case 5:
    case 6: {
      node->kind = Node::String;
      std::string piece;
      node->s = random_string(rng, piece);
      both(piece);
      break;
    }
    default: {  // an array (7, 8) or an object
      bool object = pick > 8;
      node->kind = object ? Node::Object : Node::Array;
      both(object ? "{" : "[");
      uint32_t n = rng.below(6);
      for (uint32_t k = 0; k < n; ++k) {
        if (k) both(",");
        json += whitespace(rng);
        std::string key;
        if (object) {
          std::string key_json;
          key = random_string(rng, key_json);
          both(key_json);
          json += whitespace(rng);
          both(":");
          json += whitespace(rng);
        }
        node->children.emplace_back(key, random_value(rng, depth + 1, json, compact));
        json += whitespace(rng);
      }
      both(object ? "}" : "]");
      break;
    }
  }
  return node;
}

// Whether simdjson's element holds exactly the tree; `where` says what differs.
bool same(const Node& node, element e, std::string& where) {
  auto fail = [&](const char* what) {
    where = what;
    return false;
  };
  switch (node.kind) {
    case Node::Null: return e.is_null() || fail("null");
    case Node::Bool: return (e.is_bool() && bool(e.get_bool().value()) == node.b) || fail("bool");
    case Node::Int: return (e.type() == element_type::INT64 && e.get_int64().value() == node.i) || fail("int64");
    case Node::Uint: return (e.type() == element_type::UINT64 && e.get_uint64().value() == node.u) || fail("uint64");
    case Node::Double: return (e.type() == element_type::DOUBLE && e.get_double().value() == node.d) || fail("double");
    case Node::String: return (e.is_string() && e.get_string().value() == node.s) || fail("string");
    case Node::Array:
    case Node::Object: {
      // the element's members in order (an array's with empty keys)
      std::vector<std::pair<std::string_view, element>> members;
      if (node.kind == Node::Array) {
        if (!e.is_array()) return fail("array");
        simdjson::dom::array arr = e.get_array().value();
        for (element child : arr) members.emplace_back(std::string_view(), child);
      } else {
        if (!e.is_object()) return fail("object");
        simdjson::dom::object obj = e.get_object().value();
        for (auto field : obj) members.emplace_back(field.key, field.value);
      }
      if (members.size() != node.children.size()) return fail("size");
      for (size_t k = 0; k < members.size(); ++k) {
        if (members[k].first != node.children[k].first) return fail("key");
        if (!same(*node.children[k].second, members[k].second, where)) return false;
      }
      return true;
    }
  }
  return fail("kind");
}

}  // namespace

TEST_CASE("simdjson: the kernel under test is the build's own", "[simdjson]") {
#if defined(__EMSCRIPTEN__)
  // The wasm build compiles simdjson with our SIMD128 kernel only.
  CHECK(simdjson::get_active_implementation()->name() == "wasm");
#else
  CHECK(simdjson::get_active_implementation()->name() != "unsupported");
#endif
}

TEST_CASE("simdjson: random trees round-trip exactly", "[simdjson]") {
  simdjson::dom::parser parser;
  Random rng{0x9E3779B97F4A7C15ULL};
  for (int doc = 0; doc < 600; ++doc) {
    std::string json;
    std::string compact;
    // leading spaces move everything across the 64-byte blocks
    json.assign(rng.below(70), ' ');
    auto tree = random_value(rng, 0, json, compact);
    auto [error, root] = parse(parser, json);
    INFO("document " << doc << ": " << json);
    REQUIRE(error == simdjson::SUCCESS);
    std::string where;
    bool equal = same(*tree, root, where);
    CAPTURE(where);
    CHECK(equal);

    // minify drops exactly the whitespace between tokens
    std::vector<char> out(json.size() + simdjson::SIMDJSON_PADDING);
    size_t out_len = 0;
    REQUIRE(simdjson::minify(json.data(), json.size(), out.data(), out_len) == simdjson::SUCCESS);
    CHECK(std::string(out.data(), out_len) == compact);
  }
}

TEST_CASE("simdjson: escapes and backslash runs at every offset of a block", "[simdjson]") {
  simdjson::dom::parser parser;
  // {JSON text of a string, its decoded value}
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("\\")", "\\"},
      {R"("\\\\")", "\\\\"},
      {R"("\\\\\\\"")", "\\\\\\\""},
      {R"("\"")", "\""},
      {R"("\"\\\"\\\\\"")", "\"\\\"\\\\\""},
      {"\"a" + std::string(128, '\\') + "b\"", "a" + std::string(64, '\\') + "b"},
      {R"("\u00e9\u20ac\ud83d\ude00\u0000\u001f")", std::string("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") + '\0' + "\x1F"},
      {R"("\b\f\n\r\t\/")", "\b\f\n\r\t/"},
      {R"("{[,:]}")", "{[,:]}"},
      {R"("\uD834\uDD1E")", "\xF0\x9D\x84\x9E"},
  };
  for (const auto& [text, expected] : cases) {
    for (size_t pad = 0; pad < 140; ++pad) {
      // the string as an array element, a key and a value, after `pad` spaces
      std::string doc = std::string(pad, ' ') + "[" + text + ",{" + text + ":" + text + "}," + text + "]";
      INFO(doc);
      auto [error, root] = parse(parser, doc);
      REQUIRE(error == simdjson::SUCCESS);
      auto arr = root.get_array().value();
      REQUIRE(arr.size() == 3);
      CHECK(arr.at(0).get_string().value() == expected);
      simdjson::dom::object obj = arr.at(1).get_object().value();
      auto field = *obj.begin();
      CHECK(field.key == expected);
      CHECK(field.value.get_string().value() == expected);
      CHECK(arr.at(2).get_string().value() == expected);
    }
  }
}

TEST_CASE("simdjson: a quote after an even or odd backslash run, across a block end", "[simdjson]") {
  simdjson::dom::parser parser;
  for (size_t run = 1; run <= 10; ++run) {
    for (size_t before = 0; before < 140; ++before) {
      std::string content = std::string(before, 'x') + std::string(run, '\\');
      std::string doc = "[\"" + content + "\",1]";
      INFO("run " << run << ", before " << before);
      auto [error, root] = parse(parser, doc);
      if (run % 2 == 0) {
        // the backslashes pair up: the quote closes the string
        REQUIRE(error == simdjson::SUCCESS);
        auto arr = root.get_array().value();
        REQUIRE(arr.size() == 2);
        CHECK(arr.at(0).get_string().value() == std::string(before, 'x') + std::string(run / 2, '\\'));
        CHECK(arr.at(1).get_int64().value() == 1);
      } else {
        // the quote is escaped: the string never closes
        CHECK(error == simdjson::UNCLOSED_STRING);
      }
    }
  }
}

TEST_CASE("simdjson: UTF-8, valid and invalid, at every offset", "[simdjson]") {
  simdjson::dom::parser parser;
  const std::vector<std::string> valid = {"\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80", "\xEF\xBF\xBF",
                                          "\xF4\x8F\xBF\xBF", "\xDF\xBF", "\xE0\xA0\x80"};
  const std::vector<std::string> invalid = {
      "\xFF",              // never in UTF-8
      "\x80",              // a continuation byte alone
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong
      "\xED\xA0\x80",      // a UTF-16 surrogate
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xF5\x80\x80\x80",  // lead byte out of range
      "\xE2\x82",          // truncated (followed by ASCII)
      "\xF0\x9F\x98",      // truncated
      "\xC3\xA9\xA9",      // one continuation too many
  };
  for (size_t offset = 0; offset < 140; ++offset) {
    std::string head(offset, 'a');
    std::string tail(70, 'b');
    for (const auto& seq : valid) {
      auto [error, root] = parse(parser, "[\"" + head + seq + tail + "\"]");
      REQUIRE(error == simdjson::SUCCESS);
      CHECK(root.at(0).get_string().value() == head + seq + tail);
    }
    for (const auto& seq : invalid) {
      INFO("offset " << offset << ", sequence of " << seq.size() << " bytes");
      CHECK(parse(parser, "[\"" + head + seq + tail + "\"]").first == simdjson::UTF8_ERROR);
      // at the very end of the string, and of the document
      CHECK(parse(parser, "[\"" + head + seq + "\"]").first == simdjson::UTF8_ERROR);
      CHECK(!simdjson::validate_utf8(head + seq));
    }
    CHECK(simdjson::validate_utf8(head + valid[2] + tail));
  }
}

TEST_CASE("simdjson: numbers of every shape", "[simdjson]") {
  simdjson::dom::parser parser;
  struct IntCase { const char* text; int64_t value; };
  for (const auto& c : std::vector<IntCase>{{"0", 0},
                                           {"-1", -1},
                                           {"7", 7},
                                           {"12345678", 12345678},
                                           {"123456789012345678", 123456789012345678LL},
                                           {"9223372036854775807", INT64_MAX},
                                           {"-9223372036854775808", INT64_MIN}}) {
    INFO(c.text);
    auto [error, root] = parse(parser, std::string("[") + c.text + "]");
    REQUIRE(error == simdjson::SUCCESS);
    CHECK(root.at(0).value().type() == element_type::INT64);
    CHECK(root.at(0).get_int64().value() == c.value);
  }
  {
    auto [error, root] = parse(parser, "[18446744073709551615, 9223372036854775808]");
    REQUIRE(error == simdjson::SUCCESS);
    CHECK(root.at(0).get_uint64().value() == UINT64_MAX);
    CHECK(root.at(1).get_uint64().value() == uint64_t(1) << 63);
  }
  struct DoubleCase { const char* text; double value; };
  for (const auto& c : std::vector<DoubleCase>{{"0.0", 0.0},
                                              {"0.1", 0.1},
                                              {"-1.5", -1.5},
                                              {"1e10", 1e10},
                                              {"1E+2", 100.0},
                                              {"1e-10", 1e-10},
                                              {"123.456e-7", 123.456e-7},
                                              {"3.141592653589793", 3.141592653589793},
                                              {"1.7976931348623157e308", DBL_MAX},
                                              {"2.2250738585072014e-308", DBL_MIN},
                                              {"4.9406564584124654e-324", 4.9406564584124654e-324},
                                              {"0.12345678901234567890123", 0.12345678901234567890123},
                                              {"98765432109876543210.5e-3", 98765432109876543210.5e-3}}) {
    INFO(c.text);
    auto [error, root] = parse(parser, std::string("[") + c.text + "]");
    REQUIRE(error == simdjson::SUCCESS);
    CHECK(root.at(0).value().type() == element_type::DOUBLE);
    CHECK(root.at(0).get_double().value() == c.value);
  }
  // not JSON numbers (RFC 8259 grammar), outside double's range, or integers
  // outside 64 bits (which simdjson refuses rather than rounds)
  for (const char* bad : {"18446744073709551616", "-9223372036854775809", "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5e400", "-1e400", "--1", "1..2", "NaN", "Infinity"}) {
    INFO(bad);
    CHECK(parse(parser, std::string("[") + bad + "]").first != simdjson::SUCCESS);
  }
}

TEST_CASE("simdjson: nesting up to the parser's depth limit, and one past it", "[simdjson]") {
  simdjson::dom::parser parser;  // depth limit 1024
  for (size_t depth : {1u, 63u, 64u, 65u, 1000u}) {
    std::string doc = std::string(depth, '[') + std::string(depth, ']');
    CHECK(parse(parser, doc).first == simdjson::SUCCESS);
    std::string objects;
    for (size_t k = 0; k < depth; ++k) objects += "{\"k\":";
    objects += "1" + std::string(depth, '}');
    CHECK(parse(parser, objects).first == simdjson::SUCCESS);
  }
  CHECK(parse(parser, std::string(1024, '[') + std::string(1024, ']')).first == simdjson::SUCCESS);
  CHECK(parse(parser, std::string(1025, '[') + std::string(1025, ']')).first == simdjson::DEPTH_ERROR);
}

TEST_CASE("simdjson: invalid documents fail", "[simdjson]") {
  simdjson::dom::parser parser;
  CHECK(parse(parser, "").first == simdjson::EMPTY);
  CHECK(parse(parser, "   \n\t ").first == simdjson::EMPTY);
  CHECK(parse(parser, "[\"abc").first == simdjson::UNCLOSED_STRING);
  CHECK(parse(parser, "[\"a\x01" "b\"]").first == simdjson::UNESCAPED_CHARS);
  CHECK(parse(parser, "[tru]").first == simdjson::T_ATOM_ERROR);
  CHECK(parse(parser, "[fals]").first == simdjson::F_ATOM_ERROR);
  CHECK(parse(parser, "[nul]").first == simdjson::N_ATOM_ERROR);
  CHECK(parse(parser, "[\"\\x\"]").first == simdjson::STRING_ERROR);
  CHECK(parse(parser, "[\"\\ud800\"]").first == simdjson::STRING_ERROR);  // a lone high surrogate
  CHECK(parse(parser, "[\"\\u12\"]").first == simdjson::STRING_ERROR);
  for (const char* bad : {"{", "}", "[", "]", "[1,]", "[1 2]", "{\"a\":1,}", "{\"a\" 1}", "{1:2}", "[1]]",
                          "[[1]", "{\"a\":}", "[,1]", "1 2", "{\"a\":1 \"b\":2}", "[\"a\":1]", "{\"a\",1}"}) {
    INFO(bad);
    CHECK(parse(parser, bad).first != simdjson::SUCCESS);
    // the same, pushed across a block boundary
    CHECK(parse(parser, std::string(61, ' ') + bad).first != simdjson::SUCCESS);
  }
}
