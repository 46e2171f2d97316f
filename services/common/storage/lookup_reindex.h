#pragma once
// Adds the lookup entries of records written before their kind's lookups grew (a new lookup, or
// more values for one: a case's conflict parties). A store writes index entries only when a
// record changes, so a service whose RecordIndexing::lookup grew calls AddMissingLookups at
// start, before it serves, with a version naming its lookups. It runs once per version (the
// version is kept in Redis beside the indexes): it walks every record, live and archived, and
// adds each lookup entry. Adding is idempotent, so a crash half-way is finished by the next start
// and a second replica starting at the same time does no harm. Entries the old lookups had and
// the new ones lack are not removed: lookups may only grow this way.

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"
#include "common/status/status_macros.h"
#include "common/storage/indexed_record_store.h"
#include "common/storage/record_indexing.h"
#include "common/storage/record_keys.h"
#include "common/storage/store_backfill.h"

namespace wahana {

// The lookup entries of some records: (record id, value) pairs.
struct LookupEntries {
  std::vector<std::pair<std::string, IndexValue>> entries;
};

// Whether the kind's lookups are at `version` already.
absl::StatusOr<bool> LookupsAtVersion(RedisClient& redis, const RecordKeys& keys,
                                      const std::string& version);
// Adds `batch` to the kind's lookup indexes in one atomic step; with `mark_version` non-empty, the
// same step records the lookups at that version.
absl::Status AddLookupEntries(RedisClient& redis, const RecordKeys& keys,
                              const LookupEntries& batch, const std::string& mark_version);

// Errors: UNAVAILABLE when Redis cannot be reached; INTERNAL for corrupt data.
template <typename Record>
absl::Status AddMissingLookups(RedisClient& redis, const RecordKeys& keys,
                               IndexedRecordStore<Record>& store,
                               const std::function<std::vector<IndexValue>(const Record&)>& lookup,
                               const std::string& version) {
  WAHANA_ASSIGN_OR_RETURN(bool done, LookupsAtVersion(redis, keys, version));
  if (done) return absl::OkStatus();
  return ForEachStoredPage<Record>(store, [&](const std::vector<Record>& records, bool last) {
    LookupEntries batch;
    for (const Record& record : records) {
      for (IndexValue& value : lookup(record)) {
        if (!value.value.empty()) batch.entries.push_back({record.id(), std::move(value)});
      }
    }
    return AddLookupEntries(redis, keys, batch, last ? version : "");
  });
}

}  // namespace wahana
