// SPDX-License-Identifier: Apache-2.0
#include "chartlock/synth/directory.hpp"

#include <numeric>
#include <set>
#include <stdexcept>

#include "json_writer.hpp"
#include "rng.hpp"

namespace chartlock::synth {

namespace {

// Names are built the way real ones are: a place or a founder, then a kind.
constexpr const char* kStems[] = {
    "Riverside", "Lakeview", "Mercy", "Good Samaritan", "St. Mary's", "St. Joseph's", "Providence",
    "Northwest", "Valley", "Summit", "Cedar", "Bayside", "Prairie", "Harbor", "Pinecrest", "Evergreen",
    "Sacred Heart", "Memorial", "University", "Children's", "Community", "Heritage", "Highland",
    "Meadowbrook", "Sunrise", "Willow Creek", "Redwood", "Blue Ridge", "Clearwater", "Oakwood"};
constexpr const char* kKinds[] = {
    "Medical Center", "Hospital", "Health System", "Family Medicine", "Clinic", "Pediatrics",
    "Internal Medicine", "Women's Health", "Cardiology Associates", "Orthopedics", "Primary Care",
    "Health Partners", "Urgent Care", "Regional Medical Center", "Physicians Group"};
struct Place {
  const char* city;
  const char* state;
};
constexpr Place kPlaces[] = {
    {"Springfield", "IL"}, {"Rochester", "MN"}, {"Portland", "OR"}, {"Austin", "TX"}, {"Denver", "CO"},
    {"Madison", "WI"}, {"Burlington", "VT"}, {"Albuquerque", "NM"}, {"Savannah", "GA"}, {"Boise", "ID"},
    {"Tucson", "AZ"}, {"Lexington", "KY"}, {"Omaha", "NE"}, {"Richmond", "VA"}, {"Spokane", "WA"},
    {"Fresno", "CA"}, {"San José", "CA"}, {"Knoxville", "TN"}, {"Des Moines", "IA"}, {"Durham", "NC"},
    {"Providence", "RI"}, {"Anchorage", "AK"}, {"Honolulu", "HI"}, {"Charleston", "SC"}, {"Tulsa", "OK"}};

std::string slug(const std::string& s, std::uint64_t n) {
  std::string out;
  for (char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out.push_back(c);
    else if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c | 0x20));
    else if (!out.empty() && out.back() != '-') out.push_back('-');
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out + "-" + std::to_string(n);
}

void write_brand(JsonWriter& w, const DirectoryListing& l, std::uint64_t n) {
  const std::string id = slug(l.name, n);
  const std::string ep = "ep-" + id;
  const std::string site = "https://" + id + ".example";
  w.begin_object().field("fullUrl", "urn:uuid:org-" + id).key("resource").begin_object();
  w.field("resourceType", "Organization").field("id", id);
  w.key("extension").begin_array();
  w.begin_object().field("url", "http://hl7.org/fhir/StructureDefinition/organization-brand");
  w.key("extension").begin_array().begin_object().field("url", "brandLogo");
  w.field("valueUrl", site + "/logo.svg").end_object().end_array().end_object();
  w.begin_object().field("url", "http://hl7.org/fhir/StructureDefinition/organization-portal");
  w.key("extension").begin_array();
  w.begin_object().field("url", "portalName").field("valueString", l.name + " Patient Portal").end_object();
  w.begin_object().field("url", "portalUrl").field("valueUrl", site + "/mychart").end_object();
  w.begin_object().field("url", "portalEndpoint").key("valueReference").begin_object();
  w.field("reference", "urn:uuid:" + ep).end_object().end_object();
  w.end_array().end_object();
  w.end_array();
  w.field("name", l.name);
  w.key("telecom").begin_array().begin_object().field("system", "url").field("value", site);
  w.end_object().end_array();
  w.key("address").begin_array().begin_object().field("city", l.city).field("state", l.state);
  w.field("country", "US").end_object().end_array();
  w.end_object().end_object();

  w.begin_object().field("fullUrl", "urn:uuid:" + ep).key("resource").begin_object();
  w.field("resourceType", "Endpoint").field("id", ep);
  w.key("extension").begin_array().begin_object();
  w.field("url", "http://hl7.org/fhir/StructureDefinition/endpoint-fhir-version");
  w.field("valueCode", "4.0.1").end_object().end_array();
  w.field("status", "active").key("connectionType").begin_object();
  w.field("system", "http://terminology.hl7.org/CodeSystem/endpoint-connection-type");
  w.field("code", "hl7-fhir-rest").end_object();
  w.field("name", l.name + " FHIR R4");
  w.key("contact").begin_array().begin_object().field("system", "url").field("value", site + "/developers");
  w.end_object().end_array();
  w.key("payloadType").begin_array().begin_object().key("coding").begin_array().begin_object();
  w.field("system", "http://hl7.org/fhir/endpoint-payload-type").field("code", "none");
  w.end_object().end_array().end_object().end_array();
  w.field("address", l.fhir_base).end_object().end_object();
}

}  // namespace

std::uint64_t generate_directory(const DirectoryOptions& options, std::ostream& out) {
  Rng rng(stream_seed(options.seed, Stream::person, 7));
  std::string buf;
  JsonWriter w(buf);
  w.begin_object().field("resourceType", "Bundle").field("type", "collection");
  w.key("meta").begin_object().key("profile").begin_array();
  w.string("http://hl7.org/fhir/smart-app-launch/StructureDefinition/user-access-brands-bundle");
  w.end_array().end_object().key("entry").begin_array();
  std::uint64_t n = 0;
  auto flush = [&] {
    out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
    buf.clear();
    if (!out) throw std::runtime_error("could not write the directory");
  };
  for (const DirectoryListing& l : options.listings) write_brand(w, l, ++n);
  // Every (stem, kind, place) once, in a seeded order: a stride coprime with
  // the number of combinations visits each exactly once. Beyond that, campuses.
  constexpr std::uint64_t kStemCount = sizeof kStems / sizeof *kStems;
  constexpr std::uint64_t kKindCount = sizeof kKinds / sizeof *kKinds;
  constexpr std::uint64_t kPlaceCount = sizeof kPlaces / sizeof *kPlaces;
  constexpr std::uint64_t kCombinations = kStemCount * kKindCount * kPlaceCount;
  std::uint64_t stride = 1 + rng.below(kCombinations - 1);
  while (std::gcd(stride, kCombinations) != 1) ++stride;
  const std::uint64_t offset = rng.below(kCombinations);
  // Listings are real demo portals: no synthetic brand may share their name and city.
  std::set<std::string> taken;
  for (const DirectoryListing& l : options.listings) taken.insert(l.name + "|" + l.city);
  for (std::uint64_t i = 0, written = 0; written < options.count; ++i) {
    std::uint64_t c = (offset + i * stride) % kCombinations;
    const Place& place = kPlaces[c % kPlaceCount];
    c /= kPlaceCount;
    DirectoryListing l{std::string(kStems[c / kKindCount]) + " " + kKinds[c % kKindCount], place.city, place.state, ""};
    if (i >= kCombinations) l.name += " Campus " + std::to_string(i / kCombinations + 1);
    if (taken.count(l.name + "|" + l.city) != 0) continue;
    ++written;
    l.fhir_base = "https://fhir." + slug(l.name, n + 1) + ".example/r4";
    write_brand(w, l, ++n);
    if (buf.size() > (1u << 20)) flush();
  }
  w.end_array().end_object();
  buf.push_back('\n');
  flush();
  return n;
}

}  // namespace chartlock::synth
