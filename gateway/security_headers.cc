#include "gateway/security_headers.h"

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace wahana {

void AddSecurityHeaders(std::vector<std::pair<std::string, std::string>>& headers) {
  static const std::pair<const char*, const char*> kHeaders[] = {
      {"X-Content-Type-Options", "nosniff"},
      // Answers hold personal data: no shared or browser cache may keep them.
      {"Cache-Control", "no-store"},
      {"X-Frame-Options", "DENY"},
      {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"},
      {"Referrer-Policy", "no-referrer"},
  };
  // A response that set its own Cache-Control (the public JWKS) keeps it.
  bool has_cache_control = false;
  for (const auto& header : headers) {
    if (absl::EqualsIgnoreCase(header.first, "Cache-Control")) has_cache_control = true;
  }
  for (const auto& [name, value] : kHeaders) {
    if (has_cache_control && absl::string_view(name) == "Cache-Control") continue;
    headers.emplace_back(name, value);
  }
}

}  // namespace wahana
