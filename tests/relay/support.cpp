// SPDX-License-Identifier: Apache-2.0
#include "support.hpp"

#include <algorithm>
#include <random>

#include "chartlock/crypto/encoding.hpp"
#include "memory_store.hpp"

namespace chartlock::relay::test {

TempDir::TempDir() {
  std::random_device rd;
  path_ = std::filesystem::temp_directory_path() / ("chartlock-relay-test-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::vector<std::string> test_backends() {
  std::vector<std::string> out{"sqlite", "memory"};
  if (postgres_url()) out.push_back("postgres");
  return out;
}

std::vector<std::string> sync_backends() {
  std::vector<std::string> out = test_backends();
  out.erase(std::remove(out.begin(), out.end(), "memory"), out.end());
  return out;
}

TestStore::TestStore(const std::string& backend, std::size_t connections) {
  if (backend == "memory") store = std::make_unique<MemoryStore>();
  else store = open_store(backend == "postgres" ? *postgres_url() : dir.file("relay.db"), connections);
}

crypto::GrantId random_grant_id() { return crypto::grant_id_generate(); }

crypto::Bytes make_bundle(const crypto::SignKeyPair& patient, const crypto::GrantId& grant,
                          std::uint64_t sequence, std::int64_t created_at, std::int64_t expires_at) {
  crypto::SealRequest r;
  r.meta.recipient_pk = crypto::box_keypair().public_key;
  r.meta.grant_id = grant;
  r.meta.sequence = sequence;
  r.meta.created_at = created_at;
  r.meta.expires_at = expires_at;
  const std::string receipt = R"({"type":"chartlock-consent-receipt"})";
  r.receipt.assign(receipt.begin(), receipt.end());
  const std::string fhir = R"({"resourceType":"Bundle"})";
  r.parts.push_back(crypto::Part{"records.json", "application/fhir+json", crypto::Bytes(fhir.begin(), fhir.end())});
  return crypto::bundle_seal(r, patient);
}

}  // namespace chartlock::relay::test
