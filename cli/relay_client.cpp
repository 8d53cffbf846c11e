// SPDX-License-Identifier: Apache-2.0
#include "relay_client.hpp"

#include <httplib.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <ctime>
#include <nlohmann/json.hpp>
#include <regex>

#include "args.hpp"
#include "chartlock/crypto/request.hpp"
#include "file_io.hpp"
#include "tool_failure.hpp"

namespace chartlock::cli {
namespace {

// What a relay's error body says, reduced to text that is safe to print: a
// relay (or whatever answers in its place) is not trusted with the terminal.
struct RelayAnswer {
  std::string code;     // the protocol's error code, or empty
  std::string message;  // the relay's words, printable ASCII, at most 200 bytes
};

std::string printable(const std::string& text, std::size_t max) {
  std::string out;
  for (char c : text) {
    if (out.size() == max) break;
    if (c >= 0x20 && c < 0x7f) out += c;
  }
  return out;
}

RelayAnswer read_answer(const std::string& body) {
  RelayAnswer a;
  const auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object()) return a;
  if (auto e = j.find("error"); e != j.end() && e->is_string()) {
    const std::string code = e->get<std::string>();
    const bool token = !code.empty() && code.size() <= 40 &&
                       std::all_of(code.begin(), code.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)) || c == '-'; });
    if (token) a.code = code;
  }
  if (auto m = j.find("message"); m != j.end() && m->is_string()) a.message = printable(m->get<std::string>(), 200);
  return a;
}

std::string with_relay_words(std::string text, const RelayAnswer& a) {
  if (!a.code.empty() || !a.message.empty()) {
    text += " [relay: " + (a.code.empty() ? std::string("?") : a.code) + (a.message.empty() ? "" : ", " + a.message) + "]";
  }
  return text;
}

// The meaning of each refusal for a tool, as the Node SDK words it.
ToolFailure refusal(int status, const std::string& body, const std::string& retry_after_header) {
  const RelayAnswer a = read_answer(body);
  const std::string retry_after = printable(retry_after_header, 20);
  switch (status) {
    case 401: {
      std::string why = "the relay did not accept the request signature";
      if (a.code == "stale-timestamp") why += ": this computer's clock is too far from the relay's (check NTP)";
      else if (a.code == "bad-signature") why += ": it does not verify (was the request changed on the way?)";
      else if (a.code == "replayed-nonce") why += ": the nonce was already used (sign again)";
      else why += " (check the clock and the key)";
      return ToolFailure(tool_exit_unauthorized, with_relay_words(why, a));
    }
    case 403:
      return ToolFailure(tool_exit_forbidden, with_relay_words("this tool key is not the one the grant names (--key)", a));
    case 404:
      if (a.code == "no-bundle") {
        return ToolFailure(tool_exit_no_bundle,
                           with_relay_words("the grant is live but holds no bundle yet: try again later", a));
      }
      if (a.code == "unknown-grant") {
        return ToolFailure(tool_exit_unknown_grant,
                           with_relay_words("the relay has no such grant (check --grant and --relay)", a));
      }
      return ToolFailure(tool_exit_unknown_grant,
                         with_relay_words("the relay answered 404 without a grant error: is --relay a Chartlock relay's base URL?", a));
    case 410:
      if (a.code == "revoked") {
        return ToolFailure(tool_exit_gone, with_relay_words("the patient disconnected this tool (grant revoked): nothing more can be fetched", a));
      }
      if (a.code == "expired") {
        return ToolFailure(tool_exit_gone, with_relay_words("the grant expired: nothing more can be fetched", a));
      }
      return ToolFailure(tool_exit_gone, with_relay_words("the grant is over (revoked or expired): nothing more can be fetched", a));
    case 413:
      // The relay itself never answers a GET with 413 (it has no body); a
      // proxy in front of it may.
      return ToolFailure(tool_exit_too_large, with_relay_words("the relay (or a proxy) refused the request as too large", a));
    case 429:
      return ToolFailure(tool_exit_rate_limited,
                         with_relay_words("too many requests: " +
                                              (retry_after.empty() ? std::string("wait and try again")
                                                                   : "try again in " + retry_after + " seconds"),
                                          a));
    default:
      return ToolFailure(tool_exit_relay_error,
                         with_relay_words("the relay answered " + std::to_string(status) +
                                              (retry_after.empty() ? "" : " (retry after " + retry_after + " seconds)"),
                                          a));
  }
}

