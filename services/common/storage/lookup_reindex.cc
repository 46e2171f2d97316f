#include "common/storage/lookup_reindex.h"

#include "common/storage/indexed_proto_record_store.h"
#include "common/storage/record_write.h"

namespace wahana {
namespace {

// Beside the kind's indexes: "case:{16.06}:index:case:lookups-version".
constexpr char kBackfill[] = "lookups";

}  // namespace

absl::StatusOr<bool> LookupsAtVersion(RedisClient& redis, const RecordKeys& keys,
                                      const std::string& version) {
  return BackfillAtVersion(redis, keys, kBackfill, version);
}

absl::Status AddLookupEntries(RedisClient& redis, const RecordKeys& keys,
                              const LookupEntries& batch, const std::string& mark_version) {
  if (batch.entries.empty() && mark_version.empty()) return absl::OkStatus();
  RecordWrite write;
  for (const auto& [id, value] : batch.entries) {
    write.ExactIndexAdd(LookupIndexKey(keys, value.index), value.value, id);
  }
  if (!mark_version.empty())
    write.Command({"SET", BackfillVersionKey(keys, kBackfill), mark_version});
  return write.Execute(redis).status();
}

}  // namespace wahana
