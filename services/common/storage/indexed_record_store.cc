#include "common/storage/indexed_record_store.h"

#include <utility>

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

WriteCondition WriteCondition::FieldMatches(std::string key, std::string field, std::string pattern,
                                            absl::Status refusal) {
  WriteCondition c;
  c.kind = Kind::kFieldMatches;
  c.key = std::move(key);
  c.field = std::move(field);
  c.pattern = std::move(pattern);
  c.refusal = std::move(refusal);
  return c;
}

WriteCondition WriteCondition::CountWithin(std::string counter_key, int64_t adding, int64_t limit,
                                           absl::Status refusal) {
  WriteCondition c;
  c.kind = Kind::kCountWithin;
  c.key = std::move(counter_key);
  c.adding = adding;
  c.limit = limit;
  c.refusal = std::move(refusal);
  return c;
}

WriteCondition WriteCondition::CountWithinField(std::string counter_key, int64_t adding,
                                                std::string limit_key, std::string limit_field,
                                                absl::Status refusal) {
  WriteCondition c = CountWithin(std::move(counter_key), adding, 0, std::move(refusal));
  c.limit_key = std::move(limit_key);
  c.limit_field = std::move(limit_field);
  return c;
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
