// SPDX-License-Identifier: Apache-2.0
// How `chartlock tool` commands fail: one exit code per cause, so a tool's
// backend script can tell "not yet" from "never again" from "try later"
// without parsing messages. Documented in `chartlock tool --help` and
// docs/tool-cli.md; the codes are stable.
#pragma once

#include <stdexcept>
#include <string>

namespace chartlock::cli {

enum ToolExit : int {
  // 0 success, 1 an I/O failure, 2 bad usage or input: as every command.
  tool_exit_bad_key = 3,        // the tool's key file is unusable
  tool_exit_unreachable = 4,    // no answer: connection, TLS or timeout
  tool_exit_unauthorized = 5,   // 401: the relay refused the signature
  tool_exit_forbidden = 6,      // 403: the grant names another tool key
  tool_exit_unknown_grant = 7,  // 404 unknown-grant (or not a relay)
  tool_exit_no_bundle = 8,      // 404 no-bundle: nothing shared yet
  tool_exit_gone = 9,           // 410: revoked or expired, for good
  tool_exit_too_large = 10,     // 413, or an answer above --max-bytes
  tool_exit_rate_limited = 11,  // 429: wait Retry-After seconds
  tool_exit_relay_error = 12,   // any other answer (400, 5xx, …)
  tool_exit_bad_bundle = 13,    // the bundle did not open or verify
};

// Thrown by the tool commands; main prints the message and exits with `code`.
class ToolFailure : public std::runtime_error {
 public:
  ToolFailure(ToolExit code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ToolExit code() const noexcept { return code_; }

 private:
  ToolExit code_;
};

}  // namespace chartlock::cli
