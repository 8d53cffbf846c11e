// SPDX-License-Identifier: Apache-2.0
// The Embind glue between JavaScript and the C++ core: the only file that
// knows about Emscripten. Bytes cross as Uint8Array (copied once each way,
// never base64); every C++ failure becomes a JS Error with a stable `code`.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "chartlock/crypto/bundle.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/hash.hpp"
#include "chartlock/crypto/key_file.hpp"
#include "chartlock/crypto/request.hpp"
#include "chartlock/crypto/sync.hpp"
#include "chartlock/crypto/vault.hpp"
#include "chartlock/diagnostic.hpp"
#include "chartlock/directory.hpp"
#include "chartlock/health_card.hpp"
#include "chartlock/ingest.hpp"
#include "chartlock/knowledge.hpp"
#include "chartlock/record_json.hpp"
#include "chartlock/ips.hpp"
#include "chartlock/qr_code.hpp"
#include "chartlock/share.hpp"
#include "chartlock/summary.hpp"
#include "chartlock/summary_json.hpp"
#include "chartlock/summary_markdown.hpp"
#include "chartlock/version.hpp"
#include "text_runs.hpp"

using emscripten::val;

namespace {

[[noreturn]] void throw_js(const std::string& code, const std::string& message) {
  val error = val::global("Error").new_(val(message));
  error.set("name", val("ChartlockError"));
  error.set("code", val(code));
  error.throw_();
}

nlohmann::ordered_json person_json(const chartlock::Person& p);  // with persons() below

// The exception being handled, as a JS Error with a code. One function that
// rethrows and sorts, called from every guarded() below: written inside
// guarded() itself, the ladder of handlers was compiled again into each of
// its ~40 instantiations (docs/performance.md, "Fifth round: size").
[[noreturn]] void throw_current_as_js() {
  try {
    throw;
  } catch (const chartlock::IngestError& e) {
    throw_js(chartlock::to_string(e.diagnostic().code), e.what());
  } catch (const chartlock::crypto::RecoveryKeyTextError& e) {
    // The group to fix travels with the error (1-based; 0: no single group).
    val error = val::global("Error").new_(val(std::string(e.what())));
    error.set("name", val("ChartlockError"));
    error.set("code", val(chartlock::crypto::to_string(e.code())));
    error.set("group", val(static_cast<double>(e.group())));
    error.throw_();
  } catch (const chartlock::crypto::Error& e) {
    throw_js(chartlock::crypto::to_string(e.code()), e.what());
  } catch (const chartlock::ConsentError& e) {
    throw_js("bad-consent", e.what());
  } catch (const chartlock::DifferentPersons& e) {
    // The persons travel with the error: the patient picks whose record to read.
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const chartlock::Person& p : e.persons()) list.push_back(person_json(p));
    val error = val::global("Error").new_(val(std::string(e.what())));
    error.set("name", val("ChartlockError"));
    error.set("code", val("different-persons"));
    error.set("persons", val::global("JSON").call<val>("parse", val(list.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace))));
    error.throw_();
  } catch (const chartlock::UnknownPerson& e) {
    throw_js("unknown-person", e.what());
  } catch (const chartlock::WrongPerson& e) {
    throw_js("wrong-person", e.what());
  } catch (const std::bad_alloc&) {
    throw_js("out-of-memory", "out of memory");
  } catch (const chartlock::QrTooLong& e) {
    throw_js("qr-too-long", e.what());
  } catch (const std::invalid_argument& e) {
    throw_js("invalid-argument", e.what());
  } catch (const std::exception& e) {
    throw_js("internal", e.what());
  }
  throw_js("internal", "unknown error");  // not reached: guarded() catches std::exception only
}

// Runs f, turning every C++ exception into a JS Error with a code.
template <class F>
auto guarded(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception&) {  // what is no std::exception passes, as before
    throw_current_as_js();
  }
}

// A Uint8Array copied into wasm memory, with `slack` spare bytes after it.
std::vector<std::uint8_t> bytes_from(const val& array, std::size_t slack = 0) {
  if (!array.instanceof(val::global("Uint8Array"))) {
    throw std::invalid_argument("expected a Uint8Array");
  }
  const auto n = array["length"].as<std::size_t>();
  std::vector<std::uint8_t> out(n + slack);
  val(emscripten::typed_memory_view(n, out.data())).call<void>("set", array);
  return out;
}

// A Uint8Array handed to the core a chunk at a time (RecordBuilder::add_chunked).
struct ArrayChunks : chartlock::ChunkReader {
  explicit ArrayChunks(val a) : array(std::move(a)), size(array["length"].as<std::size_t>()) {}
  std::size_t read(char* buffer, std::size_t capacity) override {
    const std::size_t n = std::min(capacity, size - at);
    if (n > 0) {
      val(emscripten::typed_memory_view(n, reinterpret_cast<std::uint8_t*>(buffer)))
          .call<void>("set", array.call<val>("subarray", at, at + n));
    }
    at += n;
    return n;
  }
  bool rewind() override {
    at = 0;
    return true;
  }
  val array;
  std::size_t size;
  std::size_t at = 0;
};

template <class Bytes>
val to_uint8array(const Bytes& bytes) {
  // A copy: a view would dangle as soon as wasm memory grows.
  return val::global("Uint8Array")
      .new_(emscripten::typed_memory_view(bytes.size(),
                                          reinterpret_cast<const std::uint8_t*>(bytes.data())));
}

}  // namespace

// A long text (record, summary, Markdown) made a JavaScript string from the
// bytes in wasm memory (Embind's std::string return would first walk every
// byte in a JavaScript loop looking for NULs). One TextDecoder call over the
// whole text was 5-7 % of summarize()'s CPU time: the summary is ASCII but
// for a few units' "°" and "²", and from its first non-ASCII byte on, Node's
// decoder goes a character at a time (the 1 MB patient's summary took 3 to
// 7 times as long as the same bytes all ASCII). So the text goes to JS as its
// ASCII stretches and its runs of non-ASCII bytes, joined once: in
// wasm/utf8_text.js, a JS library, so that tests/js/utf8-text.test.mjs runs
// it over crafted bytes. docs/performance.md, "Wasm against native, a third time".
extern "C" emscripten::EM_VAL chartlock_utf8_text(const char* text, std::size_t length, const std::uint32_t* runs,
                                                  std::size_t count);