ToolFailure unreachable(httplib::Error error, const RelayUrl& relay, const FetchLimits& limits, long verify_result) {
  const std::string where = relay.scheme + "://" + relay.host + ":" + std::to_string(relay.port);
  switch (error) {
    case httplib::Error::Connection:
      return ToolFailure(tool_exit_unreachable, "the relay could not be reached: no connection to " + where);
    case httplib::Error::ConnectionTimeout:
      return ToolFailure(tool_exit_unreachable, "the relay could not be reached: connecting to " + where + " timed out after " +
                                                    std::to_string(limits.timeout_seconds) + " s");
    case httplib::Error::Read:
      return ToolFailure(tool_exit_unreachable, "the relay at " + where + " did not answer within " +
                                                    std::to_string(limits.timeout_seconds) +
                                                    " s, or closed the connection (--timeout)");
    case httplib::Error::SSLServerVerification:
      return ToolFailure(tool_exit_unreachable, "the relay's TLS certificate is not trusted for " + relay.host +
                                                    " (OpenSSL verify result " + std::to_string(verify_result) +
                                                    "; --ca-file names a private CA)");
    case httplib::Error::SSLConnection:
      return ToolFailure(tool_exit_unreachable, "the TLS handshake with " + where + " failed");
    case httplib::Error::SSLLoadingCerts:
      return ToolFailure(tool_exit_unreachable, "the trusted certificates could not be loaded" +
                                                    (limits.ca_file ? " from " + *limits.ca_file : std::string()));
    default:
      return ToolFailure(tool_exit_unreachable, "the relay could not be reached: " + httplib::to_string(error));
  }
}

bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "[::1]") return true;
  static const std::regex v4(R"(127\.\d{1,3}\.\d{1,3}\.\d{1,3})");
  return std::regex_match(host, v4);
}

}  // namespace

std::string RelayUrl::origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

std::string RelayUrl::base() const {
  const bool default_port = (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  return scheme + "://" + host + (default_port ? "" : ":" + std::to_string(port));
}

bool RelayUrl::loopback() const { return is_loopback_host(host); }

RelayUrl parse_relay_url(const std::string& text) {
  // scheme://host[:port][/]: a path, query, fragment or user name is refused
  // rather than guessed at, because the signed target is the path alone.
  static const std::regex url(R"(([A-Za-z]+)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::([0-9]{1,5}))?/?)");
  std::smatch m;
  if (!std::regex_match(text, m, url)) {
    throw UsageError("--relay must be a base URL http(s)://host[:port] with no path, query or user name");
  }
  RelayUrl r;
  for (char c : m[1].str()) r.scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (r.scheme != "http" && r.scheme != "https") throw UsageError("--relay must start with https:// (or http:// on this machine)");
  for (char c : m[2].str()) r.host += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  r.port = m[3].matched ? static_cast<int>(parse_integer("--relay port", m[3].str(), 1, 65535))
                        : (r.scheme == "https" ? 443 : 80);
  return r;
}

namespace {

httplib::Client client_for(const RelayUrl& relay, const FetchLimits& limits) {
  httplib::Client client(relay.origin());
  client.set_connection_timeout(limits.timeout_seconds, 0);
  client.set_read_timeout(limits.timeout_seconds, 0);
  client.set_write_timeout(limits.timeout_seconds, 0);
  client.set_keep_alive(false);
  client.set_follow_location(false);  // a redirect would need a new signature for the new target
  if (limits.ca_file) client.set_ca_cert_path(*limits.ca_file);
  client.enable_server_certificate_verification(true);
  return client;
}

}  // namespace

RelayReply relay_send(const RelayUrl& relay, const std::string& method, const std::string& target,
                      const std::string& body, const std::string& content_type, const crypto::SignKeyPair& key,
                      const FetchLimits& limits) {
  const std::string authorization =
      crypto::request_sign(method, target, crypto::ByteView(std::string_view(body)),
                           static_cast<std::int64_t>(std::time(nullptr)), key);
  httplib::Client client = client_for(relay, limits);
  httplib::Request req;
  req.method = method;
  req.path = target;
  req.headers = {{"Authorization", authorization}, {"Accept-Encoding", "identity"}};
  if (!body.empty()) {
    req.body = body;
    req.set_header("Content-Type", content_type);
  }
  std::string answer;
  req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
    if (answer.size() + size > limits.max_bytes) return false;
    answer.append(data, size);
    return true;
  };
  httplib::Result res = client.send(req);
  if (!res) {
    if (answer.size() >= limits.max_bytes) throw IoError("the relay's answer is too large");
    throw IoError(unreachable(res.error(), relay, limits, client.get_openssl_verify_result()).what());
  }
  return RelayReply{res->status, answer};
}

