// SPDX-License-Identifier: Apache-2.0
// chartlock seal: files → a share bundle for one recipient, signed by the patient.
#include <algorithm>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "args.hpp"
#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "commands.hpp"
#include "file_io.hpp"
#include "key_io.hpp"
#include "seal_options.hpp"

namespace chartlock::cli {
namespace {

const std::string kUsage = R"(usage: chartlock seal --to TOOL.pub --key PATIENT.key --receipt RECEIPT.json
                      --out OUT [options] FILE...

Seals FILEs into a share bundle (format v1) that only the holder of TOOL.key
can open, signed with the Ed25519 key in PATIENT.key. Each FILE becomes a part
named by its file name; the consent receipt becomes part 0.

Options:
  --to TOOL.pub          the recipient's public key file
  --key PATIENT.key      the patient's secret key file (signs the bundle)
  --receipt FILE         the consent receipt (JSON)
  --out OUT              where to write the bundle ("-": standard output)
)" + std::string(kSealOptionsHelp) + R"(
Media types come from the extension: .json application/fhir+json,
.ndjson application/fhir+ndjson, .md text/markdown, .txt text/plain,
anything else application/octet-stream.
)";

std::string media_type_for(const std::filesystem::path& path) {
  const std::string ext = path.extension().string();
  if (ext == ".json") return "application/fhir+json";
  if (ext == ".ndjson") return "application/fhir+ndjson";
  if (ext == ".md") return "text/markdown";
  if (ext == ".txt") return "text/plain";
  return "application/octet-stream";
}

crypto::Bytes to_bytes(const std::string& s) { return crypto::Bytes(s.begin(), s.end()); }

// One part per file, named by its file name; names must be unique and not "receipt".
std::vector<crypto::Part> read_parts(const std::vector<std::string>& files) {
  std::vector<crypto::Part> parts;
  std::set<std::string> names{crypto::kReceiptPartName};
  for (const std::string& file : files) {
    const std::filesystem::path path(file);
    const std::string name = path.filename().string();
    if (name.empty() || file == "-") throw UsageError("FILE must name a file: " + file);
    if (!names.insert(name).second) {
      throw BadInput("two parts would be named \"" + name + "\" (" + file + "); part names must be unique and "
                     "\"receipt\" is reserved");
    }
    parts.push_back(crypto::Part{name, media_type_for(path), to_bytes(read_file(file))});
  }
  return parts;
}

}  // namespace

int cmd_seal(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--to", "--key", "--receipt", "--out", "--grant", "--seq", "--expires-in",
                                 "--chunk-size"},
                                {"--help"}});
  if (args.has("--help")) {
    std::cout << kUsage;
    return exit_ok;
  }
  const std::string to = args.require("--to");
  const std::string key = args.require("--key");
  const std::string receipt_path = args.require("--receipt");
  const std::string out = args.require("--out");
  if (args.positional().empty()) throw UsageError("no FILE to seal");
  crypto::SealRequest request = seal_request_from(args);

  const crypto::PublicKeySet recipient = load_public_keys(to);
  const crypto::KeySet patient = load_secret_keys(key);
  const std::string receipt = read_file(receipt_path);
  if (!nlohmann::json::accept(receipt)) throw BadInput(receipt_path + ": the consent receipt is not valid JSON");

  request.meta.recipient_pk = recipient.x25519;
  request.receipt = to_bytes(receipt);
  request.parts = read_parts(args.positional());

  const crypto::Bytes bundle = crypto::bundle_seal(request, patient.ed25519);
  write_file(out, std::string(bundle.begin(), bundle.end()));
  std::cerr << "grant " << crypto::hex_encode(request.meta.grant_id) << "\n"
            << "seq " << request.meta.sequence << "\n"
            << "size " << bundle.size() << " bytes (" << request.parts.size() + 1 << " parts)\n";
  return exit_ok;
}

}  // namespace chartlock::cli