// Under Node, a text whose every non-ASCII character is U+0080-U+00FF (the
// summary's "°" and "²") is made Latin-1 bytes here and one string by
// Buffer's latin1 slice, a plain copy: the pieces above and their join cost
// 2.7-3.2 ms for the 10 MB patient's 3 MB summary, this way 0.2-0.3 ms
// ("Wasm against native, a fourth time"). Browsers keep the pieces.
extern "C" int chartlock_latin1_strings();
extern "C" emscripten::EM_VAL chartlock_latin1_text(const char* text, std::size_t length);

namespace {

// s is taken by value: the Latin-1 path rewrites it.
val js_text(std::string s) {
  static const val decoder = val::global("TextDecoder").new_();
  static const bool latin1_strings = chartlock_latin1_strings() != 0;
  const auto whole = [&] {
    return decoder.call<val>("decode", val(emscripten::typed_memory_view(
                                           s.size(), reinterpret_cast<const std::uint8_t*>(s.data()))));
  };
  const std::vector<std::uint32_t> runs = chartlock::wasm::non_ascii_runs(s);
  if (latin1_strings && chartlock::wasm::latin1_runs(s, runs)) {
    return val::take_ownership(chartlock_latin1_text(s.data(), chartlock::wasm::to_latin1(s, runs)));
  }
  // A call per piece costs about a microsecond, one call over everything a
  // few nanoseconds a byte: a text dense in non-ASCII runs (another script)
  // is decoded whole.
  if (!runs.empty() && runs.size() * 128 > s.size()) return whole();
  return val::take_ownership(chartlock_utf8_text(s.data(), s.size(), runs.data(), runs.size()));
}

bool is_object(const val& v) {
  return !v.isNull() && v.typeOf().as<std::string>() == "object";
}

bool has(const val& obj, const char* key) {
  return !obj.isUndefined() && !obj.isNull() && !obj[key].isUndefined() && !obj[key].isNull();
}

std::string string_arg(const val& v, const char* what);  // below, with the other argument checks

// The ingest options every reading call shares: {maxBytes?, maxDepth?, maxResources?, person?}.
chartlock::IngestOptions ingest_options(const val& options) {
  chartlock::IngestOptions opts;
  if (has(options, "person")) opts.person = string_arg(options["person"], "person");
  if (has(options, "maxBytes")) opts.limits.max_bytes = options["maxBytes"].as<std::size_t>();
  if (has(options, "maxDepth")) opts.limits.max_depth = options["maxDepth"].as<std::size_t>();
  if (has(options, "maxResources")) opts.limits.max_resources = options["maxResources"].as<std::size_t>();
  // SMART Health Cards: the issuers' keys ({issuer, jwks}: the JWKS text the
  // widget fetched from issuer + /.well-known/jwks.json) and whether cards no
  // key verifies are kept, marked unverified.
  if (has(options, "cardKeys")) {
    const val keys = options["cardKeys"];
    if (!keys.isArray()) throw std::invalid_argument("cardKeys must be an array of {issuer, jwks}");
    const auto n = keys["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) {
      const val k = keys[i];
      if (!is_object(k) || !has(k, "jwks")) throw std::invalid_argument("each of cardKeys needs jwks");
      opts.card_keys.push_back({has(k, "issuer") ? string_arg(k["issuer"], "cardKeys[].issuer") : std::string(),
                                string_arg(k["jwks"], "cardKeys[].jwks")});
    }
  }
  if (has(options, "allowUnverifiedCards")) opts.allow_unverified_cards = options["allowUnverifiedCards"].as<bool>();
  return opts;
}

// sources: {name, bytes: Uint8Array, format?}[], each read and kept.
chartlock::RecordBuilder builder_from(const val& sources, const chartlock::IngestOptions& opts) {
  if (!sources.isArray()) throw std::invalid_argument("sources must be an array");
  chartlock::RecordBuilder builder(opts);
  const auto n = sources["length"].as<std::size_t>();
  for (std::size_t i = 0; i < n; ++i) {
    val s = sources[i];
    if (!has(s, "name") || !has(s, "bytes")) {
      throw std::invalid_argument("each source needs a name and bytes");
    }
    const val bytes = s["bytes"];
    if (!bytes.instanceof(val::global("Uint8Array"))) throw std::invalid_argument("expected a Uint8Array");
    chartlock::ChunkedSource source{s["name"].as<std::string>(), bytes["length"].as<std::size_t>()};
    if (has(s, "format")) {
      const std::string format = s["format"].as<std::string>();
      if (format == "ndjson") source.format = chartlock::Source::Format::ndjson;
      else if (format == "json") source.format = chartlock::Source::Format::json;
      else if (format != "detect") throw std::invalid_argument("format must be json, ndjson or detect");
    }
    // Copied in a chunk at a time: NDJSON and Bundles are read a line or an
    // entry at a time and never held whole in wasm memory; anything else is
    // copied whole, as before.
    ArrayChunks chunks(bytes);
    builder.add_chunked(source, chunks);
  }
  return builder;
}

// The record of opts.person (or of the only person the sources hold).
chartlock::Record read_sources(const val& sources, const chartlock::IngestOptions& opts) {
  return builder_from(sources, opts).finish(opts.person);
}

nlohmann::ordered_json person_json(const chartlock::Person& p) {
  nlohmann::ordered_json patients = nlohmann::ordered_json::array();
  for (const chartlock::PatientSource& s : p.patients) patients.push_back({{"source", s.source}, {"id", s.id}});
  return {{"key", p.key}, {"name", p.patient.name}, {"birthDate", p.patient.birthDate}, {"gender", p.patient.gender},
          {"patients", patients}, {"sources", p.sources}};
}

// persons(sources, options?) → JSON text: [{key, name, birthDate, gender, patients, sources}],
// the same as `chartlock persons`.
std::string persons(val sources, val options) {
  return guarded([&] {
    chartlock::IngestOptions opts = ingest_options(options);
    opts.keep_raw = false;
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const chartlock::Person& p : builder_from(sources, opts).persons()) out.push_back(person_json(p));
    return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  });
}

// matchGrade(query, candidate) → JSON text {grade, score, outcome, rule, fields}: how a
// provider holding `candidate` grades a Patient/$match for `query` (both Patient JSON text).
std::string match_grade(const std::string& query, const std::string& candidate) {
  return guarded([&] {
    return chartlock::match_result_json(
        chartlock::grade_match(chartlock::read_patient_resource(query), chartlock::read_patient_resource(candidate)));
  });
}

