#include "common/storage/record_keys.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace wahana {

RecordKeys::RecordKeys(std::string service, std::string kind, std::string region)
    : RecordKeys(std::move(service), std::move(kind), std::move(region), true) {}

RecordKeys RecordKeys::SoleKind(std::string service, std::string region) {
  std::string kind = service;
  return RecordKeys(std::move(service), std::move(kind), std::move(region), false);
}

RecordKeys::RecordKeys(std::string service, std::string kind, std::string region,
                       bool kind_requests)
    : kind_(std::move(kind)),
      region_(std::move(region)),
      prefix_(absl::StrCat(service, ":{", region_, "}:")),
      request_prefix_(absl::StrCat(prefix_, "request:", kind_requests ? kind_ + ":" : "")) {}

std::string RecordKeys::Record(absl::string_view id) const {
  return absl::StrCat(RecordPrefix(), id);
}

std::string RecordKeys::Request(absl::string_view request_id) const {
  return absl::StrCat(request_prefix_, request_id);
}

std::string RecordKeys::Stream() const { return absl::StrCat(prefix_, "stream"); }

std::string RecordKeys::Index(absl::string_view name) const {
  return absl::StrCat(prefix_, "index:", kind_, ":", name);
}

std::string RecordKeys::RecordPrefix() const { return absl::StrCat(prefix_, kind_, ":"); }

}  // namespace wahana
