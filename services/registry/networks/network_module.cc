// AddNetworkService (registry_module.h): the Redis store, the logic (reading member institutions
// through the institutions' own store: same registry, same Redis) and the gRPC service.

#include <memory>

#include "registry/institutions/institution_store.h"
#include "registry/networks/network_grpc_service.h"
#include "registry/networks/network_logic.h"
#include "registry/networks/network_store.h"
#include "registry/registry_module.h"

namespace wahana::registry {

absl::Status AddNetworkService(RegistryModuleContext& context) {
  RedisClient& redis = context.runtime.redis();
  auto logic = std::make_shared<NetworkLogic>(
      context.region, MakeRedisNetworkStore(redis, context.region),
      MakeRedisInstitutionStore(redis, context.region), context.regions, /*now=*/nullptr,
      /*ids=*/nullptr, context.runtime.config().calendar);
  context.runtime.AddService(
      std::make_unique<NetworkGrpcService>(std::move(logic), context.runtime.pool()));
  return absl::OkStatus();
}

}  // namespace wahana::registry
