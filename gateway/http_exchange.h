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
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/Length
  std::string body;                                          // always JSON
};

}  // namespace wahana
