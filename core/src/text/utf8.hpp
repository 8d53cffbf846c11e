// SPDX-License-Identifier: Apache-2.0
// Writing code points as UTF-8, for the text readers (markup, notes).
#pragma once

#include <cstdint>
#include <string>

namespace chartlock::text {

// Appends `cp` as UTF-8; NUL, surrogates and values past U+10FFFF become
// U+FFFD, so what a reader decodes is always valid UTF-8.
void append_utf8(std::string& out, std::uint32_t cp);

}  // namespace chartlock::text
