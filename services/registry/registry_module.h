#pragma once
// What each registry resource (institutions, networks, workers, beneficiaries, households) gets
// to set itself up, and the function each provides: Add<Resource>Service builds its store, logic
// and gRPC service and registers them on the runtime (which owns the gRPC service; the service
// owns its logic and store).

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "common/process/service_main.h"
#include "registry/beneficiaries/personal_data_exporter.h"
#include "registry/regions/region_rules.h"

namespace wahana::registry {

struct RegistryModuleContext {
  ServiceRuntime& runtime;
  // Village/subdistrict checks against the loaded regions and the deployment's region.
  const RegionRules& regions;
  // The deployment's region ("16.06"): the hash tag of every key the registry writes.
  std::string region;
  // BeneficiaryService.ExportPersonalData's other sources (registry/export/); null: UNIMPLEMENTED.
  std::shared_ptr<const PersonalDataExporter> personal_data_exporter = nullptr;
};

absl::Status AddInstitutionService(RegistryModuleContext& context);
absl::Status AddNetworkService(RegistryModuleContext& context);
absl::Status AddWorkerService(RegistryModuleContext& context);
absl::Status AddBeneficiaryService(RegistryModuleContext& context);
absl::Status AddHouseholdService(RegistryModuleContext& context);

}  // namespace wahana::registry
