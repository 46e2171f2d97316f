#pragma once
// The settings every backend service reads (see config/settings.cc for their meaning).

#include <string>

#include "absl/status/statusor.h"
#include "common/auth/auth_settings.h"
#include "common/config/env_reader.h"
#include "common/redis/redis_client.h"

namespace wahana {

struct ServiceConfig {
  std::string process;  // "registry", "case", ...
  std::string region;   // the deployment's region
  std::string log_level;
  std::string log_format;
  RedisOptions redis;
  std::string grpc_host;
  int grpc_port = 0;
  int worker_threads = 0;
  int worker_queue = 0;
  int stream_maxlen = 0;
  int bus_max_deliveries = 0;
  int bus_claim_idle_ms = 0;
  AuthSettings auth;

  std::string GrpcAddress() const { return grpc_host + ":" + std::to_string(grpc_port); }
};

// Reads the common settings with `reader`; `default_grpc_port` is the service's own port.
// Errors are collected in `reader` (call reader.Finish()).
ServiceConfig ReadServiceConfig(EnvReader& reader, const std::string& process,
                                int default_grpc_port);

}  // namespace wahana
