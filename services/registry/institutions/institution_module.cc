// AddInstitutionService (registry_module.h): the Redis store, the logic and the gRPC service.

#include <memory>

#include "registry/institutions/institution_grpc_service.h"
#include "registry/institutions/institution_logic.h"
#include "registry/institutions/institution_store.h"
#include "registry/registry_module.h"

namespace wahana::registry {

absl::Status AddInstitutionService(RegistryModuleContext& context) {
  auto store = MakeRedisInstitutionStore(context.runtime.redis(), context.region);
  auto logic = std::make_shared<InstitutionLogic>(context.region, std::move(store), context.regions,
                                                  /*now=*/nullptr, /*ids=*/nullptr,
                                                  context.runtime.config().calendar);
  context.runtime.AddService(
      std::make_unique<InstitutionGrpcService>(std::move(logic), context.runtime.pool()));
  return absl::OkStatus();
}

}  // namespace wahana::registry
