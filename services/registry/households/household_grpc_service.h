#pragma once
// The gRPC face of the registry's households: hands each call to HouseholdLogic on the worker
// pool. No rules here.

#include <memory>

#include "common/grpc/unary_call.h"
#include "common/grpc/worker_pool.h"
#include "registry/households/household_logic.h"
#include "wahana/registry/v1/household.grpc.pb.h"

namespace wahana::registry {

class HouseholdGrpcService final : public wahana::registry::v1::HouseholdService::CallbackService {
 public:
  // The service owns the logic (which owns its store); `pool` must outlive the service.
  HouseholdGrpcService(std::unique_ptr<HouseholdLogic> logic, WorkerPool& pool);

  WAHANA_UNARY_METHOD(CreateHousehold, wahana::registry::v1::CreateHouseholdRequest,
                      wahana::registry::v1::Household)
  WAHANA_UNARY_METHOD(GetHousehold, wahana::registry::v1::GetHouseholdRequest,
                      wahana::registry::v1::Household)
  WAHANA_UNARY_METHOD(ListHouseholds, wahana::registry::v1::ListHouseholdsRequest,
                      wahana::registry::v1::ListHouseholdsResponse)
  WAHANA_UNARY_METHOD(UpdateHousehold, wahana::registry::v1::UpdateHouseholdRequest,
                      wahana::registry::v1::Household)
  WAHANA_UNARY_METHOD(ArchiveHousehold, wahana::registry::v1::ArchiveRequest,
                      wahana::registry::v1::Household)

 private:
  std::unique_ptr<HouseholdLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
