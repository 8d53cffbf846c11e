// SPDX-License-Identifier: Apache-2.0
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::not_a_bundle: return "not-a-bundle";
    case ErrorCode::unsupported_version: return "unsupported-version";
    case ErrorCode::truncated: return "truncated";
    case ErrorCode::tampered: return "tampered";
    case ErrorCode::wrong_recipient: return "wrong-recipient";
    case ErrorCode::wrong_key: return "wrong-key";
    case ErrorCode::wrong_signer: return "wrong-signer";
    case ErrorCode::bad_signature: return "bad-signature";
    case ErrorCode::receipt_mismatch: return "receipt-mismatch";
    case ErrorCode::wrong_grant: return "wrong-grant";
    case ErrorCode::stale_sequence: return "stale-sequence";
    case ErrorCode::expired: return "expired";
    case ErrorCode::wrong_passphrase: return "wrong-passphrase";
    case ErrorCode::wrong_recovery_key: return "wrong-recovery-key";
    case ErrorCode::no_recovery_key: return "no-recovery-key";
    case ErrorCode::malformed: return "malformed";
    case ErrorCode::invalid_argument: return "invalid-argument";
  }
  return "unknown-error";
}

}  // namespace chartlock::crypto
