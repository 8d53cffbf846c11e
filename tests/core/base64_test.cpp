// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "text/base64.hpp"

using chartlock::text::base64_decode;

TEST_CASE("base64 decodes RFC 4648 test vectors", "[base64]") {
  CHECK(base64_decode("", 100) == "");
  CHECK(base64_decode("Zg==", 100) == "f");
  CHECK(base64_decode("Zm8=", 100) == "fo");
  CHECK(base64_decode("Zm9v", 100) == "foo");
  CHECK(base64_decode("Zm9vYg==", 100) == "foob");
  CHECK(base64_decode("Zm9vYmE=", 100) == "fooba");
  CHECK(base64_decode("Zm9vYmFy", 100) == "foobar");
}

TEST_CASE("base64 tolerates line breaks and missing padding", "[base64]") {
  CHECK(base64_decode("Zm9v\r\nYmFy", 100) == "foobar");
  CHECK(base64_decode("Zm9vYg", 100) == "foob");
}

TEST_CASE("base64 rejects what is not base64", "[base64]") {
  CHECK_FALSE(base64_decode("Zm9v!", 100));
  CHECK_FALSE(base64_decode("Zg==Zg==", 100));
  CHECK_FALSE(base64_decode("Zh==", 100));   // non-zero leftover bits
  CHECK_FALSE(base64_decode("Z", 100));      // a lone sextet is not a byte
  CHECK_FALSE(base64_decode("Zg===", 100));
  CHECK_FALSE(base64_decode("Zm9vYmFy", 5)); // over the size cap
}
