#pragma once
// The gateway's request limits and operational switches (settings in
// services/common/config/settings.cc): JSON nesting depth, per-caller rate limit, failed
// authentications per client address, the cap on requests in flight, CORS origins and the access
// log.

#include <cstdint>
#include <string>

#include "common/config/env_reader.h"

namespace wahana {

// The member defaults are permissive (no rate limit, no cap, no access log) for gateways built in
// code by tests; a deployment's defaults are the settings' (settings.cc: 50/s, burst 100, 30
// failed authentications a minute, 256 in flight, access log on).
struct LimitsConfig {
  int max_json_depth = 32;      // 0: unchecked
  int64_t rate_per_second = 0;  // per caller; 0: no rate limit
  int64_t rate_burst = 1;
  // Failed authentications a client address may make a minute (auth_failure_limiter.h); 0: no
  // limit.
  int64_t auth_failures_per_minute = 0;
  int max_in_flight = 0;     // 0: no cap
  std::string cors_origins;  // comma list; empty: CORS off
  bool access_log = false;
};

// Reads the settings with `reader`; errors are collected there (call reader.Finish()).
LimitsConfig ReadLimitsConfig(EnvReader& reader);

}  // namespace wahana
