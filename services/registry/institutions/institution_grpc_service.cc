#include "registry/institutions/institution_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

InstitutionGrpcService::InstitutionGrpcService(std::shared_ptr<InstitutionLogic> logic,
                                               WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

}  // namespace wahana::registry
