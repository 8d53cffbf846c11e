// SPDX-License-Identifier: Apache-2.0
#include "fhir/resource_readers.hpp"
#include "text/base64.hpp"
#include "text/note_text.hpp"

namespace chartlock::fhir {

Attachment read_attachment(Diagnostics& d, const Fields& a, const Path& at) {
  Attachment att;
  att.contentType = string_or_empty(d, a, "contentType", at);
  att.title = string_or_empty(d, a, "title", at);
  att.url = string_or_empty(d, a, "url", at);
  att.creation = get_date_time(d, a, "creation", at);
  if (auto size = get_number(d, a, "size", at); size && *size >= 0) {
    att.size = static_cast<std::uint64_t>(*size);
  }
  auto data = get_string(d, a, "data", at);
  if (!data) {
    // Held at a URL only: a PDF is said to be unread; text not fetched has no note.
    if (text::note_format(att.contentType, {}) == text::NoteFormat::pdf) {
      att.format = "pdf";
      att.note = "PDF; not read";
    }
    return att;
  }
  // Larger data stays in the raw resource only: the record is for reading
  // and summarizing, not for carrying scanned charts.
  auto decoded = text::base64_decode(*data, text::kMaxNoteBytes);
  if (!decoded) {
    d.warn(DiagnosticCode::invalid_value, at / "data",
           "attachment data is not valid base64 or is larger than 4 MiB; kept in the raw resource only");
    att.hasBinary = true;
    att.note = "not base64 or larger than 4 MiB; not read";
    return att;
  }
  if (!att.size) att.size = decoded->size();
  att.format = text::to_string(text::note_format(att.contentType, *decoded));
  text::NoteText read = text::note_text(att.contentType, *decoded);
  if (read.read && !read.note.empty()) {
    d.warn(DiagnosticCode::invalid_value, at / "data",
           "attachment says it is text but is not UTF-8; read as Windows-1252");
  }
  att.note = std::move(read.note);
  if (read.read) {
    att.text = std::move(read.text);
  } else {
    att.hasBinary = true;
  }
  return att;
}

bool read_document(ResourceInput& in) {
  Document doc;
  for_each_object(in.d, in.resource, "content", in.at, [&](const Fields& c, const Path& p) {
    if (auto a = get_fields(in.d, c, "attachment", p)) {
      doc.attachments.push_back(read_attachment(in.d, *a, p / "attachment"));
    }
  });
  if (doc.attachments.empty()) {
    in.missing("DocumentReference", "content.attachment");
    return false;
  }
  static_cast<ItemBase&>(doc) = std::move(in.base);
  doc.type = get_concept(in.d, in.resource, "type", in.at);
  doc.status = view_or_empty(in.d, in.resource, "status", in.at);
  if (doc.status.empty()) in.missing("DocumentReference", "status");
  doc.category = get_concept_codes(in.d, in.resource, "category", in.at);
  doc.date = view_date_time(in.d, in.resource, "date", in.at);
  doc.description = string_or_empty(in.d, in.resource, "description", in.at);
  // An author named only by reference gets an empty place, filled with the
  // Practitioner's or Organization's name once the source is read.
  for_each_object(in.d, in.resource, "author", in.at, [&](const Fields& a, const Path& p) {
    if (std::string name = string_or_empty(in.d, a, "display", p); !name.empty()) {
      doc.authors.push_back(std::move(name));
    } else if (const std::string_view ref = view_or_empty(in.d, a, "reference", p); !ref.empty()) {
      in.ref(Kind::document, RefSlot::name, ref, p, doc.authors.size());
      doc.authors.emplace_back();
    }
  });
  if (auto ctx = get_fields(in.d, in.resource, "context", in.at)) {
    const Path cp = in.at / "context";
    // R4 allows several encounters; the first is the visit the note belongs to.
    // Every element is still read, for its warnings.
    bool first = true;
    for_each_reference(in.d, *ctx, "encounter", cp, [&](std::string_view ref, const Path& p) {
      if (first) in.ref(Kind::document, RefSlot::encounter, ref, p);
      first = false;
    });
  }
  in.draft.documents.push_back(std::move(doc));
  return true;
}

}  // namespace chartlock::fhir
