#include "registry/households/household_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

HouseholdGrpcService::HouseholdGrpcService(std::unique_ptr<HouseholdLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

}  // namespace wahana::registry
