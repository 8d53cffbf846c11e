// SPDX-License-Identifier: Apache-2.0
#include "text/markup.hpp"

#include <array>
#include <cstdint>

#include "text/utf8.hpp"

namespace chartlock::text {

namespace {

bool iequals_prefix(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c | 0x20);
    if (c != lower_prefix[i]) return false;
  }
  return true;
}

// "&...;" at s[0]; appends its text and returns its length, or 0 when it is
// not a reference we know (then the '&' is kept as written).
std::size_t decode_reference(std::string_view s, std::string& out) {
  const std::size_t semi = s.find(';');
  if (semi == std::string_view::npos || semi < 2 || semi > 10) return 0;
  const std::string_view name = s.substr(1, semi - 1);
  if (name[0] == '#') {
    std::uint32_t cp = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const std::string_view digits = name.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    for (char c : digits) {
      std::uint32_t d;
      if (c >= '0' && c <= '9') d = static_cast<std::uint32_t>(c - '0');
      else if (hex && c >= 'a' && c <= 'f') d = static_cast<std::uint32_t>(c - 'a' + 10);
      else if (hex && c >= 'A' && c <= 'F') d = static_cast<std::uint32_t>(c - 'A' + 10);
      else return 0;
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF) return 0;
    }
    append_utf8(out, cp);
    return semi + 1;
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> named{{
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"},
      {"nbsp", " "}, {"ndash", "-"}, {"mdash", "-"}, {"shy", ""},
  }};
  for (const auto& [n, text] : named) {
    if (n == name) {
      out += text;
      return semi + 1;
    }
  }
  return 0;
}

bool is_block(std::string_view tag) {
  // The last four are C-CDA narrative's own block elements.
  static constexpr std::array<std::string_view, 24> blocks{
      "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5", "h6",
      "section", "pre", "blockquote", "hr", "paragraph", "item", "list", "caption"};
  for (std::string_view b : blocks) {
    if (tag.size() == b.size() && iequals_prefix(tag, b)) return true;
  }
  return false;
}

}  // namespace

std::string strip_markup(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '&') {
      const std::size_t n = decode_reference(html.substr(i), out);
      if (n > 0) {
        i += n;
        continue;
      }
      out += c;
      ++i;
      continue;
    }
    if (c != '<') {
      out += c;
      ++i;
      continue;
    }
    const std::string_view rest = html.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      const std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    // Script and style hold no words a person reads; a page's <title> is not
    // on the page (a note's heading says it again).
    for (std::string_view skipped : {std::string_view("script"), std::string_view("style"), std::string_view("title")}) {
      if (iequals_prefix(rest.substr(1), skipped)) {
        const std::size_t after = 1 + skipped.size();
        if (after < rest.size() && (rest[after] == '>' || rest[after] == ' ' || rest[after] == '\t' ||
                                    rest[after] == '\n' || rest[after] == '/')) {
          std::size_t close = i;
          while ((close = html.find("</", close + 1)) != std::string_view::npos &&
                 !iequals_prefix(html.substr(close + 2), skipped)) {
          }
          i = close == std::string_view::npos ? html.size() : close;
          break;
        }
      }
    }
    if (i >= html.size() || html[i] != '<') continue;
    const std::size_t end = html.find('>', i + 1);
    if (end == std::string_view::npos) {  // a lone '<' is text ("BP < 120")
      out += c;
      ++i;
      continue;
    }
    std::string_view tag = html.substr(i + 1, end - i - 1);
    if (!tag.empty() && tag[0] == '/') tag.remove_prefix(1);
    std::size_t name_end = 0;
    while (name_end < tag.size() && ((tag[name_end] >= 'a' && tag[name_end] <= 'z') ||
                                     (tag[name_end] >= 'A' && tag[name_end] <= 'Z') ||
                                     (tag[name_end] >= '0' && tag[name_end] <= '9'))) {
      ++name_end;
    }
    if (name_end == 0 && !(tag.size() > 0 && (tag[0] == '!' || tag[0] == '?'))) {
      out += c;  // "a <b" that is not a tag
      ++i;
      continue;
    }
    // Inline tags join what they split ("metha<i>done</i>" reads as one word).
    if (is_block(tag.substr(0, name_end))) out += '\n';
    i = end + 1;
  }
  return out;
}

}  // namespace chartlock::text
