// AddHouseholdService: the households' store, logic and gRPC service in the registry process.

#include <memory>

#include "common/storage/indexed_proto_record_store.h"
#include "registry/households/beneficiary_directory.h"
#include "registry/households/household_grpc_service.h"
#include "registry/households/household_indexing.h"
#include "registry/households/household_logic.h"
#include "registry/registry_module.h"

namespace wahana::registry {

absl::Status AddHouseholdService(RegistryModuleContext& context) {
  auto store = std::make_shared<IndexedProtoRecordStore<wahana::registry::v1::Household>>(
      context.runtime.redis(), HouseholdKeys(context.region), HouseholdIndexing());
  auto beneficiaries =
      std::make_shared<RedisBeneficiaryDirectory>(context.runtime.redis(), context.region);
  auto logic = std::make_unique<HouseholdLogic>(
      context.region, std::move(store), std::move(beneficiaries), context.regions,
      /*now=*/nullptr, /*ids=*/nullptr, context.runtime.config().calendar);
  context.runtime.AddService(
      std::make_unique<HouseholdGrpcService>(std::move(logic), context.runtime.pool()));
  return absl::OkStatus();
}

}  // namespace wahana::registry
