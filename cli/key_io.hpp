// Loading key files for the crypto subcommands (keygen, seal, open).
#pragma once

#include <string>

#include "chartlock/crypto/key_file.hpp"

namespace chartlock::cli {

// Reads and decodes a secret key file; the file's text is wiped after use.
// crypto::Error messages are prefixed with the path.
crypto::KeySet load_secret_keys(const std::string& path);
crypto::PublicKeySet load_public_keys(const std::string& path);

}  // namespace chartlock::cli
