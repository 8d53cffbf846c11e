#include <simdjson.h>

#include "fhir/resource_readers.hpp"
#include "text/base64.hpp"

namespace chartlock::fhir {

namespace {

// Inline text larger than this stays in the raw resource only: the record is
// for reading and summarizing, not for carrying scanned charts.
constexpr std::size_t max_inline_text = std::size_t{4} * 1024 * 1024;

bool is_textual(std::string_view content_type) {
  auto starts = [&](std::string_view p) { return content_type.substr(0, p.size()) == p; };
  return starts("text/") || starts("application/json") || starts("application/fhir+json") ||
         starts("application/xml") || starts("application/fhir+xml");
}

Document::Attachment read_attachment(Diagnostics& d, object a, const Path& at) {
  Document::Attachment att;
  att.contentType = string_or_empty(d, a, "contentType", at);
  att.title = string_or_empty(d, a, "title", at);
  att.url = string_or_empty(d, a, "url", at);
  if (auto size = get_number(d, a, "size", at); size && *size >= 0) {
    att.size = static_cast<std::uint64_t>(*size);
  }
  auto data = get_string(d, a, "data", at);
  if (!data) return att;
  if (!is_textual(att.contentType)) {
    att.hasBinary = true;
    return att;
  }
  auto decoded = text::base64_decode(*data, max_inline_text);
  if (!decoded) {
    d.warn(DiagnosticCode::invalid_value, at / "data",
           "attachment data is not valid base64 or is larger than 4 MiB; kept in the raw resource only");
    att.hasBinary = true;
  } else if (!simdjson::validate_utf8(decoded->data(), decoded->size())) {
    d.warn(DiagnosticCode::invalid_value, at / "data",
           "attachment says it is text but is not valid UTF-8; kept in the raw resource only");
    att.hasBinary = true;
  } else {
    att.text = std::move(*decoded);
  }
  return att;
}

}  // namespace

bool read_document(ResourceInput& in) {
  Document doc;
  for_each_object(in.d, in.resource, "content", in.at, [&](object c, const Path& p) {
    if (auto a = get_object(in.d, c, "attachment", p)) {
      doc.attachments.push_back(read_attachment(in.d, *a, p / "attachment"));
    }
  });
  if (doc.attachments.empty()) {
    in.missing("DocumentReference", "content.attachment");
    return false;
  }
  static_cast<ItemBase&>(doc) = std::move(in.base);
  doc.type = get_concept(in.d, in.resource, "type", in.at);
  doc.status = string_or_empty(in.d, in.resource, "status", in.at);
  if (doc.status.empty()) in.missing("DocumentReference", "status");
  doc.category = get_concept_codes(in.d, in.resource, "category", in.at);
  doc.date = get_date_time(in.d, in.resource, "date", in.at);
  doc.description = string_or_empty(in.d, in.resource, "description", in.at);
  if (auto ctx = get_object(in.d, in.resource, "context", in.at)) {
    const Path cp = in.at / "context";
    // R4 allows several encounters; the first is the visit the note belongs to.
    std::vector<RawReference> encounters = get_references(in.d, *ctx, "encounter", cp);
    if (!encounters.empty()) {
      in.ref(Kind::document, RefSlot::encounter, std::move(encounters.front()));
    }
  }
  in.draft.documents.push_back(std::move(doc));
  return true;
}

}  // namespace chartlock::fhir
