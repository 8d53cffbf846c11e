// SPDX-License-Identifier: Apache-2.0
// Whole-file reads and writes for the CLI (core/ and crypto/ do no I/O).
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace chartlock::cli {

// A file could not be read or written; the message is one line naming the
// path (or "standard input" / "standard output") and what is wrong.
struct IoError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "-" reads standard input (anything but a directory). A path must be a
// regular file: a directory, FIFO, socket or device is refused before it is
// opened (a FIFO would wait for a writer forever); a missing or unreadable
// file gives the system's reason ("PATH: Permission denied").
std::string read_file(const std::string& path);

// A regular file read a piece at a time, with read_file's checks (a path
// only: standard input is read whole). For inputs too large to hold whole.
class FileChunks {
 public:
  explicit FileChunks(const std::string& path);
  ~FileChunks();
  FileChunks(const FileChunks&) = delete;
  FileChunks& operator=(const FileChunks&) = delete;
  std::uint64_t size() const { return size_; }  // when opened
  // Up to `capacity` next bytes into `buffer`; 0 at the end.
  std::size_t read(char* buffer, std::size_t capacity);
  // Back to the first byte.
  void rewind();

 private:
  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

enum class FileMode { normal, secret };  // secret: created 0600 (keys, plaintext)

// "-" writes standard output. Writes to a temporary file beside PATH and
// renames it, so a failed write (a full disk, say) never leaves half a key or
// half a bundle behind, nor the temporary file. An existing device (/dev/null,
// /dev/full), FIFO (with a reader) or symbolic link (/dev/stdout) is written in
// place rather than replaced; a directory is refused.
void write_file(const std::string& path, const std::string& bytes,
                FileMode mode = FileMode::normal);

}  // namespace chartlock::cli
