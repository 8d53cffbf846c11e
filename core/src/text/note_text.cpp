// SPDX-License-Identifier: Apache-2.0
#include "text/note_text.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "text/markup.hpp"
#include "text/utf8.hpp"

namespace chartlock::text {

namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c | 0x20) : c; }

bool istarts(std::string_view s, std::string_view lower_prefix) {
  if (s.size() < lower_prefix.size()) return false;
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (lower(s[i]) != lower_prefix[i]) return false;
  }
  return true;
}

bool icontains(std::string_view s, std::string_view lower_needle) {
  for (std::size_t i = 0; i + lower_needle.size() <= s.size(); ++i) {
    if (istarts(s.substr(i), lower_needle)) return true;
  }
  return false;
}

std::string_view trim_left(std::string_view s) {
  // A UTF-8 byte order mark, then whitespace.
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  while (!s.empty() && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')) s.remove_prefix(1);
  return s;
}

// Windows-1252's 0x80..0x9F; the rest of the high half is Latin-1.
std::uint32_t cp1252(unsigned char b) {
  static constexpr std::array<std::uint16_t, 32> high{
      0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
  if (b >= 0x80 && b <= 0x9F) return high[b - 0x80];
  return b;
}

bool valid_utf8(std::string_view s) { return simdjson::validate_utf8(s.data(), s.size()); }

// ---- RTF ---------------------------------------------------------------

// Destinations whose text is not the document's words.
bool skipped_destination(std::string_view word) {
  static constexpr std::array<std::string_view, 38> skipped{
      "fonttbl",   "colortbl", "stylesheet", "info",       "pict",        "object",   "header",
      "headerl",   "headerr",  "headerf",    "footer",     "footerl",     "footerr",  "footerf",
      "footnote",  "fldinst",  "xmlnstbl",   "listtable",  "listoverridetable", "rsidtbl", "generator",
      "themedata", "colorschememapping", "datastore", "latentstyles", "pgdsctbl", "filetbl", "revtbl",
      "mmathPr",   "bkmkstart", "bkmkend",   "nonshppict", "shppict",    "objdata",  "template",
      "userprops", "docvar",   "private"};
  for (std::string_view s : skipped) {
    if (s == word) return true;
  }
  return false;
}

struct RtfGroup {
  bool skip = false;
  int uc = 1;  // characters that stand in for each \uN
};

}  // namespace

std::string to_utf8(std::string_view bytes, bool& was_utf8) {
  was_utf8 = valid_utf8(bytes);
  if (was_utf8) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char c : bytes) append_utf8(out, cp1252(static_cast<unsigned char>(c)));
  return out;
}

std::string tidy_paragraphs(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t blank = 0;  // blank lines seen since the last written line
  bool any = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string line;
    bool space = false;
    for (std::size_t i = pos; i < end; ++i) {
      const char c = text[i];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
        space = true;
        continue;
      }
      if (space && !line.empty()) line += ' ';
      space = false;
      line += c;
    }
    if (line.empty()) {
      ++blank;
    } else {
      if (any) out += blank > 0 ? "\n\n" : "\n";
      out += line;
      any = true;
      blank = 0;
    }
    pos = end + 1;
  }
  return out;
}

std::string html_to_text(std::string_view html) {
  // Line breaks in HTML source are spaces; the tags say where lines break.
  std::string flat(html);
  for (char& c : flat) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return tidy_paragraphs(strip_markup(flat));
}

