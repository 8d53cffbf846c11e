// When the patient does not share who they are, their name and birth date
// must not travel inside the text that is shared either (a note that starts
// "Ana Silva, born 02/03/1980, …"). Every string of a shared resource is
// rewritten with those words replaced by "[redacted]".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chartlock/record.hpp"

namespace chartlock::share {

class Redactor {
 public:
  explicit Redactor(const Patient& patient);

  bool empty() const { return words_.empty() && dates_.empty(); }
  std::string text(std::string_view s) const;
  // Every string in the resource, and text attachments' decoded data.
  void resource(nlohmann::ordered_json& r) const;
  // The free text of a record's items that the summary may quote.
  void record(Record& r) const;

 private:
  std::vector<std::string> words_;  // lower case; matched whole, case-insensitively
  std::vector<std::string> dates_;  // the birth date as people write it
};

}  // namespace chartlock::share
