// SPDX-License-Identifier: Apache-2.0
#include "consent_file.hpp"

#include "commands.hpp"
#include "file_io.hpp"

namespace chartlock::cli {

Consent read_consent_file(const std::string& path) {
  try {
    return consent_from_json(read_file(path));
  } catch (const ConsentError& e) {
    throw BadInput(path + ": " + e.what());
  }
}

}  // namespace chartlock::cli
