#include "key_io.hpp"

#include <charconv>

#include "args.hpp"
#include "chartlock/crypto/bytes.hpp"
#include "chartlock/crypto/error.hpp"
#include "file_io.hpp"

namespace chartlock::cli {

crypto::KeySet load_secret_keys(const std::string& path) {
  std::string text = read_file(path);
  try {
    crypto::KeySet keys = crypto::key_file_decode(text);
    crypto::wipe(text.data(), text.size());
    return keys;
  } catch (const crypto::Error& e) {
    crypto::wipe(text.data(), text.size());
    throw crypto::Error(e.code(), path + ": " + e.what());
  }
}

crypto::PublicKeySet load_public_keys(const std::string& path) {
  const std::string text = read_file(path);
  try {
    return crypto::public_key_file_decode(text);
  } catch (const crypto::Error& e) {
    throw crypto::Error(e.code(), path + ": " + e.what());
  }
}

}  // namespace chartlock::cli
