#pragma once
// The headers every gateway response carries, errors included. The API answers JSON only, so the
// policy is the strictest one: nothing may be framed, sniffed, cached or loaded by it.
// Strict-Transport-Security is not sent: the gateway speaks plain HTTP and TLS ends at the proxy
// in front of it, which is where HSTS belongs.

#include <string>
#include <utility>
#include <vector>

namespace wahana {

// Appends X-Content-Type-Options, Cache-Control (no-store, unless `headers` has a Cache-Control
// already), X-Frame-Options, Content-Security-Policy and Referrer-Policy to `headers`.
void AddSecurityHeaders(std::vector<std::pair<std::string, std::string>>& headers);

}  // namespace wahana
