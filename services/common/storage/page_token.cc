#include "common/storage/page_token.h"

#include <cstdint>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace wahana {
namespace {

constexpr char kTokenVersion[] = "1";

// FNV-1a: stable across processes and builds (std::hash is not), which tokens need.
std::string Fingerprint(absl::string_view query_key) {
  uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : query_key) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  return absl::StrFormat("%016x", hash);
}

}  // namespace

absl::StatusOr<int> ResolvePageSize(int requested) {
  if (requested < 0) return absl::InvalidArgumentError("pageSize: must not be negative");
  if (requested > kMaxPageSize) {
    return absl::InvalidArgumentError(absl::StrCat("pageSize: at most ", kMaxPageSize));
  }
  return requested == 0 ? kDefaultPageSize : requested;
}

std::string EncodePageToken(absl::string_view query_key, absl::string_view position) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kTokenVersion, ":", Fingerprint(query_key), ":", position));
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view query_key) {
  std::string raw;
  std::string prefix = absl::StrCat(kTokenVersion, ":");
  if (!absl::WebSafeBase64Unescape(token, &raw) || !absl::StartsWith(raw, prefix) ||
      raw.size() < prefix.size() + 17 || raw[prefix.size() + 16] != ':') {
    return absl::InvalidArgumentError("pageToken: not a page token of this list");
  }
  if (raw.compare(prefix.size(), 16, Fingerprint(query_key)) != 0) {
    return absl::InvalidArgumentError(
        "pageToken: belongs to another query (keep the filters of the first page)");
  }
  return raw.substr(prefix.size() + 17);
}

}  // namespace wahana
