// SPDX-License-Identifier: Apache-2.0
// chartlock tool manifest: writes the manifest a tool's page passes to
// Chartlock.connect() (docs/tool-manifest.md), refusing anything the
// patient's widget would refuse, so a mistake shows up here and not as a
// failed connect in a patient's browser.
#include <algorithm>
#include <iostream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "args.hpp"
#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/key_file.hpp"
#include "commands.hpp"
#include "file_io.hpp"
#include "key_io.hpp"
#include "tool_failure.hpp"

namespace chartlock::cli {
namespace {

constexpr const char* kUsage = R"(usage: chartlock tool manifest --keys TOOL.pub --name NAME --origin ORIGIN
                               --purpose TEXT --retention TEXT --scope SCOPE...
                               [--out FILE]

Writes the tool manifest (JSON, docs/tool-manifest.md) that the tool's page
passes to Chartlock.connect(). The widget shows the patient every field
before anything is shared.

Options:
  --keys TOOL.pub    the tool's public key file (or its secret TOOL.key):
                     bundles are sealed to its X25519 key and the relay lets
                     only its Ed25519 key fetch them
  --name NAME        the tool's name, as the patient will see it
  --origin ORIGIN    the tool's website, scheme://host[:port], exactly as a
                     browser writes the origin (lowercase, no default port,
                     no trailing '/'); the widget refuses a page whose origin
                     differs
  --purpose TEXT     why the tool wants the records, in plain words
  --retention TEXT   how long the tool keeps them
  --scope SCOPE      a SMART v2 patient read scope, repeatable:
                     patient/TYPE.rs (v1 patient/TYPE.read accepted), TYPE a
                     resource Chartlock shares or *; patient/Observation.rs
                     may end in ?category=laboratory, vital-signs or
                     social-history
  --out FILE         where to write it (default: standard output)

name, purpose and retention: 1 to 500 characters, no control characters.
)";

// What the widget shares, by resource type (web/widget/js/consent.js).
const std::set<std::string> kShareableTypes = {
    "Patient",   "Condition",        "MedicationRequest", "MedicationStatement", "AllergyIntolerance",
    "Immunization", "Procedure",     "Encounter",         "DiagnosticReport",    "DocumentReference",
    "CarePlan",  "Goal",             "Observation"};
const std::set<std::string> kObservationCategories = {"laboratory", "vital-signs", "social-history"};

// The widget counts JavaScript string length: UTF-16 code units.
std::size_t utf16_length(const std::string& utf8) {
  std::size_t n = 0;
  for (unsigned char c : utf8) {
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

std::string text_field(const Args& args, const std::string& option) {
  const std::string value = args.require(option);
  try {
    (void)nlohmann::json(value).dump();  // throws on invalid UTF-8
  } catch (const nlohmann::json::exception&) {
    throw BadInput(option + " is not valid UTF-8");
  }
  const bool control = std::any_of(value.begin(), value.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
  if (control) throw BadInput(option + " holds control characters (line breaks, tabs…)");
  if (value.find_first_not_of(' ') == std::string::npos) throw BadInput(option + " is empty");
  if (utf16_length(value) > 500) throw BadInput(option + " is longer than 500 characters");
  return value;
}

std::string origin_field(const std::string& origin) {
  static const std::regex form(R"((https?)://(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::([1-9][0-9]{0,4}))?)");
  std::smatch m;
  if (!std::regex_match(origin, m, form)) {
    throw BadInput("--origin must be an origin as browsers write it: scheme://host[:port], lowercase, no path "
                   "and no trailing '/' (for example https://coach.example)");
  }
  const bool default_port = m[3].matched && ((m[1] == "https" && m[3] == "443") || (m[1] == "http" && m[3] == "80"));
  if (default_port) throw BadInput("--origin must leave out the scheme's default port :" + m[3].str() + " (browsers do)");
  if (m[3].matched && std::stoi(m[3].str()) > 65535) throw BadInput("--origin has a port above 65535");
  const std::string host = m[2];
  const bool loopback = host == "localhost" || host == "[::1]" || host.rfind("127.", 0) == 0;
  // The widget refuses such a manifest (web/widget/js/consent.js): so does the CLI that writes one.
  if (m[1] == "http" && !loopback) {
    throw BadInput("--origin is plain http away from this machine: the widget shares only with https tools "
                   "(or http on localhost, 127.0.0.0/8, [::1] for development)");
  }
  return origin;
}

void check_scope(const std::string& scope) {
  static const std::regex form(R"(patient/(\*|[A-Za-z]+)\.(rs|r|s|read)(?:\?category=([a-z-]+))?)");
  std::smatch m;
  if (!std::regex_match(scope, m, form)) {
    throw BadInput("--scope \"" + scope + "\" is not a patient read scope (patient/TYPE.rs, or v1 patient/TYPE.read; "
                   "Chartlock only shares, so write scopes are refused)");
  }
  const std::string type = m[1];
  if (type != "*" && kShareableTypes.count(type) == 0) {
    throw BadInput("--scope \"" + scope + "\": Chartlock does not share " + type + " resources");
  }
  if (m[3].matched && (type != "Observation" || kObservationCategories.count(m[3]) == 0)) {
    throw BadInput("--scope \"" + scope + "\": only patient/Observation.rs may be narrowed, with ?category=laboratory, "
                   "vital-signs or social-history");
  }
}

// Public keys from a public key file, or the public halves of a secret one.
crypto::PublicKeySet read_tool_keys(const std::string& path) {
  try {
    const auto j = nlohmann::json::parse(read_file(path), nullptr, false);
    const bool secret = j.is_object() && j.value("type", "") == "chartlock-keys";
    return secret ? crypto::keyset_public(load_secret_keys(path)) : load_public_keys(path);
  } catch (const crypto::Error& e) {
    throw ToolFailure(tool_exit_bad_key, std::string("the tool key file is not usable: ") + crypto::to_string(e.code()) +
                                             ": " + e.what());
  } catch (const IoError& e) {
    throw ToolFailure(tool_exit_bad_key, std::string("the tool key file is not usable: ") + e.what());
  }
}

}  // namespace

int cmd_tool_manifest(const Argv& argv) {
  const Args args(argv, ArgSpec{{"--keys", "--name", "--origin", "--purpose", "--retention", "--scope", "--out"},
                                {"--help"}});
  if (args.has("--help")) {
    std::cout << kUsage;
    return exit_ok;
  }
  if (!args.positional().empty()) throw UsageError("unexpected argument " + args.positional()[0]);
  for (const char* single : {"--keys", "--name", "--origin", "--purpose", "--retention", "--out"}) {
    if (args.all(single).size() > 1) throw UsageError(std::string("option ") + single + " given more than once");
  }
  const std::string keys_path = args.require("--keys");
  nlohmann::ordered_json m;
  m["type"] = "chartlock-tool-manifest";
  m["version"] = 1;
  m["name"] = text_field(args, "--name");
  m["origin"] = origin_field(args.require("--origin"));
  m["purpose"] = text_field(args, "--purpose");
  m["retention"] = text_field(args, "--retention");
  const std::vector<std::string> scopes = args.all("--scope");
  if (scopes.empty()) throw UsageError("missing required option --scope (what the tool asks for)");
  std::set<std::string> seen;
  for (const std::string& s : scopes) {
    check_scope(s);
    if (!seen.insert(s).second) throw BadInput("--scope \"" + s + "\" is given twice");
  }
  m["scopes"] = scopes;
  const crypto::PublicKeySet keys = read_tool_keys(keys_path);
  m["keys"] = {{"x25519", crypto::base64url_encode(keys.x25519)}, {"ed25519", crypto::base64url_encode(keys.ed25519)}};

  write_file(args.get("--out").value_or("-"), m.dump(2) + "\n");
  return exit_ok;
}

}  // namespace chartlock::cli
