#include "case/case_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana {

CaseGrpcService::CaseGrpcService(std::shared_ptr<CaseLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* CaseGrpcService::CreateCase(
    grpc::CallbackServerContext* context, const wahana::cases::v1::CreateCaseRequest* request,
    wahana::cases::v1::Case* response) {
  return RunUnary(context, pool_, response,
                  [this, request] { return logic_->CreateCase(*request); });
}

grpc::ServerUnaryReactor* CaseGrpcService::GetCase(grpc::CallbackServerContext* context,
                                                   const wahana::cases::v1::GetCaseRequest* request,
                                                   wahana::cases::v1::Case* response) {
  return RunUnary(context, pool_, response, [this, request] { return logic_->GetCase(*request); });
}

}  // namespace wahana
