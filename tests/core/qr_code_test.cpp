// SPDX-License-Identifier: Apache-2.0
// QR codes (chartlock/qr_code.hpp, over libqrencode): sizes by version, the
// finder and timing patterns every reader looks for, and texts too long.
// tests/browser/shl-widget.test.mjs reads the drawn code back with zbarimg.
#include <catch2/catch.hpp>

#include <string>

#include "chartlock/qr_code.hpp"

using chartlock::QrCode;
using chartlock::QrLevel;
using chartlock::qr_encode;

namespace {
// A finder pattern: a 7×7 dark ring, a light ring, a 3×3 dark centre.
bool finder_at(const QrCode& q, int x0, int y0) {
  for (int y = 0; y < 7; ++y) {
    for (int x = 0; x < 7; ++x) {
      const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
      const bool centre = x >= 2 && x <= 4 && y >= 2 && y <= 4;
      if (q.dark(x0 + x, y0 + y) != (ring || centre)) return false;
    }
  }
  return true;
}
}  // namespace

TEST_CASE("a short text is a version 1 code with its three finders and timing lines", "[qr]") {
  const QrCode q = qr_encode("hello", QrLevel::M);
  REQUIRE(q.size == 21);
  REQUIRE(q.modules.size() == 21u * 21u);
  CHECK(finder_at(q, 0, 0));
  CHECK(finder_at(q, q.size - 7, 0));
  CHECK(finder_at(q, 0, q.size - 7));
  CHECK_FALSE(finder_at(q, q.size - 7, q.size - 7));
  for (int i = 8; i < q.size - 8; ++i) {
    CHECK(q.dark(i, 6) == (i % 2 == 0));  // the timing pattern, row 6 and column 6
    CHECK(q.dark(6, i) == (i % 2 == 0));
  }
}

TEST_CASE("a SMART Health Link's length needs a larger version; more correction, larger still", "[qr]") {
  const std::string link = "shlink:/" + std::string(260, 'A');
  const QrCode m = qr_encode(link, QrLevel::M);
  const QrCode h = qr_encode(link, QrLevel::H);
  CHECK(m.size > 21);
  CHECK((m.size - 17) % 4 == 0);  // 17 + 4 × version
  CHECK(h.size > m.size);
  CHECK(finder_at(m, m.size - 7, 0));
  // The same text twice: the same code.
  CHECK(qr_encode(link, QrLevel::M).modules == m.modules);
}

TEST_CASE("a text a QR code cannot hold is refused, not truncated", "[qr]") {
  CHECK_NOTHROW(qr_encode(std::string(2953, 'x'), QrLevel::L));  // version 40-L holds 2,953 bytes
  CHECK_THROWS_AS(qr_encode(std::string(2954, 'x'), QrLevel::L), chartlock::QrTooLong);
  CHECK_THROWS_AS(qr_encode(std::string(2400, 'x'), QrLevel::H), chartlock::QrTooLong);
  CHECK_THROWS_AS(qr_encode("", QrLevel::M), chartlock::QrTooLong);
}
