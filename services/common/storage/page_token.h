#pragma once
// List pagination: page sizes and opaque page tokens.
//
// A page token says where a list stopped (the last index member it read) and which query it
// belongs to (a fingerprint of the query's key: kind, region, view, archived, filter). It is
// base64url, opaque to clients, and stateless: any replica continues any list, after restarts too.
// A token presented with another query is INVALID_ARGUMENT, never a silently wrong page.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace wahana {

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// The page size for a request's `pageSize`: kDefaultPageSize for 0, INVALID_ARGUMENT "pageSize:
// ..." when negative or above kMaxPageSize.
absl::StatusOr<int> ResolvePageSize(int requested);

// The token of the page after `position`, for the query `query_key`.
std::string EncodePageToken(absl::string_view query_key, absl::string_view position);

// The position in `token`; INVALID_ARGUMENT "pageToken: ..." when it is malformed or was made for
// another query.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token, absl::string_view query_key);

}  // namespace wahana
