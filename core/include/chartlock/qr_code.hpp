// SPDX-License-Identifier: Apache-2.0
// A QR code's modules for a text: what a SMART Health Link or a recovery key
// is drawn as (the widget draws the modules; the core decides nothing else).
// Over Debian's libqrencode.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace chartlock {

// How much of the code may be damaged and still read: L 7%, M 15%, Q 25%, H 30%.
enum class QrLevel { L, M, Q, H };

struct QrCode {
  int size = 0;                       // modules per side (21 for version 1, +4 per version)
  std::vector<std::uint8_t> modules;  // size × size, row by row: 1 dark, 0 light
  bool dark(int x, int y) const { return modules[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) + static_cast<std::size_t>(x)] != 0; }
};

// Thrown when the text does not fit in a QR code at that level (at most
// 2,953 bytes at L, version 40) or is empty.
class QrTooLong : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The text as bytes (8-bit mode, the IG's choice for shlink:/ payloads),
// the smallest version that holds it, the mask libqrencode scores best.
QrCode qr_encode(std::string_view text, QrLevel level = QrLevel::M);

}  // namespace chartlock
