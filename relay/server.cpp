// SPDX-License-Identifier: Apache-2.0
#include "server.hpp"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <regex>
#include <stdexcept>
#include <thread>

#include "protocol.hpp"
#include "routes.hpp"
#include "shl.hpp"
#include "sync.hpp"

namespace chartlock::relay {
namespace {

using httplib::ContentReader;
using httplib::Request;
using httplib::Response;
using Clock = std::chrono::steady_clock;

// What the log line and metrics need to know about the request this thread
// is serving. httplib runs a request's pre-routing handler, route handler,
// post-routing handler and logger on one thread, one request at a time.
struct RequestContext {
  bool active = false;  // set by pre-routing; requests httplib refused early have none
  Clock::time_point start;
  std::string route = "-";
  std::string error;
  std::string grant;
  std::uint64_t bytes_in = 0;
};
thread_local RequestContext t_request;
// Set when this thread answered with Connection: close before reading the
// body: what httplib then parses from the unread body until the client
// hangs up is not a request and is neither logged nor counted.
thread_local bool t_discarding = false;

constexpr int kKeepAliveSeconds = 2;

// "{x}" or "{x}/file" under /v1/shl/, or "{t}" under /v1/shl-files/.
std::string shl_route_template(const std::string& path) {
  const std::string files = "/v1/shl-files/";
  if (path.compare(0, files.size(), files) == 0) {
    const std::string rest = path.substr(files.size());
    return !rest.empty() && rest.find('/') == std::string::npos ? kShlTicketRoute : "other";
  }
  const std::string prefix = std::string(kShlRoute) + "/";
  if (path.compare(0, prefix.size(), prefix) != 0) return "other";
  const std::string rest = path.substr(prefix.size());
  const auto slash = rest.find('/');
  if (rest.empty() || slash == 0) return "other";
  if (slash == std::string::npos) return kShlLinkRoute;
  return rest.compare(slash, std::string::npos, "/file") == 0 ? kShlFileRoute : "other";
}

// The route a (decoded) path belongs to, as logs and metrics name it; the
// same shapes the handlers' patterns below match.
std::string route_template(const std::string& path) {
  if (path == kGrantsRoute || path == kShlRoute || path == "/healthz" || path == "/metrics") return path;
  if (path.compare(0, 7, "/v1/shl") == 0) return shl_route_template(path);
  if (path.compare(0, 9, "/v1/sync/") == 0) {
    const std::string rest = path.substr(9);
    return !rest.empty() && rest.find('/') == std::string::npos ? kSyncRoute : "other";
  }
  const std::string prefix = std::string(kGrantsRoute) + "/";
  if (path.compare(0, prefix.size(), prefix) != 0) return "other";
  const std::string rest = path.substr(prefix.size());  // "{id}" or "{id}/bundle"
  const auto slash = rest.find('/');
  if (rest.empty() || slash == 0) return "other";
  if (slash == std::string::npos) return kGrantRoute;
  return rest.compare(slash, std::string::npos, "/bundle") == 0 ? kBundleRoute : "other";
}

bool has_body(const Request& req) {
  return req.has_header("Transfer-Encoding") ||
         (req.has_header("Content-Length") && req.get_header_value("Content-Length") != "0");
}

// The answer is sent before the body was read: close the connection, or the
// unread body would be taken for the next request.
void close_after(Response& res) {
  res.set_header("Connection", "close");
  t_discarding = true;
}

// A header's value in place (httplib's get_header_value returns a copy).
const std::string* find_header(const Request& req, const char* name) {
  const auto it = req.headers.find(name);
  return it == req.headers.end() ? nullptr : &it->second;
}

void send(Response& res, ApiResponse a) {
  res.status = a.status;
  for (const auto& [name, value] : a.headers) res.set_header(name, value);
  if (!a.content_type.empty()) {
    res.set_header("Content-Type", a.content_type);
    res.body = std::move(a.body);  // a bundle can be large: no copy
  }
  t_request.error = a.error;
  if (a.grant) t_request.grant = grant_log_hash(*a.grant);
}

void send_error(Response& res, int status, const char* code, const std::string& message,
                std::int64_t retry_after = 0) {
  send(res, error_response(ApiError{status, code, message, retry_after}));
}

// The default message of an error answer httplib made by itself.
std::pair<const char*, const char*> default_error(int status) {
  switch (status) {
    case 400: return {"malformed", "the request could not be parsed"};
    case 404: return {"not-found", "no such endpoint"};
    case 413: return {"too-large", "the request body is too large"};
    case 414: return {"malformed", "the request target is too long"};
    case 415: return {"unsupported-encoding", "unsupported content encoding"};
    case 416: return {"malformed", "ranges are not supported here"};
    default: return {"internal", "the relay failed to answer"};
  }
}

}  // namespace

struct Server::Impl {
  Impl(const Config& c, Store& s, Service& svc, Metrics& m, Logger& l)
      : config(c), store(s), service(svc), shl(s, svc, c), sync(s, svc, c), metrics(m), log(l), cors(c.allowed_origins),
        address_limiter(c.address_rate) {
    const std::size_t threads = c.threads;
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_tcp_nodelay(true);
    http.set_keep_alive_max_count(1000);
    // httplib gives an open connection a thread until it closes or idles
    // this long: short, so idle clients cannot hold the pool (or a stop).
    http.set_keep_alive_timeout(kKeepAliveSeconds);
    http.set_read_timeout(10, 0);
    http.set_write_timeout(10, 0);
    // A backstop: the routes enforce their own (smaller) limits first.
    http.set_payload_max_length(std::max(c.max_bundle_bytes, kMaxGrantBodyBytes));

    http.set_pre_routing_handler([this](const Request& req, Response& res) { return pre_route(req, res); });
    http.set_error_handler(httplib::Server::HandlerWithResponse(
        [](const Request&, Response& res) { return default_error_body(res); }));
    http.set_post_routing_handler([this](const Request& req, Response& res) { post_route(req, res); });
    http.set_logger([this](const Request& req, const Response& res) { finish(req, res); });
    http.set_exception_handler([this](const Request&, Response& res, std::exception_ptr ep) {
      internal_error(res, ep);
    });

    for (const Route& route : api_routes()) {
      const std::string method = route.method;
      if (route.takes_body) {
        const auto handler = [this, &route](const Request& req, Response& res, const ContentReader& reader) {
          with_body(req, res, reader, route.body_limit(config),
                    [&](const ApiRequest& api) { return route.call(handlers, api, match(req)); });
        };
        if (method == "POST") http.Post(route.pattern, handler);
        else http.Put(route.pattern, handler);
      } else {
        const auto handler = [this, &route](const Request& req, Response& res) {
          without_body(req, res, [&](const ApiRequest& api) { return route.call(handlers, api, match(req)); });
        };
        if (method == "GET") http.Get(route.pattern, handler);
        else http.Delete(route.pattern, handler);
      }
    }
    http.Get("/healthz", [this](const Request&, Response& res) { healthz(res); });
    http.Get("/metrics", [this](const Request&, Response& res) { metrics_endpoint(res); });
  }

