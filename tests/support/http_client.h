#pragma once
// A minimal blocking HTTP/1.1 client (Boost.Beast) for end-to-end tests.

#include <map>
#include <string>

namespace wahana::testing {

struct HttpResponse {
  int status = 0;  // 0 when the connection failed
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// One request on a fresh connection to 127.0.0.1:`port`.
HttpResponse HttpCall(int port, const std::string& method, const std::string& target,
                      const std::string& body = "",
                      const std::map<std::string, std::string>& headers = {});

}  // namespace wahana::testing
