#include "read_records.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>
#include <vector>

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

RecordBuilder read_all(const Args& args, const IngestOptions& options) {
  RecordBuilder builder(options);
  for (const std::string& path : args.positional()) {
    if (is_directory(path)) {
      const std::string bytes = bulk_export(path);  // the Source views it: it lives until added
      Source source{path, bytes};
      source.format = Source::Format::ndjson;
      builder.add(source);
      continue;
    }
    const std::string bytes = read_file(path);
    Source source{path, bytes};
    if (args.has("--ndjson")) source.format = Source::Format::ndjson;
    builder.add(source);
  }
  return builder;
}

}  // namespace

Record read_records(const Args& args, IngestOptions options) {
  if (auto person = args.get("--person")) options.person = *person;
  try {
    return read_all(args, options).finish(options.person);
  } catch (const UnknownPerson& e) {
    throw UsageError(std::string(e.what()) + " ('chartlock persons' lists them)");
  }
}

std::vector<Person> read_persons(const Args& args, const IngestOptions& options) {
  return read_all(args, options).persons();
}

}  // namespace chartlock::cli