// matchQueries(verified) → JSON text {query, relaxations: [{field, what, found, advice, query}]}:
// the Patient a $match sends for the verified identity, and each way to re-ask with one detail relaxed.
std::string match_queries(const std::string& verified) {
  return guarded([&] {
    const chartlock::Patient p = chartlock::read_patient_resource(verified);
    nlohmann::ordered_json relaxed = nlohmann::ordered_json::array();
    for (const chartlock::Relaxation& r : chartlock::relaxations(p)) {
      relaxed.push_back({{"field", r.field}, {"what", r.what}, {"found", r.found}, {"advice", r.advice},
                         {"query", nlohmann::ordered_json::parse(chartlock::patient_to_fhir_json(r.query))}});
    }
    nlohmann::ordered_json out{{"query", nlohmann::ordered_json::parse(chartlock::patient_to_fhir_json(chartlock::match_query(p)))},
                               {"relaxations", std::move(relaxed)}};
    return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  });
}

// healthCardIssuers(bytes: Uint8Array) → JSON text [{issuer, kid}], per card in
// the input, unverified: whose keys to fetch before reading it with cardKeys.
std::string health_card_issuers(val bytes) {
  return guarded([&] {
    const std::vector<std::uint8_t> b = bytes_from(bytes);
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const chartlock::CardIssuer& c : chartlock::health_card_issuers(
             std::string_view(reinterpret_cast<const char*>(b.data()), b.size()), "card")) {
      out.push_back({{"issuer", c.issuer}, {"kid", c.kid}});
    }
    return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  });
}

// ingest(sources: {name, bytes: Uint8Array, format?}[], options?) → record JSON text
val ingest(val sources, val options) {
  return js_text(guarded([&] {
    chartlock::IngestOptions opts = ingest_options(options);
    opts.keep_raw = has(options, "raw") && options["raw"].as<bool>();
    chartlock::RecordJsonOptions json_options;
    json_options.include_raw = opts.keep_raw;
    return chartlock::record_to_json_text(read_sources(sources, opts), json_options);
  }));
}


// {today?: "YYYY-MM-DD"}: the date rules are judged against (default: today, UTC);
// {dateStyle?: "iso" | "month-day-year" | "day-month-year"}: dates inside the texts.
chartlock::SummaryOptions summary_options_from(const val& options) {
  chartlock::SummaryOptions summary_options;
  summary_options.today = has(options, "today")
      ? string_arg(options["today"], "today")
      : val::global("Date").new_().call<std::string>("toISOString").substr(0, 10);
  if (has(options, "dateStyle")) {
    const std::string style = string_arg(options["dateStyle"], "dateStyle");
    if (style == "month-day-year") summary_options.date_style = chartlock::DateStyle::month_day_year;
    else if (style == "day-month-year") summary_options.date_style = chartlock::DateStyle::day_month_year;
    else if (style != "iso") throw std::invalid_argument("dateStyle must be iso, month-day-year or day-month-year");
  }
  return summary_options;
}

// summarize(sources, options?: {today?: "YYYY-MM-DD" (default: today, UTC),
//   format?: "json" | "markdown", maxBytes?, maxDepth?, maxResources?}) → the summary as JSON
//   text (docs/summary-schema.md) or Markdown, the same bytes as the CLI's.
val summarize(val sources, val options) {
  return js_text(guarded([&] {
    chartlock::IngestOptions opts = ingest_options(options);
    opts.keep_raw = false;
    const chartlock::SummaryOptions summary_options = summary_options_from(options);
    const std::string format = has(options, "format") ? string_arg(options["format"], "format") : "json";
    if (format != "json" && format != "markdown") throw std::invalid_argument("format must be json or markdown");
    const chartlock::Summary summary = chartlock::summarize(read_sources(sources, opts), summary_options);
    return format == "markdown" ? chartlock::summary_to_markdown(summary) : chartlock::summary_to_json_text(summary);
  }));
}

// summarizeMarkdown(sources, options?) → summarize(sources, {...options, format: "markdown"}).
val summarize_markdown(val sources, val options) {
  val opts = val::object();
  if (is_object(options)) opts = val::global("Object").call<val>("assign", val::object(), options);
  opts.set("format", val("markdown"));
  return summarize(sources, opts);
}

std::string version() { return chartlock::version(); }

namespace crypto = chartlock::crypto;

// A JS number that must be a whole number within `lo..hi` (JS numbers are
// exact only up to 2^53).
std::int64_t whole_number(const val& v, const char* what, std::int64_t lo, std::int64_t hi) {
  if (v.typeOf().as<std::string>() != "number") {
    throw std::invalid_argument(std::string(what) + " must be a number");
  }
  const double d = v.as<double>();
  if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) || d != static_cast<double>(static_cast<std::int64_t>(d))) {
    throw std::invalid_argument(std::string(what) + " must be a whole number in range");
  }
  return static_cast<std::int64_t>(d);
}
constexpr std::int64_t max_safe = (std::int64_t{1} << 53) - 1;

std::string string_arg(const val& v, const char* what) {
  if (v.typeOf().as<std::string>() != "string") {
    throw std::invalid_argument(std::string(what) + " must be a string");
  }
  return v.as<std::string>();
}

// A JS array of strings.
std::vector<std::string> string_list(const val& v, const char* what) {
  if (!v.isArray()) throw std::invalid_argument(std::string(what) + " must be an array of strings");
  std::vector<std::string> out;
  const auto n = v["length"].as<std::size_t>();
  for (std::size_t i = 0; i < n; ++i) out.push_back(string_arg(v[i], what));
  return out;
}

val to_js_strings(const std::vector<std::string>& list) {
  val a = val::array();
  for (const std::string& s : list) a.call<void>("push", val(s));
  return a;
}

// One part of a bundle as JS sees it: {name, mediaType, bytes}.
template <class Bytes>
val part_js(const std::string& name, const std::string& media_type, const Bytes& bytes) {
  val part = val::object();
  part.set("name", val(name));
  part.set("mediaType", val(media_type));
  part.set("bytes", to_uint8array(bytes));
  return part;
}

// keysGenerate() → { secret: key file JSON, public: public key file JSON }
val keys_generate() {
  return guarded([&] {
    const crypto::KeySet keys = crypto::keyset_generate();
    const crypto::SecretString secret = crypto::key_file_encode(keys);
    val out = val::object();
    out.set("secret", val(std::string(secret.data(), secret.size())));
    out.set("public", val(crypto::public_key_file_encode(crypto::keyset_public(keys))));
    return out;
  });
}

