#pragma once
// Cross-origin access for browser applications (CORS), off unless origins are configured
// (WAHANA_CORS_ORIGINS, a comma list of exact origins such as "https://app.dinsos.go.id").
//
// When on:
//  - a preflight (OPTIONS with Origin and Access-Control-Request-Method) is answered by the
//    gateway: 204 with Allow-Origin (the origin echoed), Allow-Methods, Allow-Headers (including
//    Authorization), Max-Age, when the origin is listed; 403 when it is not. It never reaches a
//    service and needs no credentials;
//  - any other response to a listed origin carries Access-Control-Allow-Origin (echoed, never
//    "*") and Expose-Headers; every response carries Vary: Origin, so a cache never hands one
//    origin's answer to another.
// No Allow-Credentials: the API takes bearer credentials in a header, never cookies.

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gateway/http_exchange.h"

namespace wahana {

class CorsPolicy {
 public:
  // `origins`: a comma list (spaces around items ignored, a trailing "/" dropped, compared
  // case-insensitively); empty turns CORS off. Immutable afterwards: thread-safe.
  explicit CorsPolicy(absl::string_view origins);

  bool enabled() const { return !origins_.empty(); }
  bool Allows(absl::string_view origin) const;

  // True when the request is a CORS preflight the gateway must answer itself (CORS on).
  bool IsPreflight(absl::string_view method, absl::string_view origin,
                   absl::string_view requested_method) const;

  // The answer to a preflight from `origin`.
  HttpResponse Preflight(absl::string_view origin) const;

  // Adds the CORS headers of an ordinary (non-preflight) response to a request from `origin`
  // ("" when the request had no Origin header).
  void Decorate(absl::string_view origin, HttpResponse& response) const;

 private:
  std::vector<std::string> origins_;  // lower case, no trailing '/'
};

}  // namespace wahana
