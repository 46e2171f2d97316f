#include "common/auth/reference_access.h"

#include "absl/strings/str_cat.h"

namespace wahana {

absl::Status ReferenceNotFound(absl::string_view field, Resource resource, absl::string_view id) {
  return absl::NotFoundError(
      absl::StrCat(field, ": ", ResourceName(resource), " ", id, " not found"));
}

absl::Status CheckReference(const Principal& caller, Resource resource,
                            absl::string_view region_code, absl::string_view field,
                            absl::string_view id) {
  if (CheckRecordAccess(caller, resource, Action::kRead, region_code, "").ok()) {
    return absl::OkStatus();
  }
  return ReferenceNotFound(field, resource, id);
}

}  // namespace wahana
