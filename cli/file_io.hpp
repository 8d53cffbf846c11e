// Whole-file reads and writes for the CLI (core/ and crypto/ do no I/O).
#pragma once

#include <stdexcept>
#include <string>

namespace chartlock::cli {

// A file could not be read or written; the message names the path.
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "-" reads standard input.
std::string read_file(const std::string& path);

enum class FileMode { normal, secret };  // secret: created 0600 (keys, plaintext)

// "-" writes standard output. Writes to a temporary file and renames it, so a
// failed write never leaves half a key or half a bundle behind.
void write_file(const std::string& path, const std::string& bytes,
                FileMode mode = FileMode::normal);

}  // namespace chartlock::cli