  // The id a route's pattern captured ("" when it has none).
  static std::string match(const Request& req) { return req.matches.size() > 1 ? req.matches[1].str() : std::string(); }

  // ---- every request ----

  httplib::Server::HandlerResponse pre_route(const Request& req, Response& res) {
    t_request = RequestContext{};
    t_request.active = true;
    t_discarding = false;
    t_request.start = Clock::now();
    t_request.route = route_template(req.path);
    using HR = httplib::Server::HandlerResponse;

    // Bodies are read only by the two routes that take one, within their
    // limits. Anything else httplib would read whole (a chunked body without
    // any limit, a compressed one inflated), so it is refused unread.
    if (has_body(req)) {
      bool takes_body = false;
      for (const Route& route : api_routes()) {
        takes_body |= route.takes_body && req.method == route.method && t_request.route == route.name;
      }
      const std::string* encoding = find_header(req, "Content-Encoding");
      const std::string* type = find_header(req, "Content-Type");
      if (encoding && *encoding != "identity") {
        send_error(res, 415, "unsupported-encoding", "compressed request bodies are not accepted");
      } else if (!takes_body && t_request.route == "other") {
        send_error(res, 404, "not-found", "no such endpoint");
      } else if (!takes_body) {
        send_error(res, 400, "malformed", "a " + req.method + " request to this endpoint has no body");
      } else if (type && type->rfind("multipart/", 0) == 0) {
        send_error(res, 400, "malformed", "multipart bodies are not accepted");
      } else {
        return HR::Unhandled;
      }
      close_after(res);
      return HR::Handled;
    }
    if (req.method == "OPTIONS") {
      preflight(req, res);
      return HR::Handled;
    }
    return HR::Unhandled;
  }

