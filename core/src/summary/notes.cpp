// SPDX-License-Identifier: Apache-2.0
// Clinical notes in the summary: how many, the most recent, what kinds.
#include <algorithm>
#include <map>

#include "summary/civil_date.hpp"
#include "summary/clinical_lists.hpp"
#include "summary/observations.hpp"
#include "summary/plain_text.hpp"

namespace chartlock::summary {

namespace {

bool listed(const std::string& status) { return status != "entered-in-error"; }

void read_attachments(NoteItem& item, const std::vector<Attachment>& attachments) {
  for (const Attachment& a : attachments) {
    if (!a.text.empty() && !item.read) {
      item.read = true;
      item.format = a.format;
      if (item.title.empty()) item.title = a.title;
    }
  }
  if (item.format.empty() && !attachments.empty()) item.format = attachments.front().format;
  if (item.title.empty() && !attachments.empty()) item.title = attachments.front().title;
}

}  // namespace

NotesSummary clinical_notes(const Context& ctx) {
  std::vector<NoteItem> notes;
  for (const Document& d : ctx.record.documents) {
    if (!listed(d.status)) continue;
    NoteItem item;
    item.key = d.key;
    item.date = date_part(d.date);
    item.kind = concept_label(d.type, prefer::loinc());
    if (item.kind.empty()) item.kind = "Clinical note";
    if (!d.authors.empty()) item.author = d.authors.front();
    item.title = d.description;
    read_attachments(item, d.attachments);
    item.sources = source_names(d.sources);
    notes.push_back(std::move(item));
  }
  for (const Report& r : ctx.record.reports) {
    if (r.presentedForm.empty() || !listed(r.status)) continue;
    NoteItem item;
    item.key = r.key;
    item.date = date_part(!r.effective.start.empty() ? r.effective.start : r.issued);
    item.kind = concept_label(r.code, prefer::loinc());
    if (item.kind.empty()) item.kind = "Report";
    read_attachments(item, r.presentedForm);
    item.sources = source_names(r.sources);
    notes.push_back(std::move(item));
  }
  NotesSummary out;
  out.count = notes.size();
  std::map<std::string, std::size_t> kinds;
  for (const NoteItem& n : notes) {
    if (!n.read) ++out.unread;
    ++kinds[n.kind];
    // Newest by date as written; the first listed wins a tie.
    if (!out.most_recent || (!n.date.empty() && n.date > out.most_recent->date)) out.most_recent = n;
  }
  for (const auto& [kind, count] : kinds) out.kinds.push_back({kind, count});
  std::stable_sort(out.kinds.begin(), out.kinds.end(),
                   [](const NoteKind& a, const NoteKind& b) { return a.count > b.count; });
  return out;
}

}  // namespace chartlock::summary
