// SPDX-License-Identifier: Apache-2.0
#include "chartlock/qr_code.hpp"

#include <qrencode.h>

#include <cerrno>
#include <memory>
#include <new>
#include <string>

namespace chartlock {

namespace {

QRecLevel to_qrencode(QrLevel level) {
  switch (level) {
    case QrLevel::L: return QR_ECLEVEL_L;
    case QrLevel::M: return QR_ECLEVEL_M;
    case QrLevel::Q: return QR_ECLEVEL_Q;
    case QrLevel::H: return QR_ECLEVEL_H;
  }
  return QR_ECLEVEL_M;
}

}  // namespace

QrCode qr_encode(std::string_view text, QrLevel level) {
  if (text.empty()) throw QrTooLong("a QR code needs some text");
  // libqrencode's 8-bit entry point takes a length: the text may hold any byte.
  std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()), 0,
                        to_qrencode(level)),
      QRcode_free);
  if (!code) {
    if (errno == ENOMEM) throw std::bad_alloc();
    throw QrTooLong("the text is too long for a QR code (" + std::to_string(text.size()) + " bytes)");
  }
  QrCode out;
  out.size = code->width;
  const std::size_t n = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  out.modules.resize(n);
  // Each byte's lowest bit is the module's colour; the others say what it is for.
  for (std::size_t i = 0; i < n; ++i) out.modules[i] = code->data[i] & 1u;
  return out;
}

}  // namespace chartlock
