#include "registry/households/household_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

using wahana::registry::v1::ArchiveRequest;
using wahana::registry::v1::CreateHouseholdRequest;
using wahana::registry::v1::GetHouseholdRequest;
using wahana::registry::v1::Household;
using wahana::registry::v1::ListHouseholdsRequest;
using wahana::registry::v1::ListHouseholdsResponse;
using wahana::registry::v1::UpdateHouseholdRequest;

HouseholdGrpcService::HouseholdGrpcService(std::unique_ptr<HouseholdLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* HouseholdGrpcService::CreateHousehold(
    grpc::CallbackServerContext* context, const CreateHouseholdRequest* request,
    Household* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->CreateHousehold(caller, *request);
  });
}

grpc::ServerUnaryReactor* HouseholdGrpcService::GetHousehold(grpc::CallbackServerContext* context,
                                                             const GetHouseholdRequest* request,
                                                             Household* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetHousehold(caller, *request);
  });
}

grpc::ServerUnaryReactor* HouseholdGrpcService::ListHouseholds(grpc::CallbackServerContext* context,
                                                               const ListHouseholdsRequest* request,
                                                               ListHouseholdsResponse* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ListHouseholds(caller, *request);
  });
}

grpc::ServerUnaryReactor* HouseholdGrpcService::UpdateHousehold(
    grpc::CallbackServerContext* context, const UpdateHouseholdRequest* request,
    Household* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->UpdateHousehold(caller, *request);
  });
}

grpc::ServerUnaryReactor* HouseholdGrpcService::ArchiveHousehold(
    grpc::CallbackServerContext* context, const ArchiveRequest* request, Household* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ArchiveHousehold(caller, *request);
  });
}

}  // namespace wahana::registry
