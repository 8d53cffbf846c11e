// SPDX-License-Identifier: Apache-2.0
// chartlock shl create|update|revoke: the patient's side of a SMART Health
// Link (docs/shl.md). create builds the IPS the consent allows (as
// 'chartlock ips'), encrypts it as a JWE under a fresh key that only the link
// holds, stores the ciphertext at the relay and prints the shlink:/ link;
// update replaces a long-term (L) link's file; revoke ends a link. Every
// request is signed with the link's management key, derived from the
// patient's key and the link's id, so no file per link is kept.
#include <ctime>
#include <iostream>
#include <nlohmann/json.hpp>

#include "args.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/jwe.hpp"
#include "chartlock/crypto/shl.hpp"
#include "commands.hpp"
#include "file_io.hpp"
#include "ips_input.hpp"
#include "key_io.hpp"
#include "relay_client.hpp"

namespace chartlock::cli {
namespace {

constexpr const char* kUsage = R"(usage: chartlock shl <command> [options]

SMART Health Links (HL7 SMART Health Cards and Links IG): share an
International Patient Summary with a clinician through a link or QR code
whose decryption key never reaches the relay (docs/shl.md).

Commands:
  create   build the IPS a consent allows, store it encrypted at the relay
           and print the shlink:/ link
  update   replace a long-term (--long-term) link's file with a new IPS
  revoke   end a link: its manifest then answers 404

Run 'chartlock shl <command> --help' for a command's options.
)";

constexpr const char* kCreateUsage = R"(usage: chartlock shl create --consent CONSENT.json --relay URL --key PATIENT.key
                           [options] FILE...

Reads FHIR R4 JSON from each FILE and builds the International Patient
Summary the consent allows, exactly as 'chartlock ips' does; encrypts it as a
compact JWE (dir, A256GCM) under a fresh 32-byte key; creates a link at the
relay and uploads the ciphertext; prints the link (shlink:/…) on stdout.
The key is only in the link: whoever holds the link (and the passcode, if
any) can read the summary until it expires or is revoked.

  --consent FILE     the consent (JSON)
  --relay URL        the relay's base URL, https://host[:port]
  --key FILE         the patient's secret key file (chartlock keygen); the
                     link's management key is derived from it
  --passcode TEXT    a passcode the recipient must give (flag P); the relay
                     keeps only its Argon2id hash
  --max-attempts N   wrong passcodes allowed before the link locks (10)
  --expires-in DAYS  how long the link works (30; at most the relay's
                     --max-grant-days)
  --label TEXT       a short description shown by viewers (up to 80 chars)
  --long-term        flag L: the file can be replaced ('chartlock shl update')
  --today DATE       the document's date, YYYY-MM-DD (default: today, UTC)
  --person KEY       the person whose records to use, when the files hold several
  --ndjson           read every FILE as NDJSON (default: detect)

Revoke it with 'chartlock shl revoke --key PATIENT.key LINK'.
Exit status: 0 success, 1 an I/O failure or the relay refused, 2 bad input
or bad usage.
)";

constexpr const char* kUpdateUsage = R"(usage: chartlock shl update --consent CONSENT.json --key PATIENT.key LINK FILE...

Builds the IPS again from FILE... and the consent (as 'chartlock shl create')
and replaces the file of LINK, a long-term (L) link made with the same
patient key. LINK is the shlink:/ text or a viewer URL ending in #shlink:/….
Options: --today DATE, --person KEY, --ndjson as for create.
)";

constexpr const char* kRevokeUsage = R"(usage: chartlock shl revoke --key PATIENT.key LINK

Ends LINK (the shlink:/ text, or a viewer URL ending in #shlink:/…), made with
the same patient key: the relay deletes its file and its manifest answers 404.
)";

constexpr const char* kContentType = "application/fhir+json";

void require_jwe() {
  if (!crypto::jwe_available()) {
    throw IoError("this computer's CPU lacks the AES instructions libsodium's AES-256-GCM needs "
                  "(AES-NI and PCLMUL, or the ARMv8 crypto extensions): it cannot make SMART Health Links");
  }
}

// Throws IoError with the relay's words unless the answer is one of `ok`.
void expect(const RelayReply& r, std::initializer_list<int> ok, const std::string& what) {
  for (int s : ok) {
    if (r.status == s) return;
  }
  throw IoError(what + ": " + relay_refusal_text(r.status, r.body));
}

