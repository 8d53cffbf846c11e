// SPDX-License-Identifier: Apache-2.0
// CORS for the widget's origins only. The relay's callers are the patient's
// widget (in a browser, cross-origin: create, put, revoke) and tool
// backends (server to server: get). Origins are compared exactly, as
// browsers serialize them; no wildcards. A request from another origin is
// still answered (a signature, not the origin, authorizes it), but without
// CORS headers, so the browser does not let that page read the answer; and
// as every API request carries Authorization, a browser never sends one
// from another origin without a preflight, which is refused.
//
// The exception: a SMART Health Link's recipient side (the manifest POST and
// a file location's GET) is public by design — the link is the capability,
// no credential is sent, and a clinician's viewer may be any web app. Those
// two answer any origin (`*`, never with credentials); the link's patient
// routes (create, upload, revoke) stay the widget's.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace chartlock::relay {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> allowed_origins);

  bool allowed(std::string_view origin) const;
  // For an actual request's answer: Allow-Origin, Expose-Headers, Vary, or
  // only Vary when the origin is absent or not allowed.
  HeaderList response_headers(std::optional<std::string_view> origin) const;
  // For a preflight (OPTIONS with Access-Control-Request-Method): the
  // headers, or nullopt when the origin is not allowed.
  std::optional<HeaderList> preflight_headers(std::optional<std::string_view> origin) const;

  // The recipient routes of SMART Health Links: any origin, no credentials.
  // For a preflight, only the method the route answers (`method`: "POST" for
  // a manifest, "GET" for a file) and Content-Type.
  static HeaderList public_response_headers();
  static HeaderList public_preflight_headers(std::string_view method);

 private:
  std::vector<std::string> origins_;
};

}  // namespace chartlock::relay