// keysPublic(secretKeyFile) → public key file JSON
std::string keys_public(val secret_file) {
  return guarded([&] {
    const crypto::KeySet keys = crypto::key_file_decode(string_arg(secret_file, "the secret key file"));
    return crypto::public_key_file_encode(crypto::keyset_public(keys));
  });
}

// {opslimit?, memlimit?}: what is not given is the core's default.
crypto::VaultParams vault_params_arg(const val& params) {
  crypto::VaultParams p;
  if (has(params, "opslimit")) {
    p.opslimit = static_cast<std::uint32_t>(whole_number(params["opslimit"], "opslimit", 0, 0xffffffff));
  }
  if (has(params, "memlimit")) {
    p.memlimit = static_cast<std::uint64_t>(whole_number(params["memlimit"], "memlimit", 0, max_safe));
  }
  return p;
}

// vaultSeal(passphrase, plaintext: Uint8Array, params?: {opslimit, memlimit}) → Uint8Array
val vault_seal(val passphrase, val plaintext, val params) {
  return guarded([&] {
    const crypto::VaultParams p = vault_params_arg(params);
    const std::string pass = string_arg(passphrase, "the passphrase");
    return to_uint8array(crypto::vault_seal(pass, bytes_from(plaintext), p));
  });
}

// VaultKeys cross to JS as one opaque Uint8Array: the content key, then the
// 215 header bytes of the key slots. Secret; only the core reads it.
constexpr std::size_t kKeysBytes = crypto::kVaultContentKeySize + crypto::kVaultSlotsSize;

val keys_to_js(const crypto::VaultKeys& keys) {
  crypto::SecretBytes out(keys.content_key.data(), keys.content_key.data() + keys.content_key.size());
  out.insert(out.end(), keys.slots.begin(), keys.slots.end());
  return to_uint8array(out);
}

crypto::VaultKeys keys_from_js(const val& v) {
  std::vector<std::uint8_t> bytes = bytes_from(v);
  if (bytes.size() != kKeysBytes) {
    crypto::wipe(bytes.data(), bytes.size());
    throw crypto::Error(crypto::ErrorCode::invalid_argument, "vault keys: expected " + std::to_string(kKeysBytes) + " bytes");
  }
  crypto::VaultKeys keys;
  std::copy(bytes.begin(), bytes.begin() + crypto::kVaultContentKeySize, keys.content_key.data());
  std::copy(bytes.begin() + crypto::kVaultContentKeySize, bytes.end(), keys.slots.begin());
  crypto::wipe(bytes.data(), bytes.size());
  return keys;
}

val unlocked_to_js(crypto::VaultUnlocked& u) {
  val out = val::object();
  out.set("plaintext", to_uint8array(u.plaintext));
  crypto::wipe(u.plaintext.data(), u.plaintext.size());  // JS owns the only copy now
  out.set("keys", keys_to_js(u.keys));
  return out;
}

val created_to_js(const crypto::VaultCreated& made) {
  const crypto::SecretString text = crypto::recovery_key_encode(made.recovery_key);
  val out = val::object();
  out.set("vault", to_uint8array(made.vault));
  out.set("recoveryKey", val(std::string(text.data(), text.size())));
  out.set("keys", keys_to_js(made.keys));
  return out;
}

// vaultCreate(passphrase, plaintext, params?) → {vault, recoveryKey: text, keys}
val vault_create(val passphrase, val plaintext, val params) {
  return guarded([&] {
    const crypto::VaultParams p = vault_params_arg(params);
    const std::string pass = string_arg(passphrase, "the passphrase");
    return created_to_js(crypto::vault_create(pass, bytes_from(plaintext), p));
  });
}

// vaultCreateWithRecoveryKey(passphrase, recoveryKeyText, plaintext, params?)
//   → {vault, recoveryKey: text, keys}: a new device's vault under the
//   recovery key the patient signed in with (vault sync).
val vault_create_with_recovery_key(val passphrase, val text, val plaintext, val params) {
  return guarded([&] {
    const crypto::VaultParams p = vault_params_arg(params);
    const std::string pass = string_arg(passphrase, "the passphrase");
    const crypto::RecoveryKey key = crypto::recovery_key_decode(string_arg(text, "the recovery key"));
    return created_to_js(crypto::vault_create_with_recovery_key(pass, key, bytes_from(plaintext), p));
  });
}

// vaultMakeRecoveryKey(passphrase, vault, params?) → {vault, recoveryKey: text, keys}
val vault_make_recovery_key(val passphrase, val vault, val params) {
  return guarded([&] {
    const crypto::VaultParams p = vault_params_arg(params);
    const std::string pass = string_arg(passphrase, "the passphrase");
    return created_to_js(crypto::vault_make_recovery_key(pass, bytes_from(vault), p));
  });
}

// vaultUnlock(passphrase, vault) → {plaintext, keys}
val vault_unlock(val passphrase, val vault) {
  return guarded([&] {
    const std::string pass = string_arg(passphrase, "the passphrase");
    crypto::VaultUnlocked u = crypto::vault_unlock(pass, bytes_from(vault));
    return unlocked_to_js(u);
  });
}

// vaultUnlockWithRecoveryKey(recoveryKeyText, vault) → {plaintext, keys}
val vault_unlock_with_recovery_key(val text, val vault) {
  return guarded([&] {
    const crypto::RecoveryKey key = crypto::recovery_key_decode(string_arg(text, "the recovery key"));
    crypto::VaultUnlocked u = crypto::vault_unlock_with_recovery_key(key, bytes_from(vault));
    return unlocked_to_js(u);
  });
}

// vaultReseal(keys, plaintext) → Uint8Array
val vault_reseal(val keys, val plaintext) {
  return guarded([&] { return to_uint8array(crypto::vault_reseal(keys_from_js(keys), bytes_from(plaintext))); });
}

// vaultChangePassphrase(keys, newPassphrase, params?) → keys
val vault_change_passphrase(val keys, val passphrase, val params) {
  return guarded([&] {
    const crypto::VaultParams p = vault_params_arg(params);
    const std::string pass = string_arg(passphrase, "the new passphrase");
    return keys_to_js(crypto::vault_change_passphrase(keys_from_js(keys), pass, p));
  });
}