std::string id_text(const crypto::ShlId& id) { return crypto::base64url_encode(id); }

// A link as the patient's commands need it: the relay, the id, the key, the flags.
struct ParsedLink {
  RelayUrl relay;
  crypto::ShlId id{};
  crypto::JweKey key;
  std::string flag;
};

ParsedLink parse_link(const std::string& text) {
  std::string payload = text;
  if (const auto hash = payload.find("#shlink:/"); hash != std::string::npos) payload = payload.substr(hash + 1);
  if (payload.rfind("shlink:/", 0) != 0) throw BadInput("a link starts with shlink:/ (or is a viewer URL ending in #shlink:/…)");
  crypto::Bytes json_bytes;
  try {
    json_bytes = crypto::base64url_decode(std::string_view(payload).substr(8));
  } catch (const crypto::Error&) {
    throw BadInput("the link's payload is not base64url");
  }
  const auto j = nlohmann::json::parse(json_bytes.begin(), json_bytes.end(), nullptr, false);
  if (!j.is_object() || !j.contains("url") || !j["url"].is_string() || !j.contains("key") || !j["key"].is_string()) {
    throw BadInput("the link's payload is not a SMART Health Link (url and key)");
  }
  const std::string url = j["url"].get<std::string>();
  const std::string marker = "/v1/shl/";
  const auto at = url.rfind(marker);
  if (at == std::string::npos) throw BadInput("the link's url is not a Chartlock relay's link address");
  ParsedLink out{parse_relay_url(url.substr(0, at)), {}, {}, {}};
  try {
    crypto::base64url_decode_exact(url.substr(at + marker.size()), out.id.data(), out.id.size());
    crypto::base64url_decode_exact(j["key"].get<std::string>(), out.key.data(), out.key.size());
  } catch (const crypto::Error& e) {
    throw BadInput(std::string("the link's id or key ") + e.what());
  }
  if (j.contains("flag") && j["flag"].is_string()) out.flag = j["flag"].get<std::string>();
  return out;
}

void put_file(const RelayUrl& relay, const crypto::ShlId& id, const crypto::SignKeyPair& manage,
              const std::string& jwe, std::initializer_list<int> ok) {
  const RelayReply r = relay_send(relay, "PUT", "/v1/shl/" + id_text(id) + "/file", jwe, "application/jose", manage);
  expect(r, ok, "storing the encrypted summary failed");
}

int cmd_shl_create(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--consent", "--relay", "--key", "--passcode", "--max-attempts", "--expires-in",
                                 "--label", "--today", "--person"},
                                {"--long-term", "--ndjson", "--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kCreateUsage;
    return exit_ok;
  }
  const RelayUrl relay = parse_relay_url(args.require("--relay"));
  const std::string key_path = args.require("--key");
  const long long days = args.get("--expires-in") ? parse_integer("--expires-in", *args.get("--expires-in"), 1, 3650) : 30;
  const std::optional<std::string> passcode = args.get("--passcode");
  if (passcode && (passcode->empty() || passcode->size() > 256)) throw UsageError("--passcode must be 1..256 bytes");
  if (args.get("--max-attempts") && !passcode) throw UsageError("--max-attempts is for a link with --passcode");
  const std::optional<std::string> label = args.get("--label");
  if (label && label->size() > 80) throw UsageError("--label must be at most 80 characters (the SHL limit)");
  require_jwe();

  const IpsDocument ips = ips_from_args(args);
  const crypto::KeySet patient = load_secret_keys(key_path);

  const crypto::ShlId id = crypto::shl_id();
  const crypto::SignKeyPair manage = crypto::shl_management_key(patient.ed25519, id);
  const crypto::JweKey key = crypto::jwe_key();
  const std::string jwe = crypto::jwe_encrypt(crypto::ByteView(std::string_view(ips.json)), key, kContentType);
  const std::int64_t expires_at = static_cast<std::int64_t>(std::time(nullptr)) + days * 86400;

  nlohmann::ordered_json create{{"id", id_text(id)},
                                {"managementKey", crypto::base64url_encode(manage.public_key)},
                                {"expiresAt", expires_at}};
  if (args.has("--long-term")) create["longTerm"] = true;
  if (passcode) {
    create["passcode"] = *passcode;
    if (const auto m = args.get("--max-attempts")) create["maxAttempts"] = parse_integer("--max-attempts", *m, 1, 100);
  }
  const RelayReply made = relay_send(relay, "POST", "/v1/shl", create.dump(), "application/json", manage);
  expect(made, {201}, "creating the link failed");
  try {
    put_file(relay, id, manage, jwe, {201});
  } catch (const IoError&) {
    // No half-made link left behind: a link without its file is revoked.
    try {
      relay_send(relay, "DELETE", "/v1/shl/" + id_text(id), "", "", manage);
    } catch (const IoError&) {
    }
    throw;
  }

  // The SHL payload (IG: ShlPayload); flags in alphabetical order.
  std::string flag;
  if (args.has("--long-term")) flag += "L";
  if (passcode) flag += "P";
  nlohmann::ordered_json payload{{"url", relay.base() + "/v1/shl/" + id_text(id)},
                                 {"key", std::string(crypto::base64url_encode_secret(key.view()).c_str())},
                                 {"exp", expires_at}};
  if (!flag.empty()) payload["flag"] = flag;
  if (label) payload["label"] = *label;
  payload["v"] = 1;
  const std::string json = payload.dump();
  std::cout << "shlink:/" << crypto::base64url_encode(crypto::ByteView(std::string_view(json))) << "\n";
  std::cerr << "a SMART Health Link to an IPS of " << ips.keys.size() << " items, until "
            << expires_at << " (unix time); revoke it with: chartlock shl revoke --key " << key_path << " LINK\n";
  return exit_ok;
}