  // A SMART Health Link's recipient routes (cors.hpp): the manifest,
  // `POST /v1/shl/{id}`, and a file location, `GET /v1/shl-files/{ticket}`.
  // The method is the request's, or for a preflight the one it asks for.
  static const char* public_shl_method(const std::string& path, std::string_view method) {
    static const std::regex manifest(R"(^/v1/shl/[^/]+$)"), file(R"(^/v1/shl-files/[^/]+$)");
    if (method == "POST" && std::regex_match(path, manifest)) return "POST";
    if (method == "GET" && std::regex_match(path, file)) return "GET";
    return nullptr;
  }

  void preflight(const Request& req, Response& res) {
    auto headers = cors.preflight_headers(origin(req));
    if (!headers) {
      const std::string* asked = find_header(req, "Access-Control-Request-Method");
      if (const char* method = asked ? public_shl_method(req.path, *asked) : nullptr) {
        headers = CorsPolicy::public_preflight_headers(method);
      }
    }
    if (!headers) {
      send_error(res, 403, "origin-not-allowed", "this origin is not allowed to call the relay from a browser");
      return;
    }
    res.status = 204;
    for (const auto& [name, value] : *headers) res.set_header(name, value);
  }

  // An error answer httplib made by itself (no route, a bad request line)
  // gets a JSON body too. Runs before the headers are complete.
  static httplib::Server::HandlerResponse default_error_body(Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    const auto [code, message] = default_error(res.status);
    res.set_content(error_json(code, message), "application/json");
    if (t_request.active && t_request.error.empty()) t_request.error = code;
    return httplib::Server::HandlerResponse::Handled;
  }

  void post_route(const Request& req, Response& res) {
    if (req.method != "OPTIONS") {
      const auto from = origin(req);
      const bool widget = from && cors.allowed(*from);
      const HeaderList headers = !widget && public_shl_method(req.path, req.method)
                                     ? CorsPolicy::public_response_headers()
                                     : cors.response_headers(from);
      for (const auto& [name, value] : headers) res.set_header(name, value);
    }
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
  }

  void finish(const Request& req, const Response& res) {
    if (!t_request.active && t_discarding) return;  // the rest of an unread body
    RequestLog entry;
    // Unrouted requests may carry any method text: never a log or label value.
    entry.method = t_request.active ? req.method : "-";
    entry.status = res.status;
    entry.bytes_out = res.body.size();
    double seconds = 0;
    if (t_request.active) {
      seconds = std::chrono::duration<double>(Clock::now() - t_request.start).count();
      entry.route = t_request.route;
      entry.error = t_request.error;
      entry.grant = t_request.grant;
      entry.bytes_in = t_request.bytes_in;
    } else {
      entry.route = "-";  // refused by httplib before routing (bad request line, headers)
      entry.error = default_error(res.status).first;
    }
    entry.ms = seconds * 1000;
    log.request(entry);
    metrics.request(entry.route, entry.method, entry.status, seconds, entry.bytes_in, entry.bytes_out);
    t_request.active = false;
  }

  void internal_error(Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log.event("internal-error", {{"route", t_request.route}, {"message", what}});
    res.body.clear();
    res.headers.clear();
    send_error(res, 500, "internal", "the relay failed to answer; the request may be retried");
  }

  // ---- the API routes ----

