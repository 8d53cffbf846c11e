// SPDX-License-Identifier: Apache-2.0
// chartlock directory: make and search provider directories (SMART
// User-access Brands bundles).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "args.hpp"
#include "chartlock/directory.hpp"
#include "chartlock/synth/directory.hpp"
#include "commands.hpp"
#include "file_io.hpp"

namespace chartlock::cli {

namespace {

constexpr const char* kUsage = R"(usage: chartlock directory generate --out FILE [options]
       chartlock directory search FILE QUERY [--limit N]

generate  writes a provider directory in the SMART User-access Brands and
          Endpoints format (a Bundle of Organization brands with portal and
          Endpoint): the --listing entries first, then --count synthetic ones.
            --out FILE        where to write it
            --count N         synthetic brands (default 10000)
            --seed N          random seed (default 1)
            --listing 'NAME|CITY|ST|FHIR-BASE'   a brand to include (repeatable)
search    prints the best matches for QUERY as JSON, one per line:
          name, city, state, FHIR base and score. Forgives typos.
            --limit N         how many (default 10)
)";

synth::DirectoryListing parse_listing(const std::string& text) {
  synth::DirectoryListing l;
  std::string* fields[] = {&l.name, &l.city, &l.state, &l.fhir_base};
  std::size_t start = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const std::size_t bar = text.find('|', start);
    if ((bar == std::string::npos) != (i == 3)) {
      throw UsageError("--listing needs 'NAME|CITY|ST|FHIR-BASE', not '" + text + "'");
    }
    *fields[i] = text.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    start = bar + 1;
  }
  return l;
}

int generate(const Args& args) {
  synth::DirectoryOptions o;
  if (auto v = args.get("--count")) o.count = static_cast<std::uint64_t>(parse_integer("--count", *v, 0, 10000000));
  if (auto v = args.get("--seed")) o.seed = parse_unsigned("--seed", *v);
  for (const std::string& l : args.all("--listing")) o.listings.push_back(parse_listing(l));
  const std::string path = args.require("--out");
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw IoError("cannot write " + path);
  std::uint64_t n = 0;
  try {
    n = synth::generate_directory(o, out);
  } catch (const std::runtime_error&) {  // the stream failed mid-way (a full disk)
    throw IoError("cannot write " + path + ": " + std::strerror(errno));
  }
  out.close();
  if (!out) throw IoError("cannot write " + path);
  std::cerr << path << ": " << n << " brands\n";
  return exit_ok;
}

int search(const Args& args) {
  if (args.positional().size() != 3) throw UsageError("search needs FILE and QUERY");
  const std::size_t limit = static_cast<std::size_t>(
      parse_integer("--limit", args.get("--limit").value_or("10"), 1, 1000));
  const Directory d = Directory::load(read_file(args.positional()[1]));
  for (const DirectoryMatch& m : d.search(args.positional()[2], limit).matches) {
    nlohmann::json j = {{"name", m.entry->name}, {"city", m.entry->city}, {"state", m.entry->state},
                        {"fhirBase", m.entry->fhirBase}, {"score", m.score}};
    std::cout << j.dump() << "\n";
  }
  return exit_ok;
}

}  // namespace

int cmd_directory(const Argv& argv) {
  const Args args(argv, {{"--out", "--count", "--seed", "--listing", "--limit"}, {"--help", "-h"}});
  if (args.has("--help") || args.has("-h")) {
    std::cout << kUsage;
    return exit_ok;
  }
  const std::string verb = args.positional().empty() ? "" : args.positional()[0];
  if (verb == "generate") return generate(args);
  if (verb == "search") return search(args);
  throw UsageError("expected 'generate' or 'search'");
}

}  // namespace chartlock::cli
