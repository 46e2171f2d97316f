#pragma once
// What every report answer shares: its parameters' checks, where small counts are hidden, and its
// timestamps. Pure functions; thread-safe.

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "common/region/region_code.h"

namespace wahana {

inline constexpr char kPublicAudience[] = "public";

// INVALID_ARGUMENT naming `format` unless it is empty, json or csv.
absl::Status CheckReportFormat(const std::string& format);
// INVALID_ARGUMENT naming `audience` unless it is empty or public.
absl::Status CheckReportAudience(const std::string& audience);

// Subdistricts and villages: where small counts could name people.
bool AtOrBelowSubdistrict(RegionLevelKind level);

// One count shown alone (small_count_suppression.h: "<5" when `suppress` and `small_area`).
std::string ShownCount(int64_t count, bool suppress, bool small_area);

google::protobuf::Timestamp ToTimestamp(absl::Time time);

}  // namespace wahana