// vaultInfo(vault) → {version, opslimit, memlimit, hasRecoveryKey}
val vault_info(val vault) {
  return guarded([&] {
    const crypto::VaultInfo info = crypto::vault_info(bytes_from(vault));
    val out = val::object();
    out.set("version", val(static_cast<int>(info.version)));
    out.set("opslimit", val(static_cast<double>(info.params.opslimit)));
    out.set("memlimit", val(static_cast<double>(info.params.memlimit)));
    out.set("hasRecoveryKey", val(info.has_recovery_key));
    return out;
  });
}

// recoveryKeyProblem(text) → null, or {group, message}: for checking as the patient types.
// qrCode(text, level?: 'L'|'M'|'Q'|'H') → {size, modules: Uint8Array (size × size, 1 dark)}
val qr_code(val text, val level) {
  return guarded([&] {
    chartlock::QrLevel l = chartlock::QrLevel::M;
    if (!level.isUndefined()) {
      const std::string name = string_arg(level, "the error correction level");
      if (name == "L") l = chartlock::QrLevel::L;
      else if (name == "M") l = chartlock::QrLevel::M;
      else if (name == "Q") l = chartlock::QrLevel::Q;
      else if (name == "H") l = chartlock::QrLevel::H;
      else throw std::invalid_argument("the error correction level is one of L, M, Q, H");
    }
    const chartlock::QrCode code = chartlock::qr_encode(string_arg(text, "the text"), l);
    val out = val::object();
    out.set("size", val(code.size));
    out.set("modules", to_uint8array(code.modules));
    return out;
  });
}

val recovery_key_problem(val text) {
  return guarded([&] {
    try {
      crypto::recovery_key_decode(string_arg(text, "the recovery key"));
    } catch (const crypto::RecoveryKeyTextError& e) {
      val out = val::object();
      out.set("group", val(static_cast<double>(e.group())));
      out.set("message", val(std::string(e.what())));
      return out;
    }
    return val::null();
  });
}

// vaultOpen(passphrase, vault: Uint8Array) → Uint8Array
val vault_open(val passphrase, val vault) {
  return guarded([&] {
    const std::string pass = string_arg(passphrase, "the passphrase");
    crypto::Bytes plain = crypto::vault_open(pass, bytes_from(vault));
    val out = to_uint8array(plain);
    crypto::wipe(plain.data(), plain.size());  // JS owns the only copy now
    return out;
  });
}

val header_json(const crypto::BundleHeader& h) {
  val out = val::object();
  out.set("version", val(static_cast<int>(h.version)));
  out.set("grantId", val(crypto::hex_encode(h.grant_id)));
  out.set("sequence", val(static_cast<double>(h.sequence)));
  out.set("createdAt", val(static_cast<double>(h.created_at)));
  out.set("expiresAt", val(static_cast<double>(h.expires_at)));
  out.set("recipient", val(crypto::base64url_encode(h.recipient_pk)));
  out.set("signer", val(crypto::base64url_encode(h.signer_pk)));
  out.set("receiptDigest", val(crypto::hex_encode(h.receipt_digest)));
  return out;
}

// A grant id given as 32 hex digits.
crypto::GrantId grant_id_arg(const val& v) {
  const crypto::Bytes id = crypto::hex_decode(string_arg(v, "grantId"));
  crypto::GrantId out{};
  if (id.size() != out.size()) throw std::invalid_argument("grantId must be 32 hex digits");
  std::copy(id.begin(), id.end(), out.begin());
  return out;
}

// bundleSeal({recipient: public key file, signer: secret key file, grantId?: hex,
//   sequence, createdAt, expiresAt, receipt: Uint8Array,
//   parts: [{name, mediaType, bytes}], chunkSize?}) → Uint8Array
val bundle_seal(val request) {
  return guarded([&] {
    if (!is_object(request)) throw std::invalid_argument("bundleSeal needs a request object");
    const crypto::PublicKeySet recipient =
        crypto::public_key_file_decode(string_arg(request["recipient"], "recipient"));
    const crypto::KeySet signer = crypto::key_file_decode(string_arg(request["signer"], "signer"));
    crypto::SealRequest req;
    req.meta.recipient_pk = recipient.x25519;
    if (has(request, "grantId")) {
      req.meta.grant_id = grant_id_arg(request["grantId"]);
    } else {
      req.meta.grant_id = crypto::grant_id_generate();
    }
    req.meta.sequence = static_cast<std::uint64_t>(whole_number(request["sequence"], "sequence", 0, max_safe));
    req.meta.created_at = whole_number(request["createdAt"], "createdAt", -max_safe, max_safe);
    req.meta.expires_at = whole_number(request["expiresAt"], "expiresAt", -max_safe, max_safe);
    req.receipt = bytes_from(request["receipt"]);
    if (has(request, "chunkSize")) {
      req.chunk_size = static_cast<std::size_t>(whole_number(request["chunkSize"], "chunkSize", 1, 1 << 30));
    }
    val parts = request["parts"];
    if (!parts.isArray()) throw std::invalid_argument("parts must be an array");
    const auto n = parts["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) {
      val p = parts[i];
      req.parts.push_back(crypto::Part{string_arg(p["name"], "part name"),
                                       string_arg(p["mediaType"], "part mediaType"),
                                       bytes_from(p["bytes"])});
    }
    return to_uint8array(crypto::bundle_seal(req, signer.ed25519));
  });
}

// bundleOpen(bundle: Uint8Array, {key: secret key file, expectedSigner?: public
//   key file, now?: unix seconds, checkExpiry?: bool, grantId?: hex,
//   minSequence?}) → {header, receipt, parts}. With grantId, also what a tool
//   checks of a bundle fetched for that grant (crypto::bundle_check_received).
val bundle_open(val bundle, val options) {
  return guarded([&] {
    if (!is_object(options)) throw std::invalid_argument("bundleOpen needs options");
    const crypto::KeySet keys = crypto::key_file_decode(string_arg(options["key"], "key"));
    crypto::OpenOptions opts;
    if (has(options, "expectedSigner")) {
      opts.expected_signer =
          crypto::public_key_file_decode(string_arg(options["expectedSigner"], "expectedSigner")).ed25519;
    }
    if (has(options, "checkExpiry")) opts.check_expiry = options["checkExpiry"].as<bool>();
    if (has(options, "now")) {
      opts.now = whole_number(options["now"], "now", -max_safe, max_safe);
    } else {
      opts.now = static_cast<std::int64_t>(val::global("Date").call<double>("now") / 1000);
    }
    const crypto::OpenedBundle opened = crypto::bundle_open(bytes_from(bundle), keys.x25519, opts);
    if (has(options, "grantId")) {
      const auto min_sequence = has(options, "minSequence")
          ? static_cast<std::uint64_t>(whole_number(options["minSequence"], "minSequence", 0, max_safe)) : 0;
      crypto::bundle_check_received(opened, grant_id_arg(options["grantId"]), min_sequence);
    } else if (has(options, "minSequence")) {
      throw std::invalid_argument("minSequence needs grantId");
    }
    val out = val::object();
    out.set("header", header_json(opened.header));
    out.set("receipt", to_uint8array(opened.receipt));
    val parts = val::array();
    for (const crypto::Part& p : opened.parts) parts.call<void>("push", part_js(p.name, p.media_type, p.bytes));
    out.set("parts", parts);
    return out;
  });
}

