#include "registry/institutions/institution_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana::registry {

InstitutionGrpcService::InstitutionGrpcService(std::shared_ptr<InstitutionLogic> logic,
                                               WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* InstitutionGrpcService::CreateInstitution(
    grpc::CallbackServerContext* context, const v1::CreateInstitutionRequest* request,
    v1::Institution* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->CreateInstitution(caller, *request);
  });
}

grpc::ServerUnaryReactor* InstitutionGrpcService::GetInstitution(
    grpc::CallbackServerContext* context, const v1::GetInstitutionRequest* request,
    v1::Institution* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->GetInstitution(caller, *request);
  });
}

grpc::ServerUnaryReactor* InstitutionGrpcService::ListInstitutions(
    grpc::CallbackServerContext* context, const v1::ListInstitutionsRequest* request,
    v1::ListInstitutionsResponse* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ListInstitutions(caller, *request);
  });
}

grpc::ServerUnaryReactor* InstitutionGrpcService::UpdateInstitution(
    grpc::CallbackServerContext* context, const v1::UpdateInstitutionRequest* request,
    v1::Institution* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->UpdateInstitution(caller, *request);
  });
}

grpc::ServerUnaryReactor* InstitutionGrpcService::ArchiveInstitution(
    grpc::CallbackServerContext* context, const v1::ArchiveRequest* request,
    v1::Institution* response) {
  return RunUnary(context, pool_, response, [this, request](const Principal& caller) {
    return logic_->ArchiveInstitution(caller, *request);
  });
}

}  // namespace wahana::registry
