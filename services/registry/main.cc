// wahana-registry: regions now; institutions, networks, workers, beneficiaries and households next.

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/audit/audit_reader.h"
#include "common/audit/audit_service.h"
#include "common/auth/bearer_channel.h"
#include "common/config/env_reader.h"
#include "common/process/service_main.h"
#include "common/status/status_macros.h"
#include "common/storage/indexed_proto_record_store.h"
#include "common/storage/value_index_migration.h"
#include "registry/export/personal_data_export.h"
#include "registry/households/household_indexing.h"
#include "registry/regions/redis_region_store.h"
#include "registry/regions/region_catalog.h"
#include "registry/regions/region_logic.h"
#include "registry/regions/region_rules.h"
#include "registry/registry_grpc_service.h"
#include "registry/registry_module.h"

namespace {

// Each call the personal-data export makes to the case service.
constexpr std::chrono::milliseconds kCaseCallDeadline{5000};

// Loads the administrative areas unless this data version is already in Redis.
absl::Status LoadRegions(wahana::registry::RegionStore& store, const std::string& dir,
                         const std::string& origin) {
  auto started = std::chrono::steady_clock::now();
  WAHANA_ASSIGN_OR_RETURN(auto catalog, wahana::registry::LoadRegionCatalog(dir));
  WAHANA_ASSIGN_OR_RETURN(bool loaded, store.LoadIfNewer(catalog, origin));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  if (loaded) {
    spdlog::info("loaded {} regions from {} in {} ms (version {})", catalog.regions.size(), dir, ms,
                 catalog.version.substr(0, 12));
  } else {
    spdlog::info("regions version {} already loaded ({} ms to check)",
                 catalog.version.substr(0, 12), ms);
  }
  return absl::OkStatus();
}

// BeneficiaryService.ExportPersonalData's other sources: households, the case service, the
// registry's own audit trail (read as the registry itself).
std::shared_ptr<const wahana::registry::PersonalDataExporter> MakeExporter(
    wahana::ServiceRuntime& runtime, const std::string& case_address) {
  const std::string& region = runtime.config().region;
  return std::make_shared<wahana::registry::RegistryPersonalDataExporter>(
      std::make_shared<wahana::IndexedProtoRecordStore<wahana::registry::v1::Household>>(
          runtime.redis(), wahana::registry::HouseholdKeys(region),
          wahana::registry::HouseholdIndexing()),
      std::make_shared<wahana::registry::GrpcCaseRecords>(case_address, kCaseCallDeadline),
      std::make_shared<const wahana::AuditReader>(runtime.redis(), "registry", region),
      wahana::ServicePrincipal("registry", region));
}

}  // namespace

int main(int argc, char** argv) {
  std::unique_ptr<wahana::registry::RedisRegionStore> store;
  std::unique_ptr<wahana::registry::RegionLogic> logic;
  std::unique_ptr<wahana::registry::RegionRules> rules;
  return wahana::RunService(
      argc, argv, "registry", 20051, [&](wahana::ServiceRuntime& runtime) -> absl::Status {
        wahana::EnvReader reader;
        std::string dir = reader.String("WAHANA_REGIONS_DIR");
        const std::string case_address = reader.ServiceTarget("WAHANA_CASE_ADDR");
        WAHANA_RETURN_IF_ERROR(reader.Finish());
        if (dir.empty()) dir = wahana::registry::DefaultRegionsDir();
        store = std::make_unique<wahana::registry::RedisRegionStore>(runtime.redis());
        WAHANA_RETURN_IF_ERROR(LoadRegions(*store, dir, runtime.config().region));
        logic = std::make_unique<wahana::registry::RegionLogic>(*store);
        runtime.AddService(
            std::make_unique<wahana::registry::RegistryGrpcService>(*logic, runtime.pool()));
        rules = std::make_unique<wahana::registry::RegionRules>(*store, runtime.config().region);
        // Stores written before exact value indexes existed convert once, before serving.
        for (const char* kind : {"institution", "network", "worker", "beneficiary", "household"}) {
          WAHANA_RETURN_IF_ERROR(wahana::MigrateValueIndexes(
              runtime.redis(), wahana::RecordKeys("registry", kind, runtime.config().region)));
        }
        wahana::registry::RegistryModuleContext context{runtime, *rules, runtime.config().region};
        context.personal_data_exporter = MakeExporter(runtime, case_address);
        WAHANA_RETURN_IF_ERROR(wahana::registry::AddInstitutionService(context));
        WAHANA_RETURN_IF_ERROR(wahana::registry::AddNetworkService(context));
        WAHANA_RETURN_IF_ERROR(wahana::registry::AddWorkerService(context));
        WAHANA_RETURN_IF_ERROR(wahana::registry::AddBeneficiaryService(context));
        WAHANA_RETURN_IF_ERROR(wahana::registry::AddHouseholdService(context));
        // Every call about a person's record leaves an entry on registry:{region}:audit
        // (issue 4); institutions and networks hold no personal data: their writes alone do.
        WAHANA_RETURN_IF_ERROR(wahana::AddAuditTrail(
            runtime,
            {{"wahana.registry.v1.BeneficiaryService",
              {"beneficiaries", "wahana.registry.v1.Beneficiary"}},
             {"wahana.registry.v1.HouseholdService",
              {"households", "wahana.registry.v1.Household"}},
             {"wahana.registry.v1.WorkerService", {"workers", "wahana.registry.v1.Worker"}},
             {"wahana.registry.v1.InstitutionService",
              {"institutions", "wahana.registry.v1.Institution", /*reads_audited=*/false}},
             {"wahana.registry.v1.NetworkService",
              {"networks", "wahana.registry.v1.Network", /*reads_audited=*/false}}}));
        return absl::OkStatus();
      });
}
