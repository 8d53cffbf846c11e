// SPDX-License-Identifier: Apache-2.0
// Key files for the crypto subcommands (keygen, seal, open, tool).
#pragma once

#include <string>
#include <vector>

#include "chartlock/crypto/key_file.hpp"

namespace chartlock::cli {

// Reads and decodes a secret key file; the file's text is wiped after use.
// crypto::Error messages are prefixed with the path.
crypto::KeySet load_secret_keys(const std::string& path);
crypto::PublicKeySet load_public_keys(const std::string& path);

// Makes a new key set and writes NAME.key (secret, mode 0600) and NAME.pub;
// without `force`, BadInput when either exists. Returns the public keys.
crypto::PublicKeySet write_new_key_files(const std::string& name, bool force);

// Both keygen commands (keygen.cpp): --out NAME [--force] [--help], writes the
// files, and prints the public keys the command's way.
int run_keygen(const std::vector<std::string>& argv, const char* usage, void (*print)(const crypto::PublicKeySet&));

}  // namespace chartlock::cli
