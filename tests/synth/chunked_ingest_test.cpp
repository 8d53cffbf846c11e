// SPDX-License-Identifier: Apache-2.0
// RecordBuilder::add_chunked against add(): an input read in pieces gives
// the same record, warnings and errors as the whole input, whatever the
// chunk size — NDJSON line by line, anything else read whole.
#include <catch2/catch.hpp>

#include <fstream>
#include <vector>
#include <sstream>
#include <string>

#include "chartlock/ingest.hpp"
#include "chartlock/record_json.hpp"
#include "synth_test_util.hpp"

namespace {

// Hands out a string's bytes a few at a time, counting the largest piece.
struct StringChunks : chartlock::ChunkReader {
  explicit StringChunks(const std::string& t) : text(t) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    ++reads;
    const std::size_t n = std::min(capacity, text.size() - at);
    text.copy(buffer, n, at);
    at += n;
    return n;
  }
  bool rewind() override {
    if (!rewindable) return false;
    if (at > 0) ++rereads;
    at = 0;
    return true;
  }
  const std::string& text;
  bool rewindable = true;
  int rereads = 0;  // times it went back after reading: the input was read whole
  int reads = 0;
  std::size_t at = 0;
};

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(CHARTLOCK_FIXTURES) + "/" + name, std::ios::binary);
  REQUIRE(in);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

chartlock::RecordJsonOptions with_raw() {
  chartlock::RecordJsonOptions o;
  o.include_raw = true;
  return o;
}

// The record JSON (with every original resource), or the error's code and text.
std::string whole(const std::string& text, chartlock::Source::Format format = chartlock::Source::Format::detect,
                  chartlock::IngestOptions options = {}) {
  try {
    chartlock::RecordBuilder b(options);
    chartlock::Source s{"input", text};
    s.format = format;
    b.add(s);
    return chartlock::record_to_json_text(b.finish(), with_raw());
  } catch (const chartlock::IngestError& e) {
    return std::string(to_string(e.diagnostic().code)) + ": " + e.what();
  }
}

std::string chunked(const std::string& text, std::size_t chunk,
                    chartlock::Source::Format format = chartlock::Source::Format::detect,
                    chartlock::IngestOptions options = {}, bool size_known = true, int* rereads = nullptr,
                    bool rewindable = true) {
  try {
    chartlock::RecordBuilder b(options);
    chartlock::ChunkedSource s{"input", size_known ? text.size() : 0, format, chunk};
    StringChunks in(text);
    in.rewindable = rewindable;
    b.add_chunked(s, in);
    if (rereads) *rereads = in.rereads;
    return chartlock::record_to_json_text(b.finish(), with_raw());
  } catch (const chartlock::IngestError& e) {
    return std::string(to_string(e.diagnostic().code)) + ": " + e.what();
  }
}

}  // namespace

TEST_CASE("NDJSON read in chunks gives the record read whole", "[ingest][chunked]") {
  auto options = synth_test::options(31, 120 * 1024, 1);
  options.format = chartlock::synth::GeneratorOptions::Format::ndjson;
  const std::string generated = synth_test::run(options).outputs[0];
  const std::string fixture_text = fixture("fhir/export.ndjson");
  // Bad lines, blank lines, CRLF, a byte order mark, no newline at the end.
  const std::string awkward = "\xEF\xBB\xBF" + fixture_text.substr(0, fixture_text.find('\n') + 1) +
                              "\r\n\n{\"resourceType\":\"Observation\",\"status\":[1]}\r\n"
                              "not json\n"
                              "{\"resourceType\":\"Condition\",\"code\":{\"text\":\"Asthma\"}}";
  for (const std::string* text : {&generated, &fixture_text, &awkward}) {
    const std::string expected = whole(*text);
    REQUIRE(expected.find("\"format\":\"ndjson\"") != std::string::npos);
    for (std::size_t chunk : {1, 7, 100, 4096, 1 << 20}) {
      INFO("chunk " << chunk);
      CHECK(chunked(*text, chunk) == expected);
      CHECK(chunked(*text, chunk, chartlock::Source::Format::detect, {}, false) == expected);
      CHECK(chunked(*text, chunk, chartlock::Source::Format::ndjson) ==
            whole(*text, chartlock::Source::Format::ndjson));
    }
  }
}

