// SPDX-License-Identifier: Apache-2.0
#include "read_records.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <vector>

#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/jws.hpp"
#include "commands.hpp"
#include "file_io.hpp"

namespace chartlock::cli {

namespace {

namespace fs = std::filesystem;

bool is_directory(const std::string& path) {
  std::error_code ec;
  return path != "-" && fs::is_directory(path, ec);
}

// A bulk FHIR export is a folder of NDJSON files, one per resource type, that
// reference each other: read as one source, so those references resolve.
// Files other than *.ndjson (a manifest, an OperationOutcome log) are skipped.
// Returns the files' lines, in file-name order.
std::string bulk_export(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (ext == ".ndjson") files.push_back(p.string());
  }
  if (ec) throw IoError(dir + ": " + ec.message());
  if (files.empty()) throw IoError(dir + ": no .ndjson files (a folder is read as one bulk FHIR export)");
  std::sort(files.begin(), files.end());  // the same bytes whatever order the folder lists them in
  std::string bytes;
  for (const std::string& file : files) {
    bytes += read_file(file);
    if (!bytes.empty() && bytes.back() != '\n') bytes += '\n';
  }
  return bytes;
}

// SMART Health Cards: --jwks FILE (repeatable) holds issuers' keys the
// patient vouches for (any issuer's cards); --allow-unverified keeps cards no
// key verifies, marked unverified.
void card_options(const Args& args, IngestOptions& options) {
  for (const std::string& file : args.all("--jwks")) {
    std::string jwks = read_file(file);
    try {
      crypto::jws::parse_jwks(jwks);
    } catch (const crypto::Error& e) {
      throw BadInput("--jwks " + file + ": " + e.what());
    }
    options.card_keys.push_back({"", std::move(jwks)});
  }
  options.allow_unverified_cards = args.has("--allow-unverified");
}

struct FileReader : ChunkReader {
  explicit FileReader(FileChunks& f) : file(f) {}
  std::size_t read(char* buffer, std::size_t capacity) override { return file.read(buffer, capacity); }
  bool rewind() override {
    file.rewind();
    return true;
  }
  FileChunks& file;
};

RecordBuilder read_all(const Args& args, IngestOptions options) {
  card_options(args, options);
  RecordBuilder builder(options);
  for (const std::string& path : args.positional()) {
    if (is_directory(path)) {
      const std::string bytes = bulk_export(path);  // the Source views it: it lives until added
      Source source{path, bytes};
      source.format = Source::Format::ndjson;
      builder.add(source);
      continue;
    }
    const Source::Format format = args.has("--ndjson") ? Source::Format::ndjson : Source::Format::detect;
    if (path == "-") {
      const std::string bytes = read_file(path);
      Source source{path, bytes};
      source.format = format;
      builder.add(source);
      continue;
    }
    // A file is read in pieces: an NDJSON export of any size then needs
    // memory for its record, not for its text (RecordBuilder::add_chunked).
    FileChunks file(path);
    ChunkedSource source{path, file.size(), format};
    FileReader reader(file);
    builder.add_chunked(source, reader);
  }
  return builder;
}

}  // namespace

// A card no key verified: say what would let it be read.
[[noreturn]] void card_refused(const IngestError& e) {
  const DiagnosticCode code = e.diagnostic().code;
  if (code == DiagnosticCode::card_unknown_key || code == DiagnosticCode::card_bad_signature) {
    throw BadInput(std::string(to_string(code)) + ": " + e.what() +
                   (code == DiagnosticCode::card_unknown_key
                        ? " (give the issuer's keys with --jwks FILE, or keep it marked unverified with --allow-unverified)"
                        : " (--allow-unverified keeps it, marked unverified)"));
  }
  if (code == DiagnosticCode::card_malformed) throw BadInput(std::string(to_string(code)) + ": " + e.what());
  throw;  // called from a handler: the exception as it was
}

Record read_records(const Args& args, IngestOptions options) {
  if (auto person = args.get("--person")) options.person = *person;
  try {
    return read_all(args, options).finish(options.person);
  } catch (const UnknownPerson& e) {
    throw UsageError(std::string(e.what()) + " ('chartlock persons' lists them)");
  } catch (const IngestError& e) {
    card_refused(e);
  }
}

std::vector<Person> read_persons(const Args& args, const IngestOptions& options) {
  try {
    return read_all(args, options).persons();
  } catch (const IngestError& e) {
    card_refused(e);
  }
}

}  // namespace chartlock::cli
