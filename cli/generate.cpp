// SPDX-License-Identifier: Apache-2.0
// chartlock generate: synthetic patients as FHIR R4 files.
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "args.hpp"
#include "dates.hpp"
#include "chartlock/synth/generate.hpp"
#include "commands.hpp"
#include "file_io.hpp"

namespace chartlock::cli {
namespace {

constexpr const char* kUsage = R"(usage: chartlock generate --out DIR [options]

Writes one synthetic patient, as seen by one or more providers, as FHIR R4:
DIR/provider-1.json … provider-N.json (.ndjson with --format ndjson), and
DIR/truth.json: what was written, by construction (counts per resource type,
facts shared between providers, the merged counts a reader should reach).

Options:
  --out DIR            directory to write into (created if missing)
  --seed N             random seed (default 1); same seed and options, same bytes
  --size SIZE          target size per provider: a number of bytes, or with a
                       unit KB, MB or GB (powers of 1024): 500KB, 10MB (default 256KB)
  --providers N        number of providers, 1 to 16 (default 1)
  --format F           bundle (default) or ndjson
  --bundle-type T      collection (default), transaction, searchset or batch-response
  --overlap PCT        percent of facts also written, identically, to a second
                       provider (default 30)
  --now DATE           the day the patient's history runs up to, YYYY-MM-DD
                       (default 2026-01-01, so the same options give the same bytes)
  --help               show this help
)";

synth::GeneratorOptions parse_options(const Args& args) {
  synth::GeneratorOptions o;
  if (auto v = args.get("--seed")) o.seed = parse_unsigned("--seed", *v);
  if (auto v = args.get("--size")) o.target_bytes = parse_byte_size("--size", *v, synth::kMaxTargetBytes);
  if (auto v = args.get("--providers")) o.providers = static_cast<int>(parse_integer("--providers", *v, 1, synth::kMaxProviders));
  if (auto v = args.get("--now")) {
    o.now = day_start_utc("--now", *v);
    // Histories run decades back from `now`; the generator's calendar covers 2000 to 2100.
    if (o.now < 946684800 || o.now >= 4102444800) throw UsageError("--now must be a day from 2000-01-01 to 2099-12-31");
  }
  if (auto v = args.get("--overlap")) o.overlap_percent = static_cast<int>(parse_integer("--overlap", *v, 0, 100));
  if (auto v = args.get("--format")) {
    if (*v == "ndjson") {
      o.format = synth::GeneratorOptions::Format::ndjson;
    } else if (*v != "bundle") {
      throw UsageError("--format must be bundle or ndjson, not '" + *v + "'");
    }
  }
  if (auto v = args.get("--bundle-type")) {
    if (o.format == synth::GeneratorOptions::Format::ndjson) {
      throw UsageError("--bundle-type applies to --format bundle only");
    }
    o.bundle_type = *v;
  }
  try {
    synth::validate(o);
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  return o;
}

// Files written under a temporary name and renamed when complete, so a failed
// run never leaves a truncated bundle that looks finished.
struct PendingFile {
  std::string path;
  std::string temp;
  std::ofstream stream;
};

}  // namespace

int cmd_generate(const Argv& argv) {
  const ArgSpec spec{{"--out", "--seed", "--size", "--providers", "--format", "--bundle-type", "--overlap", "--now"},
                     {"--help", "-h"}};
  const Args args(argv, spec);
  if (args.has("--help") || args.has("-h")) {
    std::cout << kUsage;
    return exit_ok;
  }
  if (!args.positional().empty()) throw UsageError("unexpected argument '" + args.positional()[0] + "'");
  const synth::GeneratorOptions options = parse_options(args);
  const std::string dir = args.require("--out");

  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw IoError("cannot create " + dir + ": " + ec.message());

  const char* extension = options.format == synth::GeneratorOptions::Format::ndjson ? ".ndjson" : ".json";
  std::vector<std::unique_ptr<PendingFile>> files;
  std::vector<std::ostream*> streams;
  auto discard = [&] {
    for (const auto& f : files) std::remove(f->temp.c_str());
  };
  for (int p = 1; p <= options.providers; ++p) {
    auto f = std::make_unique<PendingFile>();
    f->path = (std::filesystem::path(dir) / ("provider-" + std::to_string(p) + extension)).string();
    f->temp = f->path + ".tmp-" + std::to_string(::getpid());
    f->stream.open(f->temp, std::ios::binary | std::ios::trunc);
    if (!f->stream) {
      const int err = errno;
      discard();
      throw IoError("cannot write " + f->path + ": " + std::strerror(err));
    }
    streams.push_back(&f->stream);
    files.push_back(std::move(f));
  }

  synth::GenerationTruth truth;
  try {
    truth = synth::generate(options, streams);
  } catch (const std::runtime_error& e) {
    discard();
    throw IoError(std::string("cannot write ") + dir + ": " + e.what());
  }
  for (const auto& f : files) {
    f->stream.close();
    if (!f->stream || std::rename(f->temp.c_str(), f->path.c_str()) != 0) {
      const int err = errno;
      discard();
      throw IoError("cannot write " + f->path + ": " + std::strerror(err));
    }
  }
  const std::string truth_path = (std::filesystem::path(dir) / "truth.json").string();
  const std::string truth_text = synth::to_json(truth).dump(2) + "\n";
  write_file(truth_path, truth_text);

  for (std::size_t p = 0; p < files.size(); ++p) {
    std::cout << files[p]->path << "  " << truth.providers[p].bytes << " bytes\n";
  }
  std::cout << truth_path << "  " << truth_text.size() << " bytes\n";
  return exit_ok;
}

}  // namespace chartlock::cli
