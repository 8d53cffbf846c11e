#include "read_records.hpp"

#include "file_io.hpp"

namespace chartlock::cli {

namespace {

RecordBuilder read_all(const Args& args, const IngestOptions& options) {
  RecordBuilder builder(options);
  for (const std::string& path : args.positional()) {
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
