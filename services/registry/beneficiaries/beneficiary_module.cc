// AddBeneficiaryService: the beneficiaries' store, logic and gRPC service in wahana-registry.

#include <memory>

#include "absl/time/time.h"
#include "registry/beneficiaries/beneficiary_grpc_service.h"
#include "registry/beneficiaries/cached_region_store.h"
#include "registry/beneficiaries/redis_beneficiary_store.h"
#include "registry/regions/redis_region_store.h"
#include "registry/registry_module.h"

namespace wahana::registry {
namespace {

// Region checks through a short-lived cache (an import checks a village and a NIK's province
// and kecamatan per row): the rules, their cache and the Redis store under it live together.
struct CachedRegions {
  CachedRegions(RedisClient& redis, const std::string& region)
      : base(redis), cached(base, absl::Minutes(1)), rules(cached, region) {}
  RedisRegionStore base;
  CachedRegionStore cached;
  RegionRules rules;
};

}  // namespace

absl::Status AddBeneficiaryService(RegistryModuleContext& context) {
  auto regions = std::make_shared<CachedRegions>(context.runtime.redis(), context.region);
  std::shared_ptr<const RegionRules> rules(regions, &regions->rules);
  auto store = std::make_shared<RedisBeneficiaryStore>(context.runtime.redis(), context.region);
  auto logic = std::make_unique<BeneficiaryLogic>(
      context.region, std::move(store), std::move(rules), /*now=*/nullptr, /*ids=*/nullptr,
      context.runtime.config().calendar);
  context.runtime.AddService(std::make_unique<BeneficiaryGrpcService>(
      std::move(logic), context.runtime.pool(), context.personal_data_exporter));
  return absl::OkStatus();
}

}  // namespace wahana::registry
