// SPDX-License-Identifier: Apache-2.0
// The relay's protocol layer as an ES module for the static demo's Service
// Worker (chartlock-relay.mjs + .wasm): the same Service (relay/service.cpp)
// as the native relay, over a MemoryStore the worker saves to IndexedDB. The
// worker hands each request here and sends back what comes out; this file
// matches it to the native server's routes (relay/routes.hpp: grants and
// SMART Health Links), with their body limits, and knows Emscripten.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "api.hpp"
#include "config.hpp"
#include "memory_store.hpp"
#include "routes.hpp"
#include "service.hpp"
#include "shl.hpp"

using emscripten::val;
using namespace chartlock::relay;

namespace {

std::vector<std::uint8_t> bytes_from(const val& array) {
  if (!array.instanceof(val::global("Uint8Array"))) return {};
  const auto n = array["length"].as<std::size_t>();
  std::vector<std::uint8_t> out(n);
  val(emscripten::typed_memory_view(n, out.data())).call<void>("set", array);
  return out;
}

val to_uint8array(const std::vector<std::uint8_t>& bytes) {
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(bytes.size(), bytes.data()));
}

class Relay {
 public:
  // `saved`: what save() returned before (a Uint8Array), or anything else for a new, empty relay.
  // `public_url`: the relay's URL (under the worker's scope), for the file locations a link's manifest hands out.
  Relay(const val& saved, const std::string& public_url) {
    config_.public_url = public_url;
    const auto bytes = bytes_from(saved);
    store_ = bytes.empty() ? std::make_unique<MemoryStore>() : std::make_unique<MemoryStore>(chartlock::crypto::ByteView(bytes));
    service_ = std::make_unique<Service>(*store_, config_);
    shl_ = std::make_unique<ShlService>(*store_, *service_, config_);
    // Sync routes answer 503 here: the memory store keeps no sync copies (relay-protocol.md §6).
    sync_ = std::make_unique<SyncService>(*store_, *service_, config_);
    handlers_ = std::make_unique<RouteHandlers>(RouteHandlers{*service_, *shl_, *sync_});
  }

  // request: { method, target (path and query, below the relay's base), authorization?, body?: Uint8Array }
  // → { status, contentType, body: Uint8Array, headers: [[name, value]…], changed: whether to save }
  val handle(const val& request) {
    const std::string method = request["method"].as<std::string>();
    const std::string target = request["target"].as<std::string>();
    std::string authorization;
    const bool has_auth = request["authorization"].isString();
    if (has_auth) authorization = request["authorization"].as<std::string>();
    const std::vector<std::uint8_t> body = bytes_from(request["body"]);

    ApiRequest api;
    api.method = method;
    api.target = target;
    if (has_auth) api.authorization = std::string_view(authorization);
    api.body = chartlock::crypto::ByteView(body.data(), body.size());
    api.client_prefix = "static-demo";  // one browser: one address

    ApiResponse r;
    bool changed = false;
    try {
      r = route(method, target.substr(0, target.find('?')), api, body.size(), changed);
    } catch (const StoreError& e) {
      r = error_response(ApiError{503, "unavailable", "the relay's storage is unavailable; retry later", 5});
    } catch (const std::exception& e) {
      // As the native server answers what its routes did not (its log has the message; here the console).
      val::global("console").call<void>("error", val(std::string("relay: internal error: ") + e.what()));
      r = error_response(ApiError{500, "internal", "the relay failed to answer", 0});
    }
    val out = val::object();
    out.set("status", r.status);
    out.set("contentType", r.content_type);
    out.set("body", to_uint8array(std::vector<std::uint8_t>(r.body.begin(), r.body.end())));
    val headers = val::array();
    for (const auto& [name, value] : r.headers) {
      val pair = val::array();
      pair.call<void>("push", name);
      pair.call<void>("push", value);
      headers.call<void>("push", pair);
    }
    out.set("headers", headers);
    out.set("changed", changed);
    return out;
  }

  val save() {
    try {
      return to_uint8array(store_->save());
    } catch (const std::exception& e) {
      val error = val::global("Error").new_(val(std::string("the relay's state could not be saved: ") + e.what()));
      error.throw_();
    }
  }

 private:
  static ApiResponse refuse(int status, const char* code, const std::string& message) {
    return error_response(ApiError{status, code, message, 0});
  }

  // The native server's routes (relay/routes.hpp), matched here. Each
  // changes the store (a nonce, a passcode attempt, a ticket), so any
  // request routed is saved, its refusals too.
  ApiResponse route(const std::string& method, const std::string& path, const ApiRequest& api, std::size_t size,
                    bool& changed) {
    static const std::vector<std::regex> patterns = [] {
      std::vector<std::regex> out;
      for (const Route& route : api_routes()) out.emplace_back(route.pattern);
      return out;
    }();
    const auto& routes = api_routes();
    for (std::size_t i = 0; i < routes.size(); ++i) {
      std::smatch m;
      if (method != routes[i].method || !std::regex_match(path, m, patterns[i])) continue;
      const std::size_t limit = routes[i].body_limit(config_);
      if (!routes[i].takes_body && size > 0) {
        return refuse(400, "malformed", "a " + method + " request to this endpoint has no body");
      }
      if (size > limit) {
        return refuse(413, "too-large", "the body is larger than this relay accepts here (" + std::to_string(limit) + " bytes)");
      }
      changed = true;
      return routes[i].call(*handlers_, api, m.size() > 1 ? m[1].str() : std::string());
    }
    return refuse(404, "not-found", "no such endpoint");
  }

  Config config_;
  std::unique_ptr<MemoryStore> store_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<ShlService> shl_;
  std::unique_ptr<SyncService> sync_;
  std::unique_ptr<RouteHandlers> handlers_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(chartlock_relay) {
  emscripten::class_<Relay>("Relay")
      .constructor<val, std::string>()
      .function("handle", &Relay::handle)
      .function("save", &Relay::save);
}
