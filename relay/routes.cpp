// SPDX-License-Identifier: Apache-2.0
#include "routes.hpp"

namespace chartlock::relay {

namespace {

std::size_t grant_body(const Config&) { return kMaxGrantBodyBytes; }
std::size_t shl_body(const Config&) { return kMaxShlBodyBytes; }
std::size_t file_body(const Config& c) { return c.max_bundle_bytes; }  // a bundle or a link's file
std::size_t no_body(const Config&) { return 0; }

}  // namespace

const std::vector<Route>& api_routes() {
  using H = RouteHandlers;
  using R = ApiRequest;
  using S = std::string;
  static const std::vector<Route> routes = {
      {"POST", "/v1/grants", kGrantsRoute, true, grant_body,
       [](H& h, const R& r, const S&) { return h.service.create_grant(r); }},
      {"PUT", R"(/v1/grants/([^/]+)/bundle)", kBundleRoute, true, file_body,
       [](H& h, const R& r, const S& id) { return h.service.put_bundle(r, id); }},
      {"GET", R"(/v1/grants/([^/]+)/bundle)", kBundleRoute, false, no_body,
       [](H& h, const R& r, const S& id) { return h.service.get_bundle(r, id); }},
      {"DELETE", R"(/v1/grants/([^/]+))", kGrantRoute, false, no_body,
       [](H& h, const R& r, const S& id) { return h.service.revoke(r, id); }},
      // SMART Health Links (shl.hpp)
      {"POST", "/v1/shl", kShlRoute, true, shl_body, [](H& h, const R& r, const S&) { return h.shl.create(r); }},
      {"POST", R"(/v1/shl/([^/]+))", kShlLinkRoute, true, shl_body,
       [](H& h, const R& r, const S& id) { return h.shl.manifest(r, id); }},
      {"PUT", R"(/v1/shl/([^/]+)/file)", kShlFileRoute, true, file_body,
       [](H& h, const R& r, const S& id) { return h.shl.put_file(r, id); }},
      {"DELETE", R"(/v1/shl/([^/]+))", kShlLinkRoute, false, no_body,
       [](H& h, const R& r, const S& id) { return h.shl.revoke(r, id); }},
      {"GET", R"(/v1/shl-files/([^/]+))", kShlTicketRoute, false, no_body,
       [](H& h, const R& r, const S& id) { return h.shl.file(r, id); }},
      // Vault sync (sync.hpp): a sync copy is as large as a bundle may be
      {"PUT", R"(/v1/sync/([^/]+))", kSyncRoute, true, file_body,
       [](H& h, const R& r, const S& id) { return h.sync.put(r, id); }},
      {"GET", R"(/v1/sync/([^/]+))", kSyncRoute, false, no_body,
       [](H& h, const R& r, const S& id) { return h.sync.get(r, id); }},
      {"DELETE", R"(/v1/sync/([^/]+))", kSyncRoute, false, no_body,
       [](H& h, const R& r, const S& id) { return h.sync.remove(r, id); }},
  };
  return routes;
}

}  // namespace chartlock::relay
