// SPDX-License-Identifier: Apache-2.0
// chartlock_bench: times the native core on FHIR files, for bench/run.mjs.
//
//   chartlock_bench [--runs N] [--today YYYY-MM-DD] FILE...
//   chartlock_bench --stream [--chunk BYTES] FILE
//
// Reads every FILE once (not timed), then N times: ingest alone (the merged
// record, no JSON out) and ingest + summary (the summary as JSON text, what
// the wasm module's summarize() returns). Each file is handed to the core as
// the wasm module hands it a Uint8Array — copied a chunk at a time into
// RecordBuilder::add_chunked — so both sides of bench 2 do the same work. Prints one JSON object with the
// medians of wall and CPU time (CPU time is the steadier on a shared
// machine). No PHI is printed: only sizes and times.
//
// --stream reads one FILE as the CLI does (RecordBuilder::add_chunked, a
// chunk at a time) into its record, once, and prints the peak resident
// memory beside what the finished record holds on the heap: for an NDJSON
// export too large to hold whole (docs/performance.md, 1 GB).
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
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
  std::string bytes;
  std::size_t size = 0;
};

Input read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  Input input{path, std::string(std::istreambuf_iterator<char>(in), {}), 0};
  input.size = input.bytes.size();
  return input;
}

// An input in memory copied out a chunk at a time, as wasm/bindings.cpp's
// ArrayChunks copies a Uint8Array into wasm memory.
struct MemoryChunks : chartlock::ChunkReader {
  explicit MemoryChunks(std::string_view b) : bytes(b) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, bytes.size() - at);
    std::memcpy(buffer, bytes.data() + at, n);
    at += n;
    return n;
  }
  bool rewind() override {
    at = 0;
    return true;
  }
  std::string_view bytes;
  std::size_t at = 0;
};

// The record, read as the wasm module's summarize() and Records read it.
chartlock::Record read_record(const std::vector<Input>& inputs, const chartlock::IngestOptions& options) {
  chartlock::RecordBuilder builder(options);
  for (const Input& in : inputs) {
    MemoryChunks chunks(std::string_view(in.bytes.data(), in.size));
    builder.add_chunked(chartlock::ChunkedSource{in.name, in.size}, chunks);
  }
  return builder.finish();
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
  std::cerr << "usage: chartlock_bench [--runs N] [--today YYYY-MM-DD] FILE...\n"
               "       chartlock_bench --stream [--chunk BYTES] FILE\n";
  return 2;
}

// The process's own peak resident set (VmHWM), not getrusage's ru_maxrss:
// that one survives exec, so a child of a large process (npm run bench's
// Node, after the 100 MB runs) starts with its parent's peak, and growth
// measured from it comes out too small (404 MiB for a 1,105 MiB peak).
std::size_t peak_rss_bytes() {
  std::size_t kib = 0;
  if (std::FILE* f = std::fopen("/proc/self/status", "r")) {
    char line[256];
    while (std::fgets(line, sizeof line, f)) {
      if (std::sscanf(line, "VmHWM: %zu kB", &kib) == 1) break;
    }
    std::fclose(f);
  }
  if (kib == 0) throw std::runtime_error("no VmHWM in /proc/self/status");
  return kib * 1024;
}

