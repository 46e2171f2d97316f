#pragma once
// How every process (services, gateway, command-line tools) finds and joins Redis, in one place:
// the WAHANA_REDIS_* settings and the wait for Redis at start-up.

#include <chrono>
#include <memory>

#include "absl/status/statusor.h"
#include "common/config/env_reader.h"
#include "common/redis/redis_client.h"

namespace wahana {

// WAHANA_REDIS_HOST, _PORT, _POOL_SIZE, _TIMEOUT_MS, _USER and _PASSWORD_FILE (read here, whole
// file, trailing newline dropped). Problems are reported through `reader` (its Finish()).
RedisOptions ReadRedisOptions(EnvReader& reader);

// Connects, retrying while Redis is unreachable or still loading (up to `wait`, backing off to 2 s
// and logging each wait). Refused credentials end the wait at once: retrying cannot fix them, and
// the message names the settings to check.
absl::StatusOr<std::unique_ptr<RedisClient>> ConnectWaiting(
    const RedisOptions& options, std::chrono::seconds wait = std::chrono::seconds(30));

}  // namespace wahana
