#pragma once
// The settings every backend service reads (see config/settings.cc for their meaning).

#include <string>

#include "absl/status/statusor.h"
#include "common/auth/auth_settings.h"
#include "common/config/env_reader.h"
#include "common/redis/redis_client.h"
#include "common/time/office_calendar.h"

namespace wahana {

struct ServiceConfig {
  std::string process;  // "registry", "case", ...
  std::string region;   // the deployment's region
  std::string log_level;
  std::string log_format;
  RedisOptions redis;
  std::string grpc_host;
  int grpc_port = 0;
  int metrics_port = 0;  // GET /metrics on grpc_host; 0: not served
  int worker_threads = 0;
  int worker_queue = 0;
  int stream_maxlen = 0;
  int bus_max_deliveries = 0;
  int bus_claim_idle_ms = 0;
  AuthSettings auth;
  // What "today" is (WAHANA_TIME_ZONE); handed to every logic class that compares dates with now.
  OfficeCalendar calendar;

  std::string GrpcAddress() const { return grpc_host + ":" + std::to_string(grpc_port); }
};

// Reads the common settings with `reader`; `default_grpc_port` is the service's own port (its
// metrics port defaults to DefaultMetricsPort(process)).
// Errors are collected in `reader` (call reader.Finish()).
ServiceConfig ReadServiceConfig(EnvReader& reader, const std::string& process,
                                int default_grpc_port);

// The metrics port of a service unless WAHANA_METRICS_PORT says otherwise: 9451 registry, 9452
// case, 9453 event, 9454 reporting; 0 (not served) for any other process.
int DefaultMetricsPort(const std::string& process);

}  // namespace wahana
