#include "gateway/limits_config.h"

namespace wahana {

LimitsConfig ReadLimitsConfig(EnvReader& reader) {
  LimitsConfig c;
  c.max_json_depth = static_cast<int>(reader.Int("WAHANA_HTTP_MAX_JSON_DEPTH", 0, 10000));
  c.rate_per_second = reader.Int("WAHANA_RATE_LIMIT_PER_SECOND", 0, 1000000);
  c.rate_burst = reader.Int("WAHANA_RATE_LIMIT_BURST", 1, 1000000);
  c.auth_failures_per_minute = reader.Int("WAHANA_AUTH_FAILURES_PER_MINUTE", 0, 1000000);
  c.max_in_flight = static_cast<int>(reader.Int("WAHANA_HTTP_MAX_IN_FLIGHT", 0, 1000000));
  c.cors_origins = reader.String("WAHANA_CORS_ORIGINS");
  c.access_log = reader.OneOf("WAHANA_ACCESS_LOG", {"on", "off"}) == "on";
  return c;
}

}  // namespace wahana
