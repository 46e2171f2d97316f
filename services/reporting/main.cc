// wahana-reporting: live aggregates (wahana.reporting.v1.ReportingService) on gRPC port 20054,
// kept up to date by consuming the case, registry and event streams. Region names (the region
// grouping's labels) come from the registry's gRPC API (WAHANA_REGISTRY_ADDR), remembered once
// asked. `wahana-reporting --rebuild` instead recomputes the reports from the case, registry and
// event services' records and exits (rebuild_command.h).

#include <cstring>
#include <memory>
#include <string>
#include <utility>

#include "common/bus/consumer_setup.h"
#include "common/bus/group_progress.h"
#include "common/config/env_reader.h"
#include "common/federation/deployment_role.h"
#include "common/process/service_main.h"
#include "common/region/registry_directory_from_env.h"
#include "common/status/status_macros.h"
#include "reporting/delivered_aggregates.h"
#include "reporting/figures_before_link.h"
#include "reporting/rebuild_command.h"
#include "reporting/redis_case_counts_store.h"
#include "reporting/redis_contribution_store.h"
#include "reporting/reporting_grpc_service.h"
#include "reporting/reporting_keys.h"
#include "reporting/reporting_logic.h"
#include "reporting/rollup_backfill.h"

namespace {

// Consumers of each stream in this process. A message costs the consumer a few Redis round trips
// one after the other (the counters' scripts, the ack), so one consumer falls behind a busy case
// service; the counters do not depend on the order messages are applied in (increments commute,
// each applied mark and record version decides once), so several apply side by side.
constexpr int kConsumersPerStream = 4;

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  const std::string& region = runtime.config().region;
  wahana::ReportingDeps deps;
  wahana::EnvReader reader;
  deps.case_overdue_days = static_cast<int>(reader.Int("WAHANA_CASE_OVERDUE_DAYS", 1, 3650));
  absl::StatusOr<wahana::FederationLink> federation = wahana::ReadFederationLink(reader, region);
  WAHANA_RETURN_IF_ERROR(reader.Finish());
  WAHANA_RETURN_IF_ERROR(federation.status());
  // A district linked to its province writes what its counters move to its outbox too.
  const std::string outbox =
      federation->linked_district() ? wahana::OutboxStreamKey("reporting", region) : "";
  // Before any consumer applies a message: counters of an older version get their roll-ups.
  WAHANA_RETURN_IF_ERROR(wahana::AddMissingRollups(runtime.redis(), region));
  if (!outbox.empty()) {
    // A district linked now sends what it counted before the link, once, ahead of any change.
    WAHANA_RETURN_IF_ERROR(wahana::SendFiguresBeforeLink(runtime.redis(), region, outbox).status());
  }
  WAHANA_ASSIGN_OR_RETURN(deps.regions, wahana::RegistryDirectoryFromEnv());
  deps.progress = std::make_shared<wahana::RedisGroupProgressReader>(runtime.redis());
  deps.calendar = runtime.config().calendar;
  deps.contributions = std::make_shared<wahana::RedisContributionStore>(
      runtime.redis(), region, wahana::ReportingKeyBase(region),
      wahana::RedisContributionStore::Lease::kWait, outbox);
  auto counts = std::make_shared<wahana::RedisCaseCountsStore>(runtime.redis(), region, outbox);
  auto logic = std::make_shared<wahana::ReportingLogic>(region, counts, std::move(deps));
  runtime.AddService(std::make_unique<wahana::ReportingGrpcService>(logic, runtime.pool()));

  wahana::AddBusConsumer(
      runtime, wahana::kReportingReadsCases,
      [logic](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
        return logic->HandleCaseMessage(envelope);
      },
      kConsumersPerStream);
  for (const wahana::BusSubscription& feed :
       {wahana::kReportingReadsRegistry, wahana::kReportingReadsEvents}) {
    wahana::AddBusConsumer(
        runtime, feed,
        [logic, feed](const wahana::common::v1::Envelope& envelope,
                      const std::string& /*entry_id*/) {
          return logic->HandleRecordMessage(envelope, feed);
        },
        kConsumersPerStream);
  }
  if (federation->role == wahana::DeploymentRole::kProvince) {
    // What the districts delivered, counted as the province's own are (summed leaf moves).
    wahana::AddBusConsumer(
        runtime, wahana::kReportingReadsFederation,
        [counts](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
          return wahana::ApplyDeliveredAggregates(*counts, envelope);
        },
        kConsumersPerStream);
  }
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 2 && std::strcmp(argv[1], "--rebuild") == 0) return wahana::RunRebuildCommand();
  return wahana::RunService(argc, argv, "reporting", 20054, Setup);
}
