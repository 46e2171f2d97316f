#pragma once
// The gRPC face of the registry's households: hands each call to HouseholdLogic on the worker
// pool. No rules here.

#include <memory>

#include "common/grpc/worker_pool.h"
#include "registry/households/household_logic.h"
#include "wahana/registry/v1/household.grpc.pb.h"

namespace wahana::registry {

class HouseholdGrpcService final : public wahana::registry::v1::HouseholdService::CallbackService {
 public:
  // The service owns the logic (which owns its store); `pool` must outlive the service.
  HouseholdGrpcService(std::unique_ptr<HouseholdLogic> logic, WorkerPool& pool);

  grpc::ServerUnaryReactor* CreateHousehold(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::CreateHouseholdRequest* request,
      wahana::registry::v1::Household* response) override;
  grpc::ServerUnaryReactor* GetHousehold(grpc::CallbackServerContext* context,
                                         const wahana::registry::v1::GetHouseholdRequest* request,
                                         wahana::registry::v1::Household* response) override;
  grpc::ServerUnaryReactor* ListHouseholds(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::ListHouseholdsRequest* request,
      wahana::registry::v1::ListHouseholdsResponse* response) override;
  grpc::ServerUnaryReactor* UpdateHousehold(
      grpc::CallbackServerContext* context,
      const wahana::registry::v1::UpdateHouseholdRequest* request,
      wahana::registry::v1::Household* response) override;
  grpc::ServerUnaryReactor* ArchiveHousehold(grpc::CallbackServerContext* context,
                                             const wahana::registry::v1::ArchiveRequest* request,
                                             wahana::registry::v1::Household* response) override;

 private:
  std::unique_ptr<HouseholdLogic> logic_;
  WorkerPool& pool_;
};

}  // namespace wahana::registry