std::optional<std::string> rtf_to_text(std::string_view rtf, std::string& why) {
  if (rtf.size() > kMaxNoteBytes) {
    why = "RTF larger than 4 MiB; not read";
    return std::nullopt;
  }
  rtf = trim_left(rtf);
  if (rtf.substr(0, 5) != "{\\rtf") {
    why = "does not start as RTF does ({\\rtf); not read";
    return std::nullopt;
  }
  std::string out;
  out.reserve(rtf.size() / 2);
  std::vector<RtfGroup> groups;
  groups.reserve(16);
  RtfGroup state;
  int fallback = 0;  // characters still to skip after a \uN
  std::uint32_t high_surrogate = 0;
  std::size_t i = 0;
  const std::size_t n = rtf.size();
  auto put_cp = [&](std::uint32_t cp) {
    if (fallback > 0) {
      --fallback;
      return;
    }
    if (!state.skip) append_utf8(out, cp);
  };
  auto put_text = [&](std::string_view s) {
    if (fallback > 0) {
      --fallback;
      return;
    }
    if (!state.skip) out += s;
  };
  while (i < n) {
    const char c = rtf[i];
    if (c == '{') {
      if (groups.size() >= kMaxNoteDepth) {
        why = "RTF groups nested more than 64 deep; not read";
        return std::nullopt;
      }
      groups.push_back(state);
      fallback = 0;
      ++i;
      continue;
    }
    if (c == '}') {
      if (groups.empty()) break;  // the document's own group closed: the rest is not RTF
      state = groups.back();
      groups.pop_back();
      fallback = 0;
      ++i;
      if (groups.empty()) break;
      continue;
    }
    if (c == '\r' || c == '\n') {
      ++i;
      continue;
    }
    if (c != '\\') {
      put_cp(cp1252(static_cast<unsigned char>(c)));
      ++i;
      continue;
    }
    // A control word or symbol.
    if (i + 1 >= n) break;
    const char s = rtf[i + 1];
    const bool letter = (s >= 'a' && s <= 'z') || (s >= 'A' && s <= 'Z');
    if (!letter) {
      i += 2;
      switch (s) {
        case '\\': put_text("\\"); break;
        case '{': put_text("{"); break;
        case '}': put_text("}"); break;
        case '~': put_text(" "); break;
        case '_': put_text("-"); break;
        case '-': break;  // an optional hyphen
        case '*': state.skip = true; break;  // an ignorable destination
        case '\n':
        case '\r': put_text("\n\n"); break;
        case '\'': {
          auto hex = [](char h) -> int {
            if (h >= '0' && h <= '9') return h - '0';
            if (h >= 'a' && h <= 'f') return h - 'a' + 10;
            if (h >= 'A' && h <= 'F') return h - 'A' + 10;
            return -1;
          };
          if (i + 1 < n && hex(rtf[i]) >= 0 && hex(rtf[i + 1]) >= 0) {
            put_cp(cp1252(static_cast<unsigned char>(hex(rtf[i]) * 16 + hex(rtf[i + 1]))));
            i += 2;
          }
          break;
        }
        default: break;
      }
      continue;
    }
    std::size_t j = i + 1;
    while (j < n && j - i <= 32 && ((rtf[j] >= 'a' && rtf[j] <= 'z') || (rtf[j] >= 'A' && rtf[j] <= 'Z'))) ++j;
    const std::string_view word = rtf.substr(i + 1, j - i - 1);
    bool has_param = false;
    bool negative = false;
    long param = 0;
    if (j < n && rtf[j] == '-') {
      negative = true;
      ++j;
    }
    std::size_t digits = 0;
    while (j < n && rtf[j] >= '0' && rtf[j] <= '9') {
      if (digits < 10) param = param * 10 + (rtf[j] - '0');
      ++digits;
      ++j;
    }
    has_param = digits > 0;
    if (negative) param = -param;
    if (j < n && rtf[j] == ' ') ++j;  // the delimiter belongs to the word
    i = j;

    if (word == "bin") {  // binary data follows: skip it
      const std::size_t len = has_param && param > 0 ? static_cast<std::size_t>(param) : 0;
      i = len > n - i ? n : i + len;
      continue;
    }
    if (word == "u" && has_param) {
      long v = param;
      if (v < 0) v += 65536;
      std::uint32_t cp = static_cast<std::uint32_t>(v) & 0xFFFF;
      // Outside the BMP: a surrogate pair, as two \u words.
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        high_surrogate = cp;
        fallback = state.uc;
        continue;
      }
      if (cp >= 0xDC00 && cp <= 0xDFFF && high_surrogate != 0) {
        cp = 0x10000 + ((high_surrogate - 0xD800) << 10) + (cp - 0xDC00);
      }
      high_surrogate = 0;
      if (!state.skip) append_utf8(out, cp);
      fallback = state.uc;
      continue;
    }
    if (word == "uc") {
      state.uc = has_param && param >= 0 && param <= 8 ? static_cast<int>(param) : 1;
      continue;
    }
    if (skipped_destination(word)) {
      state.skip = true;
      continue;
    }
    if (word == "par" || word == "sect" || word == "page") put_text("\n\n");
    else if (word == "line" || word == "row") put_text("\n");
    else if (word == "tab" || word == "cell") put_text(" ");
    else if (word == "emdash" || word == "endash") put_text("-");
    else if (word == "lquote" || word == "rquote") put_text("'");
    else if (word == "ldblquote" || word == "rdblquote") put_text("\"");
    else if (word == "bullet") put_text("\xE2\x80\xA2");
    // Every other control word formats; it carries no words.
  }
  return tidy_paragraphs(out);
}

