// SPDX-License-Identifier: Apache-2.0
#include "received_share.hpp"

#include "chartlock/crypto/error.hpp"
#include "tool_failure.hpp"

namespace chartlock::cli {
namespace {

ToolFailure bad_bundle(const std::string& code, const std::string& what) {
  return ToolFailure(tool_exit_bad_bundle, "the bundle did not open: " + code + ": " + what);
}

}  // namespace

crypto::OpenedBundle open_received_bundle(std::string_view bundle, const crypto::KeySet& tool,
                                          const ReceiveOptions& options) {
  crypto::OpenOptions open;
  open.expected_signer = options.patient;
  open.now = options.now;
  crypto::OpenedBundle opened;
  try {
    opened = crypto::bundle_open(bundle, tool.x25519, open);
    crypto::bundle_check_received(opened, options.grant, options.min_sequence.value_or(0));
  } catch (const crypto::Error& e) {
    throw bad_bundle(crypto::to_string(e.code()), e.what());
  }
  return opened;
}

}  // namespace chartlock::cli
