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
