#pragma once
// The transport-neutral HTTP request and response the gateway's logic works on; the Beast server
// (http_server.h) converts to and from the wire.

#include <string>
#include <utility>
#include <vector>

namespace wahana {

struct HttpRequest {
  std::string method;        // "GET", "POST", ...
  std::string target;        // origin-form: path and optional "?query", still percent-encoded
  std::string content_type;  // the Content-Type header, "" when absent
  std::string request_id;    // the X-Request-Id header, "" when absent
  std::string body;
  // For CORS, the rate limit and the access log:
  std::string origin;               // the Origin header, "" when absent
  std::string cors_request_method;  // the Access-Control-Request-Method header (preflights)
  std::string client_address;       // the peer's IP address, "" when unknown
  // Credentials (request_authenticator.h); never logged.
  std::string authorization;  // the Authorization header, "" when absent
  std::string api_key;        // the X-Api-Key header, "" when absent
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/Length
  std::string body;                                          // JSON unless content_type says
  std::string content_type;                                  // "" means application/json
};

}  // namespace wahana
