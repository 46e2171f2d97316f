#include "gateway/gateway_config.h"

#include "absl/strings/str_split.h"
#include "common/config/settings.h"
#include "common/redis/redis_setup.h"

namespace wahana {

const std::vector<BackendSetting>& BackendSettings() {
  static const std::vector<BackendSetting> kBackends = {
      {"wahana.registry.v1.RegistryService", "WAHANA_REGISTRY_ADDR"},
      {"wahana.registry.v1.InstitutionService", "WAHANA_REGISTRY_ADDR"},
      {"wahana.registry.v1.NetworkService", "WAHANA_REGISTRY_ADDR"},
      {"wahana.registry.v1.WorkerService", "WAHANA_REGISTRY_ADDR"},
      {"wahana.registry.v1.BeneficiaryService", "WAHANA_REGISTRY_ADDR"},
      {"wahana.registry.v1.HouseholdService", "WAHANA_REGISTRY_ADDR"},
      {"wahana.cases.v1.CaseService", "WAHANA_CASE_ADDR"},
      {"wahana.event.v1.EventService", "WAHANA_EVENT_ADDR"},
      {"wahana.reporting.v1.ReportingService", "WAHANA_REPORTING_ADDR"},
      {"wahana.federation.v1.FederationService", "WAHANA_FEDERATION_ADDR"},
      {"wahana.testing.v1.EchoService", "WAHANA_ECHO_ADDR"},
  };
  return kBackends;
}

GatewayConfig ReadGatewayConfig(EnvReader& reader) {
  GatewayConfig c;
  c.log_level =
      reader.OneOf("WAHANA_LOG_LEVEL", {"trace", "debug", "info", "warn", "error", "off"});
  c.log_format = reader.OneOf("WAHANA_LOG_FORMAT", {"text", "json"});
  c.http_host = reader.String("WAHANA_HTTP_HOST");
  c.http_port = reader.Port("WAHANA_HTTP_PORT", 8080);
  c.http_threads = static_cast<int>(reader.Int("WAHANA_HTTP_THREADS", 1, 256));
  c.max_body_bytes = reader.Int("WAHANA_HTTP_MAX_BODY_BYTES", 1, int64_t{1} << 30);
  c.max_connections_per_client =
      static_cast<int>(reader.Int("WAHANA_HTTP_MAX_CONNECTIONS_PER_CLIENT", 0, 1000000));
  c.rpc_deadline_ms = static_cast<int>(reader.Int("WAHANA_RPC_DEADLINE_MS", 1, 3600000));
  for (const BackendSetting& b : BackendSettings()) {
    std::string address = reader.ServiceTarget(b.address_setting);
    if (!address.empty()) c.backends.push_back({b.service, address});
  }
  c.limits = ReadLimitsConfig(reader);
  c.region = reader.RegionCode("WAHANA_REGION");
  c.redis = ReadRedisOptions(reader);
  c.auth = ReadAuthSettings(reader);
  return c;
}

}  // namespace wahana
