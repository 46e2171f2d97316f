#pragma once
// Runs a counter script that refuses to move anything while `wahana-reporting --rebuild` holds
// its lease (it answers -1 then), waiting and trying again: the change is applied after the swap,
// to the rebuilt counters. Waiting, not failing, so the consumer does not count a delivery
// towards the dead letters. A rebuild that dies releases its lease when the TTL runs out.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/redis/redis_client.h"

namespace wahana {

// The script's integer answer, other than -1. INTERNAL for a reply that is not an integer;
// UNAVAILABLE when Redis cannot be reached.
absl::StatusOr<int64_t> EvalWaitingForRebuild(RedisClient& redis, const LuaScript& script,
                                              const std::vector<std::string>& keys,
                                              const std::vector<std::string>& args);

}  // namespace wahana
