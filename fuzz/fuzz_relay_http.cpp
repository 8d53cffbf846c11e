// SPDX-License-Identifier: Apache-2.0
// libFuzzer target: the relay's HTTP layer (relay/server.cpp on cpp-httplib):
// request-line and header parsing, body limits, routing, CORS, X-Forwarded-For
// from a trusted proxy, the rate limiter's keys, the health and metrics
// endpoints — the real Server on loopback, fed each input as the raw bytes of
// one connection.
//
// The server (on an in-memory SQLite store) starts once, in its own threads;
// each input is written to a fresh connection and the answers read until the
// server closes it or is quiet for 50 ms (a request it is still waiting the
// rest of). The write side stays open: httplib drops the answer to a client
// that has half-closed its connection.
//
// Oracles: the server survives every input (a crash or a sanitizer report in
// any thread ends the run); whatever it answers is an HTTP/1.1 status line
// with a status below 500 — malformed requests get 4xx, never 5xx — or
// nothing (a connection it drops); and it still answers GET /healthz with 200
// after the input.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>

#include "config.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "server.hpp"
#include "service.hpp"
#include "sqlite_store.hpp"

namespace {

using namespace chartlock::relay;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_relay_http: %s\n", what);
    std::abort();
  }
}

struct Relay {
  Config config;
  std::unique_ptr<SqliteStore> store;
  std::unique_ptr<Service> service;
  Metrics metrics;
  std::FILE* devnull = std::fopen("/dev/null", "w");
  Logger log{devnull};
  std::unique_ptr<Server> server;
  std::thread thread;
  int port = 0;

  Relay() {
    config.port = 0;
    config.max_bundle_bytes = 4096;
    config.allowed_origins = {"https://widget.example", "http://127.0.0.1:9000"};
    config.trusted_proxies = {"127.0.0.1"};  // so X-Forwarded-For is read
    config.address_rate = {0, 0};           // no limit: every input must reach the routes
    config.key_rate = {0, 0};
    config.threads = 2;
    store = std::make_unique<SqliteStore>(":memory:", 1);
    service = std::make_unique<Service>(*store, config);
    server = std::make_unique<Server>(config, *store, *service, metrics, log);
    port = server->bind();
    thread = std::thread([this] { server->run(); });
  }
};

Relay& relay() {
  static Relay* r = new Relay();  // never destroyed: its threads serve until the process ends
  return *r;
}

// Writes `bytes` on a new connection and reads what comes back (see above).
std::string round_trip(int port, const std::string& bytes, long quiet_ms = 50) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  check(fd >= 0, "socket");
  timeval quiet{0, quiet_ms * 1000};
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &quiet, sizeof quiet);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    std::fprintf(stderr, "connect: %s\n", std::strerror(errno));
    check(false, "the relay stopped accepting connections");
  }
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (a request it refused): fine
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    answer.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

// Every response in `answer` (keep-alive may carry several): an HTTP/1.1 status below 500.
void check_answer(const std::string& answer) {
  std::size_t at = 0;
  while ((at = answer.find("HTTP/1.1 ", at)) != std::string::npos) {
    check(at + 12 <= answer.size(), "a cut-off status line");
    const int status = std::atoi(answer.substr(at + 9, 3).c_str());
    check(status >= 100 && status < 500, "a 5xx (or no) status for a request");
    at += 12;
  }
  check(answer.empty() || answer.rfind("HTTP/1.1 ", 0) == 0, "an answer that is not HTTP/1.1");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Relay& r = relay();
  check_answer(round_trip(r.port, std::string(reinterpret_cast<const char*>(data), size)));
  const std::string health = round_trip(r.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000);
  if (health.rfind("HTTP/1.1 200", 0) != 0) {
    std::fprintf(stderr, "/healthz answered: %.200s\n", health.c_str());
    check(false, "the relay stopped answering /healthz");
  }
  return 0;
}
