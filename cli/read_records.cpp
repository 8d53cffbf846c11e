#include "read_records.hpp"

#include "file_io.hpp"

namespace chartlock::cli {

Record read_records(const Args& args, const IngestOptions& options) {
  RecordBuilder builder(options);
  for (const std::string& path : args.positional()) {
    const std::string bytes = read_file(path);
    Source source{path, bytes};
    if (args.has("--ndjson")) source.format = Source::Format::ndjson;
    builder.add(source);
  }
  return builder.finish();
}

}  // namespace chartlock::cli
