// SPDX-License-Identifier: Apache-2.0
// Opening what a relay handed the tool for a grant: everything `open`
// checks (recipient, integrity, the patient's signature, the receipt digest,
// expiry), plus what only the fetcher knows — that the bundle and its
// consent receipt belong to the grant that was asked for, at the bundle's
// own version (the same check as the Node SDK's fetchShare).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/key_file.hpp"

namespace chartlock::cli {

struct ReceiveOptions {
  crypto::GrantId grant{};
  std::optional<crypto::PublicKey> patient;  // the grant's patient key: the only acceptable signer
  std::optional<std::uint64_t> min_sequence;  // refuse an older bundle than one already seen
  std::int64_t now = 0;                       // unix seconds, for the bundle's expiry
};

// ToolFailure(tool_exit_bad_bundle) naming the failed check with the crypto
// error code (tampered, wrong-recipient, wrong-signer, bad-signature,
// receipt-mismatch, expired, …), or wrong-grant / stale-sequence.
crypto::OpenedBundle open_received_bundle(std::string_view bundle, const crypto::KeySet& tool,
                                          const ReceiveOptions& options);

}  // namespace chartlock::cli
