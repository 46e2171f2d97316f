#include "reporting/report_answer.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/str_cat.h"
#include "reporting/small_count_suppression.h"

namespace wahana {

absl::Status CheckReportFormat(const std::string& format) {
  if (format.empty() || format == "json" || format == "csv") return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("format: \"", format, "\" is unknown; one of json, csv"));
}

absl::Status CheckReportAudience(const std::string& audience) {
  if (audience.empty() || audience == kPublicAudience) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("audience: \"", audience, "\" is unknown; empty or public"));
}

bool AtOrBelowSubdistrict(RegionLevelKind level) {
  return level == RegionLevelKind::kSubdistrict || level == RegionLevelKind::kVillage;
}

std::string ShownCount(int64_t count, bool suppress, bool small_area) {
  return ShowCounts({}, count, suppress, small_area, small_area).total;
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return google::protobuf::util::TimeUtil::MillisecondsToTimestamp(absl::ToUnixMillis(time));
}

}  // namespace wahana