// bundlePeek(bundle: Uint8Array) → header (not authenticated: for routing only)
val bundle_peek(val bundle) {
  return guarded([&] { return header_json(crypto::bundle_peek(bytes_from(bundle))); });
}

// requestSign({method, path, body?: Uint8Array, key: secret key file,
//   timestamp?: unix seconds}) → Authorization header value for the relay
//   (docs/relay-protocol.md); the nonce is fresh on every call.
std::string request_sign(val request) {
  return guarded([&] {
    if (!is_object(request)) throw std::invalid_argument("requestSign needs a request object");
    const crypto::KeySet keys = crypto::key_file_decode(string_arg(request["key"], "key"));
    const std::vector<std::uint8_t> body = has(request, "body") ? bytes_from(request["body"]) : std::vector<std::uint8_t>{};
    const std::int64_t ts = has(request, "timestamp")
        ? whole_number(request["timestamp"], "timestamp", 0, max_safe)
        : static_cast<std::int64_t>(val::global("Date").call<double>("now") / 1000);
    return crypto::request_sign(string_arg(request["method"], "method"), string_arg(request["path"], "path"),
                                body, ts, keys.ed25519);
  });
}

// ---- vault sync (docs/vault-format.md §11, docs/relay-protocol.md §11) ----

crypto::SyncIdentity sync_keys_arg(const val& keys) {
  const std::string text = string_arg(keys, "the sync keys");
  crypto::SyncIdentity id = crypto::sync_identity_decode(text);
  return id;
}

val sync_identity_to_js(const crypto::SyncIdentity& id) {
  const crypto::SecretString keys = crypto::sync_identity_encode(id);
  val out = val::object();
  out.set("syncId", val(crypto::sync_id_encode(id.id)));
  out.set("signingKey", val(crypto::base64url_encode(id.signing.public_key)));
  out.set("keys", val(std::string(keys.data(), keys.size())));
  return out;
}

// syncIdentity(recoveryKeyText) → {syncId, signingKey, keys}: what a device
// keeps to sync (keys, secret) in place of the recovery key.
val sync_identity(val text) {
  return guarded([&] {
    const crypto::RecoveryKey key = crypto::recovery_key_decode(string_arg(text, "the recovery key"));
    return sync_identity_to_js(crypto::sync_identity(key));
  });
}

// syncInfo(keys) → {syncId, signingKey, keys}: the public parts of stored sync keys.
val sync_info(val keys) {
  return guarded([&] { return sync_identity_to_js(sync_keys_arg(keys)); });
}

// syncSeal(keys, plaintext) → Uint8Array: the sync copy of a vault's content.
val sync_seal(val keys, val plaintext) {
  return guarded([&] {
    std::vector<std::uint8_t> plain = bytes_from(plaintext);
    const crypto::Bytes copy = crypto::sync_copy_seal(sync_keys_arg(keys).key, plain);
    crypto::wipe(plain.data(), plain.size());
    return to_uint8array(copy);
  });
}

// syncOpen(keys, copy) → Uint8Array: the content (JS owns the only copy).
val sync_open(val keys, val copy) {
  return guarded([&] {
    crypto::Bytes plain = crypto::sync_copy_open(sync_keys_arg(keys).key, bytes_from(copy));
    val out = to_uint8array(plain);
    crypto::wipe(plain.data(), plain.size());
    return out;
  });
}

// syncRequestSign({method, path, body?, keys, timestamp?}) → the
// Authorization header of a sync request, signed with the sync signing key.
std::string sync_request_sign(val request) {
  return guarded([&] {
    if (!is_object(request)) throw std::invalid_argument("syncRequestSign needs a request object");
    const crypto::SyncIdentity id = sync_keys_arg(request["keys"]);
    const std::vector<std::uint8_t> body = has(request, "body") ? bytes_from(request["body"]) : std::vector<std::uint8_t>{};
    const std::int64_t ts = has(request, "timestamp")
        ? whole_number(request["timestamp"], "timestamp", 0, max_safe)
        : static_cast<std::int64_t>(val::global("Date").call<double>("now") / 1000);
    return crypto::request_sign(string_arg(request["method"], "method"), string_arg(request["path"], "path"),
                                body, ts, id.signing);
  });
}

