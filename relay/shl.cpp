// SPDX-License-Identifier: Apache-2.0
#include "shl.hpp"

#include <algorithm>
#include <ctime>
#include <nlohmann/json.hpp>

#include "chartlock/crypto/encoding.hpp"
#include "chartlock/crypto/error.hpp"
#include "chartlock/crypto/hash.hpp"
#include "chartlock/crypto/jwe.hpp"
#include "protocol.hpp"

namespace chartlock::relay {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

// The file types an SHL manifest may list (the IG's contentType values).
constexpr const char* kShlContentTypes[] = {"application/fhir+json", "application/smart-health-card",
                                            "application/smart-api-access"};

// One of the IG's file types, with or without parameters ("application/fhir+json;fhirVersion=4.0.1").
bool known_content_type(const std::string& cty) {
  if (cty.size() > 100) return false;
  std::string base = cty.substr(0, cty.find(';'));
  base.erase(base.find_last_not_of(' ') + 1);
  std::transform(base.begin(), base.end(), base.begin(), [](char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return std::find(std::begin(kShlContentTypes), std::end(kShlContentTypes), base) != std::end(kShlContentTypes);
}


// 43 base64url characters → the 32 bytes of a link id or a ticket.
std::optional<ShlId> parse_id(std::string_view text) {
  if (text.size() != 43) return std::nullopt;
  ShlId id{};
  try {
    crypto::base64url_decode_exact(text, id.data(), id.size());
  } catch (const crypto::Error&) {
    return std::nullopt;
  }
  return id;
}

ShlId managed_id(std::string_view text) {
  const auto id = parse_id(text);
  if (!id) fail(400, "malformed", "a link id is 43 base64url characters (32 bytes)");
  return *id;
}

[[noreturn]] void no_link() {
  fail(404, "no-such-link", "no active SMART Health Link has this address (unknown, expired, revoked or locked)");
}

json parse_object(crypto::ByteView body) {
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) fail(400, "malformed", "the body must be a JSON object");
  return j;
}

// The manifest's 401: the SHL answer {remainingAttempts} with our error code.
ApiResponse passcode_refusal(const char* code, const char* message, std::int64_t remaining) {
  ApiResponse r = json_answer(401, ordered_json{{"error", code}, {"message", message},
                                                {"remainingAttempts", remaining}}.dump());
  r.error = code;
  return r;
}

std::string iso_time(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return out;
}

bool host_ok(std::string_view host) {
  return !host.empty() && host.size() <= 255 && std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == ':' || c == '[' || c == ']';
  });
}

}  // namespace

ShlService::ShlService(Store& store, Service& service, const Config& config)
    : store_(store), service_(service), config_(config) {}

ShlLink ShlService::managed_link(const ShlId& id, const PublicKey& signer) {
  std::optional<ShlLink> l = store_.get_link(id);
  if (!l) fail(404, "unknown-link", "no link has this id");
  if (!crypto::equal(signer, l->manage_key)) fail(403, "wrong-key", "this request must be signed by the link's management key");
  if (l->revoked_at) fail(410, "revoked", "the patient revoked this link");
  if (service_.now() > l->expires_at) fail(410, "expired", "this link has expired");
  return *l;
}

std::string ShlService::base_url(const ApiRequest& req) const {
  if (!config_.public_url.empty()) return config_.public_url;
  if (!host_ok(req.host)) fail(400, "malformed", "the request has no usable Host header");
  return "http://" + std::string(req.host);
}

