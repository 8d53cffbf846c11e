// SPDX-License-Identifier: Apache-2.0
#include "key_io.hpp"

#include <filesystem>

#include "commands.hpp"
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

crypto::PublicKeySet write_new_key_files(const std::string& name, bool force) {
  const std::string key_path = name + ".key";
  const std::string pub_path = name + ".pub";
  if (!force) {
    for (const std::string& path : {key_path, pub_path}) {
      if (std::filesystem::exists(path)) throw BadInput(path + " exists (use --force to overwrite it)");
    }
  }
  const crypto::KeySet keys = crypto::keyset_generate();
  const crypto::SecretString secret = crypto::key_file_encode(keys);
  std::string text(secret.data(), secret.size());  // write_file takes a std::string
  try {
    write_file(key_path, text, FileMode::secret);
  } catch (...) {
    crypto::wipe(text.data(), text.size());
    throw;
  }
  crypto::wipe(text.data(), text.size());
  const crypto::PublicKeySet pub = crypto::keyset_public(keys);
  write_file(pub_path, crypto::public_key_file_encode(pub));
  return pub;
}

}  // namespace chartlock::cli