std::string relay_refusal_text(int status, const std::string& body) {
  return with_relay_words("the relay answered " + std::to_string(status), read_answer(body));
}

std::string fetch_bundle(const RelayUrl& relay, const std::string& grant_hex, const crypto::SignKeyPair& key,
                         const FetchLimits& limits) {
  const std::string target = "/v1/grants/" + grant_hex + "/bundle";
  const std::string authorization =
      crypto::request_sign("GET", target, crypto::ByteView{}, static_cast<std::int64_t>(std::time(nullptr)), key);

  httplib::Client client(relay.origin());
  client.set_connection_timeout(limits.timeout_seconds, 0);
  client.set_read_timeout(limits.timeout_seconds, 0);
  client.set_write_timeout(limits.timeout_seconds, 0);
  client.set_keep_alive(false);
  client.set_follow_location(false);  // a redirect would need a new signature for the new target
  if (limits.ca_file) client.set_ca_cert_path(*limits.ca_file);
  client.enable_server_certificate_verification(true);

  const httplib::Headers headers{{"Authorization", authorization},
                                 {"Accept", "application/octet-stream"},
                                 {"Accept-Encoding", "identity"}};
  std::string body;
  bool over_limit = false;
  httplib::Result res = client.Get(
      target, headers,
      [&](const httplib::Response& head) {
        // Refuse an announced oversize answer before reading a byte of it.
        const std::string length = head.get_header_value("Content-Length");
        std::uint64_t announced = 0;
        const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), announced);
        const bool overflow = ec == std::errc::result_out_of_range;
        if (overflow || (ec == std::errc() && end == length.data() + length.size() && announced > limits.max_bytes)) {
          over_limit = true;
          return false;
        }
        return true;
      },
      [&](const char* data, std::size_t size) {
        if (body.size() + size > limits.max_bytes) {  // chunked, or a lying Content-Length
          over_limit = true;
          return false;
        }
        body.append(data, size);
        return true;
      });
  if (over_limit) {
    throw ToolFailure(tool_exit_too_large, "the relay's answer is larger than " + std::to_string(limits.max_bytes) +
                                               " bytes (--max-bytes; the relay's limit is its --max-bundle-bytes)");
  }
  if (!res) throw unreachable(res.error(), relay, limits, client.get_openssl_verify_result());
  if (res->status != 200) throw refusal(res->status, body, res->get_header_value("Retry-After"));
  return body;
}

}  // namespace chartlock::cli
