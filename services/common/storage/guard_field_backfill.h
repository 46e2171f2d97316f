#pragma once
// Writes the guard fields (RecordIndexing::guard_fields) of records stored before their kind had
// them, or before it had these ones. A store writes a record's guard fields with each change of
// it, and other writes' conditions (WriteCondition::FieldMatches) read them: an event stored
// before 2026-12-07 had none, so every registration on it was refused until the event changed.
// A service whose guard fields grew calls AddMissingGuardFields at start, before it serves, with a
// version naming its guard fields; it runs once per version (kept in Redis beside the indexes).
//
// Each record's fields are written in its own atomic step, only if the record is still at the
// version read (its etag): a record changed meanwhile got its fields from that change. So a crash
// half-way is finished by the next start, and a second replica starting at the same time, or a
// write landing during the walk, does no harm. One round trip per record: meant for kinds of
// thousands of records (events), not millions.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "common/status/status_macros.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_keys.h"
#include "common/storage/store_backfill.h"

namespace wahana {

using GuardFields = std::vector<std::pair<std::string, std::string>>;

// Whether the kind's guard fields are at `version` already.
absl::StatusOr<bool> GuardFieldsAtVersion(RedisClient& redis, const RecordKeys& keys,
                                          const std::string& version);
// Writes `fields` into record `id`'s hash if it is still at `etag` (false when it moved on).
absl::StatusOr<bool> WriteGuardFields(RedisClient& redis, const RecordKeys& keys,
                                      const std::string& id, const std::string& etag,
                                      const GuardFields& fields);
// Records the kind's guard fields at `version`.
absl::Status MarkGuardFieldsVersion(RedisClient& redis, const RecordKeys& keys,
                                    const std::string& version);

// Errors: UNAVAILABLE when Redis cannot be reached; INTERNAL for corrupt data.
template <typename Record>
absl::Status AddMissingGuardFields(RedisClient& redis, const RecordKeys& keys,
                                   IndexedRecordStore<Record>& store,
                                   const std::function<GuardFields(const Record&)>& guard_fields,
                                   const std::string& version) {
  WAHANA_ASSIGN_OR_RETURN(bool done, GuardFieldsAtVersion(redis, keys, version));
  if (done) return absl::OkStatus();
  return ForEachStoredPage<Record>(store, [&](const std::vector<Record>& records, bool last) {
    for (const Record& record : records) {
      WAHANA_RETURN_IF_ERROR(
          WriteGuardFields(redis, keys, record.id(), record.etag(), guard_fields(record)).status());
    }
    return last ? MarkGuardFieldsVersion(redis, keys, version) : absl::OkStatus();
  });
}

}  // namespace wahana
