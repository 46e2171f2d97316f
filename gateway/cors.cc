#include "gateway/cors.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "gateway/error_mapping.h"

namespace wahana {
namespace {

constexpr char kAllowMethods[] = "GET, HEAD, POST, PUT, PATCH, DELETE";
constexpr char kAllowHeaders[] = "Authorization, Content-Type, X-Request-Id, If-Match";
constexpr char kExposeHeaders[] = "X-Request-Id, Retry-After";
constexpr char kMaxAgeSeconds[] = "600";

std::string Normalize(absl::string_view origin) {
  std::string out = absl::AsciiStrToLower(absl::StripAsciiWhitespace(origin));
  if (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

}  // namespace

CorsPolicy::CorsPolicy(absl::string_view origins) {
  for (absl::string_view item : absl::StrSplit(origins, ',', absl::SkipWhitespace())) {
    std::string origin = Normalize(item);
    if (!origin.empty()) origins_.push_back(std::move(origin));
  }
}

bool CorsPolicy::Allows(absl::string_view origin) const {
  if (origin.empty()) return false;
  std::string normalized = Normalize(origin);
  for (const std::string& allowed : origins_) {
    if (allowed == normalized) return true;
  }
  return false;
}

bool CorsPolicy::IsPreflight(absl::string_view method, absl::string_view origin,
                             absl::string_view requested_method) const {
  return enabled() && method == "OPTIONS" && !origin.empty() && !requested_method.empty();
}

HttpResponse CorsPolicy::Preflight(absl::string_view origin) const {
  if (!Allows(origin)) {
    HttpResponse refused = ErrorResponse(403, absl::StatusCode::kPermissionDenied,
                                         "origin not allowed (WAHANA_CORS_ORIGINS)");
    refused.headers.emplace_back("Vary", "Origin");
    return refused;
  }
  HttpResponse response;
  response.status = 204;
  response.headers.emplace_back("Access-Control-Allow-Origin", std::string(origin));
  response.headers.emplace_back("Access-Control-Allow-Methods", kAllowMethods);
  response.headers.emplace_back("Access-Control-Allow-Headers", kAllowHeaders);
  response.headers.emplace_back("Access-Control-Max-Age", kMaxAgeSeconds);
  response.headers.emplace_back("Vary", "Origin");
  return response;
}

void CorsPolicy::Decorate(absl::string_view origin, HttpResponse& response) const {
  if (!enabled()) return;
  if (Allows(origin)) {
    response.headers.emplace_back("Access-Control-Allow-Origin", std::string(origin));
    response.headers.emplace_back("Access-Control-Expose-Headers", kExposeHeaders);
  }
  response.headers.emplace_back("Vary", "Origin");
}

}  // namespace wahana