  static std::optional<std::string_view> origin(const Request& req) {
    const std::string* value = find_header(req, "Origin");
    if (!value) return std::nullopt;
    return std::string_view(*value);
  }

  // The client's address for rate limiting: the peer, or, when the peer is a
  // trusted proxy, the last X-Forwarded-For hop that is not one.
  std::string client_address(const Request& req) const {
    const auto trusted = [&](const std::string& a) {
      return std::find(config.trusted_proxies.begin(), config.trusted_proxies.end(), a) != config.trusted_proxies.end();
    };
    if (!trusted(req.remote_addr) || !req.has_header("X-Forwarded-For")) return req.remote_addr;
    const std::string forwarded = req.get_header_value("X-Forwarded-For");
    std::size_t end = forwarded.size();
    while (end > 0) {
      const std::size_t comma = forwarded.rfind(',', end - 1);
      const std::size_t begin = comma == std::string::npos ? 0 : comma + 1;
      std::string hop = forwarded.substr(begin, end - begin);
      hop.erase(0, hop.find_first_not_of(' '));
      hop.erase(hop.find_last_not_of(' ') + 1);
      if (!hop.empty() && !trusted(hop)) return hop;
      if (comma == std::string::npos) break;
      end = comma;
    }
    return req.remote_addr;
  }

  // False (with the 429 answer set) when the client's address is over its rate.
  bool address_allowed(const Request& req, Response& res) {
    const auto now = std::chrono::duration<double>(Clock::now().time_since_epoch()).count();
    // Keyed by prefix: a client rotating through its IPv6 /64 is one client.
    const auto decision = address_limiter.take(address_prefix(client_address(req)), now);
    if (decision.allowed) return true;
    metrics.rate_limited("address");
    send_error(res, 429, "rate-limited", "too many requests from this address", decision.retry_after);
    return false;
  }

  ApiRequest api_request(const Request& req, crypto::ByteView body) const {
    ApiRequest api;
    api.method = req.method;
    api.target = req.target;
    if (const std::string* auth = find_header(req, "Authorization")) api.authorization = std::string_view(*auth);
    api.body = body;
    if (const std::string* host = find_header(req, "Host")) api.host = *host;
    api.client_prefix = address_prefix(client_address(req));
    return api;
  }

  template <class F>
  void answer(Response& res, F&& call) {
    try {
      ApiResponse a = call();
      if (a.error == "rate-limited") metrics.rate_limited("key");
      else if (a.error == "key-quota-exceeded") metrics.quota_refused("key");
      else if (a.error == "address-quota-exceeded") metrics.quota_refused("address");
      else if (a.error == "storage-full") metrics.quota_refused("global");
      send(res, std::move(a));
    } catch (const StoreError& e) {
      log.event("db-error", {{"route", t_request.route}, {"message", e.what()}});
      send_error(res, 503, "unavailable", "the relay's database is unavailable; retry later", 5);
    }
  }

  bool several_authorizations(const Request& req, Response& res) {
    if (req.get_header_value_count("Authorization") <= 1) return false;
    send_error(res, 400, "malformed", "more than one Authorization header");
    return true;
  }

  template <class F>
  void without_body(const Request& req, Response& res, F&& call) {
    if (!address_allowed(req, res) || several_authorizations(req, res)) return;
    answer(res, [&] { return call(api_request(req, {})); });
  }

  template <class F>
  void with_body(const Request& req, Response& res, const ContentReader& reader, std::size_t limit, F&& call) {
    if (!address_allowed(req, res) || several_authorizations(req, res)) return close_after(res);
    std::string body;
    if (!read_body(req, res, reader, limit, body)) return close_after(res);
    t_request.bytes_in = body.size();
    answer(res, [&] { return call(api_request(req, crypto::ByteView(std::string_view(body)))); });
  }

