#include "common/storage/indexed_record_store.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"

namespace wahana {
namespace {

constexpr char kUniqueConflictPayload[] = "type.wahana/storage.UniqueConflict";

}  // namespace

std::string ListQueryKey(absl::string_view kind, const std::string& region_prefix,
                         const std::string& view, bool include_archived,
                         const std::string& filter_key) {
  return absl::StrCat(kind, "\n", region_prefix, "\n", view, "\n",
                      include_archived ? "archived" : "live", "\n", filter_key);
}

absl::Status UniqueConflictError(absl::string_view kind, const UniqueConflict& conflict) {
  absl::Status status = absl::AlreadyExistsError(
      absl::StrCat(conflict.index, ": already used by ", kind, " ", conflict.holder_id));
  status.SetPayload(kUniqueConflictPayload,
                    absl::Cord(absl::StrCat(conflict.index, "\n", conflict.holder_id)));
  return status;
}

std::optional<UniqueConflict> UniqueConflictOf(const absl::Status& status) {
  if (!absl::IsAlreadyExists(status)) return std::nullopt;
  auto payload = status.GetPayload(kUniqueConflictPayload);
  if (!payload) return std::nullopt;
  std::string flat(*payload);
  size_t newline = flat.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  return UniqueConflict{flat.substr(0, newline), flat.substr(newline + 1)};
}

}  // namespace wahana