TEST_CASE("what is not NDJSON is read whole, as add() reads it", "[ingest][chunked]") {
  const std::string bundle = fixture("fhir/clinic-a.json");
  const std::string one_line = R"({"resourceType":"Condition","code":{"text":"Asthma"}})" "\n";
  const std::string xml = fixture("ccda/ccd.xml");
  const std::string card = fixture("shc/example-00-e-file.smart-health-card");
  const std::string not_json = "{\n\"resourceType\": \"Patient\",\n";
  for (const std::string* text : {&bundle, &one_line, &xml, &card, &not_json}) {
    for (auto format : {chartlock::Source::Format::detect, chartlock::Source::Format::json,
                        chartlock::Source::Format::ndjson}) {
      const std::string expected = whole(*text, format);
      for (std::size_t chunk : {1, 13, 4096}) {
        CHECK(chunked(*text, chunk, format) == expected);
      }
    }
  }
}

TEST_CASE("a chunked input over the byte limit is refused", "[ingest][chunked]") {
  chartlock::IngestOptions small;
  small.limits.max_bytes = 1000;
  const std::string text = fixture("fhir/export.ndjson");
  REQUIRE(text.size() > 1000);
  // Its size known: refused unread, as add() refuses it.
  CHECK(chunked(text, 64, chartlock::Source::Format::detect, small) == whole(text, chartlock::Source::Format::detect, small));
  // Unknown: refused once the limit is passed.
  const std::string streamed = chunked(text, 64, chartlock::Source::Format::detect, small, false);
  CHECK(streamed.rfind("too-large: ", 0) == 0);
  CHECK(streamed.find("the limit is 1000") != std::string::npos);
}

TEST_CASE("an NDJSON line far longer than a chunk is read in a few reads, and refused early past the limit",
          "[ingest][chunked]") {
  // A 2 MiB line (a resource with a long text), then an ordinary one, in 64-byte chunks: the line's
  // buffer grows by as much again as it holds, so the reads are logarithmic in its length, not one per chunk.
  const std::string line = R"({"resourceType":"Condition","code":{"text":")" + std::string(2u << 20, 'a') + "\"}}\n";
  const std::string text = R"({"resourceType":"Condition","code":{"text":"Asthma"}})" "\n" + line +
                           R"({"resourceType":"Condition","code":{"text":"Gout"}})" "\n";
  const std::string expected = whole(text);
  REQUIRE(expected.find("Gout") != std::string::npos);
  chartlock::RecordBuilder b;
  chartlock::ChunkedSource s{"input", 0, chartlock::Source::Format::detect, 64};
  StringChunks in(text);
  b.add_chunked(s, in);
  CHECK(chartlock::record_to_json_text(b.finish(), with_raw()) == expected);
  CHECK(in.reads < 200);  // about 32 768 with a chunk per read

  // Of no stated size, one line that never ends: refused once past the limit, not read to its end.
  chartlock::IngestOptions small;
  small.limits.max_bytes = 4096;
  const std::string endless = std::string(R"({"resourceType":"Condition","code":{"text":"Asthma"}})" "\n") +
                              R"({"resourceType":"Condition","code":{"text":")" + std::string(1u << 20, 'a');
  chartlock::RecordBuilder refusing(small);
  chartlock::ChunkedSource unknown{"input", 0, chartlock::Source::Format::detect, 64};
  StringChunks endless_in(endless);
  try {
    refusing.add_chunked(unknown, endless_in);
    FAIL("an input past the limit was read");
  } catch (const chartlock::IngestError& e) {
    CHECK(std::string(to_string(e.diagnostic().code)) == "too-large");
  }
  CHECK(endless_in.at <= 2 * small.limits.max_bytes + 64);
}

