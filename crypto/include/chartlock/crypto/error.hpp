// SPDX-License-Identifier: Apache-2.0
// Every way opening a vault or a share bundle can fail has its own code, so
// callers (and patients) can tell a wrong key from a damaged file.
#pragma once

#include <stdexcept>
#include <string>

namespace chartlock::crypto {

enum class ErrorCode {
  not_a_bundle,         // does not start with the bundle (or vault) magic
  unsupported_version,  // a format version this build does not read
  truncated,            // ends before the format says it may (incl. a missing FINAL chunk)
  tampered,             // authentication failed: bytes were changed, dropped, reordered, duplicated or appended
  wrong_recipient,      // sealed to a different recipient key
  wrong_key,            // the key given is not a valid key (or its halves do not match)
  wrong_signer,         // signed by a key other than the one the caller expected
  bad_signature,        // the signature does not verify (content forged by someone holding the stream key)
  receipt_mismatch,     // the consent receipt does not match the digest in the header, or not its grant and version
  wrong_grant,          // opened for a grant, but sealed for another
  stale_sequence,       // older than the newest version the caller has seen
  expired,              // authentic, but past its expiry time
  wrong_passphrase,     // vault: the passphrase does not unlock it
  wrong_recovery_key,   // vault: the recovery key does not unlock it
  no_recovery_key,      // vault: opened with a recovery key, but it has none (version 1, or made without one)
  malformed,            // structurally invalid field (bad lengths, parameters out of range)
  invalid_argument,     // caller error (empty part name, bad sizes…)
};

// Stable kebab-case spelling, used in CLI messages, JSON and JS errors.
const char* to_string(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message)
      : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace chartlock::crypto
