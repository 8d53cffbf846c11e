// SPDX-License-Identifier: Apache-2.0
// chartlock_bench: times the native core on FHIR files, for bench/run.mjs.
//
//   chartlock_bench [--runs N] [--today YYYY-MM-DD] FILE...
//
// Reads every FILE once (not timed), then N times: ingest alone (the merged
// record, no JSON out) and ingest + summary (the summary as JSON text, what
// the wasm module's summarize() returns). Prints one JSON object with the
// medians of wall and CPU time (CPU time is the steadier on a shared
// machine). No PHI is printed: only sizes and times.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "chartlock/diagnostic.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

struct Timings {
  std::vector<double> wall, cpu;

  template <class F>
  void time(F&& f) {
    const double c = cpu_ms();
    const auto start = Clock::now();
    f();
    wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    cpu.push_back(cpu_ms() - c);
  }
};

struct Input {
  std::string name;
  std::string bytes;  // holds json_padding spare bytes after the content
  std::size_t size = 0;
};

Input read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  Input input{path, std::string(std::istreambuf_iterator<char>(in), {}), 0};
  input.size = input.bytes.size();
  // Padded like the wasm binding pads: simdjson then parses in place.
  input.bytes.append(chartlock::json_padding, '\0');
  return input;
}

std::vector<chartlock::Source> sources_of(const std::vector<Input>& inputs) {
  std::vector<chartlock::Source> sources;
  for (const Input& in : inputs) {
    chartlock::Source s{in.name, std::string_view(in.bytes.data(), in.size)};
    s.padding = chartlock::json_padding;
    sources.push_back(s);
  }
  return sources;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

void print_timings(const char* name, const Timings& t) {
  std::printf("  \"%s\": {\"wall_ms\": %.3f, \"cpu_ms\": %.3f},\n", name, median(t.wall),
              median(t.cpu));
}

int usage() {
  std::cerr << "usage: chartlock_bench [--runs N] [--today YYYY-MM-DD] FILE...\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  chartlock::SummaryOptions summary_options;
  summary_options.today = "2025-06-01";
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
      if (runs < 1) return usage();
    } else if (arg == "--today" && i + 1 < argc) {
      summary_options.today = argv[++i];
    } else if (arg.rfind("--", 0) == 0) {
      return usage();
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.empty()) return usage();

  try {
    std::vector<Input> inputs;
    std::size_t total = 0;
    for (const std::string& p : paths) {
      inputs.push_back(read_file(p));
      total += inputs.back().size;
    }
    const std::vector<chartlock::Source> sources = sources_of(inputs);
    chartlock::IngestOptions options;
    options.keep_raw = false;  // as the wasm summarize() reads

    // One untimed warm-up: the knowledge base is parsed on first use.
    chartlock::summarize(chartlock::ingest(sources, options), summary_options);
    Timings ingest, ingest_summary;
    std::size_t items = 0, summary_bytes = 0;
    for (int r = 0; r < runs; ++r) {
      ingest.time([&] {
        const chartlock::Record record = chartlock::ingest(sources, options);
        items = record.observations.size() + record.conditions.size() + record.medications.size();
      });
      ingest_summary.time([&] {
        const chartlock::Record record = chartlock::ingest(sources, options);
        summary_bytes =
            chartlock::summary_to_json_text(chartlock::summarize(record, summary_options)).size();
      });
    }
    std::printf("{\n  \"bytes\": %zu,\n  \"runs\": %d,\n", total, runs);
    print_timings("ingest", ingest);
    print_timings("ingest_summary", ingest_summary);
    std::printf("  \"items\": %zu,\n  \"summary_bytes\": %zu\n}\n", items, summary_bytes);
  } catch (const chartlock::IngestError& e) {
    std::cerr << "chartlock_bench: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "chartlock_bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