// Sets the peak to what is resident now (Linux 4.0+), so the peak read after
// is this run's; where that is refused, the peak since start stands.
void reset_peak_rss() {
  if (std::FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

// What malloc has handed out from its arenas, and what it mmapped on its own
// for a single large block (over its mmap threshold, which grows to at most
// 32 MiB: the record's large item vectors are such blocks).
std::size_t arena_in_use() { return mallinfo2().uordblks; }
std::size_t mmapped() { return mallinfo2().hblkhd; }

std::size_t rss_bytes() {
  long pages = 0, resident = 0;
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<std::size_t>(resident) * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

struct FileChunks : chartlock::ChunkReader {
  explicit FileChunks(std::FILE* f) : file(f) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    const std::size_t n = std::fread(buffer, 1, capacity, file);
    if (n == 0 && std::ferror(file)) throw std::runtime_error("read error");
    return n;
  }
  bool rewind() override { return std::fseek(file, 0, SEEK_SET) == 0; }
  std::FILE* file;
};

// The record of one file read in chunks; peak memory against the record's.
int stream(const std::string& path, std::size_t chunk) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot read " + path);
  std::fseek(f, 0, SEEK_END);
  const auto size = static_cast<std::uint64_t>(std::ftell(f));
  std::fseek(f, 0, SEEK_SET);
  // The knowledge base and the allocator's first arenas, before measuring.
  chartlock::summarize(chartlock::Record{}, {});
  malloc_trim(0);
  reset_peak_rss();
  const std::size_t peak_before = peak_rss_bytes();
  const std::size_t rss_before = rss_bytes();
  const std::size_t arena_before = arena_in_use();
  const std::size_t mmapped_before = mmapped();
  chartlock::IngestOptions options;
  options.keep_raw = false;  // as the widget reads
  // Over the default 512 MiB on purpose (the CLI's --max-bytes).
  options.limits.max_bytes = std::max<std::size_t>(options.limits.max_bytes, static_cast<std::size_t>(size));
  const double c = cpu_ms();
  chartlock::RecordBuilder builder(options);
  FileChunks chunks(f);
  builder.add_chunked(chartlock::ChunkedSource{path, size, chartlock::Source::Format::detect, chunk}, chunks);
  const chartlock::Record record = builder.finish();
  const double cpu = cpu_ms() - c;
  std::fclose(f);
  // The finished record: the heap it holds (arena and mmapped blocks; an
  // mmapped block counts whole, capacity its vector never touched included),
  // what stays resident once the allocator gives back its free pages (the
  // builder's freed chunks left on the record's pages included), and what a
  // compact copy of it allocates (every vector and string at its size): the
  // memory the record needs, the bound's term. The peak is read first.
  const std::size_t peak_growth = peak_rss_bytes() - peak_before;
  const std::size_t record_arena = arena_in_use() - arena_before;
  const std::size_t record_mmapped = mmapped() - mmapped_before;
  malloc_trim(0);
  const std::size_t record_rss = rss_bytes() - rss_before;
  const std::size_t heap_held = arena_in_use() + mmapped();
  const auto copy = std::make_unique<chartlock::Record>(record);
  const std::size_t record_needs = arena_in_use() + mmapped() - heap_held;
  std::printf("{\n  \"bytes\": %llu,\n  \"chunk_bytes\": %zu,\n  \"cpu_ms\": %.3f,\n"
              "  \"peak_rss_growth\": %zu,\n  \"record_needs\": %zu,\n  \"record_heap\": %zu,\n"
              "  \"record_arena\": %zu,\n  \"record_mmapped\": %zu,\n  \"record_rss\": %zu,\n  \"items\": %zu\n}\n",
              static_cast<unsigned long long>(size), chunk, cpu, peak_growth, record_needs,
              record_arena + record_mmapped, record_arena, record_mmapped, record_rss,
              record.observations.size() + record.conditions.size() + record.medications.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  chartlock::SummaryOptions summary_options;
  summary_options.today = "2025-06-01";
  std::vector<std::string> paths;
  bool streamed = false;
  std::size_t chunk = chartlock::ChunkedSource{}.chunk_bytes;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--stream") {
      streamed = true;
    } else if (arg == "--chunk" && i + 1 < argc) {
      chunk = static_cast<std::size_t>(std::atoll(argv[++i]));
      if (chunk < 1) return usage();
    } else if (arg == "--runs" && i + 1 < argc) {
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
  if (paths.empty() || (streamed && paths.size() != 1)) return usage();

  try {
    if (streamed) return stream(paths[0], chunk);
    std::vector<Input> inputs;
    std::size_t total = 0;
    for (const std::string& p : paths) {
      inputs.push_back(read_file(p));
      total += inputs.back().size;
    }
    chartlock::IngestOptions options;
    options.keep_raw = false;  // as the wasm summarize() reads

    // One untimed warm-up: the knowledge base is parsed on first use.
    chartlock::summarize(read_record(inputs, options), summary_options);
    Timings ingest, ingest_summary;
    std::size_t items = 0, summary_bytes = 0;
    for (int r = 0; r < runs; ++r) {
      ingest.time([&] {
        const chartlock::Record record = read_record(inputs, options);
        items = record.observations.size() + record.conditions.size() + record.medications.size();
      });
      ingest_summary.time([&] {
        const chartlock::Record record = read_record(inputs, options);
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