ApiResponse ShlService::create(const ApiRequest& req) {
  return answer([&] {
    const crypto::SignedRequest auth = service_.authenticate(req);
    const json j = parse_object(req.body);
    for (const auto& item : j.items()) {
      const std::string& k = item.key();
      if (k != "id" && k != "managementKey" && k != "expiresAt" && k != "longTerm" && k != "passcode" &&
          k != "maxAttempts") {
        fail(400, "malformed",
             "unknown field in the body (expected id, managementKey, expiresAt, longTerm, passcode, maxAttempts)");
      }
    }
    for (const char* field : {"id", "managementKey", "expiresAt"}) {
      if (!j.contains(field)) fail(400, "malformed", std::string(field) + " is missing");
    }
    const std::int64_t now = service_.now();
    ShlLink l;
    if (!j["id"].is_string()) fail(400, "malformed", "id must be a string");
    l.id = managed_id(j["id"].get_ref<const std::string&>());
    if (!j["managementKey"].is_string()) fail(400, "malformed", "managementKey must be a string");
    try {
      crypto::base64url_decode_exact(j["managementKey"].get_ref<const std::string&>(), l.manage_key.data(),
                                     l.manage_key.size());
    } catch (const crypto::Error& e) {
      fail(400, "malformed", std::string("managementKey ") + e.what());
    }
    if (!crypto::sign_public_key_valid(l.manage_key)) fail(400, "malformed", "managementKey is not a valid Ed25519 public key");
    if (!crypto::equal(auth.key, l.manage_key)) {
      fail(403, "wrong-key", "a link must be created with a request signed by its management key");
    }
    const json& exp = j["expiresAt"];
    if (!exp.is_number_integer()) fail(400, "malformed", "expiresAt must be a whole number of unix seconds");
    l.expires_at = exp.get<std::int64_t>();
    if (l.expires_at <= now) fail(400, "malformed", "expiresAt is not in the future");
    if (l.expires_at - now > config_.max_grant_days * 86400) {
      fail(400, "malformed", "expiresAt is more than " + std::to_string(config_.max_grant_days) + " days ahead");
    }
    if (j.contains("longTerm")) {
      if (!j["longTerm"].is_boolean()) fail(400, "malformed", "longTerm must be true or false");
      l.long_term = j["longTerm"].get<bool>();
    }
    if (j.contains("maxAttempts") && !j.contains("passcode")) {
      fail(400, "malformed", "maxAttempts is for a link with a passcode");
    }
    if (j.contains("passcode")) {
      const json& p = j["passcode"];
      if (!p.is_string() || p.get_ref<const std::string&>().empty() ||
          p.get_ref<const std::string&>().size() > kShlMaxPasscodeBytes) {
        fail(400, "malformed", "passcode must be a string of 1.." + std::to_string(kShlMaxPasscodeBytes) + " bytes");
      }
      l.attempts_left = kShlDefaultAttempts;
      if (j.contains("maxAttempts")) {
        const json& m = j["maxAttempts"];
        if (!m.is_number_integer() || m.get<std::int64_t>() < 1 || m.get<std::int64_t>() > kShlMaxAttempts) {
          fail(400, "malformed", "maxAttempts must be a whole number 1.." + std::to_string(kShlMaxAttempts));
        }
        l.attempts_left = m.get<std::int64_t>();
      }
    }
    service_.use_nonce(auth);
    // Hashed only once the request is known good: Argon2id is the costly step.
    if (j.contains("passcode")) l.passcode_hash = crypto::shl_passcode_hash(j["passcode"].get_ref<const std::string&>());
    l.created_at = now;
    if (!store_.create_link(l, l.expires_at + config_.tombstone_days * 86400)) {
      fail(409, "link-exists", "a link with this id exists or existed (ids are never reused)");
    }
    return json_answer(201, ordered_json{{"id", crypto::base64url_encode(l.id)}, {"expiresAt", l.expires_at}}.dump());
  });
}

ApiResponse ShlService::put_file(const ApiRequest& req, std::string_view link_id) {
  return answer([&] {
    const ShlId id = managed_id(link_id);
    const crypto::SignedRequest auth = service_.authenticate(req);
    const ShlLink l = managed_link(id, auth.key);
    service_.use_nonce(auth);
    crypto::JweHeader h;
    try {
      h = crypto::jwe_inspect(std::string_view(reinterpret_cast<const char*>(req.body.data()), req.body.size()));
    } catch (const crypto::Error& e) {
      fail(400, "bad-file", std::string("the body is not a SMART Health Link JWE: ") + e.what());
    }
    if (!known_content_type(h.content_type)) {
      fail(400, "bad-file",
           "the JWE's cty must be application/fhir+json, application/smart-health-card or application/smart-api-access "
           "(parameters such as ;fhirVersion=4.0.1 allowed), at most 100 characters");
    }
    if (!l.long_term && l.content_type) {
      fail(409, "link-finalized", "this link's file is final: only a long-term (L) link's file can be replaced");
    }
    StorageQuota quota;
    quota.prefix = Service::stored_prefix(req.client_prefix);
    quota.per_prefix_bytes = config_.max_bytes_per_address;
    quota.global_bytes = config_.max_stored_bytes;
    switch (store_.put_link_file(id, h.content_type, req.body, service_.now(), quota)) {
      case PutOutcome::created:
        return json_answer(201, ordered_json{{"size", req.body.size()}, {"contentType", h.content_type}}.dump());
      case PutOutcome::replaced:
        return json_answer(200, ordered_json{{"size", req.body.size()}, {"contentType", h.content_type}}.dump());
      case PutOutcome::over_prefix_quota:
        fail(429, "address-quota-exceeded", "files uploaded from this network address would take more than the " +
                                                std::to_string(config_.max_bytes_per_address) +
                                                " bytes this relay keeps for one address");
      case PutOutcome::over_global_quota:
        fail(507, "storage-full", "the relay has no room for this file; retry later");
      default:
        break;
    }
    // Revoked or expired between the check above and the write.
    managed_link(id, auth.key);
    fail(410, "revoked", "the link ended while the file was being stored");
  });
}

