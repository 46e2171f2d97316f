#include "registry/networks/network_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

NetworkGrpcService::NetworkGrpcService(std::shared_ptr<NetworkLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

}  // namespace wahana::registry