// new Directory(bytes: Uint8Array): a provider directory (SMART brands
// Bundle) held in wasm memory; search(query, limit) → JSON {total, matches}:
// how many providers match in all, and the best `limit` of them.
// Call delete() when done (Embind objects are not garbage-collected).
class DirectoryIndex {
 public:
  explicit DirectoryIndex(val bytes)
      : directory_(guarded([&] {
          const std::vector<std::uint8_t> b = bytes_from(bytes);
          return chartlock::Directory::load(std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
        })) {}

  std::string search(val query, val limit) const {
    return guarded([&] {
      const auto n = static_cast<std::size_t>(whole_number(limit, "limit", 1, 1000));
      const chartlock::DirectorySearch found = directory_.search(string_arg(query, "query"), n);
      nlohmann::json matches = nlohmann::json::array();
      for (const chartlock::DirectoryMatch& m : found.matches) {
        const chartlock::DirectoryEntry& e = *m.entry;
        matches.push_back({{"id", e.id}, {"name", e.name}, {"city", e.city}, {"state", e.state},
                           {"portalName", e.portalName}, {"portalUrl", e.portalUrl}, {"logo", e.logo},
                           {"fhirBase", e.fhirBase}, {"score", m.score}});
      }
      const nlohmann::json out = {{"total", found.total}, {"matches", std::move(matches)}};
      return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    });
  }

  double size() const { return static_cast<double>(directory_.entries().size()); }

 private:
  chartlock::Directory directory_;
};

// consentCategories(scopes: string[]) → the category ids the tool's scopes cover
// (empty: it asks for nothing Chartlock shares).
val consent_categories(val scopes) {
  return guarded([&] {
    val out = val::array();
    for (chartlock::Category c : chartlock::categories_for_scopes(string_list(scopes, "consentCategories: scopes"))) {
      out.call<void>("push", val(std::string(chartlock::category_id(c))));
    }
    return out;
  });
}

// consentLabels() → {categories: {id: "lab results"…}, sensitive: {id: "Mental health"…}}: the
// words the consent screen shows, from the core's one table of each.
val consent_labels() {
  return guarded([&] {
    val categories = val::object();
    for (chartlock::Category c : chartlock::all_categories()) {
      categories.set(std::string(chartlock::category_id(c)), val(std::string(chartlock::category_words(c))));
    }
    val sensitive = val::object();
    for (const chartlock::knowledge::SensitiveCategory& c : chartlock::knowledge::get().sensitive) {
      sensitive.set(c.id, val(c.plain));
    }
    val out = val::object();
    out.set("categories", categories);
    out.set("sensitive", sensitive);
    return out;
  });
}

// new Records(sources, options?): the sources read once and kept in wasm
// memory for the widget's screens: summary, consent catalog, and the share
// the consent engine builds. Call delete() when done.
class RecordsHandle {
 public:
  RecordsHandle(val sources, val options)
      : record_(guarded([&] {
          chartlock::IngestOptions opts = ingest_options(options);
          opts.keep_raw = false;  // shares are rebuilt from the record, never copied from the input
          return read_sources(sources, opts);
        })) {}

  val record() const { return js_text(guarded([&] { return chartlock::record_to_json_text(record_); })); }

  // The clinical notes with their text, for the records view: a record
  // (docs/record-schema.md) holding only `documents` and the `reports` that
  // come as a document (presentedForm).
  val notes() const {
    return js_text(guarded([&] {
      chartlock::Record notes;
      notes.documents = record_.documents;
      for (const chartlock::Report& r : record_.reports) {
        if (!r.presentedForm.empty()) notes.reports.push_back(r);
      }
      return chartlock::record_to_json_text(notes);
    }));
  }

  // Whose records these are: the person's key ("" when no source holds a Patient).
  std::string person() const { return record_.person; }

  val summary(val options) const {
    return js_text(guarded([&] {
      return chartlock::summary_to_json_text(chartlock::summarize(record_, summary_options_from(options)));
    }));
  }

  std::string consent_catalog() const {
    return guarded([&] {
      return chartlock::to_json(catalog())
          .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    });
  }

  // consentPreview(consent: CONSENT.json text) → JSON text:
  //   {consent (as the engine read it), covered: category ids the scopes cover,
  //    items: [{key, category, refused: reason | null}], shared: n, patient: bool}
  std::string consent_preview(val consent_text) const {
    return guarded([&] {
      const chartlock::Consent consent = chartlock::consent_from_json(string_arg(consent_text, "consent"));
      nlohmann::ordered_json out;
      out["consent"] = chartlock::to_json(consent);
      nlohmann::ordered_json covered = nlohmann::ordered_json::array();
      for (chartlock::Category c : chartlock::categories_for_scopes(consent.scopes)) {
        covered.push_back(std::string(chartlock::category_id(c)));
      }
      out["covered"] = std::move(covered);
      nlohmann::ordered_json items = nlohmann::ordered_json::array();
      std::size_t shared = 0;
      for (const chartlock::ConsentItem& item : catalog()) {
        const std::optional<chartlock::Refusal> why = chartlock::refusal(item, consent);
        if (!why) ++shared;
        items.push_back({{"key", item.key}, {"category", std::string(chartlock::category_id(item.category))},
                         {"refused", why ? nlohmann::ordered_json(chartlock::to_string(*why)) : nlohmann::ordered_json()}});
      }
      out["items"] = std::move(items);
      out["shared"] = shared;
      out["patient"] = consent.categories.count(chartlock::Category::patient) > 0 && record_.patient.present;
      return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    });
  }

  // share({consent: CONSENT.json text, keys?: string[], today?, receipt?: {tool, grantId,
  //   sequence, createdAt, expiresAt, signer}}) → {parts: [{name, mediaType, bytes}], keys,
  //   patient, sources, byCategory, counts, refused: [{key, why}], receipt?: JSON text}:
  //   exactly what `chartlock share` builds from the same record and consent.
  val share(val request) const {
    return guarded([&] {
      if (!is_object(request)) throw std::invalid_argument("share needs {consent: string}");
      chartlock::ShareRequest req;
      req.consent = chartlock::consent_from_json(string_arg(request["consent"], "consent"));
      if (has(request, "keys")) {
        const std::vector<std::string> keys = string_list(request["keys"], "share: keys");
        req.keys.emplace(keys.begin(), keys.end());
      }
      req.today = summary_options_from(request).today;
      if (has(request, "person")) req.person = string_arg(request["person"], "person");
      const chartlock::ShareContent content = chartlock::build_share(record_, req);
      val out = val::object();
      val parts = val::array();
      for (const chartlock::SharePart& p : content.parts) parts.call<void>("push", part_js(p.name, p.mediaType, p.text));
      out.set("parts", parts);
      out.set("keys", to_js_strings(content.keys));
      out.set("patient", val(content.patient));
      out.set("sources", to_js_strings(content.sources));
      val by_category = val::object();
      for (const auto& [cat, count] : content.by_category) by_category.set(cat, val(static_cast<double>(count)));
      out.set("byCategory", by_category);
      val counts = val::object();
      for (const auto& [type, count] : content.counts) counts.set(type, val(static_cast<double>(count)));
      out.set("counts", counts);
      val refused = val::array();
      for (const auto& r : content.refused) {
        val one = val::object();
        one.set("key", val(r.key));
        one.set("why", val(std::string(chartlock::to_string(r.why))));
        refused.call<void>("push", one);
      }
      out.set("refused", refused);
      if (has(request, "receipt")) {
        const val r = request["receipt"];
        chartlock::ReceiptContext context;
        context.tool = nlohmann::ordered_json::parse(
            val::global("JSON").call<std::string>("stringify", r["tool"]), nullptr, false);
        if (!context.tool.is_object()) throw std::invalid_argument("share: receipt.tool must be an object");
        context.grant_id = string_arg(r["grantId"], "receipt.grantId");
        context.sequence = static_cast<std::uint64_t>(whole_number(r["sequence"], "receipt.sequence", 0, max_safe));
        context.created_at = whole_number(r["createdAt"], "receipt.createdAt", 0, max_safe);
        context.expires_at = whole_number(r["expiresAt"], "receipt.expiresAt", 0, max_safe);
        context.signer = string_arg(r["signer"], "receipt.signer");
        for (const chartlock::SharePart& p : content.parts) {
          context.part_digests.push_back(crypto::hex_encode(crypto::hash(p.text)));
        }
        out.set("receipt", val(chartlock::consent_receipt(content, req.consent, context)
                                   .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace)));
      }
      return out;
    });
  }

