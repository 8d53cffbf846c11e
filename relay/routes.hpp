// SPDX-License-Identifier: Apache-2.0
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
#include "sync.hpp"

namespace chartlock::relay {

// The routes' names, as logs and metrics give them (server.cpp's
// route_template maps a path to one without a regex).
inline constexpr const char* kGrantsRoute = "/v1/grants";
inline constexpr const char* kBundleRoute = "/v1/grants/:id/bundle";
inline constexpr const char* kGrantRoute = "/v1/grants/:id";
inline constexpr const char* kShlRoute = "/v1/shl";
inline constexpr const char* kShlLinkRoute = "/v1/shl/:id";
inline constexpr const char* kShlFileRoute = "/v1/shl/:id/file";
inline constexpr const char* kShlTicketRoute = "/v1/shl-files/:ticket";
inline constexpr const char* kSyncRoute = "/v1/sync/:id";

struct RouteHandlers {
  Service& service;
  ShlService& shl;
  SyncService& sync;
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