  // Reads at most `limit` bytes. A declared Content-Length above it is
  // refused before a byte of the body is read; a chunked body, as soon as
  // it passes the limit.
  bool read_body(const Request& req, Response& res, const ContentReader& reader, std::size_t limit,
                 std::string& body) {
    const auto too_large = [&] {
      send_error(res, 413, "too-large", "the body is larger than this relay accepts here (" +
                                            std::to_string(limit) + " bytes)");
    };
    if (req.has_header("Content-Length")) {
      const std::uint64_t declared = req.get_header_value<std::uint64_t>("Content-Length");
      if (declared > limit) {
        too_large();
        return false;
      }
      body.reserve(static_cast<std::size_t>(declared));
    }
    bool over = false;
    const bool ok = reader([&](const char* data, std::size_t n) {
      if (n > limit - body.size()) {
        over = true;
        return false;
      }
      body.append(data, n);
      return true;
    });
    if (ok) return true;
    if (over) too_large();
    else send_error(res, 400, "malformed", "the request body could not be read");
    return false;
  }

  void healthz(Response& res) {
    try {
      store.check_health();
      res.set_content(nlohmann::json{{"status", "ok"}, {"backend", store.backend()}}.dump(), "application/json");
    } catch (const StoreError& e) {
      log.event("db-error", {{"route", "/healthz"}, {"message", e.what()}});
      send_error(res, 503, "unavailable", "the relay's database is unavailable", 5);
    }
  }

  void metrics_endpoint(Response& res) {
    std::optional<StoreStats> stats;
    try {
      stats = store.stats(service.now());
    } catch (const StoreError& e) {
      log.event("db-error", {{"route", "/metrics"}, {"message", e.what()}});
    }
    res.set_content(metrics.render(stats, store.backend(), config.max_stored_bytes), "text/plain; version=0.0.4");
  }

  const Config& config;
  Store& store;
  Service& service;
  ShlService shl;
  SyncService sync;
  RouteHandlers handlers{service, shl, sync};  // what api_routes() call
  Metrics& metrics;
  Logger& log;
  CorsPolicy cors;
  RateLimiter address_limiter;
  httplib::Server http;
  std::atomic<bool> stop_requested{false};
  std::atomic<bool> finished{false};
  int port = 0;  // the bound port, to listen again on
};

Server::Server(const Config& config, Store& store, Service& service, Metrics& metrics, Logger& log)
    : impl_(std::make_unique<Impl>(config, store, service, metrics, log)) {}

Server::~Server() = default;

int Server::bind() {
  const Config& c = impl_->config;
  if (c.port == 0) {
    const int port = impl_->http.bind_to_any_port(c.host);
    if (port <= 0) throw std::runtime_error("cannot listen on " + c.host + " (any port)");
    impl_->port = port;
    return port;
  }
  if (!impl_->http.bind_to_port(c.host, c.port)) {
    throw std::runtime_error("cannot listen on " + c.host + ":" + std::to_string(c.port));
  }
  impl_->port = c.port;
  return c.port;
}

void Server::run() {
  Impl& s = *impl_;
  while (!s.stop_requested) {
    s.http.listen_after_bind();
    if (s.stop_requested) break;
    // cpp-httplib (0.11) closes its listening socket when accept() fails with
    // anything but EMFILE, EINTR or EAGAIN — ECONNABORTED among them: a client
    // that resets its connection before it is accepted (found by
    // fuzz_relay_http). One such client must not stop the relay: listen again,
    // on the same address (SO_REUSEADDR), for up to five seconds.
    s.log.event("listen-again", {{"port", s.port}});
    bool bound = false;
    for (int attempt = 0; attempt < 50 && !bound && !s.stop_requested; ++attempt) {
      bound = s.http.bind_to_port(s.config.host, s.port);
      if (!bound) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!bound) break;  // the address is gone: run() returns, and main says so
  }
  s.finished = true;
}

void Server::testing_drop_listener() { impl_->http.stop(); }

void Server::stop() {
  impl_->stop_requested = true;
  // httplib ignores stop() until its loop runs: wait for the loop to start
  // (or for run() to have seen the request and returned).
  while (!impl_->http.is_running() && !impl_->finished) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->http.stop();
}

void Server::sweep_rate_limits() {
  impl_->address_limiter.sweep(std::chrono::duration<double>(Clock::now().time_since_epoch()).count());
}

}  // namespace chartlock::relay
