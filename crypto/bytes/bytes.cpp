#include "chartlock/crypto/bytes.hpp"

#include <sodium.h>

namespace chartlock::crypto {

// sodium_memzero needs no sodium_init(): it touches no global state.
void wipe(void* p, std::size_t n) noexcept {
  if (p != nullptr && n != 0) sodium_memzero(p, n);
}

}  // namespace chartlock::crypto