TEST_CASE("a Bundle read in chunks entry by entry gives the record read whole", "[ingest][chunked]") {
  auto options = synth_test::options(32, 150 * 1024, 1, "transaction");
  const std::string generated = synth_test::run(options).outputs[0];
  const std::string synthea = fixture("synthea-r4/Buster_Hoeger_ad2e3fc5-2b5d-4cb9-8d03-9ea0f4ac8423.json");
  const std::string clinic = fixture("fhir/clinic-a.json");
  const std::string nested = R"({"resourceType":"Bundle","type":"batch-response","entry":[{"resource":)" + clinic +
                             R"(},{"response":{"status":"200"}}]})";
  // The envelope's members after the entries, and no entries at all.
  const std::string reordered = R"({"entry":[{"resource":{"resourceType":"Condition","code":{"text":"Asthma"}}}],)"
                                R"("resourceType":"Bundle","type":"collection"})";
  const std::string empty = R"({"resourceType":"Bundle","type":"collection","entry":[ ]})";
  for (const std::string* text : {&generated, &synthea, &clinic, &nested, &reordered, &empty}) {
    const std::string expected = whole(*text);
    REQUIRE(expected.find("\"format\":\"bundle\"") != std::string::npos);
    for (std::size_t chunk : {1, 7, 100, 4096, 1 << 20}) {
      INFO("chunk " << chunk);
      int rereads = -1;
      CHECK(chunked(*text, chunk, chartlock::Source::Format::detect, {}, true, &rereads) == expected);
      CHECK(rereads == 0);  // streamed, not read again whole
      CHECK(chunked(*text, chunk, chartlock::Source::Format::json, {}, false) ==
            whole(*text, chartlock::Source::Format::json));
      CHECK(chunked(*text, chunk, chartlock::Source::Format::detect, {}, true, nullptr, false) == expected);
    }
  }
}

TEST_CASE("a Bundle that does not split is read again whole, with add()'s warnings and errors", "[ingest][chunked]") {
  const std::string entry = R"({"resource":{"resourceType":"Condition","code":{"text":"Asthma"}}})";
  const std::vector<std::string> texts = {
      R"({"resourceType":"Bundle","type":5,"entry":[)" + entry + "]}",                    // the envelope warns
      R"({"resourceType":"Bundle","type":"collection","type":"x","entry":[)" + entry + "]}",  // a duplicate key
      R"({"resourceType":"Bundle","entry":[)" + entry + R"(],"entry":[]})",               // two entry arrays
      R"({"resourceType":"Bundle","\u0065ntry":[)" + entry + "]}",                        // an escaped name
      R"({"resourceType":"Bundle","entry":[)" + entry + R"(,{"resource":{"a":1,"a":2}}]})",  // a key twice in an entry
      R"({"resourceType":"Bundle","entry":[)" + entry + R"(,{"resource":{"a":]}]})",      // not JSON
      R"({"resourceType":"Bundle","entry":[)" + entry + R"(,]})",                         // a trailing comma
      R"({"resourceType":"Bundle","entry":[)" + entry + "]",                              // cut short
      R"({"resourceType":"List","status":"current","mode":"working","entry":[{"item":{"reference":"Patient/p"}}]})",
      R"({"resourceType":"Bundle","entry":[)" + entry + "]}\n" + R"({"resourceType":"Bundle","entry":[]})",  // NDJSON
      R"({"entry":[)" + entry + "]}",                                                     // no resourceType
      R"([)" + entry + "]",
  };
  for (const std::string& text : texts) {
    INFO(text);
    const std::string expected = whole(text);
    for (std::size_t chunk : {1, 5, 64, 4096}) {
      INFO("chunk " << chunk);
      CHECK(chunked(text, chunk) == expected);
    }
  }
  // Over the resource limit: the error add() gives.
  chartlock::IngestOptions few;
  few.limits.max_resources = 1;
  const std::string two = R"({"resourceType":"Bundle","entry":[)" + entry + "," + entry + "]}";
  CHECK(chunked(two, 8, chartlock::Source::Format::detect, few) == whole(two, chartlock::Source::Format::detect, few));
  CHECK(whole(two, chartlock::Source::Format::detect, few).rfind("too-large: ", 0) == 0);
}
