// The relay's API routes, one table for both front doors: the native server
// (server.cpp, which registers each with its HTTP library) and the static
// demo's relay in a Service Worker (wasm/relay_bindings.cpp, which matches
// them itself). Health and metrics are the native server's alone.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "api.hpp"
#include "config.hpp"
#include "service.hpp"
#include "shl.hpp"

namespace chartlock::relay {

struct RouteHandlers {
  Service& service;
  ShlService& shl;
};

struct Route {
  const char* method;
  const char* pattern;  // a regex the whole decoded path matches; group 1 (if any) is the id
  const char* name;     // how logs and metrics name it ("/v1/grants/:id")
  bool takes_body;      // only these read a body, within body_limit
  std::size_t (*body_limit)(const Config&);
  ApiResponse (*call)(RouteHandlers&, const ApiRequest&, const std::string& id);
};

const std::vector<Route>& api_routes();

}  // namespace chartlock::relay
