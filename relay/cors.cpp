// SPDX-License-Identifier: Apache-2.0
#include "cors.hpp"

#include <algorithm>

namespace chartlock::relay {

CorsPolicy::CorsPolicy(std::vector<std::string> allowed_origins) : origins_(std::move(allowed_origins)) {}

bool CorsPolicy::allowed(std::string_view origin) const {
  return std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

HeaderList CorsPolicy::response_headers(std::optional<std::string_view> origin) const {
  HeaderList h;
  if (origins_.empty()) return h;
  h.emplace_back("Vary", "Origin");
  if (origin && allowed(*origin)) {
    h.emplace_back("Access-Control-Allow-Origin", std::string(*origin));
    h.emplace_back("Access-Control-Expose-Headers", "Chartlock-Sequence, Chartlock-Sync-Version, Retry-After");
  }
  return h;
}

std::optional<HeaderList> CorsPolicy::preflight_headers(std::optional<std::string_view> origin) const {
  if (!origin || !allowed(*origin)) return std::nullopt;
  return HeaderList{
      {"Vary", "Origin"},
      {"Access-Control-Allow-Origin", std::string(*origin)},
      {"Access-Control-Allow-Methods", "GET, PUT, POST, DELETE"},
      {"Access-Control-Allow-Headers", "Authorization, Content-Type"},
      {"Access-Control-Max-Age", "600"},
  };
}

HeaderList CorsPolicy::public_response_headers() {
  return HeaderList{{"Access-Control-Allow-Origin", "*"}};
}

HeaderList CorsPolicy::public_preflight_headers(std::string_view method) {
  return HeaderList{
      {"Access-Control-Allow-Origin", "*"},
      {"Access-Control-Allow-Methods", std::string(method)},
      {"Access-Control-Allow-Headers", "Content-Type"},
      {"Access-Control-Max-Age", "600"},
  };
}

}  // namespace chartlock::relay
