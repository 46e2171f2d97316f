#include "reporting/rebuild_command.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

#include "common/auth/bearer_channel.h"
#include "common/bus/bus_contract.h"
#include "common/config/env_reader.h"
#include "common/federation/deployment_role.h"
#include "common/logging/logging.h"
#include "common/process/service_config.h"
#include "common/redis/redis_setup.h"
#include "reporting/case_source.h"
#include "reporting/record_source.h"
#include "reporting/reports_rebuild.h"

namespace wahana {
namespace {

constexpr char kProcess[] = "reporting";
// One List page of 500 records, read from Redis by the service that keeps them.
constexpr std::chrono::seconds kListDeadline(30);

}  // namespace

int RunRebuildCommand() {
  EnvReader reader;
  const ServiceConfig config = ReadServiceConfig(reader, kProcess, 20054);
  const std::string case_address = reader.ServiceTarget("WAHANA_CASE_ADDR");
  const std::string registry_address = reader.ServiceTarget("WAHANA_REGISTRY_ADDR");
  const std::string event_address = reader.ServiceTarget("WAHANA_EVENT_ADDR");
  RebuildOptions options;
  options.case_overdue_days = static_cast<int>(reader.Int("WAHANA_CASE_OVERDUE_DAYS", 1, 3650));
  absl::StatusOr<FederationLink> federation = ReadFederationLink(reader, config.region);
  if (absl::Status s = reader.Finish(); !s.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << s.message() << "\n";
    return 2;
  }
  if (!federation.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << federation.status().message() << "\n";
    return 2;
  }
  // A province's counters hold what its districts delivered, which its own records cannot
  // rebuild: a rebuild would drop every district's figures.
  if (federation->role == DeploymentRole::kProvince) {
    std::cerr << "wahana-reporting --rebuild: a province's reports hold its districts' figures, "
                 "which its own records cannot rebuild; nothing was changed\n";
    return 2;
  }
  if (absl::Status s = InitLogging(kProcess, config.log_level, config.log_format); !s.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << s.message() << "\n";
    return 2;
  }
  absl::StatusOr<AuthKeys> auth = LoadAuthKeys(config.auth);
  if (!auth.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << auth.status().message() << "\n";
    return 2;
  }
  // The services authenticate the rebuild's calls as the reporting service's own.
  AuthorizeAllOutgoingCalls(
      std::make_shared<TokenSource>(auth->minter, ServicePrincipal(kProcess, config.region)));
  absl::StatusOr<std::unique_ptr<RedisClient>> redis = ConnectWaiting(config.redis);
  if (!redis.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << redis.status().ToString() << "\n";
    return 1;
  }
  // A linked district tells its province what the rebuild moved (reports_rebuild.h).
  if (federation->linked_district()) options.outbox = OutboxStreamKey("reporting", config.region);
  GrpcCaseSource source(case_address, kListDeadline);
  GrpcRecordSource records(registry_address, event_address, kListDeadline);
  absl::StatusOr<RebuildSummary> summary =
      RebuildReports(**redis, config.region, config.calendar, source, &records, options);
  if (!summary.ok()) {
    std::cerr << "wahana-reporting --rebuild: " << summary.status().ToString() << "\n";
    return 1;
  }
  std::cout << "rebuilt the reports of " << config.region << ": " << summary->cases << " cases and "
            << summary->records << " records counted, " << summary->skipped << " not countable, "
            << summary->unapplied << " case changes left to the consumer, " << summary->keys
            << " keys";
  if (!options.outbox.empty()) {
    std::cout << ", " << summary->outbox_entries << " outbox entries for the province";
  }
  std::cout << "\n";
  return 0;
}

}  // namespace wahana
