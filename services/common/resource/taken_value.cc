#include "common/resource/taken_value.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "common/resource/resource_fields.h"
#include "common/storage/indexed_record_store.h"

namespace wahana {
namespace {

// "a beneficiary with this NIK is already registered", before any "outside your region".
std::string Registered(const IdentityNumberUse& use) {
  return absl::StrCat(WithArticle(std::string(use.kind)), " with this ", use.label,
                      " is already registered");
}

}  // namespace

std::string TakenNumberReason(const Principal& caller, const IdentityNumberUse& use,
                              absl::string_view holder_id, absl::string_view holder_region) {
  if (CheckRecordAccess(caller, use.resource, Action::kRead, holder_region, "").ok()) {
    return absl::StrCat("already used by ", use.kind, " ", holder_id);
  }
  return absl::StrCat(Registered(use), " outside your region");
}

absl::Status RequestIdTakenError(const Principal& caller, Resource resource, absl::string_view kind,
                                 absl::string_view holder_id, absl::string_view holder_region) {
  const IdentityNumberUse use{resource, kind, "requestId", "requestId", ""};
  return absl::AlreadyExistsError(
      absl::StrCat("requestId: ", TakenNumberReason(caller, use, holder_id, holder_region)));
}

absl::Status TakenNumberError(const absl::Status& status, const Principal& caller,
                              const IdentityNumberUse& use, const HolderRegion& holder_region) {
  std::optional<UniqueConflict> conflict = UniqueConflictOf(status);
  if (!conflict || conflict->index != use.index) return status;
  absl::StatusOr<std::string> region = holder_region(conflict->holder_id);
  if (!region.ok()) {
    return absl::AlreadyExistsError(absl::StrCat(use.field, ": ", Registered(use)));
  }
  return absl::AlreadyExistsError(
      absl::StrCat(use.field, ": ", TakenNumberReason(caller, use, conflict->holder_id, *region)));
}

}  // namespace wahana
