# SPDX-License-Identifier: Apache-2.0
# cmake -DINPUT=file.json -DOUTPUT=file.cpp -DNAME=symbol -P EmbedText.cmake
# Writes a C++ file whose function chartlock::knowledge::embedded::NAME()
# returns the input's bytes: the knowledge base compiled in, identical natively
# and in wasm, with no tool beyond CMake.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
# Break the one long line every 32 bytes to keep compilers and editors happy.
string(REGEX REPLACE "((0x[0-9a-f][0-9a-f],){32})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUTPUT}.tmp"
"// Generated from ${INPUT} by core/cmake/EmbedText.cmake. Do not edit.
#include <string_view>

namespace chartlock::knowledge::embedded {
namespace {
const unsigned char kBytes[] = {
${bytes}
0x00};
}  // namespace
std::string_view ${NAME}() { return {reinterpret_cast<const char*>(kBytes), ${size}}; }
}  // namespace chartlock::knowledge::embedded
")
configure_file("${OUTPUT}.tmp" "${OUTPUT}" COPYONLY)  # rewrites only on change
file(REMOVE "${OUTPUT}.tmp")
