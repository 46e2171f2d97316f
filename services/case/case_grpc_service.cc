#include "case/case_grpc_service.h"

#include <utility>

#include "common/grpc/unary_call.h"

namespace wahana {
namespace {

// Moves a result into the response and returns its status.
template <typename T>
absl::Status Answer(absl::StatusOr<T> result, T* response) {
  if (result.ok()) *response = *std::move(result);
  return result.status();
}

}  // namespace

CaseGrpcService::CaseGrpcService(std::shared_ptr<CaseLogic> logic, WorkerPool& pool)
    : logic_(std::move(logic)), pool_(pool) {}

grpc::ServerUnaryReactor* CaseGrpcService::CreateCase(
    grpc::CallbackServerContext* context, const wahana::cases::v1::CreateCaseRequest* request,
    wahana::cases::v1::Case* response) {
  return RunUnary(context, pool_, [this, request, response] {
    return Answer(logic_->CreateCase(*request), response);
  });
}

grpc::ServerUnaryReactor* CaseGrpcService::GetCase(grpc::CallbackServerContext* context,
                                                   const wahana::cases::v1::GetCaseRequest* request,
                                                   wahana::cases::v1::Case* response) {
  return RunUnary(context, pool_, [this, request, response] {
    return Answer(logic_->GetCase(*request), response);
  });
}

}  // namespace wahana
