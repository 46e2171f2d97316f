// wahana-case: the case service (wahana.cases.v1.CaseService) on gRPC port 50052.

#include <memory>

#include "case/case_grpc_service.h"
#include "case/case_logic.h"
#include "case/redis_case_store.h"
#include "common/process/service_main.h"
#include "common/region/registry_directory_from_env.h"
#include "common/status/status_macros.h"

namespace {

absl::Status Setup(wahana::ServiceRuntime& runtime) {
  WAHANA_ASSIGN_OR_RETURN(std::shared_ptr<wahana::RegionDirectory> regions,
                          wahana::RegistryDirectoryFromEnv());
  const std::string& region = runtime.config().region;
  auto logic = std::make_shared<wahana::CaseLogic>(
      region, std::make_shared<wahana::RedisCaseStore>(runtime.redis(), region), regions);
  runtime.AddService(std::make_unique<wahana::CaseGrpcService>(logic, runtime.pool()));
  return absl::OkStatus();
}

}  // namespace

int main(int argc, char** argv) { return wahana::RunService(argc, argv, "case", 50052, Setup); }
