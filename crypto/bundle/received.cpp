// SPDX-License-Identifier: Apache-2.0
// bundle_check_received: what a tool checks of a bundle it fetched for a grant.
// One implementation for the CLI and, through the wasm module, the Node SDK.
#include <nlohmann/json.hpp>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"

namespace chartlock::crypto {

void bundle_check_received(const OpenedBundle& bundle, const GrantId& grant, std::uint64_t min_sequence) {
  if (bundle.header.grant_id != grant) {
    throw Error(ErrorCode::wrong_grant, "the bundle was sealed for another grant");
  }
  if (bundle.header.sequence < min_sequence) {
    throw Error(ErrorCode::stale_sequence, "the bundle is version " + std::to_string(bundle.header.sequence) +
                                               ", older than version " + std::to_string(min_sequence) +
                                               " already seen");
  }
  // The receipt the core writes (core/src/consent/receipt.cpp); its digest is
  // in the signed header, so its fields are the patient's own words.
  const auto receipt = nlohmann::json::parse(bundle.receipt.begin(), bundle.receipt.end(), nullptr, false);
  if (!receipt.is_object()) throw Error(ErrorCode::receipt_mismatch, "the consent receipt is not a JSON object");
  const auto id = receipt.find("grantId");
  if (id == receipt.end() || !id->is_string() || *id != hex_encode(grant)) {
    throw Error(ErrorCode::receipt_mismatch, "the consent receipt does not belong to this grant");
  }
  const auto sequence = receipt.find("sequence");
  if (sequence == receipt.end() || !sequence->is_number_unsigned() ||
      sequence->get<std::uint64_t>() != bundle.header.sequence) {
    throw Error(ErrorCode::receipt_mismatch, "the consent receipt does not belong to this version of the bundle");
  }
  // When the receipt lists the parts, the bundle holds exactly those, byte for byte.
  const auto parts = receipt.find("parts");
  if (parts == receipt.end()) return;
  if (!parts->is_array() || parts->size() != bundle.parts.size()) {
    throw Error(ErrorCode::receipt_mismatch, "the consent receipt lists other parts than the bundle holds");
  }
  for (std::size_t i = 0; i < bundle.parts.size(); ++i) {
    const nlohmann::json& listed = (*parts)[i];
    const Part& held = bundle.parts[i];
    const bool same = listed.is_object() && listed.value("name", "") == held.name &&
                      listed.value("mediaType", "") == held.media_type &&
                      listed.value("blake2b256", "") == hex_encode(hash(held.bytes));
    if (!same) {
      throw Error(ErrorCode::receipt_mismatch, "part " + std::to_string(i + 1) + " is not the part the consent receipt names");
    }
  }
}

}  // namespace chartlock::crypto
