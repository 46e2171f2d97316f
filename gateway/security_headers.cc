#include "gateway/security_headers.h"

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
  for (const auto& [name, value] : kHeaders) headers.emplace_back(name, value);
}

}  // namespace wahana
