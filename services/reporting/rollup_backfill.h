#pragma once
// Counters kept before the roll-ups existed (reporting_keys.h PivotRollupKeyAt) get them at start:
// every roll-up is recomputed from the cells once, before the consumers start, and a version mark
// says it is done. Without it a report of data counted by an older version would read empty
// roll-ups and answer zeros until someone ran --rebuild.

#include <string>

#include "absl/status/status.h"
#include "common/redis/redis_client.h"

namespace wahana {

// Recomputes the roll-ups of every subject's cells of deployment `region` unless the mark says
// this version did already. Run before any consumer applies a message (a message applied meanwhile
// could be counted twice in a roll-up). UNAVAILABLE when Redis cannot be reached.
absl::Status AddMissingRollups(RedisClient& redis, const std::string& region);

}  // namespace wahana
