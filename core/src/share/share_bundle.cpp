// SPDX-License-Identifier: Apache-2.0
#include <algorithm>
#include <stdexcept>

#include "chartlock/share.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_markdown.hpp"
#include "share/date_shift.hpp"
#include "share/selection.hpp"
#include "share/share_resources.hpp"

namespace chartlock {

namespace {

using json = nlohmann::ordered_json;

class Writer {
 public:
  explicit Writer(const std::map<std::string, std::string>& ids) : ids_{ids} {}

  template <class T>
  void list(const std::vector<T>& items) {
    for (const T& item : items) {
      json resource = share::resource(item, ids_);
      share::tag_sources(resource, item.sources);
      add(std::move(resource));
    }
  }

  void patient(const Patient& p) { add(share::patient_resource(p)); }

  std::map<std::string, std::uint64_t> take_counts() { return std::move(counts_); }

  std::string bundle_text() {
    json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", std::move(entries_)}};
    return bundle.dump(-1, ' ', false, json::error_handler_t::replace);
  }

 private:
  void add(json resource) {
    ++counts_[resource.value("resourceType", std::string("Resource"))];
    entries_.push_back(json{{"resource", std::move(resource)}});
  }

  share::SharedIds ids_;
  json entries_ = json::array();
  std::map<std::string, std::uint64_t> counts_;
};

}  // namespace

ShareContent build_share(const Record& record, const ShareRequest& request) {
  share::Selection selection = share::select(record, request);
  ShareContent out;
  const std::optional<int>& shift = request.consent.shift_days;
  out.patient = selection.patient;
  out.keys = std::move(selection.keys);
  out.ids = std::move(selection.ids);
  out.sources = std::move(selection.sources);
  Record& shared = selection.record;
  const std::map<std::string, std::string>& ids = selection.id_of;

  Writer write(ids);
  if (out.patient) write.patient(shared.patient);
  share::each_list(shared, shared, [&](const auto& items, auto&) { write.list(items); });
  out.counts = write.take_counts();
  out.by_category = std::move(selection.by_category);
  out.refused = std::move(selection.refused);

  SummaryOptions options;
  options.today = shift && !request.today.empty() ? share::shift_date(request.today, *shift) : request.today;
  ShareScope scope;
  scope.categories = request.consent.categories;
  scope.from = shift && !request.consent.from.empty() ? share::shift_date(request.consent.from, *shift) : request.consent.from;
  scope.to = shift && !request.consent.to.empty() ? share::shift_date(request.consent.to, *shift) : request.consent.to;
  scope.partial = selection.partial;
  scope.dates_shifted = shift.has_value();
  options.shared = std::move(scope);
  out.parts.push_back(SharePart{"records.json", "application/fhir+json", write.bundle_text()});
  out.parts.push_back(SharePart{"summary.md", "text/markdown", summary_to_markdown(summarize(shared, options))});
  return out;
}

nlohmann::ordered_json parts_to_json(const ShareContent& content) {
  json parts = json::array();
  for (const SharePart& p : content.parts) {
    parts.push_back(json{{"name", p.name}, {"mediaType", p.mediaType}, {"text", p.text}});
  }
  return json{{"parts", std::move(parts)}};
}

}  // namespace chartlock