  // ips(consent: CONSENT.json text, options?: {today?: "YYYY-MM-DD" (default: today, UTC), keys?:
  //   string[], person?}) → {bundle: JSON text, keys, sources}: the International Patient
  //   Summary the consent allows (docs/ips.md), the same bytes as `chartlock ips`.
  val ips(val consent_text, val options) const {
    return guarded([&] {
      chartlock::ShareRequest req;
      req.consent = chartlock::consent_from_json(string_arg(consent_text, "consent"));
      req.today = has(options, "today") ? string_arg(options["today"], "today")
                                        : val::global("Date").new_().call<std::string>("toISOString").substr(0, 10);
      if (has(options, "keys")) {
        const std::vector<std::string> keys = string_list(options["keys"], "ips: keys");
        req.keys.emplace(keys.begin(), keys.end());
      }
      if (has(options, "person")) req.person = string_arg(options["person"], "person");
      const chartlock::IpsDocument doc = chartlock::build_ips(record_, req);
      val out = val::object();
      out.set("bundle", val(doc.json));
      out.set("keys", to_js_strings(doc.keys));
      out.set("sources", to_js_strings(doc.sources));
      return out;
    });
  }

 private:
  // The record does not change while the handle lives: its catalog is made
  // once, not on every change the patient makes on the consent screen.
  const std::vector<chartlock::ConsentItem>& catalog() const {
    if (!catalog_) catalog_ = chartlock::consent_catalog(record_);
    return *catalog_;
  }

  chartlock::Record record_;
  mutable std::optional<std::vector<chartlock::ConsentItem>> catalog_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(chartlock) {
  emscripten::class_<RecordsHandle>("Records")
      .constructor<val, val>()
      .function("record", &RecordsHandle::record)
      .function("person", &RecordsHandle::person)
      .function("notes", &RecordsHandle::notes)
      .function("summary", &RecordsHandle::summary)
      .function("consentCatalog", &RecordsHandle::consent_catalog)
      .function("consentPreview", &RecordsHandle::consent_preview)
      .function("share", &RecordsHandle::share)
      .function("ips", &RecordsHandle::ips);
  emscripten::class_<DirectoryIndex>("Directory")
      .constructor<val>()
      .function("search", &DirectoryIndex::search)
      .function("size", &DirectoryIndex::size);
  emscripten::function("version", &version);
  emscripten::function("consentCategories", &consent_categories);
  emscripten::function("persons", &persons);
  emscripten::function("persons", +[](val sources) { return persons(sources, val::undefined()); });
  emscripten::function("consentLabels", &consent_labels);
  emscripten::function("matchGrade", &match_grade);
  emscripten::function("matchQueries", &match_queries);
  // Optional trailing arguments are overloads by arity (Embind checks counts).
  emscripten::function("healthCardIssuers", &health_card_issuers);
  emscripten::function("ingest", &ingest);
  emscripten::function("ingest", +[](val sources) { return ingest(sources, val::undefined()); });
  emscripten::function("summarize", &summarize);
  emscripten::function("summarize", +[](val sources) { return summarize(sources, val::undefined()); });
  emscripten::function("summarizeMarkdown", &summarize_markdown);
  emscripten::function("summarizeMarkdown", +[](val sources) { return summarize_markdown(sources, val::undefined()); });
  emscripten::function("keysGenerate", &keys_generate);
  emscripten::function("keysPublic", &keys_public);
  emscripten::function("vaultSeal", &vault_seal);
  emscripten::function("vaultSeal", +[](val pass, val plain) { return vault_seal(pass, plain, val::undefined()); });
  emscripten::function("vaultOpen", &vault_open);
  emscripten::function("vaultCreate", &vault_create);
  emscripten::function("vaultCreate", +[](val pass, val plain) { return vault_create(pass, plain, val::undefined()); });
  emscripten::function("vaultCreateWithRecoveryKey", &vault_create_with_recovery_key);
  emscripten::function("vaultCreateWithRecoveryKey", +[](val pass, val text, val plain) {
    return vault_create_with_recovery_key(pass, text, plain, val::undefined());
  });
  emscripten::function("vaultMakeRecoveryKey", &vault_make_recovery_key);
  emscripten::function("vaultMakeRecoveryKey", +[](val pass, val vault) { return vault_make_recovery_key(pass, vault, val::undefined()); });
  emscripten::function("vaultUnlock", &vault_unlock);
  emscripten::function("vaultUnlockWithRecoveryKey", &vault_unlock_with_recovery_key);
  emscripten::function("vaultReseal", &vault_reseal);
  emscripten::function("vaultChangePassphrase", &vault_change_passphrase);
  emscripten::function("vaultChangePassphrase", +[](val keys, val pass) { return vault_change_passphrase(keys, pass, val::undefined()); });
  emscripten::function("vaultInfo", &vault_info);
  emscripten::function("recoveryKeyProblem", &recovery_key_problem);
  emscripten::function("qrCode", &qr_code);
  emscripten::function("qrCode", +[](val text) { return qr_code(text, val::undefined()); });
  emscripten::function("bundleSeal", &bundle_seal);
  emscripten::function("bundleOpen", &bundle_open);
  emscripten::function("bundlePeek", &bundle_peek);
  emscripten::function("requestSign", &request_sign);
  emscripten::function("syncIdentity", &sync_identity);
  emscripten::function("syncInfo", &sync_info);
  emscripten::function("syncSeal", &sync_seal);
  emscripten::function("syncOpen", &sync_open);
  emscripten::function("syncRequestSign", &sync_request_sign);
}