std::optional<std::string> cda_narrative(std::string_view xml, std::string& why) {
  if (xml.size() > kMaxNoteBytes) {
    why = "XML larger than 4 MiB; not read";
    return std::nullopt;
  }
  if (icontains(xml, "<!doctype") || icontains(xml, "<!entity")) {
    why = "XML that declares a DOCTYPE or entities is refused; not read";
    return std::nullopt;
  }
  // A light reader: elements by their local name (any prefix), a stack of
  // open elements bounded in depth; the title of the document and of each
  // section, and each section's <text> with its narrative markup stripped.
  std::string out;
  std::vector<std::string_view> open;
  bool root_seen = false;
  std::size_t i = 0;
  const std::size_t n = xml.size();
  auto local = [](std::string_view name) {
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
  };
  while (i < n) {
    const std::size_t lt = xml.find('<', i);
    if (lt == std::string_view::npos) break;
    if (xml.substr(lt, 4) == "<!--") {
      const std::size_t end = xml.find("-->", lt + 4);
      i = end == std::string_view::npos ? n : end + 3;
      continue;
    }
    if (xml.substr(lt, 9) == "<![CDATA[") {
      const std::size_t end = xml.find("]]>", lt + 9);
      i = end == std::string_view::npos ? n : end + 3;
      continue;
    }
    const std::size_t gt = xml.find('>', lt + 1);
    if (gt == std::string_view::npos) break;
    std::string_view tag = xml.substr(lt + 1, gt - lt - 1);
    i = gt + 1;
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    const bool closing = tag[0] == '/';
    if (closing) tag.remove_prefix(1);
    const bool self_closing = !tag.empty() && tag.back() == '/';
    std::size_t name_end = 0;
    while (name_end < tag.size() && tag[name_end] != ' ' && tag[name_end] != '\t' && tag[name_end] != '\n' &&
           tag[name_end] != '\r' && tag[name_end] != '/') {
      ++name_end;
    }
    const std::string_view name = local(tag.substr(0, name_end));
    if (closing) {
      // Close up to the matching element (forgiving of unclosed ones).
      for (std::size_t k = open.size(); k > 0; --k) {
        if (open[k - 1] == name) {
          open.resize(k - 1);
          break;
        }
      }
      continue;
    }
    if (!root_seen) {
      root_seen = true;
      if (name != "ClinicalDocument") {
        why = "XML that is not a C-CDA ClinicalDocument; not read";
        return std::nullopt;
      }
    }
    if (self_closing) continue;
    if ((name == "title" && (open.size() == 1 || (!open.empty() && open.back() == "section"))) ||
        (name == "text" && !open.empty() && open.back() == "section")) {
      // Capture up to the matching close tag, by local name.
      std::size_t depth = 1;
      std::size_t k = i;
      std::size_t content_end = n;
      while (k < n) {
        const std::size_t a = xml.find('<', k);
        if (a == std::string_view::npos) break;
        const std::size_t b = xml.find('>', a + 1);
        if (b == std::string_view::npos) break;
        std::string_view t = xml.substr(a + 1, b - a - 1);
        const bool cl = !t.empty() && t[0] == '/';
        if (cl) t.remove_prefix(1);
        std::size_t e = 0;
        while (e < t.size() && t[e] != ' ' && t[e] != '\t' && t[e] != '\n' && t[e] != '\r' && t[e] != '/') ++e;
        if (local(t.substr(0, e)) == name && !(t.size() > 0 && t.back() == '/')) {
          if (cl && --depth == 0) {
            content_end = a;
            k = b + 1;
            break;
          }
          if (!cl && ++depth > kMaxNoteDepth) {
            why = "XML nested more than 64 deep; not read";
            return std::nullopt;
          }
        }
        k = b + 1;
      }
      const std::string_view content = xml.substr(i, content_end - i);
      const std::string words = html_to_text(content);
      if (!words.empty()) {
        if (!out.empty()) out += "\n\n";
        out += words;
      }
      i = content_end == n ? n : k;
      continue;
    }
    if (open.size() >= kMaxNoteDepth * 4) {
      why = "XML nested more than 256 deep; not read";
      return std::nullopt;
    }
    open.push_back(name);
  }
  if (!root_seen) {
    why = "no XML element found; not read";
    return std::nullopt;
  }
  return tidy_paragraphs(out);
}

