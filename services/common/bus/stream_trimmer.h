#pragma once
// Bounding a stream's length without losing a message: only entries that every consumer group
// has both been delivered and acknowledged are ever removed.

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace wahana {

// When XLEN `stream` > `max_len`, removes consumed entries, oldest first, at most the excess
// (XTRIM MINID ~ <bound> LIMIT <excess>, so whole radix-tree nodes only: a few more than
// `max_len` entries may stay). The bound is the lowest, over all groups, of the group's lowest
// pending id, or of its last-delivered-id when nothing is pending. A stream without any group is
// never trimmed (its consumer may not have been created yet). Runs as one script, so a group
// cannot move between the check and the trim. Returns how many entries were removed.
absl::StatusOr<int64_t> TrimConsumedEntries(RedisClient& redis, const std::string& stream,
                                            int64_t max_len);

}  // namespace wahana
