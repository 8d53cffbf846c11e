// SPDX-License-Identifier: Apache-2.0
// Peak memory for the worst hostile inputs (docs/limits.md, "Memory").
//
// Hidden ([.memory]): a measurement, not a unit test. It needs several GB and
// tens of seconds, so ctest never runs it and it is native only (fork and
// getrusage). Run it on a Release build without sanitizers:
//
//   build/tests/chartlock_core_tests "[.memory]"
//
// Each input is built and ingested in a child process of its own, so each
// peak (ru_maxrss of that child) is that input's alone. The table it prints is
// the one in docs/limits.md.
#if !defined(__EMSCRIPTEN__)

#include <catch2/catch.hpp>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <string>

#include "ingest_support.hpp"

namespace {

struct Probe {
  const char* name;
  std::function<std::string()> make;  // the input, built in the child
  const char* expect;                 // the error code, or the first warning's
  double max_ratio;                   // peak RSS allowed, per input byte (plus 64 MiB)
};

struct Measured {
  std::string outcome;
  std::size_t input_bytes = 0;
  long peak_kib = 0;
};

Measured measure(const Probe& probe) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    std::string outcome;
    std::string input = probe.make();
    try {
      const auto r = test::ingest_one(input, "hostile.json");
      outcome = r.warnings.empty() ? "ok" : to_string(r.warnings.front().code);
    } catch (const chartlock::IngestError& e) {
      outcome = to_string(e.diagnostic().code);
    }
    const std::string line = std::to_string(input.size()) + " " + outcome;
    (void)!write(fds[1], line.data(), line.size());
    _exit(0);
  }
  close(fds[1]);
  char buf[128] = {};
  const ssize_t n = read(fds[0], buf, sizeof buf - 1);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  REQUIRE(wait4(pid, &status, 0, &usage) == pid);
  REQUIRE(WIFEXITED(status));
  REQUIRE(n > 0);
  Measured m;
  const std::string text(buf, static_cast<std::size_t>(n));
  m.input_bytes = std::stoull(text.substr(0, text.find(' ')));
  m.outcome = text.substr(text.find(' ') + 1);
  m.peak_kib = usage.ru_maxrss;  // KiB on Linux
  return m;
}

std::string nested(std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

std::string patients_with_bad_gender(std::size_t count) {
  std::vector<std::string> resources(count, R"({"resourceType":"Patient","gender":1})");
  return test::bundle(resources);
}

}  // namespace

TEST_CASE("peak memory of the worst hostile inputs", "[.memory]") {
  const std::size_t MB = 1000 * 1000;
  const Probe probes[] = {
      {"nothing (the process itself)", [] { return std::string(R"({"resourceType":"Patient"})"); }, "ok", 0},
      {"100,000 levels of nesting", [] { return nested(100000); }, "too-deep", 1000},
      {"600 MiB input (over the 512 MiB limit)",
       [] { return std::string(std::size_t{600} << 20, ' '); }, "too-large", 1.1},
      {"500 MB string as Patient.birthDate",
       [&] { return R"({"resourceType":"Patient","birthDate":")" + std::string(500 * MB, '7') + R"("})"; },
       "invalid-value", 5},
      {"100 MB of numbers in an array (densest structure)",
       [&] {
         std::string s = R"({"resourceType":"Basic","x":[0)";
         s.reserve(100 * MB + 64);
         while (s.size() < 100 * MB) s += ",0";
         return s + "]}";
       },
       "ok", 20},
      {"200,000 Patients with a mistyped gender (warnings capped)",
       [] { return patients_with_bad_gender(200000); }, "wrong-type", 40},
      {"1,000,000 NDJSON lines that are not JSON",
       [] {
         std::string s = R"({"resourceType":"Patient"})" "\n";
         for (int i = 0; i < 1000000; ++i) s += "x\n";
         return s;
       },
       "bad-resource", 40},
  };
  std::printf("\n| input | bytes | outcome | peak RSS (MiB) |\n|---|---:|---|---:|\n");
  for (const Probe& p : probes) {
    const Measured m = measure(p);
    std::printf("| %s | %zu | `%s` | %.0f |\n", p.name, m.input_bytes, m.outcome.c_str(), m.peak_kib / 1024.0);
    std::fflush(stdout);
    CAPTURE(p.name);
    CHECK(m.outcome == p.expect);
    if (p.max_ratio > 0) {
      CHECK(static_cast<double>(m.peak_kib) * 1024 <= p.max_ratio * static_cast<double>(m.input_bytes) + (64 << 20));
    }
  }
}

#endif
