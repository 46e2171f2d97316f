#include "common/process/service_config.h"

#include "common/redis/redis_setup.h"

namespace wahana {

int DefaultMetricsPort(const std::string& process) {
  if (process == "registry") return 9451;
  if (process == "case") return 9452;
  if (process == "event") return 9453;
  if (process == "reporting") return 9454;
  if (process == "federation") return 9455;
  return 0;
}

ServiceConfig ReadServiceConfig(EnvReader& reader, const std::string& process,
                                int default_grpc_port) {
  ServiceConfig c;
  c.process = process;
  c.region = reader.RegionCode("WAHANA_REGION");
  c.log_level =
      reader.OneOf("WAHANA_LOG_LEVEL", {"trace", "debug", "info", "warn", "error", "off"});
  c.log_format = reader.OneOf("WAHANA_LOG_FORMAT", {"text", "json"});
  reader.Checked("WAHANA_TIME_ZONE", [&c](const std::string& zone) {
    absl::StatusOr<OfficeCalendar> calendar = OfficeCalendar::Load(zone);
    if (calendar.ok()) c.calendar = *std::move(calendar);
    return calendar.status();
  });
  c.redis = ReadRedisOptions(reader);
  c.grpc_host = reader.String("WAHANA_GRPC_HOST");
  c.grpc_port = reader.Port("WAHANA_GRPC_PORT", default_grpc_port);
  // Not reader.Port: 0 is allowed (and turns the endpoint off).
  c.metrics_port = reader.String("WAHANA_METRICS_PORT").empty()
                       ? DefaultMetricsPort(process)
                       : static_cast<int>(reader.Int("WAHANA_METRICS_PORT", 0, 65535));
  c.worker_threads = static_cast<int>(reader.Int("WAHANA_WORKER_THREADS", 1, 256));
  c.worker_queue = static_cast<int>(reader.Int("WAHANA_WORKER_QUEUE", 1, 1000000));
  c.stream_maxlen = static_cast<int>(reader.Int("WAHANA_STREAM_MAXLEN", 1000, 1000000000));
  c.bus_max_deliveries = static_cast<int>(reader.Int("WAHANA_BUS_MAX_DELIVERIES", 1, 100));
  c.bus_claim_idle_ms = static_cast<int>(reader.Int("WAHANA_BUS_CLAIM_IDLE_MS", 100, 86400000));
  c.auth = ReadAuthSettings(reader);
  return c;
}

}  // namespace wahana
