// CORS for the widget's origins only. The relay's callers are the patient's
// widget (in a browser, cross-origin: create, put, revoke) and tool
// backends (server to server: get). Origins are compared exactly, as
// browsers serialize them; no wildcards. A request from another origin is
// still answered (a signature, not the origin, authorizes it), but without
// CORS headers, so the browser does not let that page read the answer; and
// as every API request carries Authorization, a browser never sends one
// from another origin without a preflight, which is refused.
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

 private:
  std::vector<std::string> origins_;
};

}  // namespace chartlock::relay
