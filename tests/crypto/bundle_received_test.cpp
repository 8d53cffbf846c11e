// SPDX-License-Identifier: Apache-2.0
// bundle_check_received: what a tool checks of a bundle fetched for a grant,
// beyond bundle_open (the CLI's `tool fetch` and the SDK share it).
#include "support.hpp"

using namespace chartlock::crypto;
using namespace chartlock::crypto::test;

namespace {

const GrantId kGrant{0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                     0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
const GrantId kOtherGrant{0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88,
                          0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00};

// A bundle for `grant` at `sequence`, whose receipt is `receipt`, opened.
OpenedBundle opened(const Fixture& f, const GrantId& grant, std::uint64_t sequence, const std::string& receipt) {
  SealRequest r = f.request();
  r.meta.grant_id = grant;
  r.meta.sequence = sequence;
  r.receipt = bytes_of(receipt);
  return f.open(bundle_seal(r, f.patient));
}

std::string receipt_for(const std::string& grant_hex, const std::string& sequence) {
  return R"({"type":"chartlock-consent-receipt","grantId":")" + grant_hex + R"(","sequence":)" + sequence + "}";
}

std::string check(const OpenedBundle& b, const GrantId& grant, std::uint64_t min_sequence = 0) {
  return outcome([&] { bundle_check_received(b, grant, min_sequence); });
}

}  // namespace

TEST_CASE("a bundle of the grant asked for, with its own receipt, passes", "[bundle][received]") {
  Fixture f;
  const OpenedBundle b = opened(f, kGrant, 7, receipt_for(hex_encode(kGrant), "7"));
  CHECK(check(b, kGrant) == "ok");
  CHECK(check(b, kGrant, 7) == "ok");  // the same version again is not stale
  CHECK(check(b, kGrant, 1) == "ok");
}

TEST_CASE("a bundle sealed for another grant is wrong-grant", "[bundle][received]") {
  Fixture f;
  // Even with a receipt naming the grant asked for: the header decides.
  const OpenedBundle b = opened(f, kOtherGrant, 1, receipt_for(hex_encode(kGrant), "1"));
  CHECK(check(b, kGrant) == "wrong-grant");
}

TEST_CASE("a version older than one already seen is stale-sequence", "[bundle][received]") {
  Fixture f;
  const OpenedBundle b = opened(f, kGrant, 3, receipt_for(hex_encode(kGrant), "3"));
  CHECK(check(b, kGrant, 4) == "stale-sequence");
  CHECK_THROWS_WITH(bundle_check_received(b, kGrant, 4), Catch::Contains("version 3, older than version 4"));
}

TEST_CASE("a receipt that does not name this grant and version is receipt-mismatch", "[bundle][received]") {
  Fixture f;
  const std::string mine = hex_encode(kGrant);
  for (const std::string& receipt : std::vector<std::string>{
           receipt_for(hex_encode(kOtherGrant), "2"),  // another grant's consent
           receipt_for(mine, "1"),                     // an earlier version's consent
           receipt_for(mine, "3"),
           receipt_for(mine, "\"2\""),                 // the right number, as a string
           receipt_for(mine, "2.0"),                   // not an unsigned integer
           receipt_for(mine, "-2"),
           R"({"grantId":")" + mine + R"("})",         // no sequence
           R"({"sequence":2})",                        // no grant
           R"({"grantId":)" + std::string("123") + R"(,"sequence":2})",
           receipt_for("00112233445566778899AABBCCDDEEFF", "2"),  // upper case is not the id's spelling
           "[]", "\"text\"", "not json", "{",
       }) {
    INFO(receipt);
    CHECK(check(opened(f, kGrant, 2, receipt), kGrant) == "receipt-mismatch");
  }
}

namespace {

// A receipt for kGrant, version 1, listing `parts` as {name, mediaType, blake2b256}.
std::string receipt_listing(const std::vector<Part>& parts) {
  std::string list;
  for (const Part& p : parts) {
    if (!list.empty()) list += ",";
    list += R"({"name":")" + p.name + R"(","mediaType":")" + p.media_type + R"(","blake2b256":")" +
            hex_encode(hash(p.bytes)) + R"("})";
  }
  return R"({"grantId":")" + hex_encode(kGrant) + R"(","sequence":1,"parts":[)" + list + "]}";
}

}  // namespace

TEST_CASE("a receipt that lists the parts: the bundle holds exactly those, byte for byte", "[bundle][received]") {
  Fixture f;
  const std::vector<Part> parts = f.request().parts;
  CHECK(check(opened(f, kGrant, 1, receipt_listing(parts)), kGrant) == "ok");

  std::vector<Part> changed = parts;
  changed.back().bytes.push_back(' ');  // a byte more than was sealed
  CHECK(check(opened(f, kGrant, 1, receipt_listing(changed)), kGrant) == "receipt-mismatch");
  std::vector<Part> renamed = parts;
  renamed.front().name = "other.json";
  CHECK(check(opened(f, kGrant, 1, receipt_listing(renamed)), kGrant) == "receipt-mismatch");
  std::vector<Part> fewer(parts.begin(), parts.end() - 1);
  CHECK(check(opened(f, kGrant, 1, receipt_listing(fewer)), kGrant) == "receipt-mismatch");
  std::vector<Part> more = parts;
  more.push_back(parts.front());
  CHECK(check(opened(f, kGrant, 1, receipt_listing(more)), kGrant) == "receipt-mismatch");
  CHECK(check(opened(f, kGrant, 1, R"({"grantId":")" + hex_encode(kGrant) + R"(","sequence":1,"parts":{}})"), kGrant) ==
        "receipt-mismatch");
}
