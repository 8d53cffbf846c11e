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
  // The receipt the widget seals (web/widget/js/consent.js); its digest is in
  // the signed header, so these two fields are the patient's own words.
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
}

}  // namespace chartlock::crypto
