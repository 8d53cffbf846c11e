// SPDX-License-Identifier: Apache-2.0
// chartlock share: the consent engine from the command line. Reads the
// patient's records and a consent file, and prints the parts a share would
// hold (--preview) or seals them for a tool, the receipt as part 0.
#include <iostream>

#include "args.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/hash.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/share.hpp"
#include "commands.hpp"
#include "consent_file.hpp"
#include "dates.hpp"
#include "file_io.hpp"
#include "read_records.hpp"
#include "key_io.hpp"
#include "seal_options.hpp"

namespace chartlock::cli {

namespace {

const std::string kUsage = R"(usage: chartlock share --consent CONSENT.json
                       (--preview | --to TOOL.pub --key PATIENT.key --out BUNDLE)
                       [options] FILE...

Reads FHIR R4 JSON from each FILE like 'chartlock record', applies the
patient's consent (docs/consent.md: the tool's scopes, the categories shared,
the patient, sensitive categories, dates, items removed) and builds exactly
what the tool would receive: the FHIR Bundle of the items the consent allows,
rebuilt field by field (docs/share-content.md), and the summary of those
items alone.

  --consent FILE         the consent (JSON)
  --preview              print {"parts":[{"name","mediaType","text"}...]} and stop:
                         the parts that would be sealed after the receipt
  --to TOOL.pub          seal for this recipient's public key file
  --key PATIENT.key      the patient's secret key file (signs the bundle)
  --out BUNDLE           where to write the bundle ("-": standard output)
  --today DATE           the date the summary counts from (default: today, UTC)
  --ndjson               read every FILE as NDJSON (default: detect)
  --person KEY           the person whose records to share, when the files hold several
  --jwks FILE            issuer keys (a JWKS) to verify SMART Health Cards with; repeatable
  --allow-unverified     keep cards no key verifies, marked unverified (else exit 2)
)" + std::string(kSealOptionsHelp) + R"(
Nothing is sent anywhere; the bundle is a file to hand to the tool.
)";

crypto::Bytes to_bytes(const std::string& s) { return crypto::Bytes(s.begin(), s.end()); }

}  // namespace

int cmd_share(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--consent", "--to", "--key", "--out", "--today", "--grant", "--seq", "--expires-in",
                                 "--chunk-size", "--person", "--jwks"},
                                {"--preview", "--ndjson", "--allow-unverified", "--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kUsage;
    return exit_ok;
  }
  const std::string consent_path = args.require("--consent");
  const bool preview = args.has("--preview");
  if (preview && (args.get("--to") || args.get("--key") || args.get("--out"))) {
    throw UsageError("--preview prints the parts; it takes no --to, --key or --out");
  }
  if (args.positional().empty()) throw UsageError("no input files");

  ShareRequest request;
  request.consent = read_consent_file(consent_path);
  request.today = today_option(args);

  // Sealing inputs are checked before the records are read.
  std::optional<crypto::SealRequest> seal;
  std::optional<crypto::KeySet> patient;
  std::string out;
  if (!preview) {
    const crypto::PublicKeySet recipient = load_public_keys(args.require("--to"));
    patient = load_secret_keys(args.require("--key"));
    out = args.require("--out");
    seal = seal_request_from(args);
    seal->meta.recipient_pk = recipient.x25519;
  }

  IngestOptions ingest_options;
  ingest_options.keep_raw = false;  // shares are rebuilt from the record
  const ShareContent content = build_share(read_records(args, ingest_options), request);

  if (preview) {
    std::cout << parts_to_json(content).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    return exit_ok;
  }
  ReceiptContext context;
  context.grant_id = crypto::hex_encode(seal->meta.grant_id);
  context.sequence = seal->meta.sequence;
  context.created_at = seal->meta.created_at;
  context.expires_at = seal->meta.expires_at;
  context.signer = crypto::base64url_encode(crypto::keyset_public(*patient).ed25519);
  context.tool = {{"keys", {{"x25519", crypto::base64url_encode(seal->meta.recipient_pk)}}}};
  for (const SharePart& p : content.parts) context.part_digests.push_back(crypto::hex_encode(crypto::hash(p.text)));
  seal->receipt = to_bytes(consent_receipt(content, request.consent, context).dump());
  for (const SharePart& p : content.parts) seal->parts.push_back(crypto::Part{p.name, p.mediaType, to_bytes(p.text)});
  const crypto::Bytes bundle = crypto::bundle_seal(*seal, patient->ed25519);
  write_file(out, std::string(bundle.begin(), bundle.end()));
  std::cerr << "grant " << context.grant_id << "\n"
            << "seq " << context.sequence << "\n"
            << "items " << content.keys.size() << (content.patient ? " and the patient" : "") << "\n"
            << "size " << bundle.size() << " bytes (" << seal->parts.size() + 1 << " parts)\n";
  return exit_ok;
}

}  // namespace chartlock::cli