ApiResponse ShlService::revoke(const ApiRequest& req, std::string_view link_id) {
  return answer([&] {
    const ShlId id = managed_id(link_id);
    const crypto::SignedRequest auth = service_.authenticate(req);
    managed_link(id, auth.key);
    service_.use_nonce(auth);
    if (!store_.revoke_link(id, service_.now())) fail(410, "revoked", "the patient revoked this link");
    ApiResponse r;
    r.status = 204;
    return r;
  });
}

ApiResponse ShlService::manifest(const ApiRequest& req, std::string_view link_id) {
  return answer([&] {
    const auto id = parse_id(link_id);
    if (!id) no_link();
    const json j = parse_object(req.body);
    const auto recipient = j.find("recipient");
    if (recipient == j.end() || !recipient->is_string() || recipient->get_ref<const std::string&>().empty()) {
      fail(400, "malformed", "recipient (a non-empty string naming who asks) is required");
    }
    std::optional<std::string> passcode;
    if (const auto p = j.find("passcode"); p != j.end()) {
      if (!p->is_string()) fail(400, "malformed", "passcode must be a string");
      passcode = p->get<std::string>();
    }
    std::optional<std::uint64_t> embedded_max;
    if (const auto e = j.find("embeddedLengthMax"); e != j.end()) {
      if (!e->is_number_unsigned()) fail(400, "malformed", "embeddedLengthMax must be a whole number >= 0");
      embedded_max = e->get<std::uint64_t>();
    }
    const std::int64_t now = service_.now();
    const std::optional<ShlLink> l = store_.get_link(*id);
    if (!l || l->revoked_at || now > l->expires_at) no_link();
    if (l->passcode_hash) {
      if (l->attempts_left <= 0) no_link();
      if (!passcode) {
        return passcode_refusal("passcode-required", "this link needs its passcode", l->attempts_left);
      }
      // An attempt is taken before the check and given back when it passes,
      // so parallel guesses can never use more attempts than the link has.
      const std::optional<std::int64_t> left = store_.take_passcode_attempt(*id, now);
      if (!left) no_link();
      if (passcode->size() > kShlMaxPasscodeBytes || !crypto::shl_passcode_verify(*l->passcode_hash, *passcode)) {
        return passcode_refusal("wrong-passcode", "the passcode is not right", *left);
      }
      store_.return_passcode_attempt(*id);
    }
    std::optional<ShlFile> file;
    ordered_json entry;
    if (embedded_max && l->content_type && l->file_size <= *embedded_max) {
      file = store_.get_link_file(*id, now);
      if (!file) no_link();
      entry = {{"contentType", file->content_type},
               {"embedded", std::string(file->bytes.begin(), file->bytes.end())}};
    } else if (l->content_type) {
      const std::string base = base_url(req);  // before the ticket: a refusal leaves none behind
      const ShlId ticket = crypto::shl_id();
      store_.add_ticket(crypto::hash(ticket), *id, now + kShlLocationSeconds);
      entry = {{"contentType", *l->content_type},
               {"location", base + "/v1/shl-files/" + crypto::base64url_encode(ticket)}};
    } else {
      fail(404, "no-file", "this link has no file yet");
    }
    entry["lastUpdated"] = iso_time(file ? file->updated_at : l->file_updated_at);
    const ordered_json body{{"status", l->long_term ? "can-change" : "finalized"},
                            {"files", ordered_json::array({entry})}};
    return json_answer(200, body.dump());
  });
}

ApiResponse ShlService::file(const ApiRequest&, std::string_view ticket) {
  return answer([&] {
    const auto t = parse_id(ticket);
    if (!t) fail(404, "no-such-file", "this file location is unknown, used or expired: ask the manifest again");
    std::optional<ShlFile> f = store_.take_ticket(crypto::hash(*t), service_.now());
    if (!f) fail(404, "no-such-file", "this file location is unknown, used or expired: ask the manifest again");
    ApiResponse r;
    r.status = 200;
    r.content_type = "application/jose";
    r.body.assign(f->bytes.begin(), f->bytes.end());
    return r;
  });
}

}  // namespace chartlock::relay
