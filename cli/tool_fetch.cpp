// SPDX-License-Identifier: Apache-2.0
// chartlock tool fetch: what a patient shared with this tool, from the relay
// to standard output, opened and verified (the CLI twin of the Node SDK's
// fetchShare).
#include <algorithm>
#include <ctime>
#include <iostream>
#include <regex>

#include "args.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "commands.hpp"
#include "file_io.hpp"
#include "key_io.hpp"
#include "received_share.hpp"
#include "relay_client.hpp"
#include "tool_failure.hpp"

namespace chartlock::cli {
namespace {

constexpr const char* kUsage = R"(usage: chartlock tool fetch --relay URL --grant ID --key TOOL.key [options]

Fetches the share bundle of grant ID from the relay with a request signed by
the tool's Ed25519 key, opens it with the tool's X25519 key and verifies it
completely - integrity, the patient's signature, the consent receipt's digest
and that the receipt names this grant and version, expiry - before printing
anything: by default the FHIR R4 Bundle (records.json), byte for byte as the
patient sealed it.

Options:
  --relay URL        the relay's base URL, https://host[:port]. Production
                     relays are https (the TLS certificate is verified against
                     the system's CAs); plain http:// is for a relay on this
                     machine (a warning is printed for any other host)
  --grant ID         the grant id, 32 lowercase hex digits
  --key TOOL.key     the tool's secret key file (chartlock tool keygen)
  --patient KEY      the grant's patient key (Ed25519, base64url), as the
                     widget hands it to the tool's page: the bundle must be
                     signed by it (strongly advised; without it any valid
                     signature is accepted, and a warning is printed)
  --format FORMAT    what to print: fhir (default), markdown (the summary the
                     patient's browser wrote, ready as LLM context) or
                     receipt (the consent receipt, JSON)
  --out FILE         write it to FILE (mode 0600) instead of standard output
  --min-sequence N   refuse a bundle older than version N (the highest
                     version seen before: a relay could serve an older one)
  --max-bytes SIZE   largest answer accepted (default 16MB, the relay's
                     default --max-bundle-bytes)
  --timeout SECONDS  to connect, and between reads (default 30)
  --ca-file FILE     https: trust the CA certificates in FILE (PEM) instead
                     of the system's

The grant's version (sequence) and times are printed on standard error.
Exit status: see 'chartlock tool --help'.
)";

crypto::GrantId parse_grant_id(const std::string& text) {
  static const std::regex lower_hex("[0-9a-f]{32}");
  if (!std::regex_match(text, lower_hex)) throw UsageError("--grant must be 32 lowercase hex digits");
  const crypto::Bytes bytes = crypto::hex_decode(text);
  crypto::GrantId id{};
  std::copy(bytes.begin(), bytes.end(), id.begin());
  return id;
}

crypto::PublicKey parse_patient_key(const std::string& text) {
  crypto::PublicKey key{};
  try {
    crypto::base64url_decode_exact(text, key.data(), key.size());
  } catch (const crypto::Error& e) {
    throw UsageError(std::string("--patient ") + e.what() + " (the Ed25519 key, base64url)");
  }
  if (!crypto::sign_public_key_valid(key)) throw UsageError("--patient is not a valid Ed25519 public key");
  return key;
}

const crypto::Bytes& part_named(const crypto::OpenedBundle& b, const std::string& name) {
  for (const crypto::Part& p : b.parts) {
    if (p.name == name) return p.bytes;
  }
  throw ToolFailure(tool_exit_bad_bundle, "the bundle opened but holds no " + name + " part");
}

}  // namespace

int cmd_tool_fetch(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--relay", "--grant", "--key", "--patient", "--format", "--out", "--min-sequence",
                                 "--max-bytes", "--timeout", "--ca-file"},
                                {"--help"}});
  if (args.has("--help")) {
    std::cout << kUsage;
    return exit_ok;
  }
  if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
  const RelayUrl relay = parse_relay_url(args.require("--relay"));
  ReceiveOptions receive;
  receive.grant = parse_grant_id(args.require("--grant"));
  const std::string key_path = args.require("--key");
  if (const auto patient = args.get("--patient")) receive.patient = parse_patient_key(*patient);
  if (const auto min = args.get("--min-sequence")) {
    receive.min_sequence = static_cast<std::uint64_t>(parse_integer("--min-sequence", *min, 0, INT64_MAX));
  }
  const std::string format = args.get("--format").value_or("fhir");
  if (format != "fhir" && format != "markdown" && format != "receipt") {
    throw UsageError("--format must be fhir, markdown or receipt");
  }
  FetchLimits limits;
  if (const auto max = args.get("--max-bytes")) limits.max_bytes = parse_byte_size("--max-bytes", *max, std::uint64_t{1} << 32);
  if (const auto t = args.get("--timeout")) limits.timeout_seconds = static_cast<int>(parse_integer("--timeout", *t, 1, 3600));
  limits.ca_file = args.get("--ca-file");
  if (limits.ca_file && relay.scheme != "https") throw UsageError("--ca-file applies to an https:// relay only");

  crypto::KeySet tool;
  try {
    tool = load_secret_keys(key_path);
  } catch (const crypto::Error& e) {
    throw ToolFailure(tool_exit_bad_key, std::string("the tool key file is not usable: ") +
                                             crypto::to_string(e.code()) + ": " + e.what());
  } catch (const IoError& e) {
    throw ToolFailure(tool_exit_bad_key, std::string("the tool key file is not usable: ") + e.what());
  }
  if (relay.scheme == "http" && !relay.loopback()) {
    std::cerr << "warning: plain http to " << relay.host << ": use https for a relay on another machine (the bundle "
              << "stays end-to-end encrypted, but who fetches what and when does not)\n";
  }

  const std::string bundle = fetch_bundle(relay, crypto::hex_encode(receive.grant), tool.ed25519, limits);
  receive.now = static_cast<std::int64_t>(std::time(nullptr));
  const crypto::OpenedBundle opened = open_received_bundle(bundle, tool, receive);
  if (!receive.patient) {
    std::cerr << "warning: signer not pinned (no --patient): signed by ed25519 key "
              << crypto::base64url_encode(opened.header.signer_pk) << "\n";
  }
  std::cerr << "sequence " << opened.header.sequence << ", created " << opened.header.created_at << ", expires "
            << opened.header.expires_at << " (unix seconds), " << bundle.size() << " bytes verified\n";

  const crypto::Bytes& bytes = format == "receipt"    ? opened.receipt
                               : format == "markdown" ? part_named(opened, "summary.md")
                                                      : part_named(opened, "records.json");
  const std::string out = args.get("--out").value_or("-");
  write_file(out, std::string(bytes.begin(), bytes.end()), FileMode::secret);
  return exit_ok;
}

}  // namespace chartlock::cli