NoteFormat note_format(std::string_view content_type, std::string_view bytes) {
  const std::string_view head = trim_left(bytes.substr(0, 512));
  if (istarts(content_type, "application/pdf") || head.substr(0, 5) == "%PDF-") return NoteFormat::pdf;
  if (head.substr(0, 5) == "{\\rtf" || istarts(content_type, "application/rtf") || istarts(content_type, "text/rtf")) {
    return NoteFormat::rtf;
  }
  if (istarts(content_type, "text/html") || istarts(content_type, "application/xhtml")) return NoteFormat::html;
  const bool xml_type = icontains(content_type.substr(0, content_type.find(';')), "xml");
  if (xml_type || (istarts(content_type, "text/") && head.substr(0, 1) == "<")) {
    if (icontains(bytes.substr(0, 4096), "clinicaldocument")) return NoteFormat::cda;
    if (xml_type) return NoteFormat::xml;
    if (icontains(head, "<html") || icontains(head, "<!doctype html")) return NoteFormat::html;
  }
  if (istarts(content_type, "text/")) return NoteFormat::plain;
  return NoteFormat::binary;
}

const char* to_string(NoteFormat format) {
  switch (format) {
    case NoteFormat::plain: return "text";
    case NoteFormat::html: return "html";
    case NoteFormat::rtf: return "rtf";
    case NoteFormat::cda: return "cda";
    case NoteFormat::xml: return "xml";
    case NoteFormat::pdf: return "pdf";
    case NoteFormat::binary: return "binary";
  }
  return "binary";
}

NoteText note_text(std::string_view content_type, std::string_view bytes) {
  NoteText r;
  const NoteFormat format = note_format(content_type, bytes);
  if (format == NoteFormat::pdf) {
    r.note = "PDF; not read";
    return r;
  }
  if (format == NoteFormat::binary) {
    r.note = "not text; not read";
    return r;
  }
  if (bytes.size() > kMaxNoteBytes) {
    r.note = "larger than 4 MiB; not read";
    return r;
  }
  std::string why;
  std::optional<std::string> text;
  bool utf8 = true;
  switch (format) {
    case NoteFormat::rtf:
      text = rtf_to_text(bytes, why);  // RTF is 7-bit; its own escapes say the encoding
      break;
    case NoteFormat::html:
      text = html_to_text(to_utf8(bytes, utf8));
      break;
    case NoteFormat::cda:
      text = cda_narrative(to_utf8(bytes, utf8), why);
      break;
    case NoteFormat::xml: {
      const std::string decoded = to_utf8(bytes, utf8);
      if (icontains(decoded, "<!doctype") || icontains(decoded, "<!entity")) {
        why = "XML that declares a DOCTYPE or entities is refused; not read";
      } else {
        text = html_to_text(decoded);
      }
      break;
    }
    default: {
      std::string decoded = to_utf8(bytes, utf8);
      decoded.erase(std::remove(decoded.begin(), decoded.end(), '\r'), decoded.end());
      text = std::move(decoded);
      break;
    }
  }
  if (!text) {
    r.note = why;
    return r;
  }
  r.text = std::move(*text);
  r.read = true;
  if (!utf8) r.note = "not UTF-8; read as Windows-1252";
  return r;
}

}  // namespace chartlock::text
