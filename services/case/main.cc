// wahana-case: the case service (wahana.cases.v1.CaseService) on gRPC port 20052. Consumes the
// registry's stream (an archived beneficiary annotates its cases; registry changes keep the
// known-subjects projection current, known_subjects.h).

#include <chrono>
#include <memory>
#include <string>

#include "case/case_grpc_service.h"
#include "case/case_indexing.h"
#include "case/case_keys.h"
#include "case/case_logic.h"
#include "case/mediation_events.h"
#include "case/redis_case_store.h"
#include "case/redis_known_subjects.h"
#include "common/audit/audit_service.h"
#include "common/bus/consumer_setup.h"
#include "common/config/env_reader.h"
#include "common/federation/deployment_role.h"
#include "common/process/service_main.h"
#include "common/region/registry_directory_from_env.h"
#include "common/registry/registry_records.h"
#include "common/status/status_macros.h"
#include "common/storage/lookup_reindex.h"

namespace {

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  WAHANA_ASSIGN_OR_RETURN(std::shared_ptr<wahana::RegionDirectory> regions,
                          wahana::RegistryDirectoryFromEnv());
  wahana::EnvReader reader;
  const std::string registry_address = reader.ServiceTarget("WAHANA_REGISTRY_ADDR");
  const std::string event_address = reader.ServiceTarget("WAHANA_EVENT_ADDR");
  const int64_t deadline_ms = reader.Int("WAHANA_CASE_REGISTRY_DEADLINE_MS", 1, 600000);
  wahana::CaseLogicOptions options;
  options.overdue_days = static_cast<int>(reader.Int("WAHANA_CASE_OVERDUE_DAYS", 1, 3650));
  const std::string& region = runtime.config().region;
  absl::StatusOr<wahana::FederationLink> federation = wahana::ReadFederationLink(reader, region);
  WAHANA_RETURN_IF_ERROR(reader.Finish());
  WAHANA_RETURN_IF_ERROR(federation.status());
  {
    // Cases written before the lookups named conflict parties and FAMILY households get those
    // entries now, once (lookup_reindex.h), before a list or an export asks for them.
    wahana::IndexedProtoRecordStore<wahana::cases::v1::Case> cases(
        runtime.redis(), wahana::CaseKeys(region), wahana::CaseIndexing());
    WAHANA_RETURN_IF_ERROR(wahana::AddMissingLookups<wahana::cases::v1::Case>(
        runtime.redis(), wahana::CaseKeys(region), cases, wahana::CaseIndexing().lookup,
        wahana::kCaseLookupsVersion));
  }
  auto logic = std::make_shared<wahana::CaseLogic>(
      region, std::make_shared<wahana::RedisCaseStore>(runtime.redis(), region), regions,
      std::make_shared<wahana::GrpcRegistryRecords>(registry_address,
                                                    std::chrono::milliseconds(deadline_ms)),
      std::make_shared<wahana::RedisKnownSubjects>(runtime.redis(), region), options,
      /*now=*/nullptr, /*ids=*/nullptr, runtime.config().calendar,
      std::make_shared<wahana::GrpcMediationEvents>(event_address,
                                                    std::chrono::milliseconds(deadline_ms)));
  runtime.AddService(std::make_unique<wahana::CaseGrpcService>(logic, runtime.pool()));
  // Every call about a case leaves an entry on case:{region}:audit (issue 4).
  WAHANA_RETURN_IF_ERROR(wahana::AddAuditTrail(
      runtime, {{"wahana.cases.v1.CaseService", {"cases", "wahana.cases.v1.Case"}}}));

  if (federation->role == wahana::DeploymentRole::kProvince || federation->linked_district()) {
    // A province: the cases its districts refer to it; a linked district: its province's answers
    // to its referrals (federation:{region}:stream).
    wahana::AddBusConsumer(
        runtime, wahana::kCaseReadsFederation,
        [logic](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
          return logic->HandleFederationMessage(envelope);
        });
  }
  wahana::AddBusConsumer(
      runtime, wahana::kCaseReadsRegistry,
      [logic](const wahana::common::v1::Envelope& envelope, const std::string& /*entry_id*/) {
        return logic->HandleRegistryMessage(envelope);
      });
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) { return wahana::RunService(argc, argv, "case", 20052, Setup); }
