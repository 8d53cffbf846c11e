// SPDX-License-Identifier: Apache-2.0
// json::Path: the JSON Pointer (RFC 6901) of where a warning or an item was
// found, built on the stack and written only when needed.
#include <catch2/catch.hpp>

#include "json/json_path.hpp"

TEST_CASE("a JSON Pointer escapes '~' and '/' in keys, wherever they fall", "[json][path]") {
  using chartlock::json::Path;
  const Path root("/entry/3/resource");
  CHECK((root / "code" / std::size_t{2}).str() == "/entry/3/resource/code/2");
  CHECK((root / "a/b~c").str() == "/entry/3/resource/a~1b~0c");
  CHECK((Path() / "~" / "/" / "" / "~~//x").str() == "/~0/~1//~0~0~1~1x");
  CHECK((Path() / "plain").str() == "/plain");
}

TEST_CASE("a JSON Pointer writes indices of every length and an empty root", "[json][path]") {
  using chartlock::json::Path;
  CHECK(Path().str().empty());
  CHECK(Path("/entry").str() == "/entry");
  CHECK((Path() / std::size_t{0}).str() == "/0");
  CHECK((Path() / std::size_t{9} / std::size_t{10} / std::size_t{1234567890}).str() == "/9/10/1234567890");
  CHECK((Path("/a") / "" / std::size_t{100}).str() == "/a//100");
}
