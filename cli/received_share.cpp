#include "received_share.hpp"

#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "tool_failure.hpp"

namespace chartlock::cli {
namespace {

ToolFailure bad_bundle(const std::string& code, const std::string& what) {
  return ToolFailure(tool_exit_bad_bundle, "the bundle did not open: " + code + ": " + what);
}

// The receipt the widget seals (web/widget/js/consent.js) names its grant
// and sequence; its digest is in the signed header, so this ties the
// patient's consent to exactly this version of this grant.
void check_receipt(const crypto::OpenedBundle& b, const std::string& grant_hex) {
  const auto receipt = nlohmann::json::parse(b.receipt.begin(), b.receipt.end(), nullptr, false);
  const char* code = crypto::to_string(crypto::ErrorCode::receipt_mismatch);
  if (!receipt.is_object()) throw bad_bundle(code, "the consent receipt is not a JSON object");
  const auto grant = receipt.find("grantId");
  const auto sequence = receipt.find("sequence");
  if (grant == receipt.end() || !grant->is_string() || *grant != grant_hex) {
    throw bad_bundle(code, "the consent receipt does not belong to this grant");
  }
  if (sequence == receipt.end() || !sequence->is_number_unsigned() ||
      sequence->get<std::uint64_t>() != b.header.sequence) {
    throw bad_bundle(code, "the consent receipt does not belong to this version of the bundle");
  }
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
  } catch (const crypto::Error& e) {
    throw bad_bundle(crypto::to_string(e.code()), e.what());
  }
  const std::string grant_hex = crypto::hex_encode(options.grant);
  if (opened.header.grant_id != options.grant) {
    throw bad_bundle("wrong-grant", "the relay returned a bundle sealed for another grant");
  }
  if (options.min_sequence && opened.header.sequence < *options.min_sequence) {
    throw bad_bundle("stale-sequence", "the relay returned version " + std::to_string(opened.header.sequence) +
                                           ", older than --min-sequence " + std::to_string(*options.min_sequence));
  }
  check_receipt(opened, grant_hex);
  return opened;
}

}  // namespace chartlock::cli
