#include "common/storage/guard_field_backfill.h"

#include "common/storage/proto_record_store.h"
#include "common/storage/record_write.h"

namespace wahana {
namespace {

// Beside the kind's indexes: "event:{16.06}:index:event:guard-fields-version".
constexpr char kBackfill[] = "guard-fields";

}  // namespace

absl::StatusOr<bool> GuardFieldsAtVersion(RedisClient& redis, const RecordKeys& keys,
                                          const std::string& version) {
  return BackfillAtVersion(redis, keys, kBackfill, version);
}

absl::StatusOr<bool> WriteGuardFields(RedisClient& redis, const RecordKeys& keys,
                                      const std::string& id, const std::string& etag,
                                      const GuardFields& fields) {
  if (fields.empty()) return true;
  std::vector<std::string> hset = {"HSET", keys.Record(id)};
  for (const auto& [field, value] : fields) {
    hset.push_back(field);
    hset.push_back(value);
  }
  RecordWrite write;
  write.RequireHashField(keys.Record(id), kRecordEtagField, etag).Command(std::move(hset));
  WAHANA_ASSIGN_OR_RETURN(AtomicWriteResult result, write.Execute(redis));
  return result.applied;
}

absl::Status MarkGuardFieldsVersion(RedisClient& redis, const RecordKeys& keys,
                                    const std::string& version) {
  return redis.Command({"SET", BackfillVersionKey(keys, kBackfill), version}).status();
}

}  // namespace wahana
