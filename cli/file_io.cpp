// SPDX-License-Identifier: Apache-2.0
#include "file_io.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

// Every failure is an IoError whose message is one line naming the path; no
// stream or system call result goes unchecked, and nothing here throws
// std::ios_failure (plain system calls, no iostreams on files).

namespace chartlock::cli {

namespace {

constexpr const char* kStdin = "standard input";
constexpr const char* kStdout = "standard output";

[[noreturn]] void fail(const std::string& what, int err) {
  throw IoError(what + ": " + std::strerror(err));
}

// What a file of this type is, when it is not something we read or write.
const char* refusal(mode_t mode) {
  if (S_ISDIR(mode)) return "is a directory";
  return "is not a regular file";
}

// Waits until fd is ready (a descriptor inherited in non-blocking mode).
void wait_for(int fd, short events, const std::string& name) {
  pollfd p{fd, events, 0};
  while (::poll(&p, 1, -1) < 0) {
    if (errno != EINTR) fail(name, errno);
  }
}

// One read of at most `capacity` bytes, waiting and retrying as a blocking
// read would; 0 only at the end.
std::size_t read_some(int fd, char* buffer, std::size_t capacity, const std::string& name) {
  for (;;) {
    const ssize_t n = ::read(fd, buffer, capacity);
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait_for(fd, POLLIN, name);
      continue;
    }
    fail(name, errno);
  }
}

// Reads fd to its end.
std::string read_fd(int fd, const std::string& name, std::size_t size_hint) {
  std::string data;
  data.resize(size_hint > 0 ? size_hint + 1 : 65536);  // +1: the read that sees the end
  std::size_t size = 0;
  for (;;) {
    if (size == data.size()) data.resize(data.size() * 2);
    const std::size_t n = read_some(fd, &data[size], data.size() - size, name);
    if (n == 0) break;
    size += n;
  }
  data.resize(size);
  return data;
}

// Writes all of bytes to fd.
void write_fd(int fd, const std::string& bytes, const std::string& name) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        wait_for(fd, POLLOUT, name);
        continue;
      }
      fail(name, errno);
    }
    if (n == 0) fail(name, EIO);
    done += static_cast<std::size_t>(n);
  }
}

// Closes fd on every path out of a scope.
struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
  // Closes now, reporting the error a deferred write may only show here.
  int close() {
    const int r = ::close(fd);
    fd = -1;
    return r;
  }
};

std::string read_stdin() {
  struct stat st{};
  if (::fstat(STDIN_FILENO, &st) != 0) fail(kStdin, errno);
  if (S_ISDIR(st.st_mode)) throw IoError(std::string(kStdin) + ": is a directory");
  return read_fd(STDIN_FILENO, kStdin, S_ISREG(st.st_mode) ? static_cast<std::size_t>(st.st_size) : 0);
}

// Writes straight into an existing file that must not be replaced: a device
// (/dev/null, /dev/full, a terminal), a FIFO with a reader, or the file a
// symbolic link points to (/dev/stdout: the shell's redirection).
void write_in_place(const std::string& path, const std::string& bytes, const std::string& what) {
  // O_NONBLOCK: opening a FIFO with no reader fails (ENXIO) instead of waiting forever.
  Fd out(::open(path.c_str(), O_WRONLY | O_TRUNC | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (out.fd < 0) {
    if (errno == ENXIO) throw IoError(what + ": nothing is reading from it");
    fail(what, errno);
  }
  struct stat st{};
  if (::fstat(out.fd, &st) != 0) fail(what, errno);
  if (S_ISDIR(st.st_mode) || !(S_ISREG(st.st_mode) || S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
    throw IoError(what + ": " + refusal(st.st_mode));
  }
  const int flags = ::fcntl(out.fd, F_GETFL);
  if (flags < 0 || ::fcntl(out.fd, F_SETFL, flags & ~O_NONBLOCK) != 0) fail(what, errno);
  write_fd(out.fd, bytes, what);
  if (S_ISREG(st.st_mode) && ::fsync(out.fd) != 0) fail(what, errno);
  if (out.close() != 0) fail(what, errno);
}

// Opens a regular file for reading; `st` is what was opened.
int open_regular(const std::string& path, struct stat& st) {
  // Look before opening: opening a FIFO waits for a writer, and opening a
  // device can do things; only regular files are read.
  if (::stat(path.c_str(), &st) != 0) fail(path, errno);
  if (!S_ISREG(st.st_mode)) throw IoError(path + ": " + refusal(st.st_mode));
  Fd in(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (in.fd < 0) fail(path, errno);
  // The same check on what was opened, in case the path changed in between.
  if (::fstat(in.fd, &st) != 0) fail(path, errno);
  if (!S_ISREG(st.st_mode)) throw IoError(path + ": " + refusal(st.st_mode));
  const int fd = in.fd;
  in.fd = -1;
  return fd;
}

}  // namespace

std::string read_file(const std::string& path) {
  if (path == "-") return read_stdin();
  struct stat st{};
  Fd in(open_regular(path, st));
  std::string data = read_fd(in.fd, path, static_cast<std::size_t>(st.st_size));
  if (in.close() != 0) fail(path, errno);
  return data;
}

FileChunks::FileChunks(const std::string& path) : path_(path) {
  struct stat st{};
  fd_ = open_regular(path, st);
  size_ = static_cast<std::uint64_t>(st.st_size);
}

void FileChunks::rewind() {
  if (::lseek(fd_, 0, SEEK_SET) != 0) fail(path_, errno);
}

FileChunks::~FileChunks() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t FileChunks::read(char* buffer, std::size_t capacity) {
  std::size_t done = 0;
  while (done < capacity) {
    const std::size_t n = read_some(fd_, buffer + done, capacity - done, path_);
    if (n == 0) break;
    done += n;
  }
  return done;
}

void write_file(const std::string& path, const std::string& bytes, FileMode mode) {
  if (path == "-") {
    // What went to std::cout before goes first.
    std::cout.flush();
    if (std::fflush(stdout) != 0) fail(std::string("cannot write ") + kStdout, errno);
    if (!std::cout) throw IoError(std::string("cannot write ") + kStdout);
    write_fd(STDOUT_FILENO, bytes, std::string("cannot write ") + kStdout);
    return;
  }
  const std::string what = "cannot write " + path;
  struct stat st{};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw IoError(what + ": is a directory");
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return write_in_place(path, bytes, what);
    if (!S_ISREG(st.st_mode)) throw IoError(what + ": " + refusal(st.st_mode));
    struct stat link{};
    if (::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) return write_in_place(path, bytes, what);
  } else if (errno != ENOENT) {
    fail(what, errno);
  }

  // A new name beside the target (never an existing file or link: O_EXCL),
  // written in full and synced, then renamed over the target.
  const mode_t perms = mode == FileMode::secret ? 0600 : 0644;
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0; ++attempt) {
    tmp = path + ".tmp-" + std::to_string(::getpid()) + (attempt ? "-" + std::to_string(attempt) : "");
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, perms);
    if (fd < 0 && (errno != EEXIST || attempt >= 100)) fail(what, errno);
  }
  Fd out(fd);
  try {
    write_fd(out.fd, bytes, what);
    if (::fsync(out.fd) != 0) fail(what, errno);
    if (out.close() != 0) fail(what, errno);
    if (std::rename(tmp.c_str(), path.c_str()) != 0) fail(what, errno);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
}

}  // namespace chartlock::cli
