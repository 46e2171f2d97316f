#include "registry/workers/worker_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

WorkerGrpcService::WorkerGrpcService(std::unique_ptr<WorkerLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

}  // namespace wahana::registry
