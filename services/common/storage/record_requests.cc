#include "common/storage/record_requests.h"

#include "absl/strings/str_cat.h"
#include "common/ids/time_ordered_id.h"

namespace wahana {

absl::Status CheckRequestId(const std::string& request_id) {
  if (request_id.size() > kMaxRequestIdBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("requestId: at most ", kMaxRequestIdBytes, " bytes"));
  }
  return absl::OkStatus();
}

absl::Status CheckRecordId(const std::string& id, absl::string_view a_kind) {
  if (id.empty()) return absl::InvalidArgumentError("id: required");
  if (TimeOfId(id) < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("id: \"", id, "\" is not ", a_kind, " id (26 characters, 0-9 A-Z)"));
  }
  return absl::OkStatus();
}

MessageFacts CreatedFacts(const std::string& origin_region, const std::string& id,
                          const std::string& region_code) {
  MessageFacts facts;
  facts.origin_region = origin_region;
  facts.aggregate_id = id;
  facts.aggregate_version = kFirstVersion;
  facts.region_code = region_code;
  return facts;
}

}  // namespace wahana
