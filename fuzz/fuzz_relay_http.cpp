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
// after the input. Refused connections are retried while the relay listens
// again (see connect_to), for at most kRelistenLimit.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
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
    // libFuzzer's timeout timer raises SIGALRM every -timeout/2 seconds, at
    // whichever thread does not block it: in a server thread it cut a read
    // or a poll short and dropped a request. The relay's threads (the pool
    // is made by run()) inherit a mask with it blocked; main() blocks its
    // signals the same way in the real relay.
    sigset_t alarm, before;
    sigemptyset(&alarm);
    sigaddset(&alarm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alarm, &before);
    thread = std::thread([this] { server->run(); });
    pthread_sigmask(SIG_SETMASK, &before, nullptr);
  }
};

Relay& relay() {
  static Relay* r = new Relay();  // never destroyed: its threads serve until the process ends
  return *r;
}

// How long the relay may refuse connections while it listens again: httplib
// first lets the connections it is serving finish (up to its 10 s read
// timeout), then Server::run binds again (retrying for up to 5 s).
using Clock = std::chrono::steady_clock;
constexpr auto kRelistenLimit = std::chrono::seconds(15);  // below libFuzzer's -timeout=25 with a 5 s read

// A connected socket to the relay. A refused connection is retried for as
// long as the relay may take to listen again (docs/robustness.md: httplib
// closes its listening socket on some accept() errors; the relay then listens
// again): the oracle is that it comes back, not that no connection ever
// lands in that window. Each such window is reported on stderr.
int connect_to(int port, Clock::time_point give_up) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto start = Clock::now();
  bool refused = false;
  for (;;) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    check(fd >= 0, "socket");
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
      if (refused) {
        const auto waited = Clock::now() - start;
        std::fprintf(stderr, "fuzz_relay_http: note: the relay refused connections for %lld ms, then listened again\n",
                     static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(waited).count()));
      }
      return fd;
    }
    const int error = errno;
    ::close(fd);
    // EINTR: libFuzzer's timeout timer (SIGALRM, every -timeout/2 s) landed
    // while connect() waited; a fresh attempt is the simplest correct answer.
    if (error == EINTR) continue;
    if (error != ECONNREFUSED || Clock::now() > give_up) {
      std::fprintf(stderr, "connect: %s\n", std::strerror(error));
      check(false, "the relay stopped accepting connections");
    }
    refused = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// Writes `bytes` on a new connection and reads what comes back (see above).
std::string round_trip(int port, const std::string& bytes, long quiet_ms = 50,
                       Clock::time_point give_up = Clock::now() + kRelistenLimit) {
  const int fd = connect_to(port, give_up);
  timeval quiet{quiet_ms / 1000, (quiet_ms % 1000) * 1000};  // tv_usec must stay below 1 s
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &quiet, sizeof quiet);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;  // the timer signal, as in connect_to
    if (n <= 0) break;  // the server may close early (a request it refused): fine
    sent += static_cast<std::size_t>(n);
  }
  std::string answer;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
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
  // A connection the old listening socket held when it closed is reset (no
  // answer at all), so a health check in that window is asked again, within
  // the same limit. Any answer but 200 fails at once.
  // One budget for every attempt (each may also wait 5 s for its answer):
  // under libFuzzer's -timeout=25 in all.
  const auto give_up = Clock::now() + kRelistenLimit;
  for (;;) {
    const std::string health =
        round_trip(r.port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 5000, give_up);
    if (health.rfind("HTTP/1.1 200", 0) == 0) break;
    if (!health.empty() || Clock::now() > give_up) {
      std::fprintf(stderr, "/healthz answered: %.200s\n", health.c_str());
      check(false, "the relay stopped answering /healthz");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return 0;
}