int cmd_shl_update(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--consent", "--key", "--today", "--person"}, {"--ndjson", "--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kUpdateUsage;
    return exit_ok;
  }
  if (args.positional().empty()) throw UsageError("no link");
  const ParsedLink link = parse_link(args.positional()[0]);
  if (link.flag.find('L') == std::string::npos) {
    throw BadInput("only a long-term link (flag L, 'shl create --long-term') can be updated");
  }
  require_jwe();
  const std::string key_path = args.require("--key");
  // The files are the positional arguments after the link.
  Argv rest;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    if (argv[i] != args.positional()[0]) rest.push_back(argv[i]);
  }
  const Args ips_args(rest, ArgSpec{{"--consent", "--key", "--today", "--person"}, {"--ndjson", "--help", "-h"}});
  const IpsDocument ips = ips_from_args(ips_args);
  const crypto::KeySet patient = load_secret_keys(key_path);
  const crypto::SignKeyPair manage = crypto::shl_management_key(patient.ed25519, link.id);
  const std::string jwe = crypto::jwe_encrypt(crypto::ByteView(std::string_view(ips.json)), link.key, kContentType);
  put_file(link.relay, link.id, manage, jwe, {200, 201});
  std::cerr << "the link now gives an IPS of " << ips.keys.size() << " items\n";
  return exit_ok;
}

int cmd_shl_revoke(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--key"}, {"--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kRevokeUsage;
    return exit_ok;
  }
  if (args.positional().size() != 1) throw UsageError("expected one link");
  const ParsedLink link = parse_link(args.positional()[0]);
  const crypto::KeySet patient = load_secret_keys(args.require("--key"));
  const crypto::SignKeyPair manage = crypto::shl_management_key(patient.ed25519, link.id);
  const RelayReply r = relay_send(link.relay, "DELETE", "/v1/shl/" + id_text(link.id), "", "", manage);
  expect(r, {204}, "revoking the link failed");
  std::cerr << "revoked: the link's file is deleted and its manifest answers 404\n";
  return exit_ok;
}

struct Subcommand {
  const char* name;
  int (*run)(const Argv&);
};

const Subcommand kSubcommands[] = {
    {"create", cmd_shl_create}, {"update", cmd_shl_update}, {"revoke", cmd_shl_revoke}};

}  // namespace

int cmd_shl(const Argv& argv) {
  if (argv.empty() || argv[0] == "--help" || argv[0] == "-h" || argv[0] == "help") {
    std::cout << kUsage;
    return argv.empty() ? exit_bad_input : exit_ok;
  }
  const Argv rest(argv.begin() + 1, argv.end());
  for (const Subcommand& c : kSubcommands) {
    if (argv[0] == c.name) return run_command(std::string("shl ") + c.name, c.run, rest);
  }
  std::cerr << "chartlock shl: unknown command '" << argv[0] << "'\n\n" << kUsage;
  return exit_bad_input;
}

}  // namespace chartlock::cli
