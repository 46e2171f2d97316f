#pragma once
// Converts a store's value indexes from the chunked layout written before 2026-11-27
// ("<prefix>unique:<index>" / "<prefix>lookup:<index>", lex_index.h) to exact indexes
// ("unique-ids:<index>" / "lookup-ids:<index>", exact_index.h), as IndexedProtoRecordStore now
// reads them. Idempotent and cheap when there is nothing to convert (one SCAN per layout); each
// index converts in one atomic script, so a crash half-way leaves every index either old or new,
// and the next start finishes the work. Run before the store serves.

#include "absl/status/status.h"
#include "common/redis/redis_client.h"
#include "common/storage/record_keys.h"

namespace wahana {

// UNAVAILABLE when Redis cannot be reached; INTERNAL when a script fails.
absl::Status MigrateValueIndexes(RedisClient& redis, const RecordKeys& keys);

}  // namespace wahana
