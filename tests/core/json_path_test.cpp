// SPDX-License-Identifier: Apache-2.0
// json::Path: the JSON Pointer (RFC 6901) of where a warning or an item was
// found, built on the stack and written only when needed.
#include <catch2/catch.hpp>

#include <random>
#include <string>

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

namespace {

// Builds a random path of `depth` pieces below `node` and checks, at the
// leaf, str() and assign_to() against the pointer put together piece by piece.
void check_random_path(const chartlock::json::Path& node, const std::string& expected, int depth,
                       std::mt19937& rng, std::string& reused) {
  using chartlock::json::Path;
  if (depth == 0) {
    REQUIRE(node.str() == expected);
    node.assign_to(reused);
    REQUIRE(reused == expected);
    return;
  }
  if (rng() % 3 == 0) {
    // Indices of every length, the largest among them.
    const std::size_t index = rng() % 4 == 0 ? static_cast<std::size_t>(-1) : rng() % (std::size_t{1} << (rng() % 32));
    check_random_path(node / index, expected + "/" + std::to_string(index), depth - 1, rng, reused);
    return;
  }
  static const char letters[] = "ab~/";
  std::string key, escaped;
  for (std::size_t n = rng() % (rng() % 8 == 0 ? 120 : 12); n > 0; --n) {
    const char c = letters[rng() % 4];
    key += c;
    escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  }
  check_random_path(node / key, expected + "/" + escaped, depth - 1, rng, reused);
}

}  // namespace

TEST_CASE("random JSON Pointers, short and past the stack buffer, as written piece by piece", "[json][path]") {
  // Keys of '~' and '/' only count double when measured for the buffer: a
  // path of such keys near its size is written either way, and an index of
  // 20 digits too.
  using chartlock::json::Path;
  std::mt19937 rng(3);
  std::string reused;
  for (int round = 0; round < 5000; ++round) {
    const std::string prefix = round % 2 ? "/entry/7/resource" : "";
    check_random_path(Path(prefix), prefix, 1 + round % 9, rng, reused);
  }
  std::string long_key(300, 'k');
  CHECK((Path("/r") / long_key).str() == "/r/" + long_key);
  std::string slashes = "/";
  for (int i = 0; i < 128; ++i) slashes += "~1";
  CHECK((Path() / std::string(128, '/')).str() == slashes);  // 257 bytes: measured first
}
