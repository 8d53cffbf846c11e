// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: a share bundle arriving at a tool (bundle_open, and the
// streaming BundleOpener fed in three pieces) and at the relay
// (bundle_peek, bundle_verify_signature). The keys are fixed
// (fixed_keys.hpp) and the seed bundles are sealed with them by
// scripts/fuzz, so mutations reach the decryption, the part encoding, the
// receipt and the signature, not only the header.
//
// Oracles: every refusal is a crypto::Error (anything else escapes and is a
// crash), and the streaming opener agrees with bundle_open, bytes and error
// code alike.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/error.hpp"
#include "fixed_keys.hpp"

namespace {

using namespace chartlock;
using crypto::ByteView;

struct Keys {
  crypto::KeySet tool = fuzz::fixed_keys(fuzz::Party::tool);
  crypto::KeySet patient = fuzz::fixed_keys(fuzz::Party::patient);
};

// Collects what the streaming opener hands out, in bundle_open's shape.
class CollectingSink final : public crypto::PartSink {
 public:
  void begin_part(const crypto::PartInfo& info) override {
    parts.push_back(crypto::Part{info.name, info.media_type, {}});
  }
  void part_data(ByteView bytes) override {
    if (parts.empty()) std::abort();  // data before any part: a bug in the opener
    parts.back().bytes.insert(parts.back().bytes.end(), bytes.begin(), bytes.end());
  }
  std::vector<crypto::Part> parts;
};

struct Outcome {
  std::optional<crypto::ErrorCode> error;
  crypto::Bytes receipt;
  std::vector<crypto::Part> parts;
};

bool same_parts(const std::vector<crypto::Part>& a, const std::vector<crypto::Part>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].media_type != b[i].media_type || a[i].bytes != b[i].bytes) return false;
  }
  return true;
}

Outcome open_whole(ByteView bundle, const Keys& keys, const crypto::OpenOptions& options) {
  Outcome out;
  try {
    crypto::OpenedBundle opened = crypto::bundle_open(bundle, keys.tool.x25519, options);
    out.receipt = std::move(opened.receipt);
    out.parts = std::move(opened.parts);
  } catch (const crypto::Error& e) {
    out.error = e.code();
  }
  return out;
}

Outcome open_streaming(ByteView bundle, const Keys& keys, const crypto::OpenOptions& options) {
  Outcome out;
  CollectingSink sink;
  try {
    crypto::BundleOpener opener(keys.tool.x25519, options, sink);
    // Three pieces at size-dependent points: splits inside the header, a
    // frame length and a chunk all occur across the corpus.
    const std::size_t a = bundle.size() / 3, b = bundle.size() - bundle.size() / 5;
    opener.write(ByteView(bundle.data(), a));
    opener.write(ByteView(bundle.data() + a, b - a));
    opener.write(ByteView(bundle.data() + b, bundle.size() - b));
    opener.finish();
  } catch (const crypto::Error& e) {
    out.error = e.code();
    return out;
  }
  if (sink.parts.empty()) std::abort();  // finished without a receipt
  out.receipt = std::move(sink.parts.front().bytes);
  out.parts.assign(sink.parts.begin() + 1, sink.parts.end());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const Keys keys;
  const ByteView bundle(data, size);

  // What the relay checks on upload, without a secret key.
  std::optional<crypto::BundleHeader> header;
  try {
    header = crypto::bundle_peek(bundle);
    (void)crypto::bundle_verify_signature(bundle, keys.patient.ed25519.public_key);
  } catch (const crypto::Error&) {
  }

  // "now" is the bundle's own creation time, so the seeds pass the expiry
  // check whatever day scripts/fuzz sealed them; a mutated time fails
  // authentication first.
  crypto::OpenOptions options;
  options.expected_signer = keys.patient.ed25519.public_key;
  options.now = header ? header->created_at : 0;
  const Outcome whole = open_whole(bundle, keys, options);
  const Outcome streamed = open_streaming(bundle, keys, options);
  if (whole.error != streamed.error) std::abort();
  if (!whole.error && (whole.receipt != streamed.receipt || !same_parts(whole.parts, streamed.parts))) {
    std::abort();
  }
  return 0;
}
