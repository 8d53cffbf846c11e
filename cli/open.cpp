// SPDX-License-Identifier: Apache-2.0
// chartlock open: verify and decrypt a share bundle.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "commands.hpp"
#include "file_io.hpp"
#include "key_io.hpp"

namespace chartlock::cli {
namespace {

constexpr const char* kUsage = R"(usage: chartlock open --key TOOL.key [options] BUNDLE

Verifies a share bundle completely (recipient, integrity, signature, consent
receipt, expiry) before anything is output. BUNDLE "-" reads standard input.

Options:
  --key TOOL.key     the recipient's secret key file
  --from FILE.pub    the patient's public key file: the bundle must be signed
                     by its Ed25519 key (strongly advised; without it any
                     valid signature is accepted, and a warning is printed)
  --now UNIX         the time to check expiry against (default: now)
  --info             print the header fields and the parts (name, media type,
                     size) as JSON
  --out-dir DIR      write every part, the receipt included, as DIR/NAME
                     (mode 0600; DIR is created if missing)
  --part NAME        write part NAME to standard output (default: the first
                     part after the receipt)
)";

std::string b64(const crypto::PublicKey& k) { return crypto::base64url_encode(k); }

nlohmann::ordered_json info_json(const crypto::OpenedBundle& b) {
  const crypto::BundleHeader& h = b.header;
  nlohmann::ordered_json j;
  j["version"] = h.version;
  j["recipient"] = b64(h.recipient_pk);
  j["signer"] = b64(h.signer_pk);
  j["ephemeral"] = b64(h.ephemeral_pk);
  j["grantId"] = crypto::hex_encode(h.grant_id);
  j["sequence"] = h.sequence;
  j["createdAt"] = h.created_at;
  j["expiresAt"] = h.expires_at;
  j["receiptDigest"] = crypto::hex_encode(h.receipt_digest);
  j["parts"] = nlohmann::ordered_json::array();
  j["parts"].push_back({{"name", crypto::kReceiptPartName}, {"mediaType", crypto::kReceiptMediaType},
                        {"size", b.receipt.size()}});
  for (const crypto::Part& p : b.parts) {
    j["parts"].push_back({{"name", p.name}, {"mediaType", p.media_type}, {"size", p.bytes.size()}});
  }
  return j;
}

// A part name becomes a file name only if it cannot leave DIR or hide there.
void check_file_name(const std::string& name) {
  const bool control = std::any_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
      name.find("..") != std::string::npos || name[0] == '.' || control) {
    throw BadInput("refusing to write part \"" + (control ? std::string("(name with control characters)") : name) +
                   "\" as a file: names with '/', '\\', '..', control characters or a leading '.' could "
                   "escape or hide in the output directory");
  }
}

void write_all(const crypto::OpenedBundle& b, const std::string& dir) {
  for (const crypto::Part& p : b.parts) check_file_name(p.name);  // all checked before any write
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    throw IoError("cannot create " + dir + ": " + std::strerror(errno));
  }
  auto write_part = [&](const std::string& name, const crypto::Bytes& bytes) {
    write_file(dir + "/" + name, std::string(bytes.begin(), bytes.end()), FileMode::secret);
    std::cerr << "wrote " << dir << "/" << name << " (" << bytes.size() << " bytes)\n";
  };
  write_part(crypto::kReceiptPartName, b.receipt);
  for (const crypto::Part& p : b.parts) write_part(p.name, p.bytes);
}

const crypto::Bytes& select_part(const crypto::OpenedBundle& b, const std::optional<std::string>& name) {
  if (!name) {
    if (b.parts.empty()) throw BadInput("the bundle holds only the consent receipt (use --part receipt)");
    return b.parts.front().bytes;
  }
  if (*name == crypto::kReceiptPartName) return b.receipt;
  for (const crypto::Part& p : b.parts) {
    if (p.name == *name) return p.bytes;
  }
  throw BadInput("the bundle has no part named \"" + *name + "\" (see --info)");
}

}  // namespace

int cmd_open(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--key", "--from", "--now", "--out-dir", "--part"}, {"--help", "--info"}});
  if (args.has("--help")) {
    std::cout << kUsage;
    return exit_ok;
  }
  const std::string key = args.require("--key");
  if (args.positional().size() != 1) throw UsageError("expected exactly one BUNDLE");
  const auto out_dir = args.get("--out-dir");
  const auto part = args.get("--part");
  if (part && (out_dir || args.has("--info"))) throw UsageError("--part cannot be combined with --info or --out-dir");

  const crypto::KeySet keys = load_secret_keys(key);
  crypto::OpenOptions options;
  options.now = args.get("--now") ? parse_integer("--now", *args.get("--now"), INT64_MIN, INT64_MAX)
                                  : static_cast<std::int64_t>(std::time(nullptr));
  if (const auto from = args.get("--from")) options.expected_signer = load_public_keys(*from).ed25519;

  const std::string bundle = read_file(args.positional()[0]);
  const crypto::OpenedBundle opened = crypto::bundle_open(bundle, keys.x25519, options);
  if (!options.expected_signer) {
    std::cerr << "warning: signer not checked (no --from): signed by ed25519 key " << b64(opened.header.signer_pk)
              << "\n";
  }

  if (args.has("--info")) std::cout << info_json(opened).dump(2) << "\n";
  if (out_dir) write_all(opened, *out_dir);
  if (!args.has("--info") && !out_dir) {
    const crypto::Bytes& bytes = select_part(opened, part);
    write_file("-", std::string(bytes.begin(), bytes.end()));
  }
  return exit_ok;
}

}  // namespace chartlock::cli
