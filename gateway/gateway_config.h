#pragma once
// The gateway's configuration: its HTTP server, the deadline of calls to services, and where each
// backend service is reached (settings in services/common/config/settings.cc).

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "common/auth/auth_settings.h"
#include "common/config/env_reader.h"
#include "common/redis/redis_client.h"
#include "gateway/limits_config.h"

namespace wahana {

// One gRPC service the gateway fronts: its full protobuf name and the setting holding its address.
struct BackendSetting {
  const char* service;
  const char* address_setting;
};

// The table of fronted services. A service whose address is empty is not routed (its paths 404
// and /readyz ignores it): WAHANA_ECHO_ADDR is empty unless a benchmark sets it.
const std::vector<BackendSetting>& BackendSettings();

struct BackendAddress {
  std::string service;  // "wahana.registry.v1.RegistryService"
  std::string address;  // a gRPC target (EnvReader::ServiceTarget): "127.0.0.1:20051", ...
};

struct GatewayConfig {
  std::string log_level = "info";
  std::string log_format = "text";
  std::string http_host = "127.0.0.1";
  int http_port = 8080;  // 0 binds a free port (tests)
  int http_threads = 2;
  int64_t max_body_bytes = 1 << 20;
  int max_connections_per_client = 64;
  int rpc_deadline_ms = 5000;
  // Deadline of each /readyz health check (capped by rpc_deadline_ms).
  int readiness_deadline_ms = 1000;
  std::vector<BackendAddress> backends;  // only those with an address
  LimitsConfig limits;
  // Authentication: the deployment's region (the API keys' hash tag), the Redis holding the keys,
  // and the token keys.
  std::string region = "16.06";
  RedisOptions redis;
  AuthSettings auth;
};

// Reads every gateway setting with `reader`; errors are collected there (call reader.Finish()).
GatewayConfig ReadGatewayConfig(EnvReader& reader);

}  // namespace wahana
